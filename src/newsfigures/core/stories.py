"""A story: a folder of data that becomes one report.

A story folder holds a figure sheet (``figures.csv``), a sources file (``sources.csv``,
one row per article, :mod:`newsfigures.core.sources`), thin notebooks (``notebooks/NN_*.ipynb``)
and a story file, ``story.toml``, that says how they make a report::

    title = "The report's title"
    # Paths are relative to the story file; these are the defaults.
    figures = "figures.csv"
    sources = "sources.csv"
    notebooks = "notebooks"
    reports = "reports"        # where build writes report.html and report.pdf
    processed = "processed"    # where build writes the tidy tables
    # reference = "..."        # a reference folder (World Bank extract); optional
    # checks = "..."           # which figures the reference data checks; optional
    # description = "..."      # one paragraph describing the tables, for datapackage.json

    [context]                  # optional: what the reference tables and context sections compare
    groups = ["BRICS-5", "BRICS-9"]

    [topics]                   # optional: the sheet's topic vocabulary, topic = meaning
    troops = "people sent or under arms"

    [[sections]]               # the report's sections, in order
    notebook = "01_figures.ipynb"

    [[sections]]
    notebook = "02_context.ipynb"
    countries = ["PRK", "KOR"] # anything else is the section's own settings

:func:`load_story` reads and checks it. The story file names no code: the same library
builds every story.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from newsfigures.core.errors import StoryError

STORY_FILE = "story.toml"

#: Story-file key -> (default path relative to the story file, or None when optional).
PATH_KEYS: dict[str, str | None] = {
    "figures": "figures.csv",
    "sources": "sources.csv",
    "notebooks": "notebooks",
    "reports": "reports",
    "processed": "processed",
    "reference": None,
    "checks": None,
}
_TEXT_KEYS = ("title", "description")


@dataclass(frozen=True)
class Section:
    """One section of the report: a notebook and the settings the story gives it."""

    notebook: str
    settings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """A story file, read: absolute paths, the title and the sections in order.

    Attributes:
        path: the story file.
        title: the report's title.
        description: one paragraph on the story, for the data package ("" when not given).
        figures, sources, notebooks, reports, processed: absolute paths.
        reference, checks: absolute paths, or None when the story has none.
        topics: the sheet's topic vocabulary (topic -> meaning), or None for any topic.
        context: the ``[context]`` settings: what the reference tables and the context
            sections compare (``groups``, ``breakdown_group``, ``compared_countries``, ...).
        sections: the report's sections, in order.
    """

    path: Path
    title: str
    description: str
    figures: Path
    sources: Path
    notebooks: Path
    reports: Path
    processed: Path
    reference: Path | None
    checks: Path | None
    topics: dict[str, str] | None
    context: dict
    sections: tuple[Section, ...]

    @property
    def root(self) -> Path:
        """The story folder (the story file's folder)."""
        return self.path.parent

    def section(self, notebook: str) -> dict:
        """Return the settings of the section whose notebook is ``notebook`` (a file name,
        with or without ``.ipynb``).

        Raises:
            StoryError: the story has no such section.
        """
        name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
        for section in self.sections:
            if section.notebook == name:
                return dict(section.settings)
        listed = ", ".join(s.notebook for s in self.sections) or "none"
        raise StoryError(f"{self.path}: no section with notebook {name!r} (sections: {listed})")

    def notebook_paths(self) -> list[Path]:
        """The sections' notebooks, in report order (absolute paths)."""
        return [self.notebooks / s.notebook for s in self.sections]


def story_file(path: str | Path) -> Path:
    """The story file for ``path``: the file itself, or ``story.toml`` in a folder."""
    path = Path(path)
    return path / STORY_FILE if path.is_dir() else path


def load_story(path: str | Path) -> Story:
    """Read a story file.

    Args:
        path: the story file, or the story folder holding ``story.toml``.

    Returns:
        A :class:`Story` with absolute paths (relative ones resolved against the story file's folder).

    Raises:
        StoryError: the file is missing, not TOML, or a key has the wrong type; a section
            lacks its notebook or names one twice. The message names the file and key.
    """
    path = story_file(path).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoryError(f"{path}: no such story file (a story folder holds {STORY_FILE})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoryError(f"{path}: cannot read the story file ({getattr(exc, 'strerror', None) or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(f"{path}: not valid TOML ({exc})") from None
    known = set(PATH_KEYS) | set(_TEXT_KEYS) | {"topics", "context", "sections"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise StoryError(f"{path}: unknown key {unknown[0]!r} (a story file has: {', '.join(sorted(known))})")
    for key in (*PATH_KEYS, *_TEXT_KEYS):
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            raise StoryError(f"{path}: key {key!r} must be a non-empty string")
    if "title" not in raw:
        raise StoryError(f"{path}: key 'title' is required (the report's title)")
    paths = {
        key: (path.parent / raw.get(key, default)).resolve() if raw.get(key, default) else None
        for key, default in PATH_KEYS.items()
    }
    topics = raw.get("topics")
    if topics is not None and not (isinstance(topics, dict) and all(isinstance(v, str) for v in topics.values())):
        raise StoryError(f"{path}: [topics] must map each topic to a string saying what it holds")
    context = raw.get("context", {})
    if not isinstance(context, dict):
        raise StoryError(f"{path}: [context] must be a table of settings")
    sections, seen = [], set()
    entries = raw.get("sections", [])
    if not isinstance(entries, list):
        raise StoryError(f"{path}: 'sections' must be an array of tables ([[sections]])")
    for number, entry in enumerate(entries, 1):
        notebook = entry.get("notebook") if isinstance(entry, dict) else None
        if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or "/" in notebook:
            raise StoryError(
                f'{path}: section {number} needs notebook = "NN_name.ipynb" (a file in the notebooks folder)'
            )
        if notebook in seen:
            raise StoryError(f"{path}: section {number} names {notebook!r} a second time")
        seen.add(notebook)
        sections.append(Section(notebook, {k: v for k, v in entry.items() if k != "notebook"}))
    return Story(
        path=path,
        title=raw["title"],
        description=raw.get("description", ""),
        topics=dict(topics) if topics is not None else None,
        context=dict(context),
        sections=tuple(sections),
        **paths,
    )


def toml_string(text: str) -> str:
    """Quote ``text`` as a TOML basic string (for writing story files)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


@dataclass(frozen=True)
class StoryData:
    """A story read with its data: the story file, the validated sheet and sources."""

    story: Story
    figures: object  #: the validated figure sheet (DataFrame)
    sources: object  #: the validated sources (DataFrame)


def open_story(path: str | Path, sheet: str | Path | None = None) -> StoryData:
    """Read a story file, its sources file and its figure sheet, each validated, and
    check that every figure's source is registered.

    Args:
        path: the story file or folder.
        sheet: a figure sheet to use instead of the story's own.

    Returns:
        A :class:`StoryData`: ``figures`` as :func:`newsfigures.core.figures.load_figures`
        returns them, ``sources`` as :func:`newsfigures.core.sources.load_sources`.

    Raises:
        StoryError: the story file or the sources file is missing or invalid.
        FigureSheetError: the sheet is invalid or a row's source is not registered.
    """
    from newsfigures.core.figures import load_figures
    from newsfigures.core.sources import load_sources

    story = load_story(path)
    sources = load_sources(story.sources)
    figures = load_figures(sheet if sheet is not None else story.figures, topics=story.topics, sources=sources)
    return StoryData(story, figures, sources)
