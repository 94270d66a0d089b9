"""Make a story folder from an article (``new``) and register more articles in it (``add``).

``new`` drafts the figure sheet by extraction, writes the sources file, a story file and
thin notebooks copied from the templates shipped in ``story_templates/``: a figures
section and one section per kind of figure the draft holds (counts, shares, money,
estimates over time). ``add`` appends another article's drafted figures and its sources
row, leaving every existing byte of both files as it was, and adds the sections the new
figures need. Everything is checked and staged first: an error writes nothing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsfigures.core.errors import StoryError
from newsfigures.core.fileio import commit, discard, stage
from newsfigures.core.stories import STORY_FILE, load_story, toml_string

TEMPLATES = Path(__file__).resolve().parent / "story_templates"
#: Section kinds in report order, each a template ``story_templates/<kind>.ipynb``.
KINDS = ("figures", "counts", "shares", "money", "estimates", "factcheck")
#: The command-line option that gives each column of an article's sources row.
OPTIONS = {"key": "--source", "outlet": "--outlet", "title": "--title", "published": "--published", "url": "--url"}
_GIVEN = "<the article given>"


@dataclass(frozen=True)
class Article:
    """What the command line says about one article."""

    text_file: Path
    key: str
    outlet: str
    title: str
    published: str
    url: str = ""
    #: The text itself when it came from standard input (``text_file`` is then ``-``): the
    #: story keeps it as ``articles/<key>.txt``, since no file of the user's holds it.
    text: str | None = None

    @property
    def name(self) -> str:
        """How messages name the article's text."""
        return "<stdin>" if self.text is not None else str(self.text_file)

    def kept_text_path(self) -> str:
        """Where the story keeps a text read from standard input, relative to its folder."""
        return f"articles/{self.key}.txt"


@dataclass(frozen=True)
class Scaffolded:
    """What :func:`new_story` or :func:`add_article` wrote.

    Attributes:
        folder: the story folder.
        figures: the rows drafted from the article (figure ids as written).
        notebooks: the notebooks written (names), in report order.
    """

    folder: Path
    figures: pd.DataFrame
    notebooks: list[str]


def _sources_row(article: Article, sources_file: Path) -> pd.DataFrame:
    from newsfigures.core.article import read_article, sha256_text
    from newsfigures.core.sources import validate_sources

    if article.text is not None:
        text, text_path = article.text, article.kept_text_path()
    else:
        text = read_article(article.text_file)
        text_file, home = Path(article.text_file).resolve(), sources_file.parent.resolve()
        # Relative when the user keeps the text in the story folder, so the folder can move.
        text_path = str(text_file.relative_to(home)) if text_file.is_relative_to(home) else str(text_file)
    frame = pd.DataFrame(
        [
            {
                "key": article.key,
                "outlet": article.outlet,
                "title": article.title,
                "published": article.published,
                "url": article.url or None,
                "sha256": sha256_text(text),
                "text_path": text_path,
            }
        ],
        dtype=object,
    )
    try:
        row = validate_sources(frame, _GIVEN)
    except StoryError as exc:
        # The citation came from the command line, not from a file: name the option.
        found = re.fullmatch(rf"{re.escape(_GIVEN)}, row 2, column '(\w+)': (.*)", str(exc))
        if found and found.group(1) in OPTIONS:
            raise StoryError(f"{OPTIONS[found.group(1)]}: {found.group(2)}") from None
        raise StoryError(str(exc).replace(_GIVEN, f"{sources_file} (the article given)")) from None
    row.attrs["text"] = text
    return row


def _draft(text: str, article: Article) -> pd.DataFrame:
    from newsfigures.core.errors import FigureSheetError
    from newsfigures.extract.reconcile import draft_sheet
    from newsfigures.extract.rules import extract_figures

    found = extract_figures(text)
    if found.empty:
        raise FigureSheetError(article.name, [(None, None, "the text has no figures to draft a sheet from")])
    return draft_sheet(found, article.key, article.published)


def _kinds(figures: pd.DataFrame, n_sources: int, checks: bool = False) -> list[str]:
    from newsfigures.core.figures import counts, estimate_series, money, shares

    present = {
        "figures": True,
        "counts": not counts(figures).empty,
        "shares": not shares(figures).empty,
        "money": not money(figures).empty,
        # A second article is the usual reason for a series, even before its rows share a measure.
        "estimates": n_sources > 1 or not estimate_series(figures).empty,
        # Only a story whose story file names a checks file has figures to fact-check.
        "factcheck": checks,
    }
    return [k for k in KINDS if present[k]]


def _notebook_bytes(kind: str) -> bytes:
    return (TEMPLATES / f"{kind}.ipynb").read_bytes()


def _sheet_csv(figures: pd.DataFrame, header: bool = True) -> str:
    return figures.to_csv(index=False, header=header, lineterminator="\n", float_format="%.15g", date_format="%Y-%m-%d")


def _story_toml(title: str, notebooks: list[str]) -> str:
    lines = [
        "# A newsfigures story: `python -m newsfigures build --story <this folder>` makes its report.",
        "# Paths are relative to this file; the defaults are figures.csv, sources.csv, notebooks/,",
        "# reports/ (report.html, report.pdf) and processed/ (the tidy tables).",
        f"title = {toml_string(title)}",
        "",
    ]
    return "\n".join(lines + [_section(name) for name in notebooks])


def _section(notebook: str) -> str:
    return f'[[sections]]\nnotebook = "{notebook}"\n'


def new_story(folder: str | Path, article: Article) -> Scaffolded:
    """Create a story folder from one article.

    Writes ``folder/figures.csv`` (drafted by extraction: ``source`` the article's key,
    ``as_of`` its publication date), ``sources.csv`` (its citation, the SHA-256 of its text
    and the text's path relative to the folder), ``story.toml`` (the report title, the
    sections) and ``notebooks/NN_<kind>.ipynb``.

    Raises:
        StoryError: ``folder`` exists and is not an empty folder, or the citation is bad
            (key, date: the message names its option, ``--published``); nothing is written.
        ArticleError: the article cannot be read; FigureSheetError: it has no figures.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StoryError(f"{folder}: already exists and is not an empty folder; new makes a new story folder")
    source = _sources_row(article, folder.resolve() / "sources.csv")
    draft = _draft(source.attrs["text"], article)
    kinds = _kinds(draft, 1)
    notebooks = [f"{i:02d}_{kind}.ipynb" for i, kind in enumerate(kinds, 1)]
    from newsfigures.core.sources import sources_csv

    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        (temp / "figures.csv").write_text(_sheet_csv(draft), encoding="utf-8")
        # The text path was worked out from the final folder; the temporary one is beside it.
        (temp / "sources.csv").write_text(sources_csv(source), encoding="utf-8")
        (temp / STORY_FILE).write_text(_story_toml(f"{article.title}: the figures as data", notebooks), "utf-8")
        (temp / "notebooks").mkdir()
        for name, kind in zip(notebooks, kinds):
            (temp / "notebooks" / name).write_bytes(_notebook_bytes(kind))
        if article.text is not None:
            kept = temp / article.kept_text_path()
            kept.parent.mkdir()
            kept.write_text(article.text, encoding="utf-8")
        os.chmod(temp, 0o755)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(temp, folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return Scaffolded(folder, draft, notebooks)


def _next_ids(existing: pd.Series, n: int) -> list[str]:
    numbers = [int(m.group(1)) for m in existing.map(lambda x: re.fullmatch(r"figure_(\d+)", x)) if m]
    start = max(numbers, default=len(existing)) + 1
    width = max(2, len(str(start + n - 1)))
    taken, ids, number = set(existing), [], start
    while len(ids) < n:
        candidate = f"figure_{number:0{width}d}"
        if candidate not in taken:
            ids.append(candidate)
        number += 1
    return ids


def _appended(path: Path, text: str) -> bytes:
    """The bytes of ``path`` with ``text`` after them (a line end first if it lacks one)."""
    old = path.read_bytes()
    if old and not old.endswith(b"\n"):
        old += b"\n"
    return old + text.encode("utf-8")


def add_article(folder: str | Path, article: Article) -> Scaffolded:
    """Register another article in a story and append its drafted figures.

    The sheet and sources file get new rows at their ends (figure ids continue from the
    sheet's last ``figure_NN``); nothing already in them changes. Sections the story lacks
    for the kinds of figures it now holds are added, and an estimates section once the
    story has two articles.

    Raises:
        StoryError: the story is invalid, the key or the text is already registered, or
            the citation is bad (the message names its option); nothing is written.
        ArticleError: the article cannot be read; FigureSheetError: it has no figures, or
            the story's sheet is invalid.
    """
    from newsfigures.core.figures import load_figures, read_sheet, validate_figures
    from newsfigures.core.sources import COLUMNS, check_sources, load_sources

    story = load_story(folder)
    sources = load_sources(story.sources)
    if article.key in set(sources["key"]):
        line = int(sources.index[sources["key"] == article.key][0]) + 2
        raise StoryError(f"{story.sources}, row {line}: key {article.key!r} is already registered; choose another")
    figures = load_figures(story.figures, topics=story.topics, sources=sources)
    source = _sources_row(article, story.sources)
    same = sources.index[sources["sha256"] == source["sha256"].iloc[0]]
    if len(same):
        key, line = sources.at[same[0], "key"], int(same[0]) + 2
        raise StoryError(f"{article.name}: this text is already registered as {key!r} ({story.sources}, row {line})")
    draft = _draft(source.attrs["text"], article)
    draft["figure_id"] = _next_ids(figures["figure_id"], len(draft))
    sheet_bytes = _appended(story.figures, _sheet_csv(draft[list(read_sheet(story.figures).columns)], header=False))
    sources_bytes = _appended(
        story.sources,
        source[COLUMNS].to_csv(index=False, header=False, lineterminator="\n", date_format="%Y-%m-%d"),
    )
    # The merged files must load as they will be read: check them before writing anything.
    merged = validate_figures(
        pd.read_csv(io.BytesIO(sheet_bytes), dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"),
        story.figures,
        story.topics,
    )
    check_sources(merged, pd.concat([sources, source], ignore_index=True), story.figures)
    have = {s.notebook.split("_", 1)[-1].removesuffix(".ipynb") for s in story.sections}
    number = max((int(s.notebook[:2]) for s in story.sections if s.notebook[:2].isdigit()), default=0)
    added = []
    for kind in _kinds(merged, len(sources) + 1, story.checks is not None):
        if kind not in have:
            number += 1
            added.append((f"{number:02d}_{kind}.ipynb", kind))
    staged, made = {}, None
    try:
        staged[story.figures] = stage(story.figures, sheet_bytes)
        staged[story.sources] = stage(story.sources, sources_bytes)
        if article.text is not None:
            kept = story.root / article.kept_text_path()
            if kept.exists():
                raise StoryError(f"{kept}: exists already; the text from standard input would be kept there")
            if not kept.parent.is_dir():
                kept.parent.mkdir()
                made = kept.parent
            staged[kept] = stage(kept, article.text.encode("utf-8"))
        for name, kind in added:
            target = story.notebooks / name
            if target.exists():
                raise StoryError(f"{target}: exists but is not a section of {story.path}; rename it or add the section")
            staged[target] = stage(target, _notebook_bytes(kind))
        if added:
            text = story.path.read_text(encoding="utf-8")
            text += ("" if text.endswith("\n") else "\n") + "".join("\n" + _section(n) for n, _ in added)
            staged[story.path] = stage(story.path, text.encode("utf-8"))
    except BaseException:
        discard(staged)
        if made is not None:
            made.rmdir()
        raise
    commit(staged)
    return Scaffolded(story.root, draft, [n for n, _ in added])


def describe(result: Scaffolded) -> str:
    """One line saying what :func:`new_story` or :func:`add_article` wrote."""
    ids = list(result.figures["figure_id"])
    span = f"{ids[0]} to {ids[-1]}" if len(ids) > 1 else ids[0]
    sections = f"; sections: {', '.join(result.notebooks)}" if result.notebooks else ""
    return f"{result.folder}: {len(ids)} figures drafted ({span}){sections}"
