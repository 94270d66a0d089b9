"""Shared fixtures: the project's real data, the article (where present), and the
suite's expensive builds, each made once per run and shared by the tests that only read it.

Tests that change a build work on their own copy. ``make test`` runs the tests on
pytest-xdist workers, a file to a worker (``--dist loadfile``, so a module's fixtures
are made once); a build shared across files is made by the first worker to need it,
under a file lock, and read by the others (:func:`_once`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsfigures.core import paths
from newsfigures.core.fileio import locked

ROOT = paths.ROOT


def _once(tmp_path_factory, name: str, make) -> tuple[Path, dict]:
    """Run ``make(folder)`` once per test run, whichever xdist worker asks first; return
    the folder and the record ``make`` returned, through JSON (paths come back as strings).

    The folder is in the run's temporary root, shared by its workers (pytest-xdist's
    recipe for a session fixture made once); without xdist, in the session's own.
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, record = root / name, root / f"{name}.json"
    with locked(root / f"{name}.lock"):
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed to make it
            folder.mkdir()
            record.write_text(json.dumps(make(folder), default=str))
    return folder, json.loads(record.read_text())


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """Point the default cache (.cache/newsfigures/: fonts, executed notebooks) at a folder
    of this session's, so that tests neither use nor fill the user's cache, and parallel
    workers never write the same cache files."""
    cache = tmp_path_factory.mktemp("default-cache")
    saved_dir, saved_env = paths.CACHE_DIR, os.environ.get("NEWSFIGURES_CACHE")
    paths.CACHE_DIR = cache
    os.environ["NEWSFIGURES_CACHE"] = str(cache)
    yield cache
    paths.CACHE_DIR = saved_dir
    if saved_env is None:
        os.environ.pop("NEWSFIGURES_CACHE", None)
    else:
        os.environ["NEWSFIGURES_CACHE"] = saved_env


@pytest.fixture(scope="session")
def article_path() -> Path:
    """The article text: ../shared/seeds/article.txt or $NEWSFIGURES_ARTICLE.

    The text is never committed. Where it is absent the test is skipped, except under
    CI=true, where its absence is a failure.
    """
    path = paths.article_text_path()
    if not path.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"article text not found at {path} (required under CI=true)")
        pytest.skip(f"article text not found at {path}; set NEWSFIGURES_ARTICLE to run this test")
    return path


@pytest.fixture(scope="session")
def article_text(article_path) -> str:
    return article_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One cold build of the real report into a temporary folder, with a fresh cache
    (``cache/`` beside ``reports/`` and ``processed/``)."""
    from newsfigures.report.build import BuildResult, build

    def make(base: Path) -> dict:
        result = build(out=base / "reports", data_out=base / "processed", cache_dir=base / "cache", quiet=True)
        return dataclasses.asdict(result)

    _, record = _once(tmp_path_factory, "build", make)
    # Back from JSON: the paths, by the fields' annotations.
    for f in dataclasses.fields(BuildResult):
        if f.type == "Path":
            record[f.name] = Path(record[f.name])
        elif f.type == "list[Path]":
            record[f.name] = [Path(p) for p in record[f.name]]
    return BuildResult(**record)


@pytest.fixture(scope="session")
def built_dir(built) -> Path:
    """The folder of the ``built`` report: ``reports/``, ``processed/`` and its ``cache/``."""
    return built.html.parent.parent


NETWORK_GUARD = textwrap.dedent(
    """
    # Installed by a test: refuse and record every attempt to open an internet socket.
    import os, socket
    _log = os.environ["NEWSFIGURES_NETWORK_LOG"]
    def _refuse(what, address):
        with open(_log, "a") as handle:
            handle.write(f"{os.getpid()} {what} {address!r}\\n")
        raise OSError("network access refused by the offline test")
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse("connect", address)
        return _connect(self, address)
    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse("connect_ex", address)
        return _connect_ex(self, address)
    def getaddrinfo(host, *args, **kwargs):
        _refuse("getaddrinfo", host)
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    """
)


def build_command(root: Path, *args: str) -> list[str]:
    """``python -m newsfigures build`` with its outputs in ``root/reports`` and ``root/processed``."""
    return [
        sys.executable,
        "-m",
        "newsfigures",
        "build",
        "--out",
        str(root / "reports"),
        "--data-out",
        str(root / "processed"),
        *args,
    ]


@dataclass
class CliBuild:
    """A finished ``build -q --force`` run by the command line (see :func:`cli_build`)."""

    root: Path  #: holds reports/, processed/ and the run's own cache/
    temp: Path  #: the run's TMPDIR
    env: dict  #: the run's environment, for a later build of the same folders
    done: subprocess.CompletedProcess
    network_log: str  #: what the network guard recorded during the build ("" for nothing)


@pytest.fixture(scope="session")
def cli_build(tmp_path_factory):
    """One quiet, forced build of the real report by the command line, shared by the tests
    of what such a build must not do: print anything, open an internet socket, or leave
    files in its temporary folder.

    It runs in a fresh cache, with a guard (a ``sitecustomize`` module on PYTHONPATH,
    so in the build and in its kernels) that refuses and records every internet socket,
    and with a TMPDIR of its own that already holds a killed build's folder (to be
    cleared) and someone else's file (to be kept).
    """

    def make(root: Path) -> dict:
        guard = root / "guard"
        guard.mkdir()
        (guard / "sitecustomize.py").write_text(NETWORK_GUARD)
        log = root / "network.log"
        log.touch()
        temp = root / "t"  # short: kernel sockets live under it
        dead = temp / "newsfigures-999999999"  # no such process
        (dead / "runtime").mkdir(parents=True)
        (dead / "runtime" / "kernel-x.json").write_text("{}")
        (temp / "someone-elses-file").write_text("kept")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
            "NEWSFIGURES_NETWORK_LOG": str(log),
            "NEWSFIGURES_CACHE": str(root / "cache"),
            "TMPDIR": str(temp),
        }
        done = subprocess.run(
            build_command(root, "-q", "--force"), capture_output=True, text=True, env=env, timeout=600
        )
        return {
            "temp": str(temp),
            "env": env,
            "done": [done.returncode, done.stdout, done.stderr],
            "network_log": log.read_text(),
        }

    root, record = _once(tmp_path_factory, "cli-build", make)
    returncode, stdout, stderr = record["done"]
    done = subprocess.CompletedProcess(build_command(root, "-q", "--force"), returncode, stdout, stderr)
    return CliBuild(
        root=root, temp=Path(record["temp"]), env=record["env"], done=done, network_log=record["network_log"]
    )


def write_sheet(tmp_path: Path, edit) -> Path:
    """Copy the real figure sheet with ``edit(text) -> text`` applied; return its path."""
    text = paths.SHEET.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text, "the edit must change the sheet"
    path = tmp_path / "figures.csv"
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw World Bank files: ../shared/reference/raw or $NEWSFIGURES_RAW.

    They are never committed. Where they are absent the test is skipped, except under
    CI=true, where their absence is a failure.
    """
    path = Path(os.environ.get("NEWSFIGURES_RAW") or ROOT.parent / "shared" / "reference" / "raw")
    if not path.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"raw World Bank files not found at {path} (required under CI=true)")
        pytest.skip(f"raw World Bank files not found at {path}; set NEWSFIGURES_RAW to run this test")
    return path
