"""Execute notebooks with nbclient on a small pool of warm Jupyter kernels.

Kernel start-up (about a second) dominates a short notebook, so each worker starts
one kernel, warms it by importing newsfigures, and runs jobs one after another on it,
clearing the user namespace between them. Workers run in parallel, one per core at
most. A job is a notebook, with parameters injected by papermill's own
parameterisation, or a single cell of code (the build uses these to check the sheet
and write the processed tables on a kernel that has pandas loaded already).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from newsfigures.core.errors import BuildError

# Imported by every worker's kernel before its first job, so that the first notebook
# does not pay for pandas and matplotlib alone.
WARM_UP = "import newsfigures.report.charts, newsfigures.report.display, newsfigures.core.figures"
#: A figure a notebook shows with pyplot (not a newsfigures chart, which is SVG already)
#: is shown as SVG too, so that the report holds vectors only. Set as the kernel's option,
#: it costs nothing until a notebook draws with pyplot.
KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=svg"]
INJECTED_ID = "injected-parameters"


@dataclass
class Job:
    """One thing to execute: a notebook (``path`` and the ``parameters`` to inject) or,
    when ``code`` is given, that code as a one-cell notebook named ``label``."""

    path: Path | None = None
    parameters: dict = field(default_factory=dict)
    code: str | None = None
    label: str | None = None
    #: The parameterised notebook, once :meth:`prepare` has made it.
    notebook: object | None = field(default=None, repr=False)

    def prepare(self) -> None:
        """Read and parameterise the notebook now (the pool does it otherwise when the
        job starts). Raises BuildError for an unreadable notebook."""
        if self.notebook is None:
            self.notebook = _notebook_for(self)

    @property
    def name(self) -> str:
        return self.label or self.path.name


@dataclass
class Result:
    """What running a :class:`Job` gave.

    Attributes:
        notebook: the executed nbformat notebook, also when it failed.
        seconds: wall-clock time of the execution.
        error: one line naming the job, the cell and the exception; None on success.
        ename, evalue: the exception's class name and message, when a cell raised.
    """

    job: Job
    notebook: object | None
    seconds: float
    error: str | None = None
    ename: str | None = None
    evalue: str | None = None

    def stdout(self) -> str:
        """The text the job printed to standard output."""
        return "".join(
            o.get("text", "")
            for cell in self.notebook.cells
            for o in cell.get("outputs", [])
            if o.get("output_type") == "stream" and o.get("name") == "stdout"
        )


def parameterize(path: Path, parameters: dict):
    """Read a notebook and inject ``parameters`` after its ``parameters`` cell (papermill).

    Returns:
        The notebook node; the injected cell has the fixed id ``injected-parameters`` and
        papermill's version stamp is dropped, so the same inputs give the same notebook.

    Raises:
        BuildError: the notebook cannot be read.
    """
    from nbformat.warnings import MissingIDFieldWarning
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    try:
        with warnings.catch_warnings():
            # Cells written by hand may lack ids; they get stable ones below.
            warnings.simplefilter("ignore", MissingIDFieldWarning)
            nb = load_notebook_node(str(path))
    except Exception as exc:  # nbformat raises several kinds for a broken file
        raise BuildError(f"{path}: cannot read notebook ({type(exc).__name__}: {exc})") from exc
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell["id"] = f"cell-{index}"
    if parameters:
        nb = parameterize_notebook(nb, parameters)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell["id"] = INJECTED_ID
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
    return nb


def _notebook_for(job: Job):
    if job.code is None:
        return parameterize(job.path, job.parameters)
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(job.code)])
    nb.cells[0]["id"] = "job"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _failure(job: Job, nb) -> tuple[str, str | None, str | None]:
    """Describe the first failing cell: ('NAME, cell N: Error: message', ename, evalue)."""
    number = 0
    for cell in nb.cells:
        if cell.get("id") != INJECTED_ID:
            number += 1  # numbered as in the source notebook, without the injected cell
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename, evalue = output.get("ename"), output.get("evalue")
                return f"{job.name}, cell {number}: {ename}: {evalue}", ename, evalue
    return f"{job.name}: execution failed", None, None


class _Worker:
    """One kernel, started once and reused for several jobs."""

    def __init__(self, index: int, cwd: Path, log_dir: Path):
        from jupyter_client.manager import AsyncKernelManager

        self.cwd = cwd
        # A short name: a socket's path must fit in about 100 bytes.
        self.sockets = tempfile.mkdtemp(prefix="k")
        # IPC sockets in a private folder: no TCP port is opened, and jupyter_client
        # does not warn about unencrypted TCP.
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(self.sockets, "k"))
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / f"kernel-{index}.log", "wb")  # noqa: SIM115 (closed in stop())
        self.used = False
        self.ready: asyncio.Task | None = None
        self.kc = None

    async def launch(self) -> None:
        """Start the kernel's process (a tenth of a second); :meth:`start` then waits for it."""
        await self.km.start_kernel(
            cwd=str(self.cwd), stderr=self.log, stdout=self.log, extra_arguments=KERNEL_ARGUMENTS
        )

    async def start(self) -> None:
        if not self.km.has_kernel:
            await self.launch()
        # One client for the kernel's life, handed to every job: a new client's channels
        # cost 0.2 s each time (jupyter_client waits out the first IOPub message, which a
        # just-connected subscriber misses). nbclient uses a client it is given.
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.allow_stdin = False
        await self.kc.wait_for_ready(timeout=60)
        await self._execute(WARM_UP, timeout=120)

    async def _execute(self, code: str, timeout: float) -> None:
        await self.kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=lambda msg: None)

    async def run(self, job: Job, timeout: float) -> Result:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        job.prepare()
        nb = job.notebook
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=max(1, int(timeout)),
            record_timing=False,
            allow_errors=False,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc
        started = time.perf_counter()
        error = ename = evalue = None
        try:
            if self.used:
                # The shell API, not %reset: the magic adds a full gc.collect() that
                # costs more than the whole reset.
                await self._execute("get_ipython().reset(new_session=False)", timeout=30)
            self.used = True
            await client.async_execute()
        except CellExecutionError:
            error, ename, evalue = _failure(job, nb)
        except CellTimeoutError:
            error = f"{job.name}: a cell was still running when the build's time limit ran out"
        except DeadKernelError as exc:
            error = f"{job.name}: the kernel died ({exc}); see .cache/newsfigures/kernel-*.log"
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        return Result(job, nb, time.perf_counter() - started, error, ename, evalue)

    async def stop(self) -> None:
        try:
            if self.ready is not None:
                self.ready.cancel()
                await asyncio.gather(self.ready, return_exceptions=True)
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            if self.km.has_kernel:
                await self.km.shutdown_kernel(now=True)
        finally:
            self.log.close()
            try:
                for name in os.listdir(self.sockets):
                    os.unlink(os.path.join(self.sockets, name))
                os.rmdir(self.sockets)
            except OSError:
                pass


class KernelPool:
    """Up to ``workers`` warm kernels, used as ``async with KernelPool(...) as pool``.

    The kernels start when the block is entered; :meth:`run` hands each job to the first
    free kernel as soon as that kernel is ready. Leaving the block shuts them all down.

    Args:
        workers: number of kernels, at least 1 (the build passes one per core at most).
        cwd: working folder of the kernels (the notebooks folder, for relative paths).
        log_dir: where each kernel's stdout/stderr goes (``kernel-N.log``).
    """

    def __init__(self, workers: int, cwd: Path, log_dir: Path):
        self.workers = [_Worker(i, cwd, log_dir) for i in range(max(1, workers))]

    async def __aenter__(self) -> KernelPool:
        # The processes first, one after the other and before the caller's own work (which
        # would hold the GIL), so that every kernel loads its libraries from the start.
        for worker in self.workers:
            try:
                await worker.launch()
            except Exception:  # reported by run(), as a kernel that did not start
                break
        for worker in self.workers:
            worker.ready = asyncio.ensure_future(worker.start())
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        """Shut the kernels down (nothing to do for those already down); errors in doing so are ignored."""
        await asyncio.gather(*(w.stop() for w in self.workers), return_exceptions=True)

    async def run(self, jobs: list[Job], timeout: float, on_done=None, on_start=None) -> list[Result]:
        """Run ``jobs`` (independent of each other), stopping at the first failure.

        Args:
            jobs: in the order they should start.
            timeout: seconds any one cell may run.
            on_done: called with each :class:`Result` as it completes.
            on_start: called with each :class:`Job` as it starts.

        Returns:
            One :class:`Result` per job that ran, in completion order. When a job fails,
            jobs not yet started are not run and those running are cancelled.
        """
        queue: asyncio.Queue[Job] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        results: list[Result] = []
        # Set once a job fails or the run is cancelled. Jobs cut short after that are
        # not failures of their own (nbclient reports a cancelled cell as a dead
        # kernel), so their results are dropped.
        stopping = asyncio.Event()

        async def work(worker: _Worker) -> None:
            try:
                await worker.ready
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # jupyter_client raises several kinds
                raise BuildError(
                    f"the python3 Jupyter kernel did not start ({type(exc).__name__}: {exc}); "
                    "run 'make setup' to install it"
                ) from exc
            while True:
                try:
                    job = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                if on_start:
                    on_start(job)
                result = await worker.run(job, timeout)
                if stopping.is_set() or asyncio.current_task().cancelling():
                    # Cut short by another job's failure, the time limit or Ctrl-C.
                    raise asyncio.CancelledError
                results.append(result)
                if on_done:
                    on_done(result)
                if result.error:
                    stopping.set()
                    raise _Stop

        tasks = [asyncio.ensure_future(work(w)) for w in self.workers[: max(1, len(jobs))]]
        try:
            await asyncio.gather(*tasks)
        except _Stop:
            pass
        finally:
            stopping.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return results


class _Stop(Exception):
    """A job failed: stop the others."""


class _Loop(asyncio.SelectorEventLoop):
    """An event loop that declines nbclient's SIGINT/SIGTERM handlers.

    nbclient answers Ctrl-C by quietly shutting its kernel down, which the build would
    then report as a dead kernel. Without those handlers Ctrl-C reaches
    :func:`run`, which cancels the work, stops every kernel and raises
    KeyboardInterrupt.
    """

    def add_signal_handler(self, sig, callback, *args):
        raise RuntimeError("signals are handled by the build")


def run(coroutine):
    """Run ``coroutine`` to completion on a :class:`_Loop`, as :func:`asyncio.run` does.

    Raises:
        KeyboardInterrupt: on Ctrl-C, once the coroutine has been cancelled and has
            cleaned up (kernels stopped).
    """
    with asyncio.Runner(loop_factory=_Loop) as runner:
        try:
            return runner.run(coroutine)
        except asyncio.CancelledError:
            # The runner cancels the work on Ctrl-C; depending on where the cancellation
            # landed it re-raises it instead of KeyboardInterrupt.
            raise KeyboardInterrupt from None


def default_workers() -> int:
    """Kernels to run at once: one per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


if sys.platform == "win32":  # pragma: no cover - IPC transport needs a POSIX system
    raise ImportError("newsfigures.report.execute runs kernels over IPC sockets, which Windows lacks")
