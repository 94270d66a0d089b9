"""Exceptions raised by newsfigures.

Every error a user can cause with bad input derives from :class:`NewsfiguresError`;
the command line prints its message on one line and exits non-zero instead of
showing a traceback.
"""

from __future__ import annotations

from pathlib import Path


class NewsfiguresError(Exception):
    """Base class for errors caused by input data, files or a failed build."""


class FigureSheetError(NewsfiguresError, ValueError):
    """A figure sheet failed validation.

    Attributes:
        path: the sheet's file path (or ``"<dataframe>"`` for an in-memory frame).
        problems: one ``(line, column, message)`` tuple per problem; ``line`` is the
            1-based line number in the CSV file (the header is line 1), ``None`` for
            problems of the whole sheet such as a missing column.
    """

    def __init__(self, path: str | Path, problems: list[tuple[int | None, str | None, str]]):
        self.path = str(path)
        self.problems = problems
        parts = []
        for line, column, message in problems:
            where = self.path if line is None else f"{self.path}, row {line}"
            if column is not None:
                where += f", column '{column}'"
            parts.append(f"{where}: {message}")
        super().__init__("; ".join(parts))


class ArticleError(NewsfiguresError, ValueError):
    """An article file is missing, unreadable, not UTF-8 text, empty or too large."""


class ReferenceDataError(NewsfiguresError, ValueError):
    """Reference data is missing, malformed, or lacks a requested code, release or year."""


class BuildError(NewsfiguresError, RuntimeError):
    """The report build failed; the message names the stage (and notebook and cell)."""
