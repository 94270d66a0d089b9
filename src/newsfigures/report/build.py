"""Build the report: tidy tables, executed notebooks, one HTML and one PDF.

``python -m newsfigures build`` (and ``make report``) calls :func:`build`. The build is
incremental and crash-safe:

* each notebook is keyed by the SHA-256 of everything its execution depends on (its
  code cells, the package's code, the data files passed to it as parameters, the article
  metadata, the pinned requirements and the Python version); an executed notebook
  whose key is in the cache (``.cache/newsfigures/executed/``) is reused, not re-run,
  with its outputs merged into the notebook's current markdown, so that an edit to
  the prose re-renders the report without starting a kernel;
* the HTML and PDF are re-rendered only when an executed notebook changed;
* every output is written beside its target and renamed into place, HTML and PDF
  together, so a failed build leaves the last good report as it was;
* builds into the same outputs take turns (a file lock), and a whole-build time limit
  stops a hung kernel.

The no-op path (nothing changed) hashes inputs and stats outputs only; it imports
neither pandas nor Jupyter, so it finishes in a few hundredths of a second.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsfigures import __version__
from newsfigures.core import paths
from newsfigures.core.errors import BuildError, FigureSheetError
from newsfigures.core.fileio import (
    commit,
    discard,
    locked,
    read_checked,
    sha256_file,
    stage,
    write_atomic,
    write_checked,
)

REPORT_STEM = "report"
#: Notebooks in the report: ``notebooks/NN_name.ipynb``, in name order.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
_CACHE_KEEP = 64  # executed notebooks kept in the cache (newest first)


@dataclass
class BuildResult:
    """What a build produced and what it did.

    Attributes:
        html, pdf: the report files.
        notebooks: the executed notebooks kept beside the report.
        tables: the processed tables (CSV and Parquet) and their ``datapackage.json``.
        executed: names of notebooks executed in this build.
        reused: names of notebooks whose executed copy came from the cache.
        rendered: whether the HTML and PDF were rendered again.
        up_to_date: whether nothing at all had to be done.
    """

    html: Path
    pdf: Path
    notebooks: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    rendered: bool = False
    up_to_date: bool = False


class _Progress:
    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, stage_name: str, what: str, seconds: float | None = None) -> None:
        if self.quiet:
            return
        timing = f"{seconds:6.2f} s" if seconds is not None else ""
        try:
            print(f"{stage_name:<8} {what:<34} {timing}".rstrip(), file=sys.stderr, flush=True)
        except (BrokenPipeError, ValueError):
            # The reader went away (`build 2>&1 | head -1`) or stderr is closed: the
            # progress lines are for a reader, so the build goes on without them.
            self.quiet = True


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_or_tree_hash(path: Path) -> str | None:
    if path.is_file():
        return sha256_file(path)
    if path.is_dir():
        return _tree_hash(path)
    return None


def notebook_parameters(path: Path) -> list[str]:
    """Return the names assigned in a notebook's ``parameters``-tagged cell.

    Papermill finds the cell the same way; this reads only the JSON and the cell's
    syntax tree, because importing papermill would cost the no-op build half a second.

    Raises:
        BuildError: the notebook is not valid JSON, or its parameters cell is not valid Python.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(f"{path}: cannot read notebook ({exc})") from None
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            try:
                tree = ast.parse(source)
            except SyntaxError as exc:
                raise BuildError(f"{path.name}: parameters cell is not valid Python ({exc.msg})") from None
            return [
                t.id
                for node in tree.body
                if isinstance(node, (ast.Assign, ast.AnnAssign))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(t, ast.Name)
            ]
    return []


def _cells(nb: dict) -> list[dict]:
    return nb.get("cells", [])


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def code_key(path: Path) -> str:
    """Return the SHA-256 of what executes in a notebook: its code cells' sources and tags.

    Markdown, outputs, execution counts and metadata do not count, so an edit to the
    prose keeps the key.

    Raises:
        BuildError: the notebook is not valid JSON.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(f"{path.name}: cannot read notebook ({exc})") from None
    code = [
        (_text(c.get("source", "")), sorted(c.get("metadata", {}).get("tags", [])))
        for c in _cells(nb)
        if c.get("cell_type") == "code"
    ]
    return _digest(code, nb.get("metadata", {}).get("kernelspec", {}).get("name"))


def merge_outputs(source: Path, executed: bytes) -> bytes:
    """Return the executed notebook with its markdown replaced by ``source``'s.

    ``executed`` is an executed copy of a notebook whose code cells are those of
    ``source`` (the same :func:`code_key`); its code cells, their outputs, the
    parameters papermill injected and what the kernel recorded (``language_info``,
    ``papermill``) are kept; every other cell, in order, and the rest of the metadata
    come from ``source``. An unchanged notebook gives back ``executed`` byte for byte.
    """
    new = json.loads(source.read_text(encoding="utf-8"))
    old = json.loads(executed)
    queue = [c for c in _cells(old) if c.get("cell_type") == "code"]
    cells = []
    for cell in _cells(new):
        if cell.get("cell_type") != "code":
            cells.append(cell)
            continue
        cells.append(queue.pop(0))
        while queue and "injected-parameters" in queue[0].get("metadata", {}).get("tags", []):
            cells.append(queue.pop(0))
    old["cells"] = cells
    ran = {k: v for k, v in old.get("metadata", {}).items() if k in ("language_info", "papermill")}
    old["metadata"] = {**new.get("metadata", {}), **ran}
    return json.dumps(old, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _source_date_epoch(sources: list[dict]) -> str:
    # Fonts subset into the PDF carry a timestamp; pin it to the latest article's
    # publication date so that two builds of the same inputs give the same bytes.
    dates = [c["published"] for c in sources if c.get("published")]
    if not dates:  # problems with the sources are reported where they are validated
        return "0"
    latest = max(dates)
    return str(int(datetime(latest.year, latest.month, latest.day, tzinfo=UTC).timestamp()))


def _report_block(story, sheet: Path, sources: list[dict]) -> dict:
    return {
        "kicker": "newsfigures report",
        "title": story.title,
        "articles": [
            {
                "outlet": c["outlet"],
                "title": c["title"],
                "published_text": f"{c['published'].day} {c['published']:%B %Y}" if c.get("published") else "",
                "url": c["url"],
            }
            for c in sources
        ],
        "notes": [
            "Every figure keeps the qualifier it was printed with, its bounds and whom the "
            "article credits; charts draw bounds as bounds, never as exact numbers.",
            f"Figure sheet: {sheet.name} (SHA-256 {sha256_file(sheet)[:12]}). Built with newsfigures {__version__}.",
        ],
    }


class _Manifest:
    """What the last build of an output folder produced, stored in the cache."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = json.loads(path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    @staticmethod
    def stamp(paths_: list[Path]) -> dict[str, list[int]]:
        stamps = {}
        for p in paths_:
            st = p.stat()
            stamps[str(p)] = [st.st_size, st.st_mtime_ns]
        return stamps

    def outputs_intact(self) -> bool:
        recorded = self.data.get("outputs") or {}
        if not recorded:
            return False
        try:
            return all(self.stamp([Path(p)])[p] == v for p, v in recorded.items())
        except OSError:
            return False

    def save(self, **data) -> None:
        self.data = data
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))


def build(
    sheet: str | Path | None = None,
    out: str | Path | None = None,
    data_out: str | Path | None = None,
    *,
    story: str | Path | None = None,
    reference: str | Path | None = None,
    article: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    jobs: int | None = None,
    timeout: float = 900.0,
    max_output_bytes: int | None = None,
    quiet: bool = False,
    force: bool = False,
    cache_dir: str | Path | None = None,
) -> BuildResult:
    """Build a story's report.

    Args:
        sheet: figure sheet CSV; default the story's (``figures``).
        out: report folder; default the story's ``reports``. Receives ``report.html``,
            ``report.pdf`` and ``notebooks/NN_*.ipynb`` (the executed notebooks).
        data_out: folder for the processed tables; default the story's ``processed``.
        story: the story file or folder (:mod:`newsfigures.core.stories`); default the
            example story, ``data/story.toml``. Its title and sources make the title block;
            its sections, the notebooks.
        reference: folder of the reference data extract; default the story's ``reference``.
        article: the article's text file, for notebooks that read it; default
            :func:`newsfigures.core.paths.article_text_path` where that file exists. The
            report builds without it (such notebooks say the text is unavailable).
        notebooks_dir: build every ``NN_*.ipynb`` notebook of this folder, in name order,
            instead of the story's sections.
        jobs: kernels to run at once; default one per core.
        timeout: whole-build time limit in seconds, over every stage (execution,
            tables, HTML, PDF); also the limit for any one cell.
        max_output_bytes: size limit of one cell's outputs in the report (text and
            images); past it the report shows the outputs cut, with a note. Default
            :data:`newsfigures.report.render.MAX_OUTPUT_BYTES` (2 MB).
        quiet: print nothing (otherwise one line per stage with its time, on stderr).
        force: ignore the cache and do everything again.
        cache_dir: cache folder; default ``.cache/newsfigures/``.

    Returns:
        A :class:`BuildResult`.

    Raises:
        StoryError: the story file or its sources file is missing or invalid.
        FigureSheetError: the sheet is missing or invalid (names file, row, column), or
            names a source the sources file does not register.
        ReferenceDataError, ArticleError: the reference data or the article text is
            unusable (raised in a notebook and reported as itself; nothing is written).
        BuildError: a notebook failed (names the notebook, the cell and the exception;
            the executed notebook is kept as ``notebooks/NAME.failed.ipynb``), rendering
            failed, or the time limit passed. The previous report is left untouched.
    """
    from newsfigures.core.sources import read_citations
    from newsfigures.core.stories import load_story

    deadline = time.monotonic() + timeout
    progress = _Progress(quiet)
    story = load_story(story if story is not None else paths.STORY)
    sheet = Path(sheet).resolve() if sheet is not None else story.figures
    out = Path(out).resolve() if out is not None else story.reports
    data_out = Path(data_out).resolve() if data_out is not None else story.processed
    cache = Path(cache_dir).resolve() if cache_dir is not None else paths.CACHE_DIR
    reference = Path(reference).resolve() if reference is not None else story.reference
    if story.checks is not None and reference is None:
        reference = paths.REFERENCE_DIR
    if article is not None:
        from newsfigures.core.article import read_article

        article = Path(article).resolve()
        read_article(article)  # the notebooks read it: a device, FIFO or bad text fails here, as itself
    elif paths.article_text_path().is_file():
        article = paths.article_text_path().resolve()
    if not sheet.is_file():
        what = "is a directory, not a CSV file" if sheet.is_dir() else "no such file"
        raise FigureSheetError(sheet, [(None, None, what)])
    citations = read_citations(story.sources)
    sources = _notebooks(story, notebooks_dir)
    notebooks_dir = sources[0].parent  # the kernels' working folder, as for a user's `make lab`
    # The caller's, if set; else the story's own, set for this build only (a second build
    # in the same process, of another story, gets its own).
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _source_date_epoch(citations)
    for path in sources:
        _check_kernelspec(path)

    # Inputs every notebook depends on; a change to any re-executes everything.
    requirements = paths.ROOT / "requirements.txt"
    common = {
        "code": _tree_hash(paths.PACKAGE_DIR),
        "story": [sha256_file(story.path), sha256_file(story.sources)],
        "requirements": _file_or_tree_hash(requirements) if requirements.exists() else None,
        "python": sys.version,
        "epoch": epoch,
        # A table cut short names where the full table is: the notebooks' outputs say it.
        "processed": processed_shown(data_out, out),
    }
    # Values for the notebooks' parameters cells; a notebook gets those it declares, and
    # its cache key covers the contents of the files and folders it is given.
    provided = {"sheet": sheet, "story": story.path, "sources": story.sources}
    if reference is not None:
        provided["reference"] = reference
    if article is not None:
        provided["article"] = article
    keys: dict[str, str] = {}
    prose: dict[str, str] = {}  # whole-file hashes: a markdown edit re-renders, but executes nothing
    parameters: dict[str, dict] = {}
    for path in sources:
        names = notebook_parameters(path)
        given = {n: provided[n] for n in names if n in provided}
        # Absolute paths, so that an error raised in a notebook names the file as the
        # user gave it, not relative to the notebooks' folder.
        parameters[path.name] = {n: str(v) for n, v in given.items()}
        files = {n: _file_or_tree_hash(Path(v)) for n, v in given.items()}
        keys[path.name] = _digest(common, code_key(path), parameters[path.name], files)
        prose[path.name] = sha256_file(path)
    tables_key = _digest(common, sha256_file(sheet), _file_or_tree_hash(reference) if reference else None)

    html_path, pdf_path = out / f"{REPORT_STEM}.html", out / f"{REPORT_STEM}.pdf"
    executed_dir = out / "notebooks"
    result = BuildResult(html=html_path, pdf=pdf_path, notebooks=[executed_dir / p.name for p in sources])
    with contextlib.ExitStack() as held:
        # One lock per output folder, taken in a fixed order so that two builds sharing
        # only one folder cannot deadlock.
        for folder in sorted({str(out), str(data_out)}):
            held.enter_context(
                locked(
                    cache / "locks" / f"{_digest(folder)[:16]}.lock",
                    lambda: progress("wait", "another build is writing here"),
                )
            )
        manifest = _Manifest(cache / "builds" / f"{_digest(str(out), str(data_out))[:16]}.json")
        if (
            not force
            and manifest.get("tables_key") == tables_key
            and manifest.get("notebooks") == keys
            and manifest.get("sources") == prose
            and manifest.outputs_intact()
        ):
            result.tables = [Path(p) for p in manifest.get("tables", [])]
            result.up_to_date = True
            _remove_failed_copies(executed_dir, sources)
            _remove_leftovers([out, executed_dir, data_out])
            _remove_killed_temps()
            progress("done", "up to date, nothing to do", time.perf_counter() - progress.start)
            return result
        made = _prepare_folders([out, executed_dir, data_out])
        temp = held.enter_context(
            _build_temp({paths.PROCESSED_SHOWN_ENV: common["processed"], "SOURCE_DATE_EPOCH": epoch})
        )
        from newsfigures.report.render_process import Renderer

        renderer = held.enter_context(Renderer(temp / "render"))
        plan = _Plan(
            story,
            citations,
            sources,
            keys,
            parameters,
            tables_key,
            common["code"],
            sheet,
            reference,
            data_out,
            notebooks_dir,
            cache,
            jobs,
            deadline,
            timeout,
            force,
            progress,
            max_output_bytes,
            renderer,
        )
        try:
            _build_stale(plan, result, manifest)
        except BaseException:
            # Files staged by a render or a kernel cut short (an error, Ctrl-C, the time
            # limit): this build holds the folders' locks, so these are its own.
            _remove_leftovers([out, executed_dir, data_out])
            _remove_empty(made)  # a first build into new folders stopped: none left behind
            raise
    return result


@dataclass
class _Plan:
    """Everything a stale build needs to know, worked out by :func:`build`."""

    story: object  #: the :class:`newsfigures.core.stories.Story`
    citations: list[dict]
    sources: list[Path]
    keys: dict[str, str]
    parameters: dict[str, dict]
    tables_key: str
    code_hash: str
    sheet: Path
    reference: Path | None
    data_out: Path
    notebooks_dir: Path
    cache: Path
    jobs: int | None
    deadline: float
    timeout: float
    force: bool
    progress: _Progress
    max_output_bytes: int | None = None
    #: The renderer process (:class:`newsfigures.report.render_process.Renderer`).
    renderer: object | None = None
    #: Names of the notebooks executing now, for a time-limit error to name.
    running: set = field(default_factory=set)
    #: What the build is doing when no notebook is executing, for a time-limit error.
    stage: str = "while starting the kernels"

    def job_started(self, job) -> None:
        self.running.add(job.name)

    def job_done(self, res) -> None:
        self.running.discard(res.job.name)
        if not res.error:
            self.progress("execute", res.job.name, res.seconds)

    def remaining(self) -> float:
        return max(1.0, self.deadline - time.monotonic())

    def over_time(self, when: str, stopped: str = "") -> BuildError:
        """The one error of a passed time limit: ``when`` (``while rendering the PDF``)
        and what was stopped (``kernels``), if anything was running."""
        done = f"{stopped} stopped and the" if stopped else "the"
        return BuildError(
            f"the build passed its time limit of {self.timeout:g} s {when}; {done} previous report is unchanged"
        )

    def check_time(self, stage_name: str) -> None:
        """Raise BuildError if the build's time limit passed before ``stage_name``."""
        if time.monotonic() > self.deadline:
            raise self.over_time(f"before {stage_name}")


# A one-cell job run on a warm kernel, where pandas is loaded already, while this process
# renders the report.
_STAGE_TABLES = (
    "import json\nfrom newsfigures.report.processed import stage_tables\n"
    "staged, tables = stage_tables({data_out!r}, {story!r}, sheet={sheet!r}, reference={reference!r})\n"
    "print(json.dumps({{'staged': {{str(k): str(v) for k, v in staged.items()}},\n"
    "                  'tables': [str(p) for p in tables]}}))"
)


def _build_stale(plan: _Plan, result: BuildResult, manifest: _Manifest) -> None:
    from newsfigures.report.execute import Job

    tables_fresh = (
        not plan.force
        and manifest.get("tables_key") == plan.tables_key
        and all(Path(p).exists() for p in manifest.get("tables", [None]))
    )
    if tables_fresh:
        result.tables = [Path(p) for p in manifest.get("tables")]
    store = plan.cache / "executed"
    texts: dict[str, bytes] = {}
    jobs = []
    for path in plan.sources:
        cached = store / f"{plan.keys[path.name]}.ipynb"
        # A damaged entry (its bytes no longer match their hash) is a miss, and is re-made.
        data = None if plan.force else read_checked(cached)
        if data is not None:
            texts[path.name] = merge_outputs(path, data)
            os.utime(cached)  # pruning keeps the most recently used entries
            result.reused.append(path.name)
            plan.progress("reuse", f"{path.name} (code unchanged)")
        else:
            jobs.append(Job(path, plan.parameters[path.name]))

    if jobs:
        from newsfigures.report.execute import run

        plan.stage = f"while starting the kernels for {', '.join(sorted(j.path.name for j in jobs))}"

        try:
            staged = run(
                asyncio.wait_for(
                    _run_on_kernels(plan, result, manifest, jobs, texts, tables_fresh), timeout=plan.remaining()
                )
            )
        except TimeoutError:
            if plan.renderer is not None and plan.renderer.busy:
                raise plan.over_time(f"while {plan.renderer.stage}", "the renderer was") from None
            stage_name = f"while executing {', '.join(sorted(plan.running))}" if plan.running else plan.stage
            raise plan.over_time(stage_name, "kernels were") from None
    else:
        staged = {}
        if not tables_fresh:
            from newsfigures.report.processed import stage_tables

            started = time.perf_counter()
            tables, result.tables = stage_tables(
                plan.data_out, plan.story.path, sheet=plan.sheet, reference=plan.reference
            )
            staged.update(tables)
            plan.progress(
                "tables", f"{_show(plan.data_out)} ({len(result.tables)} files)", time.perf_counter() - started
            )
        try:
            staged.update(_render_if_needed(plan, result, manifest, texts))
        except BaseException:
            discard(staged)
            raise

    executed_dir = result.html.parent / "notebooks"
    for path in plan.sources:
        write_atomic(executed_dir / path.name, texts[path.name])
    _remove_failed_copies(executed_dir, plan.sources)
    _prune(store)
    if not result.rendered:
        plan.progress("reuse", f"{result.html.name}, {result.pdf.name} (unchanged)")
    # Tables and report are replaced together, only now that both are ready.
    commit(staged)
    outputs = [result.html, result.pdf, *result.notebooks, *result.tables]
    manifest.save(
        tables_key=plan.tables_key,
        notebooks=plan.keys,
        sources={p.name: sha256_file(p) for p in plan.sources},
        render_key=_render_key(plan, texts),
        tables=[str(p) for p in result.tables],
        outputs=_Manifest.stamp(outputs),
    )
    plan.progress("done", f"{_show(result.html)}, {result.pdf.name}", time.perf_counter() - plan.progress.start)


async def _run_on_kernels(
    plan: _Plan, result: BuildResult, manifest: _Manifest, jobs: list, texts: dict, tables_fresh: bool
) -> dict:
    """Execute ``jobs`` on warm kernels, then write the tables on a kernel while this
    process renders the report; return the staged report files (not yet committed)."""
    from newsfigures.report.execute import KernelPool, default_workers

    # Longest first, so that the slowest notebook does not start last on a free core:
    # by the last run time recorded here, else by size (bigger notebooks do more).
    timings_path = plan.cache / "timings.json"
    try:
        timings = json.loads(timings_path.read_text())
    except (OSError, ValueError):
        timings = {}
    jobs.sort(key=lambda job: (-timings.get(job.name, 0.0), -job.path.stat().st_size, job.name))

    workers = min(plan.jobs or default_workers(), default_workers())
    try:
        async with KernelPool(workers, plan.notebooks_dir, plan.cache) as pool:
            return await _on_pool(pool, plan, result, manifest, jobs, texts, tables_fresh, timings, timings_path)
    except BaseException:
        # Cancelled (the time limit, Ctrl-C) or failed: kill the renderer now, so that the
        # thread waiting for it ends before the event loop closes.
        plan.renderer.stop()
        raise


async def _on_pool(pool, plan, result, manifest, jobs, texts, tables_fresh, timings, timings_path) -> dict:
    import nbformat

    from newsfigures.core.errors import relay
    from newsfigures.report.execute import Job

    loop = asyncio.get_running_loop()
    # While the kernels start, parameterise the notebooks (papermill takes half a
    # second to import); while they work, warm the renderers.
    await loop.run_in_executor(None, lambda: [job.prepare() for job in jobs])
    plan.renderer.start()  # it warms nbconvert and WeasyPrint while the kernels work
    results = await pool.run(jobs, plan.remaining(), on_done=plan.job_done, on_start=plan.job_started)
    failed = [r for r in results if r.error]
    for res in failed:
        # Bad input (a sheet, the reference data, the article) fails every notebook
        # that reads it: report the input's own error, as a build without kernels
        # would, and keep no failed notebooks, since the notebooks are not at fault.
        error = relay(res.ename, res.evalue)
        if error is not None and not isinstance(error, BuildError):
            raise error
    executed_dir = result.html.parent / "notebooks"
    for res in results:
        data = nbformat.writes(res.notebook).encode("utf-8")
        if res.error:
            write_atomic(_failed_copy(executed_dir, res.job.path), data)
            continue
        write_checked(plan.cache / "executed" / f"{plan.keys[res.job.name]}.ipynb", data)
        texts[res.job.name] = data
        result.executed.append(res.job.name)
        timings[res.job.name] = round(res.seconds, 3)
    write_atomic(timings_path, json.dumps(timings, indent=1, sort_keys=True))
    if failed:
        kept = "; ".join(
            f"{r.error} (executed notebook kept at {_show(_failed_copy(executed_dir, r.job.path))})" for r in failed
        )
        raise BuildError(f"{kept}; the previous report is unchanged")

    plan.stage = "while writing the tables and rendering the report"
    write = Job(
        code=_STAGE_TABLES.format(
            data_out=str(plan.data_out),
            story=str(plan.story.path),
            sheet=str(plan.sheet),
            reference=str(plan.reference) if plan.reference else None,
        ),
        label="tables",
    )

    async def tables_then_close():
        try:
            return None if tables_fresh else await pool.run([write], plan.remaining())
        finally:
            # Nothing more runs on the kernels: they shut down while the report renders,
            # not after it (a tenth of a second at the end of every cold build).
            await pool.close()

    render = loop.run_in_executor(None, _render_if_needed, plan, result, manifest, texts)
    outcomes = await asyncio.gather(render, tables_then_close(), return_exceptions=True)
    staged = outcomes[0] if isinstance(outcomes[0], dict) else {}
    tables = None
    if isinstance(outcomes[1], list) and outcomes[1] and not outcomes[1][0].error:
        tables = json.loads(outcomes[1][0].stdout())
        staged.update({Path(k): Path(v) for k, v in tables["staged"].items()})
    for outcome in outcomes:
        error = outcome if isinstance(outcome, BaseException) else None
        if isinstance(outcome, list):
            error = next((relay(r.ename, r.evalue) or BuildError(r.error) for r in outcome if r.error), None)
            if not outcome:  # cancelled before it ran
                error = BuildError("the tables were not written")
        if error is not None:
            discard(staged)
            raise error
    if tables is not None:
        result.tables = [Path(p) for p in tables["tables"]]
        plan.progress("tables", f"{_show(plan.data_out)} ({len(result.tables)} files)", outcomes[1][0].seconds)
    return staged


def _notebooks(story, notebooks_dir: str | Path | None) -> list[Path]:
    """The notebooks to build: every ``NN_*.ipynb`` of ``notebooks_dir`` in name order when
    it is given, else the story's sections in order (its notebooks folder, in name order,
    when it lists none).

    Raises:
        BuildError: there are no notebooks, or a section's notebook is missing.
    """
    if notebooks_dir is None and story.sections:
        listed = story.notebook_paths()
        missing = [p for p in listed if not p.is_file()]
        if missing:
            raise BuildError(f"{story.path}: section notebook {missing[0].name} is not in {missing[0].parent}")
        return listed
    folder = Path(notebooks_dir).resolve() if notebooks_dir is not None else story.notebooks
    found = sorted(folder.glob(NOTEBOOK_GLOB))
    if not found:
        raise BuildError(f"{folder}: no notebooks named like {NOTEBOOK_GLOB}")
    return found


_TEMP_PREFIX = "newsfigures-"


def processed_shown(data_out: Path, out: Path) -> str:
    """How the report names the processed tables' folder: relative to the project's
    root when inside it (``data/processed/``), else relative to the report folder ``out``
    (``../processed/``), so that no local path reaches the report and a story folder
    moved elsewhere keeps its cache; ends with ``/``."""
    data_out = data_out.resolve()
    try:
        shown = data_out.relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        shown = Path(os.path.relpath(data_out, Path(out).resolve())).as_posix()
    return shown.rstrip("/") + "/"


@contextlib.contextmanager
def _build_temp(extra_env: dict[str, str] | None = None):
    """Give the build, its renderers and its kernels one temporary folder of their own
    (``$TMPDIR/newsfigures-PID``: WeasyPrint's font folders, kernel sockets and
    connection files), removed when the build ends, however it ends short of kill -9.
    Folders of builds whose process is gone (killed) are removed first."""
    import shutil
    import signal
    import tempfile

    base = _remove_killed_temps()
    folder = base / f"{_TEMP_PREFIX}{os.getpid()}"
    folder.mkdir(exist_ok=True)
    extra_env = extra_env or {}
    saved = {name: os.environ.get(name) for name in ("TMPDIR", "JUPYTER_RUNTIME_DIR", *extra_env)}
    saved_tempdir = tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    os.environ.update(extra_env)  # for the kernels
    tempfile.tempdir = str(folder)
    previous_term = None
    if threading_main():
        # SIGTERM ends the build as Ctrl-C does: cleanly, with its temporary files removed.
        previous_term = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield folder
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        tempfile.tempdir = saved_tempdir
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        render = sys.modules.get("newsfigures.report.render")
        if render is not None:
            # WeasyPrint's font configuration keeps files in this folder: make it again next time.
            render._print_setup.cache_clear()
            render._on_demand_sheet.cache_clear()
        shutil.rmtree(folder, ignore_errors=True)


def _remove_killed_temps() -> Path:
    """Remove the temporary folders of builds whose process is gone (killed with -9), and
    only those; return the temporary folders' parent."""
    import shutil
    import tempfile

    base = Path(tempfile.gettempdir())
    for leftover in base.glob(f"{_TEMP_PREFIX}*"):
        pid = leftover.name.removeprefix(_TEMP_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    return base


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class Terminated(KeyboardInterrupt):
    """SIGTERM: the build stops as on Ctrl-C, and the command exits with 128 + 15."""

    signum = 15


def _terminate(signum, frame):
    raise Terminated


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_kernelspec(path: Path) -> None:
    """Raise BuildError for a notebook whose metadata asks for a kernel other than python3."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(f"{path.name}: cannot read notebook ({exc})") from None
    spec = (nb.get("metadata") or {}).get("kernelspec") or {}
    name = spec.get("name", "python3") if isinstance(spec, dict) else "python3"
    if name != "python3":
        raise BuildError(f"{path.name}: asks for the {name!r} kernel; the report's notebooks run on 'python3'")


def _prepare_folders(folders: list[Path]) -> list[Path]:
    """Create the output folders, check that they can be written, and remove temporary
    files a build killed mid-way left there (this build holds their locks).

    Returns:
        The folders this call created, parents first (for :func:`_remove_empty`).

    Raises:
        BuildError: a folder cannot be created or written, before any work is done; the
            folders this call created are removed again.
    """
    made: list[Path] = []
    for folder in folders:
        try:
            missing = [p for p in (folder, *folder.parents) if not p.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            _remove_leftovers([folder])
            discard({folder / ".write-check": stage(folder / ".write-check", b"")})
        except OSError as exc:
            _remove_empty(made)
            raise BuildError(f"{folder}: cannot write the build's outputs here ({exc.strerror or exc})") from None
    return made


def _remove_empty(made: list[Path]) -> None:
    """Remove the folders a build made (parents first in ``made``) that are still empty."""
    for path in reversed(made):
        with contextlib.suppress(OSError):
            path.rmdir()  # fails, and keeps it, unless empty


def _remove_leftovers(folders: list[Path]) -> None:
    """Remove the temporary files (``.NAME.*.tmp``) of staged outputs in ``folders``."""
    for folder in folders:
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def _failed_copy(executed_dir: Path, source: Path) -> Path:
    """Where the executed copy of a notebook that failed is kept for inspection."""
    return executed_dir / source.name.replace(".ipynb", ".failed.ipynb")


def _remove_failed_copies(executed_dir: Path, sources: list[Path]) -> None:
    for path in sources:
        _failed_copy(executed_dir, path).unlink(missing_ok=True)


def _render_key(plan: _Plan, texts: dict) -> str:
    # The report depends on the executed notebooks, not on why they were executed: a
    # re-run that reproduces the same outputs does not re-render. The code hash covers
    # the template and stylesheets; the sheet's hash is printed in the title block.
    return _digest(
        [hashlib.sha256(texts[p.name]).hexdigest() for p in plan.sources],
        plan.code_hash,
        sha256_file(plan.story.path),
        sha256_file(plan.story.sources),
        sha256_file(plan.sheet),
    )


def _render_if_needed(plan: _Plan, result: BuildResult, manifest: _Manifest, texts: dict) -> dict:
    """Render the HTML and PDF into staged temporary files, unless the report is current.

    Returns:
        ``{target: temporary file}`` to :func:`commit`, or an empty dict.
    """
    intact = result.html.exists() and result.pdf.exists() and manifest.outputs_intact()
    if not plan.force and intact and manifest.get("render_key") == _render_key(plan, texts):
        return {}
    from newsfigures.report.render import MAX_OUTPUT_BYTES
    from newsfigures.report.render_process import RenderTimeout

    plan.check_time("rendering the HTML")
    report = _report_block(plan.story, plan.sheet, plan.citations)
    names = {"html": result.html.name, "pdf": result.pdf.name}
    try:
        # In a child process, so that the time limit and Ctrl-C stop it wherever it is.
        html, pdf = plan.renderer.render(
            [texts[p.name] for p in plan.sources],
            report,
            plan.max_output_bytes or MAX_OUTPUT_BYTES,
            plan.deadline,
            progress=lambda kind, seconds: plan.progress("render", names[kind], seconds),
        )
    except RenderTimeout as exc:
        raise plan.over_time(f"while {exc.stage}", "the renderer was") from None
    plan.check_time("replacing the report")
    staged = {}
    try:
        staged[result.html] = stage(result.html, html)
        staged[result.pdf] = stage(result.pdf, pdf)
    except BaseException:
        discard(staged)
        raise
    result.rendered = True
    return staged


def _prune(store: Path) -> None:
    entries = sorted(store.glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[_CACHE_KEEP:]:
        stale.unlink(missing_ok=True)
        stale.with_name(stale.name + ".sha256").unlink(missing_ok=True)


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
