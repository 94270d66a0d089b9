"""The processed tidy tables the build writes to ``data/processed/`` for reuse outside Python.

Each table is a function of the inputs (the figure sheet, the reference folder); the
build writes each as CSV and as Parquet, with stable formatting, so the same inputs give
byte-identical files, plus a Frictionless ``datapackage.json`` describing them all
(types, units, descriptions, sources, licences; see :mod:`newsfigures.report.datapackage`).

The ``load_*`` functions return the same tables computed from the inputs, without a
build; they are also available as ``newsfigures.load_*``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from newsfigures.core.figures import load_figures
from newsfigures.core.fileio import commit, discard, holds, stage
from newsfigures.report.catalog import TABLES, Inputs, table_names

#: Formats written for every table, besides ``datapackage.json``.
FORMATS = ("csv", "parquet")
PACKAGE = "datapackage.json"


def story_inputs(
    story: str | Path | None = None, *, sheet: str | Path | None = None, reference: str | Path | None = None
) -> Inputs:
    """Read a story's data for the tables: its sheet (checked against its sources), its
    sources, reference folder, checks and ``[context]`` settings.

    Args:
        story: a story file or folder; default the example story (``data/story.toml``).
        sheet, reference: use these instead of the story's own.

    Raises:
        StoryError: the story file or its sources file is invalid.
        FigureSheetError: the sheet is invalid or names an unregistered source.
    """
    from newsfigures.core import paths
    from newsfigures.core.stories import open_story

    data = open_story(story if story is not None else paths.STORY, sheet)
    told = data.story
    reference = Path(reference) if reference is not None else told.reference
    if told.checks is not None and reference is None:
        reference = paths.REFERENCE_DIR
    return Inputs(data.figures, data.sources, reference, told.checks, dict(told.context))


def tables(
    story: str | Path | None = None, *, sheet: str | Path | None = None, reference: str | Path | None = None
) -> dict[str, pd.DataFrame]:
    """Compute every processed table of a story.

    Args:
        story, sheet, reference: as for :func:`story_inputs`.

    Returns:
        ``{name: dataframe}`` in :data:`newsfigures.report.catalog.TABLES` order, for the
        tables the story has inputs for (the reference tables need a reference folder, the
        fact-check a checks file too); columns as documented in the catalogue.

    Raises:
        StoryError, FigureSheetError: the story, its sources or its sheet is invalid.
        ReferenceDataError: the reference data is missing or invalid.
    """
    inputs = story_inputs(story, sheet=sheet, reference=reference)
    return {name: TABLES[name].build(inputs) for name in table_names(inputs)}


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a table as UTF-8 CSV: no index, ``\\n`` line ends, ISO dates, numbers
    without trailing ``.0`` (``3000`` not ``3000.0``), missing values blank."""
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.15g", date_format="%Y-%m-%d")
    return text.encode("utf-8")


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a table as Parquet (zstd), byte-identical for identical frames.

    No index is stored. Date columns (datetime64; the processed tables hold dates only)
    are written as Parquet dates (``date32``), which Arrow, R and DuckDB read as dates;
    pandas reads them as ``datetime.date`` objects. Other dtypes read back as written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = frame.copy(deep=False)
    frame.attrs = {}  # pyarrow would store attrs (the sheet's local path) in the file
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, column in enumerate(table.schema):
        if pa.types.is_timestamp(column.type):
            table = table.set_column(i, column.name, table.column(i).cast(pa.date32()))
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", compression_level=9)
    return buffer.getvalue()


def package_bytes(frames: dict[str, pd.DataFrame], story=None, sources: pd.DataFrame | None = None) -> bytes:
    """Serialise the Data Package descriptor of ``frames`` (see :mod:`newsfigures.report.datapackage`)."""
    from newsfigures.report.datapackage import package_descriptor

    text = json.dumps(package_descriptor(frames, FORMATS, story=story, sources=sources), indent=2, ensure_ascii=False)
    text += "\n"
    return text.encode("utf-8")


def stage_tables(
    out_dir: str | Path,
    story: str | Path | None = None,
    *,
    sheet: str | Path | None = None,
    reference: str | Path | None = None,
) -> tuple[dict[Path, Path], list[Path]]:
    """Compute a story's processed tables and write each file to a temporary file beside
    its target, without replacing anything yet.

    Returns:
        ``(staged, paths)``: ``staged`` is ``{target: temporary file}`` for each table
        (in :func:`tables` order) as CSV then Parquet, then ``datapackage.json``; pass it
        to :func:`newsfigures.core.fileio.commit`
        to rename them all into place (the build does so only once the report is
        rendered too), or to :func:`newsfigures.core.fileio.discard`. Targets whose contents
        are unchanged are left out, so they keep their modification times. ``paths`` are
        all the story's table files (:func:`table_paths`), changed or not.

    Raises:
        StoryError, FigureSheetError, ReferenceDataError: an input is invalid (nothing is written).
    """
    from newsfigures.core import paths
    from newsfigures.core.stories import load_story

    out_dir = Path(out_dir)
    told = load_story(story if story is not None else paths.STORY)
    inputs = story_inputs(told.path, sheet=sheet, reference=reference)
    # Compute everything first: a bad input writes nothing.
    computed = {name: TABLES[name].build(inputs) for name in table_names(inputs)}
    payloads: dict[Path, bytes] = {}
    for name, frame in computed.items():
        payloads[out_dir / f"{name}.csv"] = to_csv_bytes(frame)
        payloads[out_dir / f"{name}.parquet"] = to_parquet_bytes(frame)
    payloads[out_dir / PACKAGE] = package_bytes(computed, told, inputs.sources)
    staged: dict[Path, Path] = {}
    try:
        for path, data in payloads.items():
            if not holds(path, data):
                staged[path] = stage(path, data)
    except BaseException:
        discard(staged)
        raise
    return staged, table_paths(out_dir, list(computed))


def table_paths(out_dir: str | Path, names: list[str]) -> list[Path]:
    """The files :func:`stage_tables` and :func:`write_tables` produce in ``out_dir`` for
    the tables ``names``, in order (each table's CSV then Parquet, then ``datapackage.json``)."""
    out_dir = Path(out_dir)
    return [out_dir / f"{name}.{fmt}" for name in names for fmt in FORMATS] + [out_dir / PACKAGE]


def write_tables(
    out_dir: str | Path,
    story: str | Path | None = None,
    *,
    sheet: str | Path | None = None,
    reference: str | Path | None = None,
) -> list[Path]:
    """Write a story's processed tables to ``out_dir`` as ``<name>.csv`` and
    ``<name>.parquet``, and ``datapackage.json`` describing them, each file atomically.

    Returns:
        The paths of the tables (:func:`table_paths`). Unchanged files are not rewritten.

    Raises:
        StoryError, FigureSheetError, ReferenceDataError: an input is invalid (nothing is written).
    """
    staged, written = stage_tables(out_dir, story, sheet=sheet, reference=reference)
    commit(staged)
    return written


def _loader(name: str) -> Callable[..., pd.DataFrame]:
    entry = TABLES[name]

    def load(
        story: str | Path | None = None, *, sheet: str | Path | None = None, reference: str | Path | None = None
    ) -> pd.DataFrame:
        return entry.build(story_inputs(story, sheet=sheet, reference=reference))

    load.__name__ = load.__qualname__ = f"load_{name}"
    load.__doc__ = (
        f"Return the ``{name}`` table ({entry.title}) of a story: {entry.description}\n\n"
        "Args:\n    story: a story file or folder; default the example story (``data/story.toml``).\n"
        "    sheet, reference: use these instead of the story's own.\n\n"
        "Returns:\n    A DataFrame with the columns the data package describes "
        f"(``newsfigures.report.catalog.TABLES[{name!r}]``).\n\n"
        "Raises:\n    StoryError, FigureSheetError: the story, its sources or its sheet is invalid.\n"
        "    ReferenceDataError: the reference data is missing or invalid.\n"
    )
    return load


#: ``newsfigures.load_<name>`` for every table (``load_figures`` is the sheet loader itself).
LOADERS: dict[str, Callable[..., pd.DataFrame]] = {
    name: load_figures if name == "figures" else _loader(name) for name in TABLES
}
