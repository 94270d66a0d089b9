"""Benchmark the build of a large figure sheet: wall time and peak memory.

Makes a sheet of ``--rows`` rows (default 10,000): the project's own five figures and
generated figures of the ``other`` topic (kept in the tables, drawn in no chart), each
with its own id, measure, value, bounds and qualifier. Builds it with
``python -m newsfigures build --force`` into a scratch folder with an empty cache,
beside a build of the project's own sheet in the same run, and prints:

* wall time of each build and the ratio large / small;
* peak resident memory of the whole process tree (the build and its kernels, summed,
  sampled every 50 ms from /proc);
* the report's size (HTML bytes, PDF pages);
* the ratios to the targets of issue 11: <= 20 s and <= 1 GB for 10,000 rows.

Usage: .venv/bin/python bench/scale.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_BYTES = 20.0, 1 << 30
QUALIFIERS = [("exact", 0, 0), ("at_least", 0, None), ("at_most", None, 0), ("approximate", None, None)]


def make_sheet(path: Path, rows: int) -> None:
    with open(ROOT / "data" / "article" / "figures.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, own = reader.fieldnames, list(reader)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(own)
        for i in range(rows - len(own)):
            qualifier, lower, upper = QUALIFIERS[i % len(QUALIFIERS)]
            value = 1000 + 37 * i
            writer.writerow(
                {
                    **dict.fromkeys(columns, ""),
                    "figure_id": f"generated_{i:05d}",
                    "topic": "other",
                    "measure": f"Generated measure number {i}",
                    "value": value,
                    "lower": "" if lower is None else value,
                    "upper": "" if upper is None else value,
                    "unit": "people",
                    "qualifier": qualifier,
                    "surface": f"{value:,}",
                    "as_of": "2024-10-24",
                    "source": own[0]["source"],
                }
            )


def _tree_rss(root_pid: int) -> int:
    """Resident bytes of ``root_pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending.extend(children.get(pid, []))
    return total


def run_build(work: Path, sheet: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    env = {**os.environ, "NEWSFIGURES_CACHE": str(work / "cache"), "TMPDIR": str(work / "tmp")}
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "newsfigures", "build", "--force", "-q", "--sheet", str(sheet)]
    command += ["--out", str(work / "reports"), "--data-out", str(work / "processed")]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return seconds, peak[0], subprocess.CompletedProcess(command, process.returncode, out, err)


def describe(work: Path) -> str:
    from pypdf import PdfReader

    html = work / "reports" / "report.html"
    pages = len(PdfReader(work / "reports" / "report.pdf").pages)
    return f"HTML {html.stat().st_size / 1e6:.1f} MB, PDF {pages} pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nf-bench-scale-") as scratch:
        scratch = Path(scratch)
        big = scratch / "big"
        big.mkdir()
        sheet = big / "figures.csv"
        make_sheet(sheet, args.rows)
        results = {}
        for name, work, path in [
            ("own sheet", scratch / "small", ROOT / "data/article/figures.csv"),
            (f"{args.rows:,} rows", big, sheet),
        ]:
            seconds, peak, done = run_build(work, path)
            if done.returncode != 0:
                print(f"{name}: build failed: {done.stderr.strip()[:500]}")
                return 1
            results[name] = (seconds, peak)
            print(f"{name:<12} {seconds:7.1f} s  peak RSS {peak / 2**20:7.0f} MiB  {describe(work)}")
        (small_s, small_m), (big_s, big_m) = results.values()
        print(f"ratio large/small: time {big_s / small_s:.2f}x, memory {big_m / small_m:.2f}x")
        print(
            f"targets (10,000 rows): time {big_s:.1f} s / {TARGET_SECONDS:.0f} s = {big_s / TARGET_SECONDS:.2f}, "
            f"memory {big_m / 2**20:.0f} MiB / 1024 MiB = {big_m / TARGET_BYTES:.2f} "
            f"({'within' if big_s <= TARGET_SECONDS and big_m <= TARGET_BYTES else 'NOT within'} targets)"
        )
        leftover = list((big / "tmp").iterdir()) + list((scratch / "small" / "tmp").iterdir())
        print(f"left in TMPDIR: {len(leftover)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
