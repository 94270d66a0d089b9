"""The build: cache hits and misses, atomic outputs, failures, time limit, escaping,
determinism, offline operation and progress lines."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from newsfigures.core import paths
from newsfigures.core.errors import BuildError, FigureSheetError
from newsfigures.report.build import build

from .conftest import build_command

pytestmark = pytest.mark.slow

TWO = ["01_force_sizes.ipynb", "02_brics_shares.ipynb"]


class Project:
    """A scratch copy of the report's inputs (notebooks, sheet) with its own outputs and cache."""

    def __init__(self, root: Path, names=TWO):
        self.root = root
        self.notebooks = root / "notebooks"
        self.notebooks.mkdir(parents=True)
        for name in names:
            shutil.copy(paths.NOTEBOOKS_DIR / name, self.notebooks / name)
        self.sheet = root / "figures.csv"
        shutil.copy(paths.SHEET, self.sheet)
        self.reference = root / "reference"
        shutil.copytree(paths.REFERENCE_DIR, self.reference)
        self.out = root / "reports"
        self.data_out = root / "processed"
        self.cache = root / "cache"

    def build(self, **kw):
        args = dict(
            out=self.out,
            data_out=self.data_out,
            sheet=self.sheet,
            reference=self.reference,
            notebooks_dir=self.notebooks,
            cache_dir=self.cache,
            quiet=True,
        )
        return build(**{**args, **kw})

    def edit_notebook(self, name: str, source: str, cell_type: str = "markdown") -> None:
        path = self.notebooks / name
        nb = nbformat.read(path, as_version=4)
        cell = nbformat.v4.new_markdown_cell(source) if cell_type == "markdown" else nbformat.v4.new_code_cell(source)
        cell.id = f"test{len(nb.cells)}"
        nb.cells.append(cell)
        nbformat.write(nb, path)

    def snapshot(self) -> dict[str, tuple[bytes, int]]:
        files = [self.out / "report.html", self.out / "report.pdf", *sorted((self.out / "notebooks").glob("*"))]
        return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project built once; tests that change it restore what they change."""
    project = Project(tmp_path_factory.mktemp("project"))
    first = project.build()
    assert sorted(first.executed) == TWO and first.rendered
    return project


def test_noop_rebuild_rewrites_nothing(project):
    before = project.snapshot()
    result = project.build()
    assert result.up_to_date and not result.executed and not result.rendered
    assert project.snapshot() == before


def test_touching_a_notebook_without_changing_it_is_a_hit(project):
    path = project.notebooks / TWO[0]
    os.utime(path)
    assert project.build().up_to_date


def test_a_markdown_only_edit_re_renders_without_a_kernel(project, monkeypatch):
    import newsfigures.report.execute as execute

    def no_kernels(*args, **kwargs):
        raise AssertionError("a markdown-only edit started a kernel")

    original = (project.notebooks / TWO[1]).read_bytes()
    monkeypatch.setattr(execute, "KernelPool", no_kernels)
    try:
        project.edit_notebook(TWO[1], "A note added by a test.")
        result = project.build()
        assert result.executed == [] and sorted(result.reused) == TWO and result.rendered
        html = result.html.read_text()
        assert "A note added by a test." in html and html.count('class="nf-chart"') == 2  # outputs merged in
        executed = nbformat.read(project.out / "notebooks" / TWO[1], as_version=4)
        assert executed.cells[-1].source == "A note added by a test."
        assert all(c.execution_count for c in executed.cells if c.cell_type == "code")
    finally:
        (project.notebooks / TWO[1]).write_bytes(original)
    restored = project.build()
    assert restored.executed == [] and restored.rendered
    assert "A note added by a test." not in restored.html.read_text()


def test_editing_one_notebooks_code_executes_only_that_notebook(project):
    original = (project.notebooks / TWO[1]).read_bytes()
    try:
        project.edit_notebook(TWO[1], "print('a line added by a test')", cell_type="code")
        result = project.build()
        assert result.executed == [TWO[1]] and result.reused == [TWO[0]]
        assert result.rendered and "a line added by a test" in result.html.read_text()
    finally:
        (project.notebooks / TWO[1]).write_bytes(original)
    # Back to the original: both executed notebooks come from the cache.
    restored = project.build()
    assert restored.executed == [] and sorted(restored.reused) == TWO and restored.rendered
    assert "a line added by a test" not in restored.html.read_text()


def test_changing_the_sheet_re_executes_the_notebooks_that_read_it(project):
    original = project.sheet.read_text()
    try:
        project.sheet.write_text(original.replace("the West", "Western officials"))
        result = project.build()
        assert sorted(result.executed) == TWO
        assert "Western officials" in result.html.read_text()
        assert "Western officials" in (project.data_out / "figures.csv").read_text()
    finally:
        project.sheet.write_text(original)


def test_a_different_parameter_value_is_a_miss(project, tmp_path):
    moved = tmp_path / "same_contents.csv"
    shutil.copy(project.sheet, moved)
    result = project.build(sheet=moved)
    assert sorted(result.executed) == TWO
    project.build()  # restore the module's outputs for the next test


def test_changing_package_code_is_a_miss(project, tmp_path, monkeypatch):
    code = tmp_path / "newsfigures"
    shutil.copytree(paths.PACKAGE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    (code / "report" / "charts.py").write_text((code / "report" / "charts.py").read_text() + "\n# a changed comment\n")
    with monkeypatch.context() as patched:
        patched.setattr(paths, "PACKAGE_DIR", code)
        result = project.build()
    assert sorted(result.executed) == TWO
    assert project.build().rendered  # back to the real code: cached notebooks, fresh render


def test_data_a_notebook_does_not_read_re_executes_nothing(project):
    marker = project.reference / "extra.csv"
    before = project.snapshot()
    try:
        marker.write_text("a,b\n1,2\n")
        result = project.build()
        # The reference folder keys the tables stage only: neither notebook declares it,
        # so none is executed and the report is not rendered again.
        assert not result.executed and not result.rendered and not result.up_to_date
        assert project.snapshot() == before
    finally:
        marker.unlink()


def test_a_failing_notebook_leaves_the_last_report_byte_identical(project):
    before = {k: v[0] for k, v in project.snapshot().items() if "report." in k}
    original = (project.notebooks / TWO[1]).read_bytes()
    try:
        project.edit_notebook(TWO[1], "raise ValueError('forced failure for a test')", cell_type="code")
        cells = len(nbformat.read(project.notebooks / TWO[1], as_version=4).cells)
        with pytest.raises(BuildError) as info:
            project.build()
    finally:
        (project.notebooks / TWO[1]).write_bytes(original)
    message = str(info.value)
    assert f"{TWO[1]}, cell {cells}: ValueError: forced failure for a test" in message
    failed = project.out / "notebooks" / TWO[1].replace(".ipynb", ".failed.ipynb")
    assert failed.exists() and "forced failure" in failed.read_text()
    assert {k: v[0] for k, v in project.snapshot().items() if "report." in k} == before
    project.build()
    assert not failed.exists()  # a successful run clears the failed copy


def test_one_failing_notebook_is_one_failure_and_changes_no_tables(project):
    tables = {p: p.read_bytes() for p in sorted(project.data_out.iterdir())}
    sheet, original = project.sheet.read_text(), (project.notebooks / TWO[1]).read_bytes()
    try:
        project.sheet.write_text(sheet.replace("the West", "Western governments"))
        # Fail at once, while the other notebook is still running on the other kernel.
        nb = nbformat.read(project.notebooks / TWO[1], as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell("raise ValueError('first cell fails')"))
        nb.cells[0].id = "fails"
        nbformat.write(nb, project.notebooks / TWO[1])
        with pytest.raises(BuildError) as info:
            project.build(force=True, jobs=2)
    finally:
        project.sheet.write_text(sheet)
        (project.notebooks / TWO[1]).write_bytes(original)
    message = str(info.value)
    assert f"{TWO[1]}, cell 1: ValueError: first cell fails" in message
    assert TWO[0] not in message and "kernel died" not in message
    assert not (project.out / "notebooks" / TWO[0].replace(".ipynb", ".failed.ipynb")).exists()
    assert {p: p.read_bytes() for p in sorted(project.data_out.iterdir())} == tables
    project.build()


def test_an_unwritable_output_folder_fails_before_any_work(project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    started = time.monotonic()
    with pytest.raises(BuildError, match=r"a-file/reports: cannot write the build's outputs here"):
        project.build(out=blocker / "reports", force=True)
    assert time.monotonic() - started < 5  # no kernel was started
    # A report folder that could be made is not left behind when the tables' folder cannot.
    with pytest.raises(BuildError, match=r"a-file/processed: cannot write"):
        project.build(out=tmp_path / "new" / "reports", data_out=blocker / "processed", force=True)
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("signum", "status", "said"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_ctrl_c_and_sigterm_stop_the_build_cleanly(tmp_path, signum, status, said):
    command = [
        sys.executable,
        "-m",
        "newsfigures",
        "build",
        "--force",
        "--out",
        str(tmp_path / "reports"),
        "--data-out",
        str(tmp_path / "processed"),
    ]
    env = {**os.environ, "NEWSFIGURES_CACHE": str(tmp_path / "cache")}
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    first = run.stderr.readline()  # the first notebook is done: the build is under way, kernels and renderers up
    os.killpg(run.pid, signum)
    _, err = run.communicate(timeout=120)
    err = first + err
    assert first.startswith("execute"), err
    assert run.returncode == status, err
    assert "Traceback" not in err and err.strip().endswith(f"{said}; outputs were left as they were")
    # A first build into new folders leaves none of them behind, not even empty.
    assert not (tmp_path / "reports").exists() and not (tmp_path / "processed").exists()


def test_a_hung_notebook_is_stopped_by_the_time_limit(project):
    before = (project.out / "report.pdf").read_bytes()
    original = (project.notebooks / TWO[0]).read_bytes()
    try:
        project.edit_notebook(TWO[0], "import time\ntime.sleep(120)", cell_type="code")
        with pytest.raises(BuildError, match="time limit"):
            project.build(timeout=8)
    finally:
        (project.notebooks / TWO[0]).write_bytes(original)
    assert (project.out / "report.pdf").read_bytes() == before


def test_a_bad_sheet_fails_before_anything_is_written(project, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(project.sheet.read_text().replace("41.1,41.1,41.1", "n/a,41.1,41.1"))
    before = project.snapshot()
    with pytest.raises(FigureSheetError, match=r"bad\.csv, row 5, column 'value'"):
        project.build(sheet=bad)
    after = project.snapshot()
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}


def _tags(html: str) -> list[tuple[str, dict]]:
    """Every start tag in a page with its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "dollars": "$200 million to $700 million",
}


def test_strings_from_the_sheet_are_escaped_in_the_report(tmp_path):
    project = Project(tmp_path / "p")
    text = project.sheet.read_text()
    text = text.replace("North Korean troops sent to Russia", HOSTILE["script"])
    text = text.replace("Size of North Korea's army", HOSTILE["img"].replace(",", ""))
    text = text.replace("BRICS share of world GDP", HOSTILE["dollars"])
    project.sheet.write_text(text)
    result = project.build()
    html = result.html.read_text()
    tags = _tags(html)
    assert not [t for t in tags if t[0] == "script"]
    assert not [t for t, _ in tags if t == "img"]  # the hostile <img> is text, and charts are inline SVG
    assert len([t for t, _ in tags if t == "svg"]) == 2
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE["dollars"] in html  # shown as text, not turned into maths
    assert 'class="math' not in html and "\\(" not in html
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(result.pdf).pages).split())
    assert HOSTILE["dollars"] in pdf_text and "<script>alert(1)</script>" in pdf_text


def test_two_clean_builds_are_byte_identical(built, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = build(out=tmp_path / "reports", data_out=tmp_path / "processed", cache_dir=tmp_path / "cache", quiet=True)
    # The build pins the story's own date for itself and its kernels, and leaves the caller's environment as it was.
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert sorted(again.executed) == sorted(built.executed)
    assert again.html.read_bytes() == built.html.read_bytes()
    assert again.pdf.read_bytes() == built.pdf.read_bytes()
    for mine, theirs in zip(sorted(again.tables), sorted(built.tables)):
        assert mine.name == theirs.name and mine.read_bytes() == theirs.read_bytes(), mine.name
    for mine, theirs in zip(again.notebooks, built.notebooks):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def _run_build(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NEWSFIGURES_CACHE": str(tmp_path / "cache"), **(env or {})}
    return subprocess.run(build_command(tmp_path, *args), capture_output=True, text=True, env=environment, timeout=600)


def test_the_build_needs_no_network(cli_build, tmp_path):
    # The guard itself must work, or this test proves nothing.
    log = tmp_path / "probe.log"
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), 1)"],
        capture_output=True,
        text=True,
        env={**cli_build.env, "NEWSFIGURES_NETWORK_LOG": str(log)},
    )
    assert probe.returncode != 0 and "refused by the offline test" in probe.stderr
    assert "getaddrinfo '192.0.2.1'" in log.read_text()
    assert cli_build.done.returncode == 0, cli_build.done.stderr
    assert cli_build.network_log == ""
    assert (cli_build.root / "reports" / "report.pdf").stat().st_size > 10_000


def test_progress_lines_and_quiet(tmp_path, cli_build):
    loud = _run_build(tmp_path)
    assert loud.returncode == 0, loud.stderr
    lines = loud.stderr.strip().splitlines()
    for stage in ("execute  01_force_sizes.ipynb", "render   report.html", "render   report.pdf", "done"):
        assert any(line.startswith(stage) for line in lines), (stage, lines)
    assert all(re.search(r"\d+\.\d\d s$", line) for line in lines if line.startswith(("execute", "render")))
    assert not re.search(r"warning|Traceback", loud.stderr, re.I)
    # -q --force: every stage runs again, and prints nothing.
    quiet = cli_build.done
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_concurrent_builds_do_not_corrupt_each_other(tmp_path):
    command = [
        sys.executable,
        "-m",
        "newsfigures",
        "build",
        "-q",
        "--force",
        "--out",
        str(tmp_path / "reports"),
        "--data-out",
        str(tmp_path / "processed"),
    ]
    env = {**os.environ, "NEWSFIGURES_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    reader = PdfReader(tmp_path / "reports" / "report.pdf")
    assert "41.1" in " ".join(p.extract_text() for p in reader.pages)
    assert (tmp_path / "reports" / "report.html").read_text().rstrip().endswith("</html>")
    assert not list((tmp_path / "reports").glob(".*.tmp"))


def test_cli_reports_a_failed_build_in_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(paths.SHEET.read_text().replace("nk_army_size", "nk_troops_sent"))
    done = _run_build(tmp_path, "--sheet", str(bad))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "column 'figure_id': duplicate figure_id 'nk_troops_sent'" in done.stderr
    assert not [p for p in tmp_path.glob("reports/**/*") if p.is_file()]  # nothing written
    json.dumps(done.stderr)  # one plain line


@pytest.mark.parametrize("given, said", [("missing.csv", "no such file"), (".", "is a directory, not a CSV file")])
def test_a_sheet_that_is_not_a_file_is_named_with_what_it_is(tmp_path, given, said):
    with pytest.raises(FigureSheetError, match=rf"^{re.escape(str(tmp_path / given))}: {said}$"):
        build(tmp_path / given, tmp_path / "reports", tmp_path / "processed", quiet=True)
    assert not (tmp_path / "reports").exists()


def test_a_notebook_that_is_not_json_is_named_with_its_folder(tmp_path):
    from newsfigures.report.build import notebook_parameters
    from newsfigures.report.execute import parameterize

    broken = tmp_path / "notebooks" / "03_shares.ipynb"
    broken.parent.mkdir()
    broken.write_text("{\n")
    for read in (notebook_parameters, lambda path: parameterize(path, {})):
        with pytest.raises(BuildError, match=rf"^{re.escape(str(broken))}: cannot read notebook \("):
            read(broken)


def test_a_figure_shown_with_pyplot_is_a_vector_in_the_report(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A chart of the author's own"),
            nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.show()"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "01_own.ipynb")
    result = build(
        notebooks_dir=notebooks,
        out=tmp_path / "reports",
        data_out=tmp_path / "processed",
        cache_dir=tmp_path / "cache",
        quiet=True,
    )
    html = result.html.read_text()
    assert "data:image/png" not in html and html.count("<svg") == 1
    assert not [img for page in PdfReader(result.pdf).pages for img in page.images]
