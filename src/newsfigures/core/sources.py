"""A story's sources file: one row per article its figures were read from.

``sources.csv`` is the citation of every article: the sheet's ``source`` column is a key
into it (:func:`check_sources`), chart source lines and the report's title block are
written from it, and the build dates the PDF by it. The columns are described once, in
:data:`FIELDS`.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from newsfigures.core.errors import FigureSheetError, StoryError, where
from newsfigures.core.schema import failures

#: Column -> (description, dtype), in file order. The one description of each column,
#: used by the docs and the data package.
FIELDS: dict[str, tuple[str, str]] = {
    "key": ("The article's key, which the figure sheet's source column names (lower-case, digits, - or _)", "str"),
    "outlet": ("Who published the article (a newspaper, agency or broadcaster)", "str"),
    "title": ("The article's headline", "str"),
    "published": ("Publication date (YYYY-MM-DD)", "datetime64[ns]"),
    "url": ("Where the article was published; may be empty", "str"),
    "sha256": ("SHA-256 of the article text the figures were read from (UTF-8); may be empty", "str"),
    "text_path": ("Path of the article text, relative to the sources file, if the user keeps it; may be empty", "str"),
}
COLUMNS = list(FIELDS)

if TYPE_CHECKING:
    import pandas as pd
_OPTIONAL = {"url", "sha256", "text_path"}


def _schema():
    import pandera.pandas as pa

    cols = {}
    for name, (_, dtype) in FIELDS.items():
        checks = []
        if name == "key":
            checks = [pa.Check(lambda s: s.str.fullmatch(r"[a-z0-9][a-z0-9_-]*"), name="key_syntax")]
        elif name == "sha256":
            checks = [pa.Check(lambda s: s.isna() | s.str.fullmatch(r"[0-9a-f]{64}"), name="sha256_syntax")]
        elif name not in _OPTIONAL and dtype == "str":
            checks = [pa.Check(lambda s: s.str.strip().str.len() > 0, name="not_blank")]
        cols[name] = pa.Column(dtype, checks, nullable=name in _OPTIONAL, unique=name == "key", coerce=True)
    return pa.DataFrameSchema(cols, strict=True)


def _describe(check: str, column: str, case) -> str:
    if check.startswith("coerce_dtype"):
        return f"{case!r} is not a date (YYYY-MM-DD)"
    if check == "not_nullable":
        return "is empty; a value is required"
    if check == "field_uniqueness":
        return f"duplicate key {case!r}"
    if check == "column_in_schema":
        return f"unknown column {case!r} (a sources file has: {', '.join(COLUMNS)})"
    if check == "key_syntax":
        return f"{case!r} is not a key (lower-case letters, digits, - or _)"
    if check == "sha256_syntax":
        return f"{case!r} is not a SHA-256 (64 hex digits)"
    if check == "not_blank":
        return "is blank; a value is required"
    return f"fails check {check} ({case!r})"


def validate_sources(frame: pd.DataFrame, path: str | Path = "<sources>") -> pd.DataFrame:
    """Validate a sources table read as strings and coerce its dtypes.

    Returns:
        One row per article: ``key, outlet, title, url, sha256, text_path`` str (the last
        three ``""`` where not given), ``published`` datetime64[ns]; index 0..n-1.

    Raises:
        StoryError: one line naming the file, row (header = row 1) and column of the
            first problem (missing or unknown column, empty or duplicate key, bad date,
            malformed SHA-256), and how many more there are.
    """
    import pandas as pd
    import pandera.errors

    missing = [c for c in COLUMNS if c not in frame.columns and c not in _OPTIONAL]
    if missing:
        raise StoryError(f"{where(path, None, missing[0])}: missing column (a sources file has: {', '.join(COLUMNS)})")
    frame = frame.reset_index(drop=True).copy()
    for name in _OPTIONAL:
        if name not in frame.columns:
            frame[name] = pd.NA
    frame = frame[[*COLUMNS, *[c for c in frame.columns if c not in FIELDS]]]
    if frame.empty:
        raise StoryError(f"{path}: registers no articles (no data rows)")
    repeated = frame["key"].duplicated() & frame["key"].notna()
    if repeated.any():
        i = int(repeated.idxmax())
        key = frame.at[i, "key"]
        raise StoryError(f"{where(path, i + 2, 'key')}: duplicate key {key!r} (each article is registered once)")
    for i, cell in frame["published"].items():
        # Only ISO dates: pandas would read 05/11/2024 as May or November, silently.
        try:
            date.fromisoformat(str(cell).strip())
        except ValueError:
            raise StoryError(f"{where(path, int(i) + 2, 'published')}: {cell!r} is not a date (YYYY-MM-DD)") from None
    try:
        valid = _schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        found = failures(exc, list(COLUMNS))
        first = found[0]
        more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
        message = _describe(first.check, first.checked_column, first.case)
        raise StoryError(f"{where(path, first.line, first.column)}: {message}{more}") from None
    for name in _OPTIONAL:
        valid[name] = valid[name].fillna("").astype("str")
    return valid


def load_sources(path: str | Path) -> pd.DataFrame:
    """Load and validate a sources file (``sources.csv``).

    Args:
        path: the CSV file, columns as in :data:`FIELDS` (``url``, ``sha256`` and
            ``text_path`` may be left out or empty).

    Returns:
        As :func:`validate_sources`; ``attrs["path"]`` holds the file's path.

    Raises:
        StoryError: the file is missing, unreadable or invalid (one line naming the file,
            row and column).
    """
    import pandas as pd

    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except FileNotFoundError:
        raise StoryError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc).splitlines()[0] or "empty file"
        raise StoryError(f"{path}: cannot read the sources file ({detail})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    sources = validate_sources(frame, path)
    sources.attrs["path"] = str(path)
    return sources


def sources_csv(sources: pd.DataFrame) -> str:
    """Serialise a sources table as the CSV :func:`load_sources` reads (ISO dates, ``\\n`` line ends)."""
    return sources[COLUMNS].to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")


def check_sources(figures: pd.DataFrame, sources: pd.DataFrame, sheet: str | Path | None = None) -> None:
    """Check that every figure's ``source`` is a key of the sources file.

    Raises:
        FigureSheetError: naming the sheet, the row and the unregistered key (one line).
    """
    sheet = sheet or figures.attrs.get("path", "<figures>")
    keys = set(sources["key"])
    registered = ", ".join(sources["key"]) or "none"
    known = f" (registered in {sources.attrs.get('path', 'the sources file')}: {registered})"
    problems = [
        (int(i) + 2, "source", f"unknown source {key!r}{known}")
        for i, key in figures["source"].items()
        if key not in keys
    ]
    if problems:
        raise FigureSheetError(sheet, problems[:1])


def published_text(published) -> str:
    """A date as the report prints it: ``24 October 2024``."""
    import pandas as pd

    published = pd.Timestamp(published)
    return f"{published.day} {published:%B %Y}"


def citation(source) -> str:
    """One-line citation of a sources row: outlet, headline in curly quotes, date, e.g.
    ``Outlet, “Headline”, 24 October 2024``."""
    return f"{source.outlet}, \u201c{source.title}\u201d, {published_text(source.published)}"


def cited(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sources`` that ``figures`` cite, in the sources file's order."""
    return sources[sources["key"].isin(set(figures["source"]))].reset_index(drop=True)


def read_citations(path: str | Path) -> list[dict]:
    """Read the citations of a sources file without pandas (for the build's title block):
    one dict per row with ``key, outlet, title, url`` str and ``published`` a
    :class:`datetime.date` (None where it is not a date). The file is validated in full
    by :func:`load_sources` where its tables are made.

    Raises:
        StoryError: the file is missing or is not readable CSV.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise StoryError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise StoryError(f"{path}: cannot read the sources file ({getattr(exc, 'strerror', None) or exc})") from None
    citations = []
    for row in rows:
        try:
            published = date.fromisoformat((row.get("published") or "").strip())
        except ValueError:
            published = None
        citations.append(
            {k: (row.get(k) or "").strip() for k in ("key", "outlet", "title", "url")} | {"published": published}
        )
    return citations
