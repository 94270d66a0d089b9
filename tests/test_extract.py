"""Extraction: the article's figures exactly as in the sheet, and accuracy on a labelled set.

The labelled set (tests/data/extraction_cases.jsonl) holds short news-style passages
written for this project, not taken from any article. The match rule for precision and
recall is the one documented in :mod:`newsfigures.extract.evaluate`: overlapping spans, equal
value, lower and upper (to 1e-6), equal qualifier.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from newsfigures.core.figures import load_figures
from newsfigures.extract import MAX_SENTENCE, extract_figures
from newsfigures.extract.evaluate import load_cases, score_extractor

CASES_PATH = Path(__file__).parent / "data" / "extraction_cases.jsonl"
SHEET_COLUMNS = ["value", "lower", "upper", "unit", "qualifier", "attribution", "surface", "char_start", "char_end"]


@pytest.fixture(scope="module")
def cases():
    return load_cases(CASES_PATH)


@pytest.fixture(scope="module")
def score(cases):
    return score_extractor(extract_figures, cases)


def test_the_article_gives_exactly_the_sheets_figures(article_text):
    found = extract_figures(article_text)
    sheet = load_figures().sort_values("char_start")
    assert len(found) == len(sheet) == 5
    expected = sheet[SHEET_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(found[SHEET_COLUMNS], expected, check_dtype=False)
    assert list(found["kind"]) == ["count", "count", "count", "percent", "percent"]
    troops = found.iloc[0]
    assert (troops.surface, troops.value, troops.lower, troops.attribution) == (
        "at least 3,000",
        3000,
        3000,
        "the U.S.",
    )
    assert math.isnan(troops.upper)
    dead = found.iloc[1]
    assert (dead.lower, dead.upper, dead.qualifier, dead.attribution) == (200_000, 999_999, "magnitude", "the West")
    assert all(surface in sentence for surface, sentence in zip(found["surface"], found["sentence"]))


def test_labelled_set_is_large_and_covers_every_case(cases):
    figures = [f for c in cases for f in c["figures"]]
    assert len(figures) >= 80
    surfaces = [f["surface"].lower() for f in figures]
    required = [
        r"^at least ",
        r"^more than ",
        r"^over ",
        r"^up to ",
        r"^nearly ",
        r"^almost ",
        r"^about ",
        r"^around ",
        r"^roughly ",
        r"^some \d",
        r"^an estimated ",
        r"^as many as ",
        r"^between .+ and ",
        r"\d-\d",
        r"\d\u2013\d",
        r"\d to \d",
        r"^dozens$",
        r"^hundreds$",
        r"^thousands$",
        r"^tens of thousands$",
        r"^hundreds of thousands$",
        r"^millions$",
        r"^million-strong$",
        r"^3,000-strong$",
        r"\d,\d{3}$",
        r"^\d+\.\d+$",
        r"^three$",
        r"^a million$",
        r"^1\.2 million$",
        r"\dbn$",
        r"\dm tonnes$",
        r"^\$32\.8 billion$",
        r"%$",
        r" percent$",
        r" per cent$",
        r" percentage points$",
        r"two-thirds",
        r"half",
        r"a quarter",
    ]
    for pattern in required:
        assert any(re.search(pattern, s) for s in surfaces), pattern
    tags = {t for c in cases for t in c["covers"]}
    for tag in (
        "X says",
        "according to",
        "X estimates",
        "said X",
        "negative: dates",
        "negative: years",
        "negative: times",
        "negative: ordinals",
        "negative: one of",
        "negative: a real boost",
        "negative: phone numbers",
    ):
        assert tag in tags, tag
    attributed = {f["attribution"] for f in figures} - {None}
    assert len(attributed) >= 15
    assert sum(not c["figures"] for c in cases) >= 8  # passages with no figure at all


def test_precision_and_recall_on_the_labelled_set(score):
    assert score.labelled >= 80
    assert score.precision >= 0.95, score.false_positives
    assert score.recall >= 0.95, score.misses


def test_units_kinds_surfaces_and_attributions_agree_on_matches(score):
    for column in ("surface", "unit", "kind", "attribution"):
        assert score.agreement[column] >= 0.95, column


# A model number with no marker ("The 737 MAX") reads as a count; kept as a known limitation
# found by the held-out passages, rather than patched for this one passage.
KNOWN_FALSE_POSITIVES = {("h-neg-model", "737")}


def test_negative_passages_yield_nothing(cases):
    negatives = [c for c in cases if not c["figures"]]
    assert len(negatives) >= 8
    for case in negatives:
        found = {(case["id"], s) for s in extract_figures(case["text"])["surface"]}
        assert found <= KNOWN_FALSE_POSITIVES, found


def test_offsets_index_the_text(cases):
    for case in cases:
        found = extract_figures(case["text"])
        for row in found.itertuples():
            assert case["text"][row.char_start : row.char_end] == row.surface


@pytest.mark.parametrize(
    "text, surface, value, lower, upper, unit, qualifier",
    [
        ("Nearly 12,000 soldiers arrived.", "Nearly 12,000", 12000, None, 12000, "people", "nearly"),
        ("It grew from 10,000 to 12,000.", "12,000", 12000, 12000, 12000, "count", "exact"),
        ("They expect from 10,000 to 12,000 soldiers.", "from 10,000 to 12,000", None, 10000, 12000, "people", "range"),
        ("The deficit hit $32.8 billion.", "$32.8 billion", 32.8e9, 32.8e9, 32.8e9, "USD", "exact"),
        ("Output fell 17.5 per cent.", "17.5 per cent", 17.5, 17.5, 17.5, "percent", "exact"),
        ("Some 3,000-strong units moved.", "Some 3,000-strong", 3000, None, None, "people", "approximate"),
        ("Between 10 and 12 million people voted.", "Between 10 and 12 million", None, 10e6, 12e6, "people", "range"),
    ],
)
def test_single_figures(text, surface, value, lower, upper, unit, qualifier):
    found = extract_figures(text)
    row = found[found["surface"] == surface].iloc[0]
    assert (row.unit, row.qualifier) == (unit, qualifier)
    for got, want in ((row.value, value), (row.lower, lower), (row.upper, upper)):
        assert (math.isnan(got) and want is None) or got == pytest.approx(want)


def test_columns_dtypes_and_empty_text():
    empty = extract_figures("No numbers here, only words.")
    assert empty.empty
    assert list(empty.columns) == SHEET_COLUMNS[:6] + ["surface", "char_start", "char_end", "sentence", "kind"]
    found = extract_figures("At least 3,000 troops, officials said.")
    assert {c: str(t) for c, t in found.dtypes.items()} == {
        "value": "float64",
        "lower": "float64",
        "upper": "float64",
        "unit": "str",
        "qualifier": "str",
        "attribution": "str",
        "surface": "str",
        "char_start": "Int64",
        "char_end": "Int64",
        "sentence": "str",
        "kind": "str",
    }
    assert found.loc[0, "attribution"] == "officials"
    with pytest.raises(TypeError, match="str"):
        extract_figures(b"3,000 troops")


def test_long_text_without_full_stops_keeps_sentences_short():
    text = "officials said at least 3,000 troops arrived and " * 400
    found = extract_figures(text)
    assert len(found) == 400
    assert found["sentence"].str.len().max() <= MAX_SENTENCE
    assert (found["attribution"] == "officials").all()


def _rows(text: str) -> list[tuple]:
    """(surface, value rounded to 6 decimals, unit, qualifier, attribution) per figure; NaN as None."""
    found = extract_figures(text).astype(object)
    found = found.where(found.notna(), None)
    return [
        (s, None if v is None else round(v, 6), u, q, a)
        for s, v, u, q, a in zip(
            found["surface"], found["value"], found["unit"], found["qualifier"], found["attribution"]
        )
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the speaker "Two-thirds of voters" holds the figure: it is not the figure's source
        ("Two-thirds of voters said the plan had failed.", [("Two-thirds", 0.666667, "fraction", "exact", None)]),
        (
            "Two-thirds of voters said the plan had failed, according to the pollster.",
            [("Two-thirds", 0.666667, "fraction", "exact", "the pollster")],
        ),
        (
            "Two-thirds of voters said 52% of prices rose.",
            [
                ("Two-thirds", 0.666667, "fraction", "exact", None),
                ("52%", 52, "percent", "exact", "Two-thirds of voters"),
            ],
        ),
    ],
)
def test_an_attribution_never_contains_its_own_figure(text, expected):
    assert _rows(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "North Korea has 1.28 million active personnel, per IISS.",
            [("1.28 million", 1_280_000, "people", "exact", "IISS")],
        ),
        ("Per the ministry, 3,000 troops left.", [("3,000", 3000, "people", "exact", "the ministry")]),
        (
            "North Korea has 1.28 million active personnel, according to IISS.",
            [("1.28 million", 1_280_000, "people", "exact", "IISS")],
        ),
        (
            "According to the U.S., at least 3,000 troops left.",
            [("at least 3,000", 3000, "people", "at_least", "the U.S.")],
        ),
        # "per" as a rate is no attribution
        (
            "Oil sold at $80 per barrel, and GDP per capita rose 5%.",
            [("$80", 80, "USD", "exact", None), ("5%", 5, "percent", "exact", None)],
        ),
    ],
)
def test_per_x_and_according_to_x_credit_the_source(text, expected):
    assert _rows(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kim, 40, met Putin, 72, in Pyongyang.",
        "The talks were led by Kim, 40, and Putin, 72.",
        "Kim, aged 40, met a 72-year-old Putin.",
        "The 40 years old leader met a six-month-old panda.",
        "Men aged 18 to 60 may not leave.",
    ],
)
def test_ages_are_not_figures(text):
    assert _rows(text) == []


def test_numbers_beside_a_name_that_are_not_ages_stay_figures():
    assert _rows("In Kharkiv, 40, were wounded, and Kim met 12 officials.") == [
        ("40", 40, "people", "exact", None),
        ("12", 12, "people", "exact", None),
    ]


@pytest.mark.parametrize(
    "text, surfaces",
    [
        ("The vote was 52 to 48.", ["52", "48"]),
        ("The vote was 52-48.", ["52", "48"]),
        ("The bill passed 219-213.", ["219", "213"]),
        ("The bill passed 219 to 213.", ["219", "213"]),
        ("The bill passed 219\u2013213.", ["219", "213"]),
        ("They won 3-2 after a 1-1 draw.", []),  # two numbers below 10: a score, not a figure
        ("They won 3 to 2.", []),
    ],
)
def test_a_tally_gives_two_counts_in_either_spelling(text, surfaces):
    rows = _rows(text)
    assert [r[0] for r in rows] == surfaces
    assert all((unit, qualifier) == ("count", "exact") for _, _, unit, qualifier, _ in rows)
    assert [r[1] for r in rows] == [float(s) for s in surfaces]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Its army is 1.2 million strong.", [("1.2 million strong", 1_200_000, "people", "approximate", None)]),
        ("Its army is 1.2 million-strong.", [("1.2 million-strong", 1_200_000, "people", "approximate", None)]),
        ("It fields a million strong army.", [("a million strong", 1_000_000, "people", "approximate", None)]),
        ("The crowd was 15,000 strong.", [("15,000 strong", 15_000, "people", "approximate", None)]),
        (
            "At least 3,000 \u2014 and possibly 10,000 \u2014 troops.",
            [("At least 3,000", 3000, "people", "at_least", None), ("10,000", 10_000, "people", "exact", None)],
        ),
        ("The 9/11 attacks killed nearly 3,000.", [("nearly 3,000", 3000, "people", "nearly", None)]),
        # a noun after the figure still decides: these are not people
        ("Two strong candidates emerged.", [("Two", 2, "count", "exact", None)]),
        ("The flood killed 3,000 cattle.", [("3,000", 3000, "count", "exact", None)]),
    ],
)
def test_people_by_strong_by_an_aside_and_by_a_verb_before(text, expected):
    assert _rows(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They read the 1,000-page report.", [("1,000-page", 1000, "count", "exact", None)]),
        ("They read a report of 1,000 pages.", [("1,000", 1000, "count", "exact", None)]),
        (
            "A 12-member panel and a 500-soldier unit left.",
            [("12-member", 12, "people", "exact", None), ("500-soldier", 500, "people", "exact", None)],
        ),
    ],
)
def test_a_number_noun_compound_counts_its_noun(text, expected):
    assert _rows(text) == expected
