"""An article's text: read from a file the user names, checked, hashed.

The text itself is input, never committed: :func:`read_article` reads it and checks that
it is readable UTF-8 prose of a sane size. Its citation lives in the story's sources file
(:mod:`newsfigures.core.sources`), with the SHA-256 :func:`sha256_text` gives.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from newsfigures.core.errors import ArticleError

#: Largest article accepted by :func:`read_article`, in bytes. News articles are tens of
#: kilobytes; a larger file is almost certainly the wrong file.
MAX_ARTICLE_BYTES = 5_000_000


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
            raise ArticleError(f"{path}: is not a regular file (a device, FIFO or socket)")
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
    """Return the hex SHA-256 of ``text`` encoded as UTF-8 (the hash kept in the sources file)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
