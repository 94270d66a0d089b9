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
