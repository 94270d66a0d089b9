"""Faults and hostile input: devices and FIFOs as articles, closed stdin, damaged cache
entries, stderr and flooding cells in the report, foreign kernels, unknown units,
temporary files, and the time limit naming what hung."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from newsfigures.core import paths
from newsfigures.core.errors import ArticleError, BuildError
from newsfigures.core.fileio import read_checked, write_checked
from newsfigures.core.units import is_known_unit

from .conftest import build_command


def _cli(*args, stdin=None, timeout=60, shell_suffix=""):
    command = " ".join([sys.executable, "-m", "newsfigures", *map(str, args)]) + shell_suffix
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=timeout, stdin=stdin)


@pytest.mark.parametrize("command", ["extract", "check", "build --article"])
def test_devices_and_fifos_are_refused_without_blocking(tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/zero", fifo):
        done = _cli(*command.split(), target, *(["--out", tmp_path / "out"] if "build" in command else []), timeout=30)
        assert done.returncode == 1, done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert f"{target}: is not a regular file" in done.stderr


@pytest.mark.parametrize("command", ["extract", "check"])
def test_a_closed_standard_input_is_one_line(command):
    done = _cli(command, "-", shell_suffix=" <&-")
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "<stdin>: standard input is closed" in done.stderr


def test_a_large_file_is_read_only_to_the_limit(tmp_path):
    from newsfigures.core.article import read_article

    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 2000)
    with pytest.raises(ArticleError, match=r"big\.txt: is larger than the 100-byte limit"):
        read_article(big, max_bytes=100)
    assert read_article(big, max_bytes=10_000).startswith("word word")


def test_a_damaged_cache_entry_is_a_miss_and_is_removed(tmp_path):
    entry = tmp_path / "entry.ipynb"
    write_checked(entry, b'{"cells": []}')
    assert read_checked(entry) == b'{"cells": []}'
    entry.write_bytes(b'{"cells": [}')  # same size class, wrong bytes
    assert read_checked(entry) is None
    assert not entry.exists() and not entry.with_name("entry.ipynb.sha256").exists()
    assert read_checked(tmp_path / "never-written") is None


def test_a_damaged_cached_font_is_made_again(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    from newsfigures.report.fonts import print_fonts

    # As in a build, which pins SOURCE_DATE_EPOCH before it renders: fontTools stamps a
    # saved font with it, else with the time of saving, and the two makes would differ.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729728000")
    folder = print_fonts(tmp_path)
    regular = folder / "DejaVuSans.ttf"
    good = regular.read_bytes()
    bold = (folder / "DejaVuSans-Bold.ttf").read_bytes()
    regular.write_bytes(bold)  # the regular face replaced by the bold one: valid font, wrong bytes
    assert print_fonts(tmp_path) == folder
    assert regular.read_bytes() == good
    assert TTFont(regular)["name"].getDebugName(2) == "Book"


def test_the_pdf_subsets_fonts_by_one_path_whatever_the_system_has():
    from weasyprint.pdf import fonts as weasyprint_fonts

    from newsfigures.report.fonts import one_subsetting_path

    assert one_subsetting_path() == "fonttools"
    assert weasyprint_fonts.harfbuzz_subset is None


def _stream(name, text):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_stderr_never_reaches_the_report_and_a_flood_is_cut_with_a_note():
    from newsfigures.report.render import combine, render_html

    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [
        _stream("stderr", "UserWarning: Glyph 128512 missing from font(s) DejaVu Sans, /home/someone/x.py"),
        _stream("stdout", "kept line\n"),
    ]
    flood = nbformat.v4.new_code_cell("print('y' * 10**6)")
    flood.outputs = [_stream("stdout", "y" * 500_000)]
    nb = nbformat.v4.new_notebook(cells=[cell, flood])
    combined = combine([nb], {"title": "t"}, max_output_bytes=10_000)
    html = render_html(combined)
    assert "Glyph" not in html and "/home/someone" not in html
    assert "kept line" in html
    assert "output cut" in html and "10,000 bytes" in html
    assert html.count("y") < 20_000  # the flood was cut to the limit
    assert len(html) < 400_000


def test_a_flood_of_short_lines_is_cut_at_the_line_limit():
    from newsfigures.report.render import MAX_OUTPUT_LINES, combine, render_html

    flood = nbformat.v4.new_code_cell("for i in range(500_000): print(i)")
    # Streams arrive in pieces; the limit counts the lines of all of them.
    flood.outputs = [
        _stream("stdout", "".join(f"{i}\n" for i in range(start, start + 100_000)))
        for start in range(0, 500_000, 100_000)
    ]
    result = nbformat.v4.new_code_cell("1")
    result.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "\n".join(["row"] * 5000)})]
    combined = combine([nbformat.v4.new_notebook(cells=[flood, result])], {"title": "t"})
    streams = [o for o in combined.cells[0].outputs if o.get("output_type") == "stream"]
    assert len(streams) == 1 and streams[0]["text"].splitlines() == [str(i) for i in range(MAX_OUTPUT_LINES)]
    assert f"more than {MAX_OUTPUT_LINES:,} lines" in combined.cells[0].outputs[-1]["data"]["text/plain"]
    assert combined.cells[1].outputs[0]["data"]["text/plain"].count("row") == MAX_OUTPUT_LINES
    html = render_html(combined)
    assert html.count("output cut: this cell printed more than 1,000 lines") == 2
    empty = render_html(combine([nbformat.v4.new_notebook()], {"title": "t"}))
    assert len(html) - len(empty) < 30_000  # 2,000 short lines and two notes


def test_a_long_line_counts_as_the_lines_it_prints_on_and_is_broken_for_print():
    import html as html_module

    from newsfigures.report.render import MAX_OUTPUT_LINES, PRINT_LINE_CHARS, _wrap_long_lines, combine

    cell = nbformat.v4.new_code_cell("print('x' * 10**6)")
    cell.outputs = [_stream("stdout", "x" * 1_000_000 + "\n")]
    kept = combine([nbformat.v4.new_notebook(cells=[cell])], {"title": "t"}).cells[0].outputs
    assert len(kept[0]["text"]) == MAX_OUTPUT_LINES * PRINT_LINE_CHARS  # 96,000 characters, not 1 MB
    assert "more than 1,000 lines" in kept[-1]["data"]["text/plain"]
    line = "a&lt;b " * 40  # 280 characters shown, the entities one each
    page = _wrap_long_lines(f'<pre class="x">{line}<span class="ansi">{"z" * 150}</span></pre><p>{line}</p>')
    pre, rest = page.split("</pre>")
    shown = [html_module.unescape(re.sub(r"<[^>]*>", "", part)) for part in pre.split("\n")]
    assert max(map(len, shown)) == PRINT_LINE_CHARS and "".join(shown) == html_module.unescape(line) + "z" * 150
    assert rest == f"<p>{line}</p>"  # only preformatted text is broken


def test_a_notebook_asking_for_another_kernel_is_refused(tmp_path):
    from newsfigures.report.build import build

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["kernelspec"] = {"name": "python2", "display_name": "Python 2", "language": "python"}
    nbformat.write(nb, notebooks / "01_old.ipynb")
    with pytest.raises(BuildError, match=r"01_old\.ipynb: asks for the 'python2' kernel"):
        build(out=tmp_path / "out", data_out=tmp_path / "data", notebooks_dir=notebooks, cache_dir=tmp_path / "c")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "unit, known",
    [
        ("people", True),
        ("percentage_points", True),
        ("USD", True),
        ("years", True),
        ("km2", True),
        ("USD_per_barrel", True),
        ("peeple", False),
        ("usd", False),
        ("<b>x</b>", False),
        ("", False),
    ],
)
def test_units_come_from_one_vocabulary(unit, known):
    assert is_known_unit(unit) is known


def test_an_unknown_unit_names_the_file_row_and_column(tmp_path):
    from newsfigures.core.errors import FigureSheetError
    from newsfigures.core.figures import load_figures

    sheet = tmp_path / "sheet.csv"
    sheet.write_text(paths.SHEET.read_text().replace(",people,", ",peeple,", 1))
    with pytest.raises(FigureSheetError, match=r"sheet\.csv, row 2, column 'unit': unknown unit 'peeple'"):
        load_figures(sheet)


def test_the_extractors_units_are_in_the_vocabulary():
    from newsfigures.extract import rules

    emitted = {u for u, _ in rules._SUFFIX_UNITS.values()} | set(rules._CURRENCY_WORDS.values())
    assert emitted and all(is_known_unit(u) for u in emitted), sorted(u for u in emitted if not is_known_unit(u))


# --- whole builds -------------------------------------------------------------------------


def _build_command(root: Path, *args: str) -> list[str]:
    return build_command(root, "-q", *args)


@pytest.mark.slow
def test_a_build_leaves_nothing_in_tmpdir_and_clears_what_a_killed_one_left(cli_build):
    # cli_build ran with a TMPDIR holding a killed build's folder and someone else's file.
    root, temp, env = cli_build.root, cli_build.temp, cli_build.env
    assert cli_build.done.returncode == 0, cli_build.done.stderr
    assert sorted(p.name for p in temp.iterdir()) == ["someone-elses-file"]
    assert not list((root / "reports").glob(".*.tmp"))
    # A render cut short by Ctrl-C left a staged file; the next, up-to-date, build removes it.
    leftover = root / "reports" / ".report.pdf.x1y2.tmp"
    leftover.write_bytes(b"%PDF-")
    # So does the temporary folder of a build killed with -9 since.
    killed = temp / "newsfigures-999999998"
    (killed / "runtime").mkdir(parents=True)
    (killed / "runtime" / "kernel-1.json").write_text("{}")
    again = subprocess.run(_build_command(root), capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert not leftover.exists() and (root / "reports" / "report.pdf").exists()
    assert not killed.exists()
    assert sorted(p.name for p in temp.iterdir()) == ["someone-elses-file"]


@pytest.mark.slow
def test_a_reader_that_goes_away_does_not_stop_the_build(cli_build):
    # `build 2>&1 | head -1`: every progress line after the reader has gone meets a broken pipe.
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            _build_command(cli_build.root)[:-1],  # not -q: it prints progress lines
            stdout=subprocess.DEVNULL,
            stderr=write,
            env=cli_build.env,
            timeout=600,
        )
    finally:
        os.close(write)
    assert done.returncode == 0
    assert (cli_build.root / "reports" / "report.pdf").exists()


@pytest.mark.slow
def test_a_damaged_cached_notebook_is_executed_again(built, built_dir, tmp_path):
    # The session's build cached its executed notebooks under the keys that a command-line
    # build of the same inputs looks up: start from a copy of them, every one damaged.
    store = tmp_path / "cache" / "executed"
    shutil.copytree(built_dir / "cache" / "executed", store)
    damaged = sorted(p.name for p in store.glob("*.ipynb"))
    assert len(damaged) == len(built.executed)
    for name in damaged:
        entry = store / name
        entry.write_text(entry.read_text()[:-40])  # cut short: no longer valid JSON
    env = {**os.environ, "NEWSFIGURES_CACHE": str(tmp_path / "cache")}
    again = subprocess.run(_build_command(tmp_path), capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert (tmp_path / "reports" / "report.pdf").read_bytes() == built.pdf.read_bytes()
    # The same entries, made again: the build looked each up and found it damaged.
    assert sorted(p.name for p in store.glob("*.ipynb")) == damaged
    for entry in store.glob("*.ipynb"):
        json.loads(entry.read_text())


@pytest.mark.slow
def test_the_time_limit_names_the_hung_notebook(tmp_path):
    from newsfigures.report.build import build

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(300)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "01_hangs.ipynb")
    with pytest.raises(
        BuildError,
        # Where the limit falls (kernels starting, or the cell running), the line names the notebook.
        match=r"time limit of 8 s while (?:executing|starting the kernels for) 01_hangs\.ipynb"
        r"|01_hangs\.ipynb: a cell was still running",
    ):
        build(
            out=tmp_path / "out",
            data_out=tmp_path / "data",
            notebooks_dir=notebooks,
            cache_dir=tmp_path / "c",
            timeout=8,
            quiet=True,
        )
    assert not (tmp_path / "out" / "report.pdf").exists()


def test_a_full_disk_names_the_file(tmp_path, monkeypatch):
    import errno

    from newsfigures.core import fileio

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    target = tmp_path / "report.html"
    with pytest.raises(OSError) as caught:
        fileio.write_atomic(target, b"<html>")
    assert caught.value.filename == str(target) and caught.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_a_sheet_with_thousands_of_bad_rows_is_still_one_short_line(tmp_path):
    from newsfigures.core.errors import FigureSheetError
    from newsfigures.core.figures import load_figures

    header, *rows = paths.SHEET.read_text().splitlines()
    bad = [rows[0].replace("nk_troops_sent", f"bad_{i}").replace(",3000,3000,", ",3000,4000,") for i in range(3000)]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("\n".join([header, *bad]) + "\n")
    with pytest.raises(FigureSheetError) as caught:
        load_figures(sheet)
    assert len(caught.value.problems) == 3000
    message = str(caught.value)
    assert "row 2, column 'value': value 3,000 lies outside its bounds" in message
    assert message.endswith("and 2,990 more problems") and len(message) < 3000


def test_a_time_limit_hit_while_kernels_start_names_the_notebooks(tmp_path):
    from newsfigures.report.build import build

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(300)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "01_hangs.ipynb")
    # One second ends the build before or just after its kernel is up: either way the error names the notebook.
    with pytest.raises(
        BuildError, match=r"time limit of 1 s while (starting the kernels for|executing) 01_hangs\.ipynb"
    ):
        build(
            out=tmp_path / "out",
            data_out=tmp_path / "data",
            notebooks_dir=notebooks,
            cache_dir=tmp_path / "c",
            timeout=1,
            quiet=True,
        )
    assert not (tmp_path / "out" / "report.pdf").exists()
