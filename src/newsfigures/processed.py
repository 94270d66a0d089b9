"""The processed tidy tables the build writes to ``data/processed/`` for reuse outside Python.

Each table is a function of the inputs (the figure sheet, reference data); the build
writes them as CSV with stable formatting, so the same inputs give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .fileio import write_atomic
from .figures import brics_shares, force_sizes, load_figures


def tables(sheet: str | Path | None = None, reference: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Compute every processed table.

    Args:
        sheet: figure sheet CSV; default ``data/article/figures.csv``.
        reference: reference data folder; default ``data/reference/`` (not read yet).

    Returns:
        ``{name: dataframe}``: ``figures`` (the validated sheet), ``force_sizes`` and
        ``brics_shares`` (its views), columns as in :data:`newsfigures.figures.COLUMNS`.

    Raises:
        FigureSheetError: the sheet is invalid.
    """
    figures = load_figures(sheet)
    return {
        "figures": figures,
        "force_sizes": force_sizes(figures),
        "brics_shares": brics_shares(figures),
    }


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a table as UTF-8 CSV: no index, ``\\n`` line ends, ISO dates, numbers
    without trailing ``.0`` (``3000`` not ``3000.0``), missing values blank."""
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.15g", date_format="%Y-%m-%d")
    return text.encode("utf-8")


def write_tables(out_dir: str | Path, sheet: str | Path | None = None,
                 reference: str | Path | None = None) -> list[Path]:
    """Write every processed table to ``out_dir`` as ``<name>.csv``, atomically.

    Returns:
        The paths of the tables, in :func:`tables` order. Unchanged files are not rewritten.

    Raises:
        FigureSheetError: the sheet is invalid (nothing is written).
    """
    out_dir = Path(out_dir)
    computed = tables(sheet, reference)  # compute everything first: a bad input writes nothing
    written = []
    for name, frame in computed.items():
        path = out_dir / f"{name}.csv"
        write_atomic(path, to_csv_bytes(frame))
        written.append(path)
    return written
