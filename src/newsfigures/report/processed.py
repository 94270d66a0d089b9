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

from newsfigures.core.figures import brics_shares, force_sizes, load_figures
from newsfigures.core.fileio import commit, discard, holds, stage

#: Formats written for every table, besides ``datapackage.json``.
FORMATS = ("csv", "parquet")
PACKAGE = "datapackage.json"


def _wdi_extract(figures, reference):
    from newsfigures.reference.shares import load_extract

    return load_extract(reference)


def _brics_membership(figures, reference):
    from newsfigures.reference.shares import load_membership

    return load_membership(reference)


def _brics_group_shares(figures, reference):
    from newsfigures.reference.shares import group_shares

    return group_shares(reference=reference)


def _brics_member_shares(figures, reference):
    from newsfigures.reference.shares import member_shares

    return member_shares(reference=reference)


def _armed_forces(figures, reference):
    from newsfigures.reference.shares import armed_forces

    return armed_forces(reference=reference)


def _fact_check(figures, reference):
    from newsfigures.reference.factcheck import fact_check

    return fact_check(figures, reference)


#: Table name -> function of (validated figure sheet, reference folder), in writing order.
BUILDERS: dict[str, Callable[[pd.DataFrame, str | Path | None], pd.DataFrame]] = {
    "figures": lambda figures, reference: figures,
    "force_sizes": lambda figures, reference: force_sizes(figures),
    "brics_shares": lambda figures, reference: brics_shares(figures),
    "wdi_extract": _wdi_extract,
    "brics_membership": _brics_membership,
    "brics_group_shares": _brics_group_shares,
    "brics_member_shares": _brics_member_shares,
    "armed_forces": _armed_forces,
    "fact_check": _fact_check,
}


def tables(sheet: str | Path | None = None, reference: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Compute every processed table.

    Args:
        sheet: figure sheet CSV; default ``data/article/figures.csv``.
        reference: reference data folder; default ``data/reference/``.

    Returns:
        ``{name: dataframe}`` in :data:`BUILDERS` order: ``figures`` (the validated sheet),
        ``force_sizes`` and ``brics_shares`` (its views), ``wdi_extract``,
        ``brics_membership``, ``brics_group_shares``, ``brics_member_shares``,
        ``armed_forces`` and ``fact_check``; columns as documented by the ``load_*``
        function of each name and in :data:`newsfigures.report.datapackage.TABLES`.

    Raises:
        FigureSheetError: the sheet is invalid.
        ReferenceDataError: the reference data is missing or invalid.
    """
    figures = load_figures(sheet)
    return {name: build(figures, reference) for name, build in BUILDERS.items()}


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


def package_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Serialise the Data Package descriptor of ``frames`` (see :mod:`newsfigures.report.datapackage`)."""
    from newsfigures.report.datapackage import package_descriptor

    text = json.dumps(package_descriptor(frames, FORMATS), indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def stage_tables(
    out_dir: str | Path, sheet: str | Path | None = None, reference: str | Path | None = None
) -> dict[Path, Path]:
    """Compute every processed table and write each file to a temporary file beside its
    target, without replacing anything yet.

    Returns:
        ``{target: temporary file}`` for each table (in :func:`tables` order) as CSV then
        Parquet, then ``datapackage.json``; pass it to :func:`newsfigures.core.fileio.commit`
        to rename them all into place (the build does so only once the report is
        rendered too), or to :func:`newsfigures.core.fileio.discard`. Targets whose contents
        are unchanged are left out, so they keep their modification times.

    Raises:
        FigureSheetError, ReferenceDataError: an input is invalid (nothing is written).
    """
    out_dir = Path(out_dir)
    computed = tables(sheet, reference)  # compute everything first: a bad input writes nothing
    payloads: dict[Path, bytes] = {}
    for name, frame in computed.items():
        payloads[out_dir / f"{name}.csv"] = to_csv_bytes(frame)
        payloads[out_dir / f"{name}.parquet"] = to_parquet_bytes(frame)
    payloads[out_dir / PACKAGE] = package_bytes(computed)
    staged: dict[Path, Path] = {}
    try:
        for path, data in payloads.items():
            if not holds(path, data):
                staged[path] = stage(path, data)
    except BaseException:
        discard(staged)
        raise
    return staged


def table_paths(out_dir: str | Path) -> list[Path]:
    """The files :func:`stage_tables` and :func:`write_tables` produce in ``out_dir``,
    in order (each table's CSV then Parquet, then ``datapackage.json``)."""
    out_dir = Path(out_dir)
    return [out_dir / f"{name}.{fmt}" for name in BUILDERS for fmt in FORMATS] + [out_dir / PACKAGE]


def write_tables(
    out_dir: str | Path, sheet: str | Path | None = None, reference: str | Path | None = None
) -> list[Path]:
    """Write every processed table to ``out_dir`` as ``<name>.csv`` and ``<name>.parquet``,
    and ``datapackage.json`` describing them, each file atomically.

    Returns:
        The paths of the tables (:func:`table_paths`). Unchanged files are not rewritten.

    Raises:
        FigureSheetError, ReferenceDataError: an input is invalid (nothing is written).
    """
    commit(stage_tables(out_dir, sheet, reference))
    return table_paths(out_dir)


def _load(name: str, sheet, reference) -> pd.DataFrame:
    return BUILDERS[name](load_figures(sheet), reference)


def load_force_sizes(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``force_sizes`` table: the sheet's force-size figures, smallest first
    (columns as :func:`newsfigures.core.figures.load_figures`).

    Raises:
        FigureSheetError: the sheet is invalid or has no force-size figures.
    """
    return _load("force_sizes", sheet, reference)


def load_brics_shares(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``brics_shares`` table: the sheet's BRICS share figures, unit percent
    (columns as :func:`newsfigures.core.figures.load_figures`).

    Raises:
        FigureSheetError: the sheet is invalid or has no BRICS share figures.
    """
    return _load("brics_shares", sheet, reference)


def load_wdi_extract(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``wdi_extract`` table: the WDI reference extract, columns ``release,
    iso3, country, indicator_code, method, source`` str, ``year`` int64, ``value`` float64
    (see :func:`newsfigures.reference.shares.load_extract`). Source: World Bank, WDI (CC BY 4.0).

    Raises:
        ReferenceDataError: the extract is missing or invalid.
    """
    return _load("wdi_extract", sheet, reference)


def load_brics_membership(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``brics_membership`` table: ``iso3, country, status, source`` str,
    ``from, to`` datetime64[ns] (see :func:`newsfigures.reference.load_membership`).

    Raises:
        ReferenceDataError: the membership file is missing or invalid.
    """
    return _load("brics_membership", sheet, reference)


def load_brics_group_shares(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``brics_group_shares`` table: ``group, group_label, members,
    indicator_code, measure, release`` str, ``year`` int64, ``share_pct`` float64 (percent
    of world), for BRICS-5, BRICS-9 and BRICS-9+SAU (see
    :func:`newsfigures.reference.group_shares`). Source: World Bank, WDI (CC BY 4.0).

    Raises:
        ReferenceDataError: the reference data is missing or invalid.
    """
    return _load("brics_group_shares", sheet, reference)


def load_brics_member_shares(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``brics_member_shares`` table: each member's value and share of world
    for BRICS-9 plus Saudi Arabia (see :func:`newsfigures.reference.member_shares`).
    Source: World Bank, WDI (CC BY 4.0).

    Raises:
        ReferenceDataError: the reference data is missing or invalid.
    """
    return _load("brics_member_shares", sheet, reference)


def load_armed_forces(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``armed_forces`` table: ``iso3, country`` str, ``year`` int64,
    ``personnel`` float64 (people), ``latest`` bool, for every area of the extract with
    data (see :func:`newsfigures.reference.armed_forces`). Source: World Bank, WDI (IISS).

    Raises:
        ReferenceDataError: the reference data is missing or invalid.
    """
    return _load("armed_forces", sheet, reference)


def load_fact_check(sheet: str | Path | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return the ``fact_check`` table: each checkable figure recomputed under every
    definition, columns as :data:`newsfigures.reference.factcheck.COLUMNS` (see
    :func:`newsfigures.reference.factcheck.fact_check`). Sources: World Bank, WDI; the article.

    Raises:
        FigureSheetError: the sheet is invalid.
        ReferenceDataError: the reference data is missing or invalid.
    """
    return _load("fact_check", sheet, reference)


#: ``newsfigures.load_<name>`` for every table (``load_figures`` is the sheet loader itself).
LOADERS: dict[str, Callable[..., pd.DataFrame]] = {
    "figures": load_figures,
    "force_sizes": load_force_sizes,
    "brics_shares": load_brics_shares,
    "wdi_extract": load_wdi_extract,
    "brics_membership": load_brics_membership,
    "brics_group_shares": load_brics_group_shares,
    "brics_member_shares": load_brics_member_shares,
    "armed_forces": load_armed_forces,
    "fact_check": load_fact_check,
}
