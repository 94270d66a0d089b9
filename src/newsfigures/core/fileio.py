"""Crash-safe file output: every file is written beside its target and renamed into place.

A reader, or a build that dies half-way, sees either the old file or the new one,
never a mix. Used for every output of the build: reports, executed notebooks,
processed tables and the build cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and return the temporary path.

    Pair with :func:`commit` to replace several files only once all are written.
    """
    temp = _temp_beside(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        # A full disk fails in write() or fsync(), whose errors name no file: name the target.
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def commit(staged: dict[Path, Path]) -> None:
    """Rename staged temporary files onto their targets (``{target: temp}``)."""
    for target, temp in staged.items():
        os.replace(temp, target)


def discard(staged: dict[Path, Path]) -> None:
    """Delete staged temporary files that will not be committed."""
    for temp in staged.values():
        Path(temp).unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes | str) -> bool:
    """Replace ``path`` with ``data`` atomically, unless it already holds exactly that.

    Args:
        path: target file; parent folders are created.
        data: bytes, or str written as UTF-8.

    Returns:
        True if the file was written, False if it already had these contents (so an
        unchanged output keeps its modification time).
    """
    path = Path(path)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if holds(path, data):
        return False
    commit({path: stage(path, data)})
    return True


def holds(path: str | Path, data: bytes) -> bool:
    """Whether ``path`` exists and contains exactly ``data``."""
    path = Path(path)
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def sha256_file(path: str | Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def locked(lock_path: Path, on_wait=None):
    """Hold an exclusive advisory lock on ``lock_path`` for the ``with`` block.

    Two builds writing to the same outputs take turns instead of interleaving.
    ``on_wait()`` is called once if the lock is busy, before blocking.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_checked(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with its SHA-256 in ``path.sha256``, for a
    cache entry that :func:`read_checked` verifies."""
    path = Path(path)
    write_atomic(path, data)
    write_atomic(path.with_name(path.name + ".sha256"), hashlib.sha256(data).hexdigest() + "\n")


def read_checked(path: str | Path) -> bytes | None:
    """Return a cache entry written by :func:`write_checked`, or None when it is missing,
    unreadable or its bytes no longer match their hash (the damaged entry is removed,
    so that the caller makes it again)."""
    path = Path(path)
    digest = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        expected = digest.read_text().strip()
    except (OSError, UnicodeDecodeError):
        data = expected = None
    if data is not None and hashlib.sha256(data).hexdigest() == expected:
        return data
    for stale in (path, digest):
        with contextlib.suppress(OSError):
            stale.unlink()
    return None
