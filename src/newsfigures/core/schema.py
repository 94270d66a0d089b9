"""Pandera's failure cases as the problems a user reads: ``(row, column, check, case)``.

The figure sheet and the sources file are both checked by a pandera schema; both turn its
failure cases into rows and columns of the CSV file the same way, here.
"""

from __future__ import annotations

from typing import NamedTuple


class Failure(NamedTuple):
    """One failed check: ``line`` is the CSV row (header = row 1), None for the whole
    file; ``column`` the column it names (for an unknown column, that column)."""

    line: int | None
    column: str
    check: str
    case: object
    checked_column: str


def plain(case: object) -> object:
    """A failure case as a Python value (``-5``, not ``np.int64(-5)``), so that a message
    formatting it with ``!r`` reads as the sheet does; other values are returned as given."""
    import numpy as np

    return case.item() if isinstance(case, np.generic) else case


def failures(exc, order: list[str]) -> list[Failure]:
    """The failure cases of a pandera ``SchemaErrors``, in file order (row, then the
    column's place in ``order``), cases as :func:`plain` makes them, without the checks a cell that could not be coerced
    to its dtype fails after that: its coercion is the one worth saying."""
    import pandas as pd

    out = []
    for c in exc.failure_cases.itertuples(index=False):
        index = None if pd.isna(c.index) else int(c.index)
        check = str(c.check)
        column = c.failure_case if check == "column_in_schema" else c.column
        out.append((index, str(column), check, plain(c.failure_case), str(c.column)))
    uncoerced = {(i, col) for i, _, check, _, col in out if check.startswith("coerce_dtype")}
    uncoerced_columns = {col for _, col in uncoerced}
    kept = [
        f
        for f in out
        if f[2].startswith("coerce_dtype")
        or ((f[0], f[4]) not in uncoerced and not (f[0] is None and f[4] in uncoerced_columns))
    ]
    place = {name: n for n, name in enumerate(order)}
    kept.sort(key=lambda f: (-1 if f[0] is None else f[0], place.get(f[4], -1), f[2]))
    return [Failure(None if i is None else i + 2, column, check, case, col) for i, column, check, case, col in kept]
