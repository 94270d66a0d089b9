"""The render runs in a child process the build can stop: the time limit and Ctrl-C end
it mid-PDF, the previous report stays byte for byte, and nothing is left in the output
folders or in $TMPDIR.

A test holds the render between the HTML and the PDF with the renderer's test hook (a
FIFO it opens for reading there), so the interruption lands mid-render by construction."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from newsfigures.core import paths
from newsfigures.report.render_process import GATE_ENV

pytestmark = pytest.mark.slow


def _notebook(folder: Path, words: str) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(f"# A small section\n\n{words}"),
            nbformat.v4.new_code_cell(
                "import pandas as pd\nfrom newsfigures.report.display import show_table\n"
                "show_table(pd.DataFrame({'n': range(60)}), caption='Sixty rows')"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01_small.ipynb")


def _story(root: Path) -> Path:
    story = root / "story"
    (story / "nb").mkdir(parents=True)
    article = paths.ROOT / "data" / "article"
    (story / "story.toml").write_text(
        'title = "A render cut short"\n'
        f'figures = "{article / "figures.csv"}"\n'
        f'sources = "{article / "sources.csv"}"\n'
        'notebooks = "nb"\nreports = "reports"\nprocessed = "processed"\n\n'
        '[[sections]]\nnotebook = "01_small.ipynb"\n'
    )
    _notebook(story / "nb", "The first wording of this section.")
    return story


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A small story built once; each test interrupts a rebuild, which leaves it as it was."""
    temp = Path(tempfile.mkdtemp(prefix="nfr"))  # short: kernel sockets live under it
    try:
        yield (*_built(tmp_path_factory.mktemp("render"), temp), temp)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _command(story: Path, *extra: str) -> list[str]:
    # The tables go elsewhere than the story's processed folder: the report names where.
    data_out = story.parent / "elsewhere" / "tables"
    return [
        sys.executable,
        "-m",
        "newsfigures",
        "build",
        "-q",
        "--story",
        str(story),
        "--data-out",
        str(data_out),
        *extra,
    ]


def _built(tmp_path: Path, temp: Path) -> tuple[Path, dict, dict[Path, bytes]]:
    story = _story(tmp_path)
    env = {**os.environ, "TMPDIR": str(temp), "NEWSFIGURES_CACHE": str(tmp_path / "cache")}
    first = subprocess.run(
        _command(story),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    outputs = [story / "reports" / "report.html", story / "reports" / "report.pdf"]
    tables = tmp_path / "elsewhere" / "tables"
    outputs += sorted(tables.iterdir()) + sorted((story / "reports" / "notebooks").iterdir())
    before = {p: p.read_bytes() for p in outputs}
    page = before[story / "reports" / "report.html"].decode()
    assert "The first wording" in page
    # The sixty-row table is cut to fifty, and its note names the folder the tables went to.
    assert "Showing the first 50 of 60 rows; the full table is in ../../elsewhere/tables/ (CSV and Parquet)" in page
    assert '<td class="nf-num">49</td>' in page and '<td class="nf-num">50</td>' not in page
    return story, env, before


def _nothing_left(story: Path, temp: Path, before: dict[Path, bytes], gate: Path) -> None:
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path.name} changed"
    for folder in (story / "reports", story / "reports" / "notebooks", story.parent / "elsewhere" / "tables"):
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], folder
    assert list(temp.iterdir()) == []
    # The renderer is gone: no process holds the gate open for reading.
    with pytest.raises(OSError) as caught:
        os.close(os.open(gate, os.O_WRONLY | os.O_NONBLOCK))
    assert caught.value.errno == errno.ENXIO


@pytest.mark.parametrize("how", ["prose edit", "--force"])
def test_ctrl_c_during_the_render_keeps_the_previous_report(tmp_path, built, how):
    story, env, before, temp = built
    _notebook(story / "nb", "A second wording, never rendered.")
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    command = _command(story)
    if how == "--force":  # the kernels' path: the render waits in a thread of the event loop
        command.append("--force")
    build = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**env, GATE_ENV: str(gate)}
    )
    held = []
    # Opening a FIFO for writing returns once the renderer has opened it: the HTML is done
    # and the PDF not begun.
    opener = threading.Thread(target=lambda: held.append(open(gate, "wb")), daemon=True)  # noqa: SIM115
    opener.start()
    opener.join(timeout=300)
    try:
        assert held, "the renderer never reached the PDF"
        build.send_signal(signal.SIGINT)
        _, stderr = build.communicate(timeout=120)
    finally:
        build.kill()
        for f in held:
            f.close()
    assert build.returncode == 130
    assert stderr == "newsfigures build: interrupted; outputs were left as they were\n"
    _nothing_left(story, temp, before, gate)


def test_the_time_limit_stops_a_render_that_overruns(tmp_path, built):
    story, env, before, temp = built
    _notebook(story / "nb", "A second wording, never rendered.")
    gate = tmp_path / "gate"
    os.mkfifo(gate)  # no writer ever comes: the render hangs before its PDF
    done = subprocess.run(
        _command(story, "--timeout", "20"),
        capture_output=True,
        text=True,
        env={**env, GATE_ENV: str(gate)},
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "newsfigures build: error: the build passed its time limit of 20 s while rendering the PDF; "
        "the renderer was stopped and the previous report is unchanged\n"
    )
    _nothing_left(story, temp, before, gate)
