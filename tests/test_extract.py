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
    assert score.labelled >= 300
    assert score.precision >= 0.97, score.false_positives
    assert score.recall >= 0.97, score.misses


# One passage of our own per kind of issue 9; each row: text, then (surface, value, lower, upper,
# unit, qualifier) of every figure expected, in text order. None is an open bound.
KINDS = [
    (
        "Some 12\u202f000 fled and 1\u00a0500 stayed.",
        [
            ("Some 12\u202f000", 12000, None, None, "people", "approximate"),
            ("1\u00a0500", 1500, 1500, 1500, "count", "exact"),
        ],
    ),
    (
        "It fell to -4 and then \u22123.2%.",
        [("-4", -4, -4, -4, "count", "exact"), ("\u22123.2%", -3.2, -3.2, -3.2, "percent", "exact")],
    ),
    ("Sales were minus 5 units.", [("minus 5", -5, -5, -5, "count", "exact")]),
    (
        "There were >30 boats and \u2265 1 000 crates.",
        [(">30", 30, 30, None, "count", "more_than"), ("\u2265 1 000", 1000, 1000, None, "count", "at_least")],
    ),
    ("Two hundred and forty left.", [("Two hundred and forty", 240, 240, 240, "count", "exact")]),
    ("It took one and a half hours.", [("one and a half hours", 1.5, 1.5, 1.5, "hours", "exact")]),
    ("They hired half a million staff.", [("half a million", 500000, 500000, 500000, "people", "exact")]),
    ("Prices rose two point five per cent.", [("two point five per cent", 2.5, 2.5, 2.5, "percent", "exact")]),
    ("The tank is 3/4 full.", [("3/4", 0.75, 0.75, 0.75, "fraction", "exact")]),
    ("Only \u00bd of it works.", [("\u00bd", 0.5, 0.5, 0.5, "fraction", "exact")]),
    ("One in five voters agree.", [("One in five", 0.2, 0.2, 0.2, "fraction", "exact")]),
    ("Three out of 40 stations shut.", [("Three out of 40", 0.075, 0.075, 0.075, "fraction", "exact")]),
    ("The deal is worth \u20ac10M.", [("\u20ac10M", 1e7, 1e7, 1e7, "EUR", "exact")]),
    ("A $450-million plan.", [("$450-million", 4.5e8, 4.5e8, 4.5e8, "USD", "exact")]),
    ("It has 13 lakh members.", [("13 lakh", 1.3e6, 1.3e6, 1.3e6, "people", "exact")]),
    ("A grant of \u20b912,34,567 was paid.", [("\u20b912,34,567", 1234567, 1234567, 1234567, "INR", "exact")]),
    ("They paid 340 million francs.", [("340 million francs", 3.4e8, 3.4e8, 3.4e8, "CHF", "exact")]),
    ("Dakar spent 12 billion CFA francs.", [("12 billion CFA francs", 1.2e10, 1.2e10, 1.2e10, "XOF", "exact")]),
    ("Crews repaired 200 roads or more.", [("200 roads or more", 200, 200, None, "count", "at_least")]),
    ("Rooms hold 50 people or fewer.", [("50 people or fewer", 50, None, 50, "people", "at_most")]),
    ("Kits cost 99 pence.", [("99 pence", 99, 99, 99, "pence", "exact")]),
    ("A loan of USD 75 million.", [("USD 75 million", 7.5e7, 7.5e7, 7.5e7, "USD", "exact")]),
    ("Tea costs 10 rmb.", [("10 rmb", 10, 10, 10, "CNY", "exact")]),
    ("Tickets are 10 \u20ac each.", [("10 \u20ac", 10, 10, 10, "EUR", "exact")]),
    ("Shares hit 250p.", [("250p", 250, 250, 250, "pence", "exact")]),
    ("A shirt cost ten pounds.", [("ten pounds", 10, 10, 10, "GBP", "exact")]),
    ("The parcel weighed ten pounds.", [("ten pounds", 10, 10, 10, "lb", "exact")]),
    ("Each pill holds 20mg.", [("20mg", 20, 20, 20, "mg", "exact")]),
    ("A 5-inch gun fired.", [("5-inch", 5, 5, 5, "inches", "exact")]),
    ("Firms of 50 or more must file.", [("50 or more", 50, 50, None, "count", "at_least")]),
    ("Replies come within 48 hours.", [("within 48 hours", 48, None, 48, "hours", "at_most")]),
    ("It rose above the 10,000 mark.", [("above the 10,000", 10000, 10000, None, "count", "more_than")]),
    ("There is a cap of $5,000.", [("a cap of $5,000", 5000, None, 5000, "USD", "at_most")]),
    ("Prices were 1000-5000 a tonne.", [("1000-5000", None, 1000, 5000, "count", "range")]),
    ("Doses of 44 mg to 50 mg.", [("44 mg to 50 mg", None, 44, 50, "mg", "range")]),
    ("Groups of 20 through 100 met.", [("20 through 100", None, 20, 100, "count", "range")]),
    ("It cost ($1.2bn-1.4bn).", [("$1.2bn-1.4bn", None, 1.2e9, 1.4e9, "USD", "range")]),
    (
        "Expect more than 100 and less than 300 boats.",
        [("more than 100 and less than 300", None, 100, 300, "count", "range")],
    ),
    (
        "More than 40 and less than 10 differ.",
        [("More than 40", 40, 40, None, "count", "more_than"), ("less than 10", 10, None, 10, "count", "less_than")],
    ),
    ("All four engines failed.", [("four", 4, 4, 4, "count", "exact")]),
    # not figures: index and product names, a caption counter, a rank, an age group
    ("The Nasdaq 100 fell on Channel 4 news about iOS 17 and Windows 11.", []),
    ("Image 3 of 12. A top ten list for adults over 65.", []),
]


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_each_kind_of_issue_9_reads_right(text, expected):
    found = extract_figures(text)
    got = [
        (r.surface, r.value, r.lower, r.upper, r.unit, r.qualifier)
        for r in found.astype(object).where(found.notna(), None).itertuples()
    ]
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        assert g[0] == e[0] and g[4:] == e[4:], (g, e)
        for a, b in zip(g[1:4], e[1:4]):
            assert (a is None and b is None) or math.isclose(a, b, rel_tol=1e-9), (g, e)


PEERS = Path(__file__).resolve().parents[2] / "shared" / "peers" / "recognizers-text"


@pytest.mark.skipif(not PEERS.is_dir(), reason="peer suites not present")
def test_peer_suites_are_read_with_exclusions_by_rule_and_mostly_found():
    from newsfigures.extract.evaluate import PEER_SUITES, load_peer_suite, score_peer_suite

    cases, excluded = load_peer_suite(PEERS / PEER_SUITES["range"])
    assert excluded["ordinals"] >= 1 and len(cases) >= 50
    score = score_peer_suite(extract_figures, cases, "range")
    assert score.recall >= 0.9 and score.bounds >= 0.85 and score.precision >= 0.9, score.wrong[:5]


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
