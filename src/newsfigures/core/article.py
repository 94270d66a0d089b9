"""The article a figure sheet was read from: its citation metadata and its text.

The text itself is input, never committed: :func:`read_article` reads it from a file
the user names and checks that it is readable UTF-8 prose of a sane size.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsfigures.core import paths
from newsfigures.core.errors import ArticleError

#: Largest article accepted by :func:`read_article`, in bytes. News articles are tens of
#: kilobytes; a larger file is almost certainly the wrong file.
MAX_ARTICLE_BYTES = 5_000_000


@dataclass(frozen=True)
class ArticleMetadata:
    """Citation of one article: who published it, when, and a hash of the text read."""

    source: str
    outlet: str
    title: str
    published: date
    url: str
    sha256: str
    characters: int

    def citation(self) -> str:
        """Return a one-line citation: outlet, title in curly quotes, and date, e.g.
        ``NBC News, “…”, 24 October 2024``."""
        when = f"{self.published.day} {self.published:%B %Y}"
        return f"{self.outlet}, \u201c{self.title}\u201d, {when}"


def load_article_metadata(path: str | Path | None = None) -> ArticleMetadata:
    """Load the article's citation metadata.

    Args:
        path: a JSON file with keys ``source, outlet, title, published`` (ISO date),
            ``url`` and ``text.sha256``, ``text.characters``; default
            ``data/article/article.json``.

    Returns:
        An :class:`ArticleMetadata`.

    Raises:
        ArticleError: the file is missing, not JSON, or lacks a key.
    """
    path = Path(path) if path is not None else paths.ARTICLE_METADATA
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ArticleMetadata(
            source=raw["source"],
            outlet=raw["outlet"],
            title=raw["title"],
            published=date.fromisoformat(raw["published"]),
            url=raw["url"],
            sha256=raw["text"]["sha256"],
            characters=int(raw["text"]["characters"]),
        )
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read article metadata ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ArticleError(f"{path}: missing or malformed key {exc}") from None


def read_article(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Read an article's text.

    Args:
        path: a plain-text file, UTF-8 (a byte-order mark is dropped).
        max_bytes: refuse files larger than this many bytes.

    Returns:
        The text as ``str``; offsets in figure sheets index into this string.

    Raises:
        ArticleError: the file is missing, a directory, larger than ``max_bytes``,
            binary (contains NUL bytes), not valid UTF-8, or holds only whitespace.
            The message names the file.
    """
    import stat

    path = Path(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ArticleError(f"{path}: is a directory, not an article file")
        if not stat.S_ISREG(mode):
            # A device (/dev/zero) never ends and a FIFO with no writer blocks for ever.
            raise ArticleError(f"{path}: is not a regular file (a device, FIFO or socket); give a file or - for stdin")
        # Opened without blocking (a file swapped for a FIFO after the check), read to the limit plus one byte.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ArticleError(f"{path}: is not a regular file")
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ArticleError(f"{path}: is larger than the {max_bytes:,}-byte limit for an article")
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_article(data, path, max_bytes)


def decode_article(data: bytes, name: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Check and decode an article's bytes, read from a file or standard input.

    Args:
        data: the bytes read (for a stream, read at most ``max_bytes + 1`` of them).
        name: what to call the input in messages (a path, ``<stdin>``).
        max_bytes: refuse more bytes than this.

    Returns:
        The text as ``str`` (a UTF-8 byte-order mark is dropped).

    Raises:
        ArticleError: more than ``max_bytes``, binary (NUL bytes), not valid UTF-8, or
            only whitespace. The message names the input.
    """
    if len(data) > max_bytes:
        raise ArticleError(f"{name}: is larger than the {max_bytes:,}-byte limit for an article")
    if b"\x00" in data:
        raise ArticleError(f"{name}: looks binary (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise ArticleError(f"{name}: is empty")
    return text


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8 (the hash kept in the metadata)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
