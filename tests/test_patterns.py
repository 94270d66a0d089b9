"""core.patterns: a large pattern comes back from its stored program, behaving as re.compile's."""

from __future__ import annotations

import re

import pytest

from newsfigures.core import patterns
from newsfigures.core.patterns import MIN_CACHED_LENGTH, compile_pattern

# Over the threshold, with named groups, flags, lookarounds and a conditional.
WORDS = [f"w{i:04d}x" for i in range(MIN_CACHED_LENGTH // 6 + 10)]
LARGE = rf"(?<!\w)(?P<lead>[Aa]bout\s+)?(?P<word>{'|'.join(WORDS)})(?(lead)\s+(?P<tail>more))?\b"
TEXT = "about w0003x more, W0004X, w9999x, about w0012x less, xw0001x"


def expected():
    reference = re.compile(LARGE, re.IGNORECASE)
    return reference, [m.groupdict() | {"span": m.span()} for m in reference.finditer(TEXT)]


def found(pattern):
    return [m.groupdict() | {"span": m.span()} for m in pattern.finditer(TEXT)]


def entries(folder):
    return sorted(p for p in folder.glob("*.marshal")) if folder.exists() else []


def test_stored_program_matches_like_re_compile(tmp_path):
    reference, matches = expected()
    assert [m["word"] for m in matches] == ["w0003x", "W0004X", "w0012x"]
    first = compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)
    assert len(entries(tmp_path)) == 1
    again = compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)  # from the entry
    for pattern in (first, again):
        assert found(pattern) == matches
        assert pattern.groupindex == reference.groupindex
        assert pattern.groups == reference.groups == 3
        assert pattern.flags == reference.flags
        assert pattern.pattern == LARGE


def test_flags_are_part_of_the_key(tmp_path):
    compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)
    plain = compile_pattern(LARGE, cache_dir=tmp_path)
    assert len(entries(tmp_path)) == 2
    assert [m["word"] for m in plain.finditer(TEXT)] == ["w0003x", "w0012x"]


def test_damaged_entry_is_made_again(tmp_path):
    compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)) == expected()[1]
    assert entries(tmp_path) == [entry]  # rewritten, and whole again
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)) == expected()[1]


def test_entry_for_another_program_is_not_used(tmp_path, monkeypatch):
    # An entry whose program fails the checks (here: another group count) is ignored.
    compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)
    real = patterns._rebuild
    monkeypatch.setattr(
        patterns, "_rebuild", lambda sre, pattern, parts: real(sre, pattern, (*parts[:3], 7, *parts[4:]))
    )
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)) == expected()[1]


def test_moved_internals_fall_back_to_re_compile(tmp_path, monkeypatch):
    import _sre

    def moved(*args):
        raise TypeError("compile() takes other arguments")

    monkeypatch.setattr(_sre, "compile", moved)
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)) == expected()[1]


def test_unknown_interpreter_compiles_the_ordinary_way(tmp_path, monkeypatch):
    monkeypatch.setattr(patterns, "_KNOWN", False)
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=tmp_path)) == expected()[1]
    assert entries(tmp_path) == []


def test_small_pattern_is_not_stored(tmp_path):
    assert compile_pattern(r"\d+", cache_dir=tmp_path).findall("a 12 b 3") == ["12", "3"]
    assert entries(tmp_path) == []


def test_unwritable_folder_still_compiles(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert found(compile_pattern(LARGE, re.IGNORECASE, cache_dir=blocker / "patterns")) == expected()[1]


def test_invalid_pattern_raises_re_error(tmp_path):
    with pytest.raises(re.error):
        compile_pattern("(" + "a" * MIN_CACHED_LENGTH, cache_dir=tmp_path)


def test_default_folder_is_beside_the_bytecode(monkeypatch, tmp_path):
    # Where Python keeps this package's bytecode: sys.pycache_prefix when it is set.
    import sys

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    compile_pattern(LARGE, re.IGNORECASE)
    stored = list(tmp_path.rglob("patterns/*.marshal"))
    assert len(stored) == 1 and "core" in stored[0].parts
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    compile_pattern(LARGE)  # another key; not written where Python writes no bytecode
    assert len(list(tmp_path.rglob("patterns/*.marshal"))) == 1
