"""The one table of qualifiers: how a figure was printed and what that says about its bounds.

Every part of newsfigures that knows what "at least" means reads it from :data:`QUALIFIERS`:
the figure sheet's schema (which bounds a qualifier needs), the extractor (the words that
signal it, before or after the number), the labels (``at least 3,000``) and the charts (how
a mark is drawn). Adding a qualifier means adding one row here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Qualifier:
    """One qualifier of the sheet's vocabulary.

    Attributes:
        name: the sheet's value (``at_least``).
        meaning: what it says, in a phrase (for docs and error messages).
        bounds: how a point value becomes bounds: ``point`` (lower = upper = value),
            ``floor`` (lower = value), ``ceiling`` (upper = value), ``open`` (none) or
            ``span`` (lower and upper given, no value).
        required: the sheet columns a row with this qualifier must fill.
        label: the words put before the number when the figure is said in words.
        vague: the printed words are the figure (``hundreds of thousands``): it is said in
            them, with its bounds rounded to two significant digits after them in brackets,
            never as exact bounds the words do not give.
        mark: how a chart draws it: ``point``, ``approx``, ``floor``, ``ceiling``,
            ``just_under`` or ``span``.
        before: phrases printed before the number that signal it (lower case).
        after: phrases printed after the number that signal it (lower case).
    """

    name: str
    meaning: str
    bounds: str
    required: tuple[str, ...]
    label: str
    mark: str
    vague: bool = False
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


_ROWS = (
    Qualifier(
        "exact",
        "the number as printed; lower = upper = value",
        "point",
        ("value", "lower", "upper"),
        "",
        "point",
        before=("equal to", "equals", "equals to", "equaling", "equaling to", "equalling", "exactly", "precisely"),
    ),
    Qualifier(
        "approximate",
        "about/around/roughly/some/an estimated, or a round '-strong'; bounds open",
        "open",
        ("value",),
        "about",
        "approx",
        before=(
            "about",
            "around",
            "roughly",
            "some",
            "an estimated",
            "approximately",
            "approx.",
            "circa",
            "estimated",
            "some estimated",
            "an approximate",
            "in the region of",
            "on the order of",
            "closer to",
            "near",
            "nearly around",
            "~",
            "\u2248",
            "c.",
            "ca.",
        ),
        after=("or so", "or thereabouts"),
    ),
    Qualifier(
        "at_least",
        "at least / no fewer than / or more; lower = value, upper open",
        "floor",
        ("value", "lower"),
        "at least",
        "floor",
        before=(
            "at least",
            "no fewer than",
            "no less than",
            "not less than",
            "a minimum of",
            "a floor of",
            "at least or equal to",
            "greater than or equal to",
            "more than or equal to",
            "larger than or equal to",
            "equal to or more than",
            "equal to or greater than",
            "bigger or equal than",
            "higher or equal than",
            "larger or equal than",
            "greater or equal than",
            "more or equal than",
            "\u2265",
            ">=",
            "> =",
        ),
        after=(
            "or more",
            "or greater",
            "or greater than",
            "or more than",
            "or higher",
            "or above",
            "or over",
            "and more",
            "and over",
            "and above",
            "plus",
            "+",
        ),
    ),
    Qualifier(
        "more_than",
        "more than / over; lower = value (strict), upper open",
        "floor",
        ("value", "lower"),
        "more than",
        "floor",
        before=(
            "more than",
            "over",
            "upwards of",
            "upward of",
            "in excess of",
            "above",
            "exceeding",
            "greater than",
            "just over",
            "well over",
            "well above",
            "just above",
            "larger than",
            "bigger than",
            "higher than",
            "exceed",
            "exceeds",
            "exceeded",
            "surpass",
            "surpasses",
            "surpassed",
            "topped",
            "tops",
            "beyond",
            "north of",
            ">",
        ),
    ),
    Qualifier(
        "at_most",
        "up to / as many as / at most; upper = value, lower open",
        "ceiling",
        ("value", "upper"),
        "up to",
        "ceiling",
        before=(
            "up to",
            "as many as",
            "as much as",
            "at most",
            "no more than",
            "not more than",
            "a maximum of",
            "no higher than",
            "no greater than",
            "not exceeding",
            "within",
            "a cap of",
            "capped at",
            "a ceiling of",
            "less than or equal to",
            "fewer than or equal to",
            "equal to or less than",
            "equal to or fewer than",
            "smaller or equal than",
            "less or equal than",
            "lower or equal than",
            "\u2264",
            "<=",
            "< =",
        ),
        after=("or less", "or fewer", "or lower", "or below", "or under", "and under", "and below", "at most"),
    ),
    Qualifier(
        "less_than",
        "less than / under / fewer than; upper = value (strict), lower open",
        "ceiling",
        ("value", "upper"),
        "less than",
        "ceiling",
        before=(
            "less than",
            "fewer than",
            "under",
            "below",
            "just under",
            "well under",
            "just below",
            "well below",
            "smaller than",
            "lower than",
            "<",
        ),
    ),
    Qualifier(
        "nearly",
        "nearly / almost; just under the value: upper = value, lower open",
        "ceiling",
        ("value", "upper"),
        "nearly",
        "just_under",
        before=("nearly", "almost", "close to", "just shy of", "approaching", "just short of"),
    ),
    Qualifier(
        "range",
        "between X and Y, X-Y, X to Y; lower = X, upper = Y, value open",
        "span",
        ("lower", "upper"),
        "",
        "span",
    ),
    Qualifier(
        "magnitude",
        "a vague magnitude ('hundreds of thousands'); lower and upper span it, value open",
        "span",
        ("lower", "upper"),
        "",
        "span",
        vague=True,
    ),
)

#: Qualifier name -> :class:`Qualifier`, in the sheet's documented order.
QUALIFIERS: dict[str, Qualifier] = {q.name: q for q in _ROWS}


def phrases_before() -> dict[str, str]:
    """Return ``{phrase printed before a number: qualifier name}`` for the extractor."""
    return {phrase: q.name for q in _ROWS for phrase in q.before}


def phrases_after() -> dict[str, str]:
    """Return ``{phrase printed after a number: qualifier name}`` for the extractor."""
    return {phrase: q.name for q in _ROWS for phrase in q.after}


#: Words after a strict comparison that make it inclusive: "more than 5,000 or equal to" is at least
#: 5,000; the qualifier each strict one becomes.
OR_EQUAL: tuple[str, ...] = ("or equal to it", "or equal to", "or equal")
INCLUSIVE: dict[str, str] = {"more_than": "at_least", "less_than": "at_most"}


def point_bounds(qualifier: str, value: float) -> tuple[float, float, float]:
    """Return ``(value, lower, upper)`` for a point figure printed with ``qualifier``
    (NaN where a bound is open).

    Raises:
        KeyError: ``qualifier`` is not in :data:`QUALIFIERS`.
    """
    kind = QUALIFIERS[qualifier].bounds
    if kind == "point":
        return value, value, value
    if kind == "floor":
        return value, value, math.nan
    if kind == "ceiling":
        return value, math.nan, value
    return value, math.nan, math.nan
