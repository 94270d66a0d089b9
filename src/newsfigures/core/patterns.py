"""Large regular expressions, compiled once and kept beside the bytecode.

Python compiles a pattern with a parser and code generator written in Python, at every
start-up; the extractor's few large patterns (over 200 KB of text) cost every process
that imports it about 0.6 s, a notebook kernel in each build among them. What
``re`` hands its C engine is a list of integers; this module stores that list where
Python keeps this package's bytecode (``__pycache__``, or ``sys.pycache_prefix``), and
not where Python writes no bytecode, and gives it back to the engine's constructor
(``_sre.compile``) next time. Like bytecode it depends on the code alone, so it is not
part of the build cache, and a cold build finds it.

That constructor is internal to CPython, so the shortcut is taken only where it is known
(CPython 3.11 to 3.13, whose ``re`` calls it the same way), keyed by the interpreter's
version and engine stamp, and checked: the engine validates every program it is given,
the stored entry carries its SHA-256, and a rebuilt pattern must report the groups and
flags it was stored with. Anything else (another interpreter, a damaged or unwritable
cache, an error of any kind) compiles the pattern the ordinary way, so the result is
the same pattern either way. ``bench/extract.py`` prints what it saves.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import re
import sys
from pathlib import Path

from newsfigures.core.fileio import read_checked, write_checked

#: Patterns shorter than this compile in a few milliseconds: not worth a file.
MIN_CACHED_LENGTH = 4000
_KNOWN = sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)


def compile_pattern(pattern: str, flags: int = 0, cache_dir: Path | None = None) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the cache for a large pattern.

    Args:
        pattern, flags: as for :func:`re.compile`.
        cache_dir: where entries go; default ``patterns/`` in the ``__pycache__``
            folder of this module's bytecode.

    Returns:
        The compiled pattern, equal in behaviour to ``re.compile(pattern, flags)``.

    Raises:
        re.error: the pattern is invalid (raised by ``re`` itself).
    """
    if not _KNOWN or len(pattern) < MIN_CACHED_LENGTH:
        return re.compile(pattern, flags)
    try:
        import _sre
        from re import _compiler, _parser

        key = hashlib.sha256(repr((sys.version, _sre.MAGIC, _sre.CODESIZE, flags, pattern)).encode()).hexdigest()
        folder = cache_dir or Path(importlib.util.cache_from_source(__file__)).parent / "patterns"
        path = folder / f"{key[:32]}.marshal"
        stored = read_checked(path)
        if stored is not None:
            compiled = _rebuild(_sre, pattern, marshal.loads(stored))
            if compiled is not None:
                return compiled
        parsed = _parser.parse(pattern, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        parts = (
            pattern,
            int(flags | parsed.state.flags),
            [int(op) for op in _compiler._code(parsed, flags)],
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        compiled = _rebuild(_sre, pattern, parts)
        if compiled is None:
            return re.compile(pattern, flags)
        if cache_dir is not None or not sys.dont_write_bytecode:
            # A read-only folder (or a part marshal cannot store): compiled again next time.
            with contextlib.suppress(OSError, ValueError):
                write_checked(path, marshal.dumps(parts))
        return compiled
    except re.error:
        raise
    except Exception:  # the internals moved: the ordinary way
        return re.compile(pattern, flags)


def _rebuild(_sre, pattern: str, parts) -> re.Pattern | None:
    try:
        stored_pattern, final_flags, code, groups, groupindex, indexgroup = parts
        if stored_pattern != pattern:
            return None
        compiled = _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)
    except Exception:
        return None
    if compiled.groups != groups or dict(compiled.groupindex) != groupindex or compiled.flags != final_flags:
        return None
    return compiled
