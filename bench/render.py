"""Benchmark the PDF render with chart text set as runs and letter by letter, side by side.

Builds the example story's report once into a scratch folder, then renders its HTML to
PDF in this one process, alternating WeasyPrint's own letter-by-letter SVG text with the
runs of newsfigures.report.svg_runs, ``--repeat`` times each after one warm-up render of
each, and prints the medians, their ratio, the PDFs' sizes and whether a text search
finds the same text in both (pypdf's text of every page).

Usage: .venv/bin/python bench/render.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="renders of each kind (default 7)")
    args = parser.parse_args()

    from pypdf import PdfReader

    from newsfigures.report import render, svg_runs

    work = Path(tempfile.mkdtemp(prefix="newsfigures-bench-render-"))
    try:
        env = {**os.environ, "NEWSFIGURES_CACHE": str(work / "cache"), "PYTHONWARNINGS": "ignore"}
        subprocess.run(
            [sys.executable, "-m", "newsfigures", "build", "-q", "--out", str(work), "--data-out", str(work / "data")],
            cwd=ROOT,
            env=env,
            check=True,
        )
        html = (work / "report.html").read_text(encoding="utf-8")
        render._print_setup()

        def one(kind: str) -> tuple[float, bytes]:
            if svg_runs.use_runs(kind == "runs") != kind:
                raise SystemExit(f"bench/render.py: could not switch chart text to {kind} on this WeasyPrint")
            started = time.perf_counter()
            pdf = render.render_pdf(html, title="bench")
            return time.perf_counter() - started, pdf

        kinds = ("letters", "runs")
        pdfs = {kind: one(kind)[1] for kind in kinds}  # warm-up, not timed
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(args.repeat):
            for kind in kinds:
                times[kind].append(one(kind)[0])
        svg_runs.use_runs()

        def text(pdf: bytes) -> str:
            return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

        median = {kind: statistics.median(times[kind]) for kind in kinds}
        print(f"\nPDF render of the example report, median of {args.repeat} alternated renders\n")
        for kind in kinds:
            print(f"  chart text as {kind:<8} {median[kind]:6.3f} s   {len(pdfs[kind]) / 1024:7.1f} KiB")
        print(f"\n  runs / letters   {median['runs'] / median['letters']:.3f}  (below 1 pays for the shortcut)")
        same = text(pdfs["runs"]) == text(pdfs["letters"])
        print(f"  same text found by a search: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
