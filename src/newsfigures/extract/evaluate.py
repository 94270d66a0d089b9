"""Score a figure extractor against passages labelled by hand.

The labelled set (``tests/data/extraction_cases.jsonl``) holds one JSON object per line:
``id``, ``covers`` (what the passage exercises), ``text`` and ``figures``, each figure
with ``surface`` (and ``occurrence``: which occurrence of it in the text, 0 for the
first), ``value, lower, upper`` (null where open), ``unit``, ``qualifier``,
``attribution`` (null when none) and ``kind``. A passage with no figures is a negative
case: everything an extractor finds there is a false positive.

The match rule, used for precision and recall: a found figure matches a labelled one
when their character spans overlap, their ``value``, ``lower`` and ``upper`` agree
(both missing, or equal to a relative tolerance of 1e-6) and their ``qualifier`` is the
same. Each labelled figure matches at most one found figure. Among matched pairs, the
agreement of ``surface``, ``unit``, ``kind`` and ``attribution`` is reported apart.

The lenient rule, for extractors that know no qualifiers or bounds (quantulum3): the
spans overlap and the found number (its value, or the middle of its range) equals the
labelled value, or lies within the labelled bounds when the label has no value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newsfigures.core.errors import NewsfiguresError
from newsfigures.core.figures import same_figure, same_number

_TOLERANCE = 1e-6


@dataclass
class Score:
    """Counts and rates from :func:`score_extractor`.

    Attributes:
        found, labelled, matched: numbers of found figures, labelled figures and matches.
        precision, recall: ``matched / found`` and ``matched / labelled`` (1.0 when the
            denominator is 0).
        agreement: for ``surface, unit, kind, attribution``, the share of matched pairs
            on which the extractor agrees with the label (absent for the lenient rule).
        misses, false_positives: ``(case id, surface)`` of labelled figures not found and
            of found figures that match no label.
    """

    found: int
    labelled: int
    matched: int
    agreement: dict[str, float] = field(default_factory=dict)
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0


def load_cases(path: str | Path) -> list[dict]:
    """Read a labelled set and locate each figure's span in its passage.

    Returns:
        One dict per passage (keys as in the file); each figure gains ``char_start`` and
        ``char_end`` (code points, end exclusive) of its ``occurrence`` of ``surface``.

    Raises:
        NewsfiguresError: the file is missing or not JSON Lines, or a surface does not
            occur in its passage (names the line and the surface).
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsfiguresError(f"{path}: cannot read labelled set ({exc.strerror})") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NewsfiguresError(f"{path}, line {number}: not valid JSON ({exc.msg})") from None
        for figure in case["figures"]:
            start = -1
            for _ in range(figure.get("occurrence", 0) + 1):
                start = case["text"].find(figure["surface"], start + 1)
            if start < 0:
                raise NewsfiguresError(f"{path}, line {number}: {figure['surface']!r} is not in the passage")
            figure["char_start"], figure["char_end"] = start, start + len(figure["surface"])
        cases.append(case)
    return cases


def _lenient(found: dict, label: dict) -> bool:
    point = found["value"]
    if point is None or pd.isna(point):
        if pd.isna(found["lower"]) or pd.isna(found["upper"]):
            return False
        point = (found["lower"] + found["upper"]) / 2
    if label["value"] is not None:
        return same_number(point, label["value"])
    low = -math.inf if label["lower"] is None else label["lower"]
    high = math.inf if label["upper"] is None else label["upper"]
    return low - _TOLERANCE <= point <= high + _TOLERANCE


def score_extractor(extract: Callable[[str], pd.DataFrame], cases: list[dict], lenient: bool = False) -> Score:
    """Run an extractor over every labelled passage and score it.

    Args:
        extract: text -> dataframe with at least ``value, lower, upper, qualifier,
            char_start, char_end`` (and ``surface, unit, kind, attribution`` for the
            agreement rates), like :func:`newsfigures.extract.extract_figures`.
        cases: from :func:`load_cases`.
        lenient: use the lenient match rule (see the module docstring).

    Returns:
        A :class:`Score`.
    """
    agrees = _lenient if lenient else same_figure
    compared = ("surface", "unit", "kind", "attribution")
    found_total = labelled_total = matched = 0
    same = dict.fromkeys(compared, 0)
    misses, false_positives = [], []
    for case in cases:
        found = extract(case["text"]).to_dict("records")
        labels = case["figures"]
        found_total += len(found)
        labelled_total += len(labels)
        used = set()
        for label in labels:
            pair = next(
                (
                    i
                    for i, f in enumerate(found)
                    if i not in used
                    and f["char_start"] < label["char_end"]
                    and label["char_start"] < f["char_end"]
                    and agrees(f, label)
                ),
                None,
            )
            if pair is None:
                misses.append((case["id"], label["surface"]))
                continue
            used.add(pair)
            matched += 1
            for column in compared:
                value = found[pair].get(column)
                value = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
                same[column] += value == label[column]
        false_positives += [(case["id"], f.get("surface", "")) for i, f in enumerate(found) if i not in used]
    agreement = {} if lenient else {c: (n / matched if matched else 1.0) for c, n in same.items()}
    return Score(found_total, labelled_total, matched, agreement, misses, false_positives)


# --- Peer suites ---------------------------------------------------------------------------
#
# Microsoft Recognizers-Text's English specs (number, number range, percent, currency) are
# read where they are kept (../shared/peers/recognizers-text/), never copied. Each case is
# ``{"Input", "Results": [{"Text", "Resolution": {"value", ...}, "Start", "End"}]}`` with
# ``End`` inclusive; a range's value is in interval notation ("(20,35]", "[30,)").

#: Suite name -> file name in the peer folder.
PEER_SUITES = {
    "number": "NumberModel.json",
    "range": "NumberRangeModel.json",
    "percent": "PercentModel.json",
    "currency": "CurrencyModel.json",
}

_DENOMINATOR = r"(?:halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion)"
)
#: Why a peer case is out of scope, tested in this order; the first that matches excludes it.
#: Each rule is (where it looks: the case's ``input`` or its expected ``results``, pattern);
#: they read the texts only, never a case's position or a list of cases.
PEER_EXCLUSIONS: dict[str, tuple[str, str]] = {
    # "5/17/2018": a date is context, never a figure here
    "dates": ("input", r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
    # "between the tenth and the fifteenth", "a trillionth", "a twenty-first", "two hundredths"
    "ordinals": (
        "results",
        r"\b(?:first|second|\w+teenths?|\w+tieths?|(?:hundred|thousand|million|billion|trillion)ths?|\w+[\s-]+firsts?)\b"
        r"|\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+" + _DENOMINATOR,
    ),
    # "one over three", "1.1^23", "1e10", "nought point nought three", "three hundred and two dozens",
    # fractions of compound numbers ("twenty-three fifths", "one hundred and three quarters"),
    # letters compared in symbols ("x>10 and y<20") and numbers named as numbers ("... are two
    # valid numbers")
    "spoken maths": (
        "results",
        r"\bover\s|\^|\d[eE][+-]?\d|\bnaught\b|\bnought\b|\bdzs?\b|\bdozs\b|\b[xy]\s*[<>=]|\bdozens?\b.*\bdozens?\b"
        rf"|\b(?:{_NUMBER_WORD}[\s-]+(?:and\s+)?){{2,}}{_DENOMINATOR}\b"
        rf"|\b{_NUMBER_WORD}\s+and\s+(?:{_NUMBER_WORD}\s+)+(?:and\s+)?(?:\w+\s+)?{_DENOMINATOR}",
    ),
    "numbers as numbers": ("input", r"\b[xy]\s*[<>=]|valid numbers"),
    # "1.111,11", "5,00", "1,3", "22,24,26": a decimal comma or a list written without spaces;
    # money as written in other languages ("kuai", "mao", "元", "ரூ", "sen 100")
    "non-English conventions": (
        "input",
        r"\d\.\d{3},\d|\b\d,\d{1,2}\b(?!,\d)|\b\d\d,\d\d,\d\d\b|\bkuai\b|\bmao\b|[\u4e00-\u9fff]|[\u0b80-\u0bff]"
        r"|\bsen\s+\d",
    ),
    # "192.168.1.2", "+1-222-2222/2222", "SCP-173": identifiers, whose parts are not figures
    "identifiers": ("input", r"\d+\.\d+\.\d+\.\d+|\+\d-\d{3}-|\b[A-Z]{2,}-\d"),
}
_EXCLUDE = {reason: (where, re.compile(pattern)) for reason, (where, pattern) in PEER_EXCLUSIONS.items()}


@dataclass
class PeerScore:
    """Counts and rates from :func:`score_peer_suite`.

    Attributes:
        expected: expected values (one per result of every case kept).
        matched: expected values found (an overlapping span giving the same number).
        ranges, bounds_right: expected values with a comparator or range ("(20,35]",
            "[30,)", "[5,5]") and those found with the same bounds and qualifier.
        judged, false_positives: found figures the suite can judge (those of the suite's
            kind) and those of them matching no expected value.
        misses, wrong: ``(input, expected text)`` of values not found and of ranges whose
            bounds were wrong; ``extra``: ``(input, surface)`` of false positives.
    """

    expected: int = 0
    matched: int = 0
    ranges: int = 0
    bounds_right: int = 0
    judged: int = 0
    false_positives: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def bounds(self) -> float:
        return self.bounds_right / self.ranges if self.ranges else 1.0

    @property
    def precision(self) -> float:
        return (self.judged - self.false_positives) / self.judged if self.judged else 1.0


def _interval(value: str) -> dict:
    """A peer's "(20,35]" as bounds and the qualifier newsfigures gives it."""
    low, high = (part.strip() for part in value.strip()[1:-1].split(","))
    lower = float(low) if low else None
    upper = float(high) if high else None
    if lower is not None and upper is not None:
        qualifier = "exact" if lower == upper else "range"
    elif lower is not None:
        qualifier = "at_least" if value.startswith("[") else "more_than"
    else:
        qualifier = "at_most" if value.endswith("]") else "less_than"
    return {"value": lower if qualifier == "exact" else None, "lower": lower, "upper": upper, "qualifier": qualifier}


def peer_exclusion(case: dict) -> str | None:
    """The reason a peer case is out of scope (a key of :data:`PEER_EXCLUSIONS`), or None."""
    for reason, (where, pattern) in _EXCLUDE.items():
        texts = [case["Input"]] if where == "input" else [r["Text"] for r in case["Results"]]
        if any(pattern.search(t) for t in texts):
            return reason
    return None


def load_peer_suite(path: str | Path) -> tuple[list[dict], dict[str, int]]:
    """Read one peer suite and drop the cases out of scope.

    Returns:
        ``(cases, excluded)``: cases as ``{"text", "expected": [{"text", "start", "end",
        "value", "lower", "upper", "qualifier"}]}`` (``end`` exclusive; a plain number has
        lower = upper = value and qualifier ``exact``; a percentage is in percent), and the
        number of cases excluded by each reason of :data:`PEER_EXCLUSIONS`. A result with no
        number ("the % of increase") is not expected.

    Raises:
        NewsfiguresError: the file is missing or not a JSON list of cases.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsfiguresError(f"{path}: cannot read peer suite ({exc})") from None
    excluded = dict.fromkeys(PEER_EXCLUSIONS, 0)
    cases = []
    for case in raw:
        reason = peer_exclusion(case)
        if reason:
            excluded[reason] += 1
            continue
        expected = []
        for result in case["Results"]:
            value = result["Resolution"].get("value")
            if value in (None, "null"):
                continue
            if value[0] in "[(":
                figure = _interval(value)
            else:
                number = float(value.rstrip("%"))
                figure = {"value": number, "lower": number, "upper": number, "qualifier": "exact"}
            expected.append({"text": result["Text"], "start": result["Start"], "end": result["End"] + 1, **figure})
        cases.append({"text": case["Input"], "expected": expected})
    return cases, excluded


def _numbers(found: dict) -> list[float]:
    return [x for x in (found["value"], found["lower"], found["upper"]) if x is not None and not pd.isna(x)]


def _gives_value(found: dict, expected: dict) -> bool:
    """Whether a found figure gives the expected number: its value or one of its bounds."""
    wanted = [x for x in (expected["value"], expected["lower"], expected["upper"]) if x is not None]
    numbers = _numbers(found)
    return all(any(same_number(n, w) for n in numbers) for w in wanted)


def _same_bounds(found: dict, expected: dict) -> bool:
    if found["qualifier"] != expected["qualifier"]:
        return False
    for key in ("lower", "upper"):
        if expected[key] is None:
            if not pd.isna(found[key]):
                return False
        elif pd.isna(found[key]) or not same_number(found[key], expected[key]):
            return False
    return True


def _judged(suite: str, found: dict) -> bool:
    """Whether a suite's labels can call a found figure wrong: each suite labels one kind."""
    if suite == "currency":
        return found["kind"] == "currency"
    if suite == "percent":
        return found["kind"] == "percent"
    if suite == "range":
        return found["qualifier"] not in ("exact", "approximate")
    # The number model labels numbers standing alone or in money, not those of a measure ("180ml").
    return found["kind"] in ("count", "fraction")


def score_peer_suite(extract: Callable[[str], pd.DataFrame], cases: list[dict], suite: str) -> PeerScore:
    """Run an extractor over one peer suite (from :func:`load_peer_suite`) and score it.

    An expected value is found when a figure's span overlaps it and the figure's value or
    bounds give its number (both ends for a range). Of the expected values with a
    comparator or range, those found with the same bounds and qualifier have their bounds
    right (a peer's closed or open end of a two-sided range is not compared: newsfigures'
    ranges are inclusive). A found figure of the suite's kind (see :func:`_judged`) that
    gives no expected value is a false positive.

    Returns:
        A :class:`PeerScore`.
    """
    score = PeerScore()
    for case in cases:
        found = extract(case["text"]).to_dict("records")
        used = set()
        for expected in case["expected"]:
            score.expected += 1
            bounded = expected["qualifier"] != "exact" or suite == "range"
            score.ranges += bounded
            overlapping = [
                i
                for i, f in enumerate(found)
                if f["char_start"] < expected["end"] and expected["start"] < f["char_end"]
            ]
            hits = [i for i in overlapping if _gives_value(found[i], expected)]
            if not hits:
                score.misses.append((case["text"], expected["text"]))
                if bounded:
                    score.wrong.append((case["text"], expected["text"]))
                continue
            score.matched += 1
            used.update(hits)
            if bounded:
                if any(_same_bounds(found[i], expected) for i in hits):
                    score.bounds_right += 1
                else:
                    score.wrong.append((case["text"], expected["text"]))
        for i, f in enumerate(found):
            if _judged(suite, f):
                score.judged += 1
                if i not in used:
                    score.false_positives += 1
                    score.extra.append((case["text"], f.get("surface", "")))
    return score
