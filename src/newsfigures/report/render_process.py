"""Render the report in child processes that the build can stop.

WeasyPrint and nbconvert run in C and in long Python loops that no signal or time limit
interrupts in-process, so a report with a huge cell could render for minutes past the
build's limit. The build starts two renderer processes (:class:`Renderer`), one for the
HTML and one for the PDF, each loading its library while the kernels execute (or while
the other works); it hands them the executed notebooks and waits for the HTML and then
the PDF with the time left; past it, or on Ctrl-C, they are killed. The children write
only into the build's temporary folder, so a killed render leaves nothing in the output
folders; the build stages the files it reads back.

The children ignore SIGINT (the build decides what Ctrl-C stops) and exit when their
standard input closes, so a build killed with -9 does not leave them running.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from newsfigures.core.errors import BuildError

#: Test hook: a FIFO the PDF child opens for reading before it starts, so that a
#: test can hold a render mid-way (opening the FIFO for writing returns once the child is
#: there) and interrupt it. Unset in normal use.
GATE_ENV = "NEWSFIGURES_TEST_RENDER_GATE"


class RenderTimeout(Exception):
    """The build's time limit passed while the renderer was at ``stage``."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


class _Child:
    """One renderer child process (``kind`` "html" or "pdf") and its line protocol."""

    def __init__(self, kind: str, folder: Path):
        self.kind = kind
        self.folder = folder
        self.proc: subprocess.Popen | None = None
        self._buffer = b""

    def start(self) -> None:
        if self.proc is not None:
            return
        import newsfigures

        env = dict(os.environ)
        package_root = str(Path(newsfigures.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        with open(self.folder / f"render-{self.kind}.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsfigures.report.render_process", self.kind],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                cwd=self.folder,
            )

    def send(self, job: dict) -> None:
        self.start()
        try:
            self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            pass  # the child is gone: its exit is reported when its answer is read

    def readline(self, deadline: float, stage: str, stop) -> str:
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                stop()
                raise RenderTimeout(stage)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                code = self.proc.wait()
                raise BuildError(f"the renderer stopped while {stage} (exit status {code}){self._last_log_line()}")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace")

    def _last_log_line(self) -> str:
        try:
            lines = (self.folder / f"render-{self.kind}.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return f": {lines[-1][:300]}" if lines else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        self.stop()
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()


class Renderer:
    """The renderer child processes, started on first use and killed on :meth:`stop`.

    Two processes, one for the HTML (nbconvert) and one for the PDF (WeasyPrint), so that
    each loads its library on its own core while the other works.

    Args:
        folder: a folder of the build's temporary folder, for the job, the outputs and
            the children's logs (their stderr).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._children = {kind: _Child(kind, folder) for kind in ("html", "pdf")}
        #: What the children are doing, for a time-limit error: "rendering the HTML" or "... PDF".
        self.stage = "rendering the HTML"
        #: Whether a render was begun and has not finished (also once it was stopped).
        self.busy = False

    def start(self) -> None:
        """Start the children (they load nbconvert and WeasyPrint while they wait for a job)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for child in self._children.values():
            child.start()

    def render(
        self, notebooks: list[bytes], report: dict, max_output_bytes: int, deadline: float, progress=None
    ) -> tuple[bytes, bytes]:
        """Render the executed notebooks (bytes of ``.ipynb``) to HTML and PDF.

        ``deadline`` is a :func:`time.monotonic` time; ``progress(name, seconds)`` is
        called as each of ``"html"`` and ``"pdf"`` is done.

        Returns:
            ``(html, pdf)``: the HTML page (UTF-8) and the PDF, as bytes.

        Raises:
            RenderTimeout: the deadline passed (the children were killed).
            BuildError: rendering failed, or a child died; the message says why.
            ModuleNotFoundError: a renderer's package is not installed.
        """
        self.start()
        paths_ = []
        for index, data in enumerate(notebooks):
            path = self.folder / f"{index:03d}.ipynb"
            path.write_bytes(data)
            paths_.append(str(path))
        html, pdf = self.folder / "report.html", self.folder / "report.pdf"
        self.busy = True
        self.stage = "rendering the HTML"
        self._children["html"].send(
            {"notebooks": paths_, "report": report, "max_output_bytes": max_output_bytes, "html": str(html)}
        )
        self._answer("html", deadline, progress)
        self.stage = "rendering the PDF"
        self._children["pdf"].send({"html": str(html), "pdf": str(pdf), "title": report.get("title", "Report")})
        self._answer("pdf", deadline, progress)
        # Left True when it failed or was stopped, so that a time-limit error raised
        # elsewhere (the event loop's) still names the stage it stopped in.
        self.busy = False
        return html.read_bytes(), pdf.read_bytes()

    def _answer(self, kind: str, deadline: float, progress) -> None:
        line = self._children[kind].readline(deadline, self.stage, self.stop)
        answer, _, rest = line.partition(" ")
        if answer == "done":
            if progress:
                progress(kind, float(rest))
        elif answer == "missing":
            raise ModuleNotFoundError(f"No module named {rest!r}", name=rest)
        else:
            raise BuildError(rest if answer == "error" else f"the renderer said {line[:200]!r}")

    def stop(self) -> None:
        """Kill the children, if they run, and wait for them (so they write nothing more)."""
        for child in self._children.values():
            child.stop()

    def close(self) -> None:
        for child in self._children.values():
            child.close()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _watch_parent() -> None:
    # The build keeps our stdin open; end of file means it is gone (killed), so stop too.
    while os.read(0, 65536):
        pass
    os._exit(3)


def _warm_html(render) -> None:
    # Import nbconvert and compile the report's template on a one-cell notebook.
    import nbformat

    cell = nbformat.v4.new_markdown_cell("warm-up")
    render.render_html(render.combine([nbformat.v4.new_notebook(cells=[cell])], {"title": "warm-up"}))


def _html_job(render, job: dict) -> None:
    import nbformat

    notebooks = [nbformat.read(p, as_version=4) for p in job["notebooks"]]
    html = render.render_html(render.combine(notebooks, job["report"], job["max_output_bytes"]))
    Path(job["html"]).write_bytes(html.encode("utf-8"))


def _pdf_job(render, job: dict) -> None:
    gate = os.environ.get(GATE_ENV)
    if gate:
        with open(gate, "rb") as held:
            held.read()
    html = Path(job["html"]).read_text(encoding="utf-8")
    Path(job["pdf"]).write_bytes(render.render_pdf(html, title=job["title"]))


def _child(kind: str) -> int:
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer

    def say(line: str) -> None:
        out.write(line.replace("\n", " ").encode("utf-8") + b"\n")
        out.flush()

    try:
        from newsfigures.report import render

        # Warm while the build's kernels work (or at once, when the job is waiting).
        if kind == "pdf":
            render._print_setup()
        elif not select.select([0], [], [], 0)[0]:
            _warm_html(render)
        line = sys.stdin.buffer.readline()
        if not line:
            return 3
        threading.Thread(target=_watch_parent, daemon=True).start()
        started = time.perf_counter()
        (_pdf_job if kind == "pdf" else _html_job)(render, json.loads(line))
        say(f"done {time.perf_counter() - started:.3f}")
        return 0
    except ModuleNotFoundError as exc:
        say(f"missing {exc.name}")
    except BuildError as exc:
        say(f"error {exc}")
    except Exception as exc:  # anything else is still one line for the build to report
        say(f"error rendering failed: {type(exc).__name__}: {exc}")
    return 1


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
