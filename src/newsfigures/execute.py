"""Execute notebooks with nbclient on a small pool of warm Jupyter kernels.

Kernel start-up (about a second) dominates a short notebook, so each worker starts
one kernel, warms it by importing newsfigures, and runs notebooks one after another on
it, clearing the user namespace between them. Workers run in parallel,
one per core at most. Parameters are injected with papermill's own parameterisation.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError

# Imported by every worker's kernel before its first notebook, so that the first
# notebook does not pay for pandas and matplotlib alone.
WARM_UP = "import newsfigures.charts, newsfigures.display, newsfigures.figures"
INJECTED_ID = "injected-parameters"


@dataclass
class Job:
    """One notebook to execute: its source path and the parameters to inject."""

    path: Path
    parameters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Result:
    job: Job
    notebook: object | None  # the executed nbformat notebook (also when it failed)
    seconds: float
    error: str | None = None


def parameterize(path: Path, parameters: dict):
    """Read a notebook and inject ``parameters`` after its ``parameters`` cell (papermill).

    Returns:
        The notebook node; the injected cell has the fixed id ``injected-parameters`` and
        papermill's version stamp is dropped, so the same inputs give the same notebook.

    Raises:
        BuildError: the notebook cannot be read.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    try:
        nb = load_notebook_node(str(path))
    except Exception as exc:  # nbformat raises several kinds for a broken file
        raise BuildError(f"{path.name}: cannot read notebook ({type(exc).__name__}: {exc})") from exc
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


def _failure(job: Job, nb) -> str:
    """Describe the first failing cell as 'NAME, cell N: Error: message'."""
    number = 0
    for cell in nb.cells:
        if cell.get("id") != INJECTED_ID:
            number += 1  # numbered as in the source notebook, without the injected cell
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{job.name}, cell {number}: {output.get('ename')}: {output.get('evalue')}"
    return f"{job.name}: execution failed"


class _Worker:
    def __init__(self, index: int, cwd: Path, log_dir: Path):
        from jupyter_client.manager import AsyncKernelManager

        self.cwd = cwd
        self.sockets = tempfile.mkdtemp(prefix="newsfigures-kernel-")
        # IPC sockets in a private folder: no TCP port is opened, and jupyter_client
        # does not warn about unencrypted TCP.
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(self.sockets, "k"))
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / f"kernel-{index}.log", "wb")
        self.used = False

    async def start(self) -> None:
        await self.km.start_kernel(cwd=str(self.cwd), stderr=self.log, stdout=self.log)
        kc = self.km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            await kc.execute_interactive(WARM_UP, store_history=False, timeout=120, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()

    async def run(self, job: Job, timeout: float) -> Result:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        nb = parameterize(job.path, job.parameters)
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=max(1, int(timeout)),
            record_timing=False,
            allow_errors=False,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        started = time.perf_counter()
        error = None
        try:
            if self.used:
                await self._reset()
            self.used = True
            await client.async_execute()
        except CellExecutionError:
            error = _failure(job, nb)
        except CellTimeoutError:
            error = f"{job.name}: a cell ran longer than the build's time limit ({timeout:.0f} s)"
        except DeadKernelError as exc:
            error = f"{job.name}: the kernel died ({exc}); see .cache/newsfigures/kernel-*.log"
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        return Result(job, nb, time.perf_counter() - started, error)

    async def _reset(self) -> None:
        kc = self.km.client()
        kc.start_channels()
        try:
            # The shell API, not %reset: the magic adds a full gc.collect() that costs more
            # than the whole reset.
            await kc.execute_interactive("get_ipython().reset(new_session=False)", store_history=False,
                                         timeout=30, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()

    async def stop(self) -> None:
        try:
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


async def execute_all(jobs: list[Job], *, cwd: Path, log_dir: Path, workers: int, timeout: float,
                      on_done=None, background=None) -> list[Result]:
    """Execute ``jobs`` on up to ``workers`` warm kernels, stopping at the first failure.

    Args:
        jobs: notebooks to run; independent of each other.
        cwd: working folder of the kernels (the notebooks folder, for relative paths).
        log_dir: where each kernel's stdout/stderr goes (``kernel-N.log``).
        workers: number of kernels, at least 1 (the build passes one per core at most).
        timeout: seconds any one cell may run.
        on_done: called with each :class:`Result` as it completes.
        background: a function run in a thread while the kernels start and work, so
            the caller's own work overlaps with theirs; its exception stops the run.

    Returns:
        One :class:`Result` per job that ran, in completion order. A failed job's result
        has ``error`` set; jobs not yet started when one fails are not run.
    """
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    pool = [_Worker(i, cwd, log_dir) for i in range(max(1, min(workers, len(jobs))))]
    results: list[Result] = []
    failed = asyncio.Event()

    async def work(worker: _Worker) -> None:
        await worker.start()
        while not failed.is_set():
            try:
                job = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            result = await worker.run(job, timeout)
            results.append(result)
            if on_done:
                on_done(result)
            if result.error:
                failed.set()

    tasks = [asyncio.ensure_future(work(w)) for w in pool]
    try:
        if background:
            await asyncio.get_running_loop().run_in_executor(None, background)
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(w.stop() for w in pool), return_exceptions=True)
    return results


def default_workers() -> int:
    """Kernels to run at once: one per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


if sys.platform == "win32":  # pragma: no cover - IPC transport needs a POSIX system
    raise ImportError("newsfigures.execute runs kernels over IPC sockets, which Windows lacks")
