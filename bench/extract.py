"""Benchmark: figure extraction by newsfigures and by quantulum3, side by side.

Prints, in one run:

1. Accuracy on the labelled passages (tests/data/extraction_cases.jsonl): precision and
   recall of each extractor under the strict rule (overlapping span, same value, bounds
   and qualifier) and the lenient rule (overlapping span, same number; no qualifier or
   bounds needed), as defined in newsfigures.extract.evaluate; per split (dev, held-out) too.
2. Throughput in characters per second on the same text: the passages joined and
   repeated to at least 1,000,000 characters. newsfigures reads it in one call.
   quantulum3 reads it passage by passage: its time grows faster than the text (it is
   measured below on 1x and 4x the passages), so one call on 1 MB would take hours;
   passage by passage is its best case.
3. Memory: the tracemalloc peak of newsfigures on 1x and 4x that text, and their ratio
   (4 means memory grows in proportion to the text).
4. Start-up: importing the extractor in a fresh process with its large patterns compiled
   by ``re`` and with them rebuilt from their stored programs (newsfigures.core.patterns),
   alternated in one run, and the ratio of the two.

How quantulum3's results are mapped: each Quantity gives a span (Quantity.span) and a
value; a quantity with an uncertainty (quantulum3's reading of "between X and Y" and
"X-Y") becomes a range [value - uncertainty, value + uncertainty] with no point value;
every other quantity becomes an exact figure (lower = upper = value), since quantulum3
keeps no qualifier. Units map as percentage -> percent, dollar -> USD, dimensionless ->
count; quantulum3 gives no attribution.

Run: ``make bench`` or ``.venv/bin/python bench/extract.py``. Takes about two minutes.
"""

from __future__ import annotations

import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd

from newsfigures.extract import extract_figures
from newsfigures.extract.evaluate import PEER_SUITES, load_cases, load_peer_suite, score_extractor, score_peer_suite

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "extraction_cases.jsonl"
PEERS = ROOT.parent / "shared" / "peers" / "recognizers-text"
TARGET_CHARS = 1_000_000
BASELINE = os.environ.get("BENCH_BASELINE", "main")  # git ref whose extractor is timed beside this one
_UNITS = {"percentage": "percent", "dollar": "USD", "dimensionless": "count", "euro": "EUR", "pound sterling": "GBP"}


def _quantulum():
    warnings.simplefilter("ignore")  # quantulum3 warns that its optional classifier is not installed
    from quantulum3 import parser

    return parser


def quantulum_figures(text: str) -> pd.DataFrame:
    """quantulum3's quantities in ``text`` as rows comparable with extract_figures'."""
    rows = []
    for q in _quantulum().parse(text):
        unit = _UNITS.get(q.unit.name, q.unit.name)
        if q.uncertainty:
            value, lower, upper, qualifier = math.nan, q.value - q.uncertainty, q.value + q.uncertainty, "range"
        else:
            value = lower = upper = q.value
            qualifier = "exact"
        kind = {"percent": "percent", "USD": "currency", "EUR": "currency", "GBP": "currency"}.get(unit, "count")
        rows.append(
            {
                "value": value,
                "lower": lower,
                "upper": upper,
                "qualifier": qualifier,
                "unit": unit,
                "kind": kind,
                "attribution": None,
                "surface": q.surface,
                "char_start": q.span[0],
                "char_end": q.span[1],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "value",
            "lower",
            "upper",
            "qualifier",
            "unit",
            "kind",
            "attribution",
            "surface",
            "char_start",
            "char_end",
        ],
    )


def accuracy(cases: list[dict]) -> None:
    extractors = {"newsfigures": extract_figures, "quantulum3": quantulum_figures}
    print(
        f"Accuracy on {sum(len(c['figures']) for c in cases)} labelled figures in {len(cases)} passages "
        f"({sum(not c['figures'] for c in cases)} with no figure)"
    )
    print(
        f"{'':13}{'split':9}{'strict P':>9}{'strict R':>9}{'lenient P':>10}{'lenient R':>10}"
        f"{'surface':>9}{'unit':>6}{'attrib.':>8}"
    )
    for name, extract in extractors.items():
        for split in ("all", "dev", "heldout"):
            subset = [c for c in cases if split == "all" or c.get("split") == split]
            strict = score_extractor(extract, subset)
            lenient = score_extractor(extract, subset, lenient=True)
            a = strict.agreement
            # quantulum3 attributes nothing, so agreeing on "no attribution" would mean nothing
            attribution = f"{a['attribution']:8.2f}" if name == "newsfigures" else f"{'n/a':>8}"
            print(
                f"{name:13}{split:9}{strict.precision:9.3f}{strict.recall:9.3f}{lenient.precision:10.3f}"
                f"{lenient.recall:10.3f}{a['surface']:9.3f}{a['unit']:6.2f}{attribution}"
            )
            if name == "newsfigures" and split == "all":
                wrong = [f"{i}: {s!r} missed" for i, s in strict.misses]
                wrong += [f"{i}: {s!r} found but not a figure" for i, s in strict.false_positives]
                print(f"{'':13}errors: {'; '.join(wrong) or 'none'}")
    print("targets: newsfigures precision and recall >= 0.97 (strict rule, all passages)")


def _recognizers():
    """Recognizers-Text's own Python port as an extractor, when it is installed (optional)."""
    try:
        from recognizers_number import NumberRecognizer  # noqa: F401
        from recognizers_suite import Culture, recognize_currency, recognize_number, recognize_percentage
    except ImportError:
        return None

    def extract(text: str) -> pd.DataFrame:
        rows = []
        for recognize in (recognize_number, recognize_percentage, recognize_currency):
            for r in recognize(text, Culture.English):
                value = (r.resolution or {}).get("value")
                try:
                    number = float(str(value).rstrip("%"))
                except (TypeError, ValueError):
                    continue
                kind = {recognize_percentage: "percent", recognize_currency: "currency"}.get(recognize, "count")
                rows.append(
                    {
                        "value": number,
                        "lower": number,
                        "upper": number,
                        "qualifier": "exact",
                        "kind": kind,
                        "surface": r.text,
                        "char_start": r.start,
                        "char_end": r.end + 1,
                    }
                )
        return pd.DataFrame(
            rows, columns=["value", "lower", "upper", "qualifier", "kind", "surface", "char_start", "char_end"]
        )

    return extract


def peers() -> None:
    """Value recall, range bounds and precision on Recognizers-Text's English suites."""
    if not PEERS.is_dir():
        print(f"\nPeer suites: {PEERS} not found; skipped")
        return
    extractors = {"newsfigures": extract_figures, "quantulum3": quantulum_figures}
    recognizers = _recognizers()
    if recognizers:
        extractors["recognizers"] = recognizers
    print(f"\nRecognizers-Text English suites ({PEERS}), read at run time")
    print(
        f"{'suite':10}{'cases':>6}{'values':>7}{'excluded':>9}  {'extractor':13}"
        f"{'recall':>7}{'bounds':>7}{'precision':>10}"
    )
    totals = {name: [0, 0, 0, 0, 0, 0] for name in extractors}
    reasons = {}
    for suite, name in PEER_SUITES.items():
        cases, excluded = load_peer_suite(PEERS / name)
        for reason, n in excluded.items():
            reasons[reason] = reasons.get(reason, 0) + n
        for extractor, extract in extractors.items():
            score = score_peer_suite(extract, cases, suite)
            t = totals[extractor]
            for i, n in enumerate(
                (
                    score.matched,
                    score.expected,
                    score.bounds_right,
                    score.ranges,
                    score.judged - score.false_positives,
                    score.judged,
                )
            ):
                t[i] += n
            bounds = f"{score.bounds:7.3f}" if score.ranges else f"{'':7}"
            print(
                f"{suite:10}{len(cases):6}{score.expected:7}{sum(excluded.values()):9}  {extractor:13}"
                f"{score.recall:7.3f}{bounds}{score.precision:10.3f}"
            )
    for extractor, (m, e, br, r, ok, judged) in totals.items():
        print(f"{'all':10}{'':6}{e:7}{'':9}  {extractor:13}{m / e:7.3f}{br / r:7.3f}{ok / judged:10.3f}")
    print("excluded by rule (evaluate.PEER_EXCLUSIONS): " + ", ".join(f"{r} {n}" for r, n in reasons.items()))
    print("targets: newsfigures recall >= 0.95, bounds >= 0.90, precision >= 0.90 (all suites)")
    if not recognizers:
        print("(recognizers-text-suite not installed: its own scores are left out)")


_TIMER = (
    "import sys, time, gc; sys.path.insert(0, sys.argv[1]); from newsfigures.extract import extract_figures; "
    "t = open(sys.argv[2], encoding='utf-8').read(); extract_figures(t[:5000]); best = 1e9\n"
    "for _ in range(2):\n gc.collect(); s = time.perf_counter(); extract_figures(t); "
    "best = min(best, time.perf_counter() - s)\nprint(len(t) / best)"
)


def _subprocess_rate(src: Path, text_path: Path) -> float | None:
    run = subprocess.run([sys.executable, "-c", _TIMER, str(src), str(text_path)], capture_output=True, text=True)
    return float(run.stdout) if run.returncode == 0 else None


def versus_baseline(ref: str, texts: dict[str, str], rounds: int = 3) -> None:
    """Characters per second of this tree's extractor and of git ref ``ref``'s (e.g. main), each
    in a fresh subprocess, alternated ``rounds`` times on each text (best of each kept), so that
    the machine's load falls on both alike."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True)
        if archive.returncode:
            print(f"(no git ref {ref!r} to time against)")
            return
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        for label, text in texts.items():
            path = Path(tmp) / "text.txt"
            path.write_text(text, encoding="utf-8")
            ours, theirs = [], []
            for _ in range(rounds):
                ours.append(_subprocess_rate(ROOT / "src", path) or 0.0)
                theirs.append(_subprocess_rate(Path(tmp) / "src", path) or 0.0)
            print(
                f"{label:34} this tree {max(ours):>10,.0f} chars/s, {ref} {max(theirs):>10,.0f} chars/s, "
                f"ratio {max(ours) / max(theirs):.2f} (target >= 1.0)"
            )


def _bench_text(passages: list[str]) -> str:
    block = "\n\n".join(passages)
    return "\n\n".join([block] * -(-TARGET_CHARS // len(block)))


def _rate(seconds: float, chars: int) -> str:
    return f"{chars / seconds:>12,.0f} chars/s"


def throughput(cases: list[dict]) -> None:
    passages = [c["text"] for c in cases]
    block = "\n\n".join(passages)
    copies = -(-TARGET_CHARS // len(block))
    text = "\n\n".join([block] * copies)
    print(
        f"\nThroughput on the passages repeated {copies} times: {len(text):,} characters "
        f"({len(text.encode('utf-8')):,} bytes UTF-8)"
    )
    extract_figures(block)  # warm up (compiles nothing new, but loads pandas paths)
    ours = min(_timed(extract_figures, text) for _ in range(3))
    found = len(extract_figures(text))
    parser = _quantulum()
    parser.parse(block[:2000])  # load quantulum3's unit tables before timing
    theirs = _timed(lambda t: [parser.parse(p) for p in t.split("\n\n")], text)
    print(f"newsfigures  whole text in one call  {_rate(ours, len(text))}  ({ours:.2f} s, {found:,} figures)")
    old = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BASELINE}:tests/data/extraction_cases.jsonl"],
        capture_output=True,
        text=True,
    )
    texts = {"this tree's passages": text}
    if old.returncode == 0:
        old_passages = [json.loads(line)["text"] for line in old.stdout.splitlines() if line.strip()]
        texts = {f"{BASELINE}'s passages (the bench text before)": _bench_text(old_passages), **texts}
    versus_baseline(BASELINE, texts)
    print(f"quantulum3   passage by passage      {_rate(theirs, len(text))}  ({theirs:.2f} s)")
    print(f"ratio newsfigures / quantulum3: {theirs / ours:.1f}x (target >= 10x)")
    small, large = _timed(parser.parse, block), _timed(parser.parse, "\n\n".join([block] * 4))
    print(
        f"quantulum3 in one call: 1x passages {_rate(small, len(block))}, 4x passages "
        f"{_rate(large, 4 * len(block) + 6)} (time x{large / small:.1f} for 4x the text)"
    )
    memory(text)


def _timed(function, text: str) -> float:
    gc.collect()
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def _peak(text: str) -> int:
    gc.collect()
    tracemalloc.start()
    frame = extract_figures(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del frame
    return peak


def memory(text: str) -> None:
    one, four = _peak(text), _peak(text * 4)
    print(
        f"\nMemory (tracemalloc peak of extract_figures, text not counted): 1x {one / 1e6:,.1f} MB, "
        f"4x {four / 1e6:,.1f} MB; ratio {four / one:.2f} for 4x the text "
        f"({one / len(text):.0f} and {four / (4 * len(text)):.0f} bytes per character)"
    )


_IMPORT_TIMER = (
    "import sys, time; import pandas, text_to_num; import newsfigures.core.patterns as p\n"
    "if sys.argv[1] == 're': p._KNOWN = False\n"
    "if sys.argv[1] == 'stored': p.compile_pattern.__defaults__ = (0, __import__('pathlib').Path(sys.argv[2]))\n"
    "s = time.perf_counter(); import newsfigures.extract.rules; print(time.perf_counter() - s)"
)


def startup(rounds: int = 5) -> None:
    """Seconds to import the extractor (pandas already loaded), in fresh processes: its
    patterns compiled by ``re`` against rebuilt from stored programs, alternated."""
    with tempfile.TemporaryDirectory() as tmp:
        times: dict[str, list[float]] = {"re": [], "stored": []}
        subprocess.run([sys.executable, "-c", _IMPORT_TIMER, "stored", tmp], check=True, capture_output=True)
        for _ in range(rounds):
            for how in times:
                run = subprocess.run(
                    [sys.executable, "-c", _IMPORT_TIMER, how, tmp], check=True, capture_output=True, text=True
                )
                times[how].append(float(run.stdout))
    compiled, stored = (statistics.median(times[k]) for k in ("re", "stored"))
    print("\nStart-up: importing newsfigures.extract in a fresh process (median of 5, alternated)")
    print(f"patterns compiled by re            {compiled:.3f} s")
    print(f"rebuilt from stored programs       {stored:.3f} s")
    print(f"ratio stored / compiled: {stored / compiled:.2f} (core.patterns pays for itself below 1.0)")


def main() -> int:
    cases = load_cases(CASES)
    accuracy(cases)
    peers()
    throughput(cases)
    startup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
