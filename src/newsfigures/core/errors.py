"""Exceptions raised by newsfigures.

Every error a user can cause with bad input derives from :class:`NewsfiguresError`;
the command line prints its message on one line and exits non-zero instead of
showing a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path


class NewsfiguresError(Exception):
    """Base class for errors caused by input data, files or a failed build."""

    @classmethod
    def relayed(cls, message: str) -> NewsfiguresError:
        """Return this kind of error carrying ``message``, for an error raised in a
        Jupyter kernel and raised again in the build. A relayed error has the message
        only: its other attributes keep their class defaults."""
        error = cls.__new__(cls)
        Exception.__init__(error, message)
        return error


def relay(ename: str | None, evalue: str | None) -> NewsfiguresError | None:
    """Rebuild a newsfigures error that a kernel reported by class name and message.

    Returns:
        An instance of the named :class:`NewsfiguresError` subclass (searched among
        this package's errors), or None when ``ename`` names no such class.
    """
    if not ename:
        return None
    pending, found = [NewsfiguresError], None
    while pending:
        cls = pending.pop()
        if cls.__name__ == ename:
            found = cls
            break
        pending.extend(cls.__subclasses__())
    return found.relayed(evalue or "") if found else None


#: Problems a :class:`FigureSheetError` message lists (all are in ``problems``).
MAX_PROBLEMS_SHOWN = 10


class FigureSheetError(NewsfiguresError, ValueError):
    """A figure sheet failed validation.

    Attributes:
        path: the sheet's file path (or ``"<dataframe>"`` for an in-memory frame).
        problems: one ``(line, column, message)`` tuple per problem; ``line`` is the
            1-based line number in the CSV file (the header is line 1), ``None`` for
            problems of the whole sheet such as a missing column. Empty for an error
            relayed from a kernel (:meth:`NewsfiguresError.relayed`), whose message
            still names them.
    """

    path: str = ""
    problems: list = []

    def __init__(self, path: str | Path, problems: list[tuple[int | None, str | None, str]]):
        self.path = str(path)
        self.problems = problems
        parts, said = [], set()
        for line, column, message in problems[:MAX_PROBLEMS_SHOWN]:
            # Many cells failing one vocabulary would repeat it each time: say it once.
            found = re.fullmatch(r"(.*) (\((?:expected|a figure sheet has)\b.*\))", message)
            if found and found.group(2) in said:
                message = found.group(1)
            elif found:
                said.add(found.group(2))
            parts.append(f"{where(self.path, line, column)}: {message}")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            # A sheet of thousands of bad rows would otherwise make a line of megabytes.
            parts.append(f"and {len(problems) - MAX_PROBLEMS_SHOWN:,} more problems")
        super().__init__("; ".join(parts))


class StoryError(NewsfiguresError, ValueError):
    """A story folder, its story file or its sources file is missing or malformed, or a
    command would overwrite one (the message names the file, and the row and column)."""


def where(path: str | Path, line: int | None = None, column: str | None = None) -> str:
    """``path``, ``path, row 3`` or ``path, row 3, column 'source'``: the place an error names."""
    text = str(path) if line is None else f"{path}, row {line}"
    return text + (f", column '{column}'" if column is not None else "")


class ArticleError(NewsfiguresError, ValueError):
    """An article file is missing, unreadable, not UTF-8 text, empty or too large."""


class ReferenceDataError(NewsfiguresError, ValueError):
    """Reference data is missing, malformed, or lacks a requested code, release or year."""


class MissingValuesError(ReferenceDataError):
    """A share or total needs values the extract does not have.

    Attributes:
        missing: the ISO3 codes without a value (empty when relayed from a kernel).
    """

    missing: list = []

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class BuildError(NewsfiguresError, RuntimeError):
    """The report build failed; the message names the stage (and notebook and cell)."""
