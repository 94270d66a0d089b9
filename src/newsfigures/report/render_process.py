"""Render the report in a child process that the build can stop.

WeasyPrint and nbconvert run in C and in long Python loops that no signal or time limit
interrupts in-process, so a report with a huge cell could render for minutes past the
build's limit. The build starts one renderer process (:class:`Renderer`), warm while the
kernels execute, hands it the executed notebooks, and waits for the HTML and the PDF
with the time left; past it, or on Ctrl-C, the process is killed. The child writes only
into the build's temporary folder, so a killed render leaves nothing in the output
folders; the build stages the files it reads back.

The child ignores SIGINT (the build decides what Ctrl-C stops) and exits when its
standard input closes, so a build killed with -9 does not leave it running.
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

#: Test hook: a FIFO the child opens for reading between the HTML and the PDF, so that a
#: test can hold a render mid-way (opening the FIFO for writing returns once the child is
#: there) and interrupt it. Unset in normal use.
GATE_ENV = "NEWSFIGURES_TEST_RENDER_GATE"


class RenderTimeout(Exception):
    """The build's time limit passed while the renderer was at ``stage``."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


class Renderer:
    """One renderer child process, started on first use and killed on :meth:`stop`.

    Args:
        folder: a folder of the build's temporary folder, for the job, the outputs and
            the child's log (its stderr).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.proc: subprocess.Popen | None = None
        self._buffer = b""
        #: What the child is doing, for a time-limit error: "rendering the HTML" or "... PDF".
        self.stage = "rendering the HTML"
        #: Whether a render was begun and has not finished (also once it was stopped).
        self.busy = False

    def start(self) -> None:
        """Start the child (it warms nbconvert and WeasyPrint while it waits for a job)."""
        if self.proc is not None:
            return
        import newsfigures

        self.folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        package_root = str(Path(newsfigures.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        with open(self.folder / "render.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsfigures.report.render_process"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                cwd=self.folder,
            )

    def render(
        self, notebooks: list[bytes], report: dict, max_output_bytes: int, deadline: float, progress=None
    ) -> tuple[bytes, bytes]:
        """Render the executed notebooks (bytes of ``.ipynb``) to HTML and PDF.

        ``deadline`` is a :func:`time.monotonic` time; ``progress(name, seconds)`` is
        called as each of ``"html"`` and ``"pdf"`` is done.

        Returns:
            ``(html, pdf)``: the HTML page (UTF-8) and the PDF, as bytes.

        Raises:
            RenderTimeout: the deadline passed (the child was killed).
            BuildError: rendering failed, or the child died; the message says why.
            ModuleNotFoundError: a renderer's package is not installed.
        """
        self.start()
        paths_ = []
        for index, data in enumerate(notebooks):
            path = self.folder / f"{index:03d}.ipynb"
            path.write_bytes(data)
            paths_.append(str(path))
        html, pdf = self.folder / "report.html", self.folder / "report.pdf"
        job = {
            "notebooks": paths_,
            "report": report,
            "max_output_bytes": max_output_bytes,
            "html": str(html),
            "pdf": str(pdf),
        }
        self.stage = "rendering the HTML"
        self.busy = True
        result = self._wait(html, pdf, deadline, progress, json.dumps(job).encode())
        # Left True when it failed or was stopped, so that a time-limit error raised
        # elsewhere (the event loop's) still names the stage it stopped in.
        self.busy = False
        return result

    def _wait(self, html: Path, pdf: Path, deadline: float, progress, job: bytes) -> tuple[bytes, bytes]:
        try:
            self.proc.stdin.write(job + b"\n")
            self.proc.stdin.flush()
        except OSError:
            pass  # the child is gone: its exit is reported below
        while True:
            line = self._readline(deadline)
            kind, _, rest = line.partition(" ")
            if kind == "html":
                self.stage = "rendering the PDF"
                if progress:
                    progress("html", float(rest))
            elif kind == "pdf":
                if progress:
                    progress("pdf", float(rest))
                return html.read_bytes(), pdf.read_bytes()
            elif kind == "missing":
                raise ModuleNotFoundError(f"No module named {rest!r}", name=rest)
            elif kind == "error":
                raise BuildError(rest)

    def _readline(self, deadline: float) -> str:
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise RenderTimeout(self.stage)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                code = self.proc.wait()
                raise BuildError(f"the renderer stopped while {self.stage} (exit status {code}){self._last_log_line()}")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace")

    def _last_log_line(self) -> str:
        try:
            lines = (self.folder / "render.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return f": {lines[-1][:300]}" if lines else ""

    def stop(self) -> None:
        """Kill the child, if it runs, and wait for it (so it writes nothing more)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        self.stop()
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()

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


def _child() -> int:
    import concurrent.futures
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer

    def say(line: str) -> None:
        out.write(line.replace("\n", " ").encode("utf-8") + b"\n")
        out.flush()

    try:
        from newsfigures.report import render

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            # WeasyPrint loads its fonts and stylesheets while nbconvert starts (or
            # renders the HTML, when the job is waiting already).
            warm = pool.submit(render._print_setup)
            if not select.select([0], [], [], 0)[0]:
                _warm_html(render)
            line = sys.stdin.buffer.readline()
            if not line:
                return 3
            threading.Thread(target=_watch_parent, daemon=True).start()
            job = json.loads(line)
            import nbformat

            notebooks = [nbformat.read(p, as_version=4) for p in job["notebooks"]]
            started = time.perf_counter()
            html = render.render_html(render.combine(notebooks, job["report"], job["max_output_bytes"]))
            Path(job["html"]).write_bytes(html.encode("utf-8"))
            warm.result()
        say(f"html {time.perf_counter() - started:.3f}")
        gate = os.environ.get(GATE_ENV)
        if gate:
            with open(gate, "rb") as held:
                held.read()
        started = time.perf_counter()
        pdf = render.render_pdf(html, title=job["report"].get("title", "Report"))
        Path(job["pdf"]).write_bytes(pdf)
        say(f"pdf {time.perf_counter() - started:.3f}")
        return 0
    except ModuleNotFoundError as exc:
        say(f"missing {exc.name}")
    except BuildError as exc:
        say(f"error {exc}")
    except Exception as exc:  # anything else is still one line for the build to report
        say(f"error rendering failed: {type(exc).__name__}: {exc}")
    return 1


if __name__ == "__main__":
    sys.exit(_child())
