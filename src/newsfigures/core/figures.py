"""The figure sheet: one row per figure (claim) quoted in a story's articles, with its provenance.

A figure sheet is a CSV file (``figures.csv`` in a story folder). Each row is one
quantitative claim: what is measured, the number as printed, the qualifier the article
attaches to it, the inclusive bounds that qualifier implies, who the article credits for
it, where in the text it is printed, and which article (``source``, a key of the story's
sources file) it comes from. Several rows may share one ``measure`` (later estimates from
other sources or dates: a series); ``figure_id`` is the key. The columns are described
once, in :data:`FIELDS`; their dtypes are :data:`COLUMNS`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from newsfigures.core import paths
from newsfigures.core.errors import FigureSheetError
from newsfigures.core.qualifiers import QUALIFIERS
from newsfigures.core.schema import failures
from newsfigures.core.units import describe as describe_units
from newsfigures.core.units import is_currency, is_known_unit

#: Column -> (description, unit or None): the one description of each sheet column, used
#: by the docs, ``extract --help`` and the data package.
FIELDS: dict[str, tuple[str, str | None]] = {
    "figure_id": ("Unique key of the figure (lower-case snake_case)", None),
    "topic": (
        "A label grouping figures, in snake_case, of the story's choosing (its story file may list them); "
        "other for figures kept in the tables only",
        None,
    ),
    "measure": ("What the figure measures, in the project's own words; rows sharing it form a series", None),
    "value": ("The number as printed; empty for a vague magnitude or a range", "as in the unit field"),
    "lower": ("Inclusive lower bound implied by the qualifier; empty where open", "as in the unit field"),
    "upper": ("Inclusive upper bound implied by the qualifier; empty where open", "as in the unit field"),
    "unit": ("Unit of value, lower and upper: people, count, percent, an ISO 4217 code (USD), ...", None),
    "qualifier": ("How the figure was printed: " + ", ".join(QUALIFIERS), None),
    "attribution": ("Whom the article credits (the U.S.); empty when the outlet states it", None),
    "surface": ("The few words as printed (at least 3,000)", None),
    "char_start": ("Offset of surface in the article text (code points)", "characters"),
    "char_end": ("End offset of surface in the article text, exclusive", "characters"),
    "as_of": ("Date the figure refers to (the publication date when the article gives none)", None),
    "source": ("Key of the article in the story's sources file (sources.csv)", None),
}

#: Topic of figures kept in the tables only.
OTHER = "other"

#: Column name -> dtype of the validated frame, in sheet order.
COLUMNS: dict[str, str] = {
    "figure_id": "str",
    "topic": "str",
    "measure": "str",
    "value": "float64",
    "lower": "float64",
    "upper": "float64",
    "unit": "str",
    "qualifier": "str",
    "attribution": "str",
    "surface": "str",
    "char_start": "Int64",
    "char_end": "Int64",
    "as_of": "datetime64[ns]",
    "source": "str",
}

_NULLABLE = {"value", "lower", "upper", "attribution", "char_start", "char_end"}


def _column_schema(topics=None):
    # pandera is imported here, not at module import, because it costs about a second
    # and callers of this module's light helpers never validate.
    import pandera.pandas as pa

    cols = {name: pa.Column(dtype, nullable=name in _NULLABLE, coerce=True) for name, dtype in COLUMNS.items()}
    cols["figure_id"] = pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True, coerce=True)
    cols["qualifier"] = pa.Column("str", pa.Check.isin(list(QUALIFIERS)), coerce=True)
    topics = list(topics) if topics is not None else None
    if topics is not None:
        cols["topic"] = pa.Column("str", pa.Check.isin(list(dict.fromkeys([*topics, OTHER]))), coerce=True)
    else:
        cols["topic"] = pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"), coerce=True)
    cols["unit"] = pa.Column("str", pa.Check(lambda s: s.map(is_known_unit), name="known_unit"), coerce=True)
    for name in ("value", "lower", "upper"):
        cols[name] = pa.Column(
            "float64",
            pa.Check(lambda x: x.isna() | x.abs().lt(float("inf")), element_wise=False, name="finite"),
            nullable=True,
            coerce=True,
        )
    cols["char_start"] = pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True)
    cols["char_end"] = pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True)
    # strict: an unknown column is a misspelt one ("qualifer") far more often than a note.
    return pa.DataFrameSchema(cols, strict=True)


def _suspect_rows(df: pd.DataFrame) -> pd.Series:
    """Rows that may fail a check of :func:`_row_problems`, found column-wise so that
    a sheet of thousands of good rows is not checked row by row."""
    lo, hi, v = df["lower"], df["upper"], df["value"]
    s, e = df["char_start"].astype("float64"), df["char_end"].astype("float64")
    suspect = (lo > hi) | (v < lo) | (v > hi) | (s.isna() != e.isna()) | (s >= e)
    for name, qualifier in QUALIFIERS.items():
        for column in qualifier.required:
            suspect |= (df["qualifier"] == name) & df[column].isna()
    return suspect.fillna(True).astype(bool)


def _row_problems(df: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Checks across columns of a frame whose dtypes are already right."""
    problems = []
    for i, row in df[_suspect_rows(df)].iterrows():
        line = int(i) + 2
        lo, hi, v, q = row["lower"], row["upper"], row["value"], row["qualifier"]
        missing = [c for c in QUALIFIERS[q].required if pd.isna(row[c])]
        if missing:
            problems.append((line, ", ".join(missing), f"qualifier {q!r} needs {' and '.join(missing)}"))
        if pd.notna(lo) and pd.notna(hi) and lo > hi:
            problems.append((line, "lower", f"lower {lo:,g} is greater than upper {hi:,g}"))
        elif pd.notna(v) and ((pd.notna(lo) and v < lo) or (pd.notna(hi) and v > hi)):
            shown = [f"{b:,g}" if pd.notna(b) else "open" for b in (lo, hi)]
            problems.append((line, "value", f"value {v:,g} lies outside its bounds ({shown[0]} to {shown[1]})"))
        s, e = row["char_start"], row["char_end"]
        if pd.isna(s) != pd.isna(e) or (pd.notna(s) and s >= e):
            problems.append(
                (line, "char_end", "char_start and char_end must both be given, with char_start < char_end")
            )
    return problems + _mixed_unit_problems(df)


def _mixed_unit_problems(df: pd.DataFrame) -> list[tuple[int, str, str]]:
    """A measure is one quantity: its rows (compared as :func:`estimate_series` compares
    them) must share a unit, or its estimates cannot be drawn on one axis."""
    key = df["measure"].astype(str).str.strip().str.casefold()
    first_unit = df["unit"].groupby(key, sort=False).transform("first")
    problems = []
    for i in df.index[df["unit"] != first_unit]:
        first = int(df.index[(key == key[i])][0]) + 2
        problems.append(
            (
                int(i) + 2,
                "unit",
                f"unit {df.at[i, 'unit']!r} differs from {first_unit[i]!r} in row {first}, "
                f"which has the same measure {df.at[i, 'measure']!r}",
            )
        )
    return problems


def _text_read_as_missing(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Cells of the typed columns holding text that pandas coerces to a missing value
    (``NaN``, ``nan``, ``NaT``): only an empty cell is an empty one, so these are problems
    ("'NaN' is not a number"), not figures left open."""
    problems = []
    for column, dtype in COLUMNS.items():
        if dtype == "str" or column not in frame.columns:
            continue
        cells = frame[column]
        text = cells[cells.map(lambda c: isinstance(c, str) and c != "")]
        # Coerced column-wise first, so that a sheet of thousands of numbers is not cast cell
        # by cell: only the few cells that come out missing are tried one at a time.
        if dtype.startswith("datetime"):
            coerced = pd.to_datetime(text, errors="coerce", format="ISO8601")
        else:
            coerced = pd.to_numeric(text, errors="coerce")
        maybe = text[coerced.isna()]
        missing = set()
        for value in maybe.unique():
            try:
                if pd.isna(pd.Series([value]).astype(dtype).iloc[0]):
                    missing.add(value)
            except (ValueError, TypeError):
                pass  # not coercible at all: the schema's coercion reports it
        for i, value in text[text.isin(missing)].items():
            problems.append((int(i) + 2, column, _describe(f"coerce_dtype('{dtype}')", column, value)))
    return problems


def _as_written(frame: pd.DataFrame, failure):
    # A number fails a check as pandas read it (1e400 as inf): quote the cell as typed.
    if failure.check == "finite" and failure.line and failure.checked_column in frame.columns:
        return frame.at[failure.line - 2, failure.checked_column]
    return failure.case


def _describe(check: str, column: str, case, topics=None) -> str:
    """Turn a pandera check name and failure case into a sentence."""
    if check.startswith("coerce_dtype"):
        kind = {"float64": "a number", "Int64": "a whole number", "datetime64": "a date (YYYY-MM-DD)"}
        wanted = next((v for k, v in kind.items() if k in check), f"of type {check}")
        return f"{case!r} is not {wanted}"
    if check == "not_nullable":
        return "is empty; a value is required"
    if check == "field_uniqueness":
        return f"duplicate {column} {case!r}"
    if check.startswith("isin"):
        vocabulary = dict.fromkeys([*topics, OTHER]) if column == "topic" else QUALIFIERS
        return f"unknown {column} {case!r} (expected one of: {', '.join(vocabulary)})"
    if check == "column_in_schema":
        return f"unknown column {case!r} (a figure sheet has: {', '.join(COLUMNS)})"
    if check == "known_unit":
        return f"unknown unit {case!r} (expected {describe_units()})"
    if check == "finite":
        return f"{case!r} is not a finite number"
    if check.startswith("str_matches") and column == "topic":
        return f"{case!r} is not a snake_case topic"
    if check.startswith("str_matches"):
        return f"{case!r} is not a lower-case snake_case key"
    if check.startswith("greater_than_or_equal_to"):
        return f"{case!r} is negative"
    return f"fails check {check} ({case!r})"


def validate_figures(
    frame: pd.DataFrame, path: str | Path = "<dataframe>", topics: dict | list | None = None
) -> pd.DataFrame:
    """Validate a figure sheet already read as a dataframe of strings, and coerce its dtypes.

    Args:
        frame: one row per figure, columns as in :data:`COLUMNS` (extra columns are kept);
            values may be strings, as read from CSV.
        path: file name used in error messages.
        topics: the story's topic vocabulary (``other`` is always allowed); None allows
            any snake_case topic.

    Returns:
        The validated frame, dtypes as in :data:`COLUMNS`, index 0..n-1.

    Raises:
        FigureSheetError: naming the file, the CSV row (header = row 1) and the column of
            every problem: missing column, non-numeric value, lower > upper, duplicate
            ``figure_id``, unknown qualifier, bounds the qualifier needs, bad offsets or dates.
    """
    import pandera.errors

    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise FigureSheetError(
            path,
            [(None, c, "missing column (a figure sheet needs: " + ", ".join(COLUMNS) + ")") for c in missing[:1]]
            + [(None, c, "missing column") for c in missing[1:]],
        )
    if frame.empty:
        raise FigureSheetError(path, [(None, None, "has no figures (no data rows)")])
    frame = frame.reset_index(drop=True)
    problems = set(_text_read_as_missing(frame))
    try:
        valid = _column_schema(topics).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        said = {(line, column) for line, column, _ in problems}
        problems |= {
            (f.line or 0, f.column, _describe(f.check, f.checked_column, _as_written(frame, f), topics))
            for f in failures(exc, COLUMNS)
            if (f.line, f.column) not in said  # a 'NaN' read as missing fails as empty too: say it once
        }
    if problems:
        raise FigureSheetError(path, [(line or None, col, msg) for line, col, msg in sorted(problems)])
    row_problems = _row_problems(valid)
    if row_problems:
        raise FigureSheetError(path, row_problems)
    return valid


def read_sheet(path: str | Path) -> pd.DataFrame:
    """Read a figure sheet CSV as strings, without validating it.

    Returns:
        A dataframe of ``str`` columns named by the header row; empty cells (and cells of
        spaces only) are missing.

    Raises:
        FigureSheetError: the file is missing, not UTF-8, empty, or not parseable CSV
            (for instance a row with more fields than the header).
    """
    path = Path(path)
    try:
        # header=None makes pandas reject rows longer than the header instead of silently
        # turning the first column into the index.
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except FileNotFoundError:
        raise FigureSheetError(path, [(None, None, "no such file")]) from None
    except IsADirectoryError:
        raise FigureSheetError(path, [(None, None, "is a directory, not a CSV file")]) from None
    except UnicodeDecodeError as exc:
        raise FigureSheetError(path, [(None, None, f"not UTF-8 text (invalid byte at offset {exc.start})")]) from None
    except pd.errors.EmptyDataError:
        raise FigureSheetError(path, [(None, None, "is empty")]) from None
    except pd.errors.ParserError as exc:
        detail = str(exc).removeprefix("Error tokenizing data. C error: ").strip()
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
        if fields:
            want, line, got = map(int, fields.groups())
            detail = f"has {got} fields but the header has {want}"
            raise FigureSheetError(path, [(line, None, detail)]) from None
        raise FigureSheetError(path, [(None, None, f"not valid CSV: {detail}")]) from None
    header = [str(c).strip() if pd.notna(c) else "" for c in raw.iloc[0]]
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = header
    # A cell of spaces only is an empty cell, as it looks in a spreadsheet.
    return frame.replace(r"^\s+$", None, regex=True)


def load_figures(
    path: str | Path | None = None, *, topics: dict | list | None = None, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Load and validate a figure sheet.

    Args:
        path: CSV file; default the example story's sheet, ``data/article/figures.csv``.
        topics: the story's topic vocabulary (see :func:`validate_figures`); None allows any.
        sources: the story's sources (:func:`newsfigures.core.sources.load_sources`); when
            given, every row's ``source`` must be one of its keys.

    Returns:
        Tidy dataframe, one row per figure, columns and dtypes as in :data:`COLUMNS`:
        ``figure_id, topic, measure, unit, qualifier, attribution, surface, source`` str;
        ``value, lower, upper`` float64 (NaN where open); ``char_start, char_end`` Int64;
        ``as_of`` datetime64[ns]. Units are those in the ``unit`` column.

    Raises:
        FigureSheetError: one error naming the file, row and column of each problem (an
            unregistered source: the first such row and its key).
    """
    path = Path(path) if path is not None else paths.SHEET
    figures = validate_figures(read_sheet(path), path, topics)
    figures.attrs["path"] = str(path)  # so that the views' errors can name the file
    if sources is not None:
        from newsfigures.core.sources import check_sources

        check_sources(figures, sources, path)
    return figures


#: Units counted in people or things, drawn together on one log scale.
COUNT_UNITS = ("people", "count")


def is_money(unit) -> bool:
    """Whether a sheet unit is an ISO 4217 currency code (``USD``, ``EUR``)."""
    return isinstance(unit, str) and re.fullmatch(r"[A-Z]{3}", unit) is not None


def _view(figures: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    view = figures[keep].reset_index(drop=True)
    view.attrs = dict(figures.attrs)
    return view


def _smallest_first(view: pd.DataFrame) -> pd.DataFrame:
    size = view["value"].fillna(view["lower"]).fillna(view["upper"])
    order = size.sort_values(kind="stable").index
    out = view.loc[order].reset_index(drop=True)
    out.attrs = dict(view.attrs)
    return out


def counts(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the figures counted in people or things (unit ``people`` or ``count``).

    Returns:
        Those rows, same columns, smallest first by value (else lower, else upper bound),
        so a chart reads from the smallest up; empty (same columns) when there are none.
    """
    return _smallest_first(_view(figures, figures["unit"].isin(COUNT_UNITS)))


def shares(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the figures in percent (shares of a whole, 0-100), in sheet order; empty
    (same columns) when there are none."""
    return _view(figures, figures["unit"] == "percent")


def money(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the figures in a currency (unit an ISO 4217 code), smallest first; empty
    (same columns) when there are none. Amounts are in currency units, not millions."""
    return _smallest_first(_view(figures, figures["unit"].map(is_money).astype(bool)))


def estimate_series(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that form series: several rows sharing a ``measure`` (compared
    without case or surrounding spaces) that differ in ``as_of`` or ``source``.

    Returns:
        Those rows, same columns plus ``series`` (str, the measure as first written), in
        order of each series' first row, then ``as_of``, index 0..n-1; empty (same
        columns) when no measure has several estimates.

    Raises:
        ValueError: a column of ``measure, as_of, source`` is missing.
    """
    for column in ("measure", "as_of", "source"):
        if column not in figures.columns:
            raise ValueError(f"estimate_series: dataframe lacks column {column}")
    key = figures["measure"].astype(str).str.strip().str.casefold()
    name = figures["measure"].groupby(key, sort=False).transform("first")
    distinct = (
        figures.assign(_k=key)
        .groupby("_k", sort=False)[["as_of", "source"]]
        .apply(lambda g: len(g.drop_duplicates()) > 1)
    )
    keep = key.map(distinct).fillna(False).astype(bool) if len(figures) else key.astype(bool)
    out = figures[keep].assign(series=name[keep].astype("str"), _k=key[keep])
    first = {k: i for i, k in enumerate(dict.fromkeys(out["_k"]))}
    out = out.assign(_o=out["_k"].map(first)).sort_values(["_o", "as_of"], kind="stable")
    out = out.drop(columns=["_k", "_o"]).reset_index(drop=True)
    out.attrs = dict(figures.attrs)
    return out


def format_number(x: float, unit: str = "") -> str:
    """Format a figure's number for charts and tables: ``3,000``, ``1,000,000``, ``41.1%``.

    Args:
        x: the number (NaN gives an empty string).
        unit: the sheet's unit; ``percent`` appends ``%``.

    Returns:
        The number with thousands separators, whole numbers without decimals.
    """
    if pd.isna(x):
        return ""
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.10g}"
    return f"{text}%" if unit == "percent" else text


def _round_sig(x: float, digits: int = 2) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _in_words(x: float) -> str:
    """A number as a reader says it: ``200,000``, ``1 million``, ``2.5 billion``."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(x) >= size:
            return f"{x / size:,.3g} {word}"
    return f"{x:,.0f}"


def _amount(x: float, unit: str, *, rounded: bool = False) -> str:
    if is_currency(unit):
        return f"{unit} {_in_words(x) if abs(x) >= 1e6 or rounded else format_number(x)}"
    if rounded and unit != "percent":
        return _in_words(_round_sig(x))
    return format_number(x, unit)


def figure_label(row) -> str:
    """Say a figure in words from its qualifier and bounds: ``at least 3,000``,
    ``about 1,000,000``, ``nearly 12,000``, ``11,000 to 12,000``, ``41.1%``, money as
    ``USD 1.5 billion``; a vague magnitude (:attr:`Qualifier.vague`) in its printed words
    with its bounds rounded, ``hundreds of thousands (200,000 to 1 million)``. The one
    label of a figure, in tables, charts and alt text.

    Args:
        row: a row (Series or namedtuple) of a figure sheet or of the extractor's output
            (``qualifier, value, lower, upper, unit``; ``surface`` optional).

    Returns:
        A short phrase in the project's words (not the article's surface string, except
        for a vague magnitude, whose words are its only statement).
    """
    unit = row.unit if isinstance(row.unit, str) else ""
    qualifier = QUALIFIERS[row.qualifier]
    if qualifier.vague:
        lower, upper = (_amount(_round_sig(b), unit, rounded=True) for b in (row.lower, row.upper))
        span = f"{lower} to {upper}"
        words = getattr(row, "surface", None)
        return f"{words} ({span})" if isinstance(words, str) and words.strip() else span
    if qualifier.bounds == "span":
        return f"{_amount(row.lower, unit)} to {_amount(row.upper, unit)}"
    return f"{qualifier.label} {_amount(row.value, unit)}".strip()


def same_number(x, y, tolerance: float = 1e-6) -> bool:
    """Whether two bounds or values agree: both missing (None or NaN), or equal to a
    relative ``tolerance`` (absolute for numbers below 1)."""
    x_missing, y_missing = x is None or pd.isna(x), y is None or pd.isna(y)
    if x_missing or y_missing:
        return x_missing and y_missing
    return abs(float(x) - float(y)) <= tolerance * max(1.0, abs(float(y)))


def same_figure(a, b, tolerance: float = 1e-6) -> bool:
    """Whether two figures say the same thing: the same ``qualifier`` and, by
    :func:`same_number`, the same ``value``, ``lower`` and ``upper``.

    Args:
        a, b: rows (dicts, Series or namedtuples) with those four fields, from a sheet or
            from :func:`newsfigures.extract.extract_figures`.
    """

    def field(row, key):
        return row[key] if isinstance(row, dict) else getattr(row, key)

    return field(a, "qualifier") == field(b, "qualifier") and all(
        same_number(field(a, k), field(b, k), tolerance) for k in ("value", "lower", "upper")
    )
