"""Fact-check: every plausible definition of the article's shares and army size, and the closest."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from newsfigures.core.figures import load_figures
from newsfigures.reference import share_of_world
from newsfigures.reference.factcheck import COLUMNS, article_marks, fact_check, findings, summary_table


@pytest.fixture(scope="module")
def check():
    return fact_check(load_figures())


def _closest(check, figure_id, column="closest"):
    rows = check[(check["figure_id"] == figure_id) & check[column]]
    assert len(rows) == 1
    return rows.iloc[0]


def test_columns_and_dtypes(check):
    assert list(check.columns) == list(COLUMNS)
    assert {c: str(t) for c, t in check.dtypes.items()} == COLUMNS


def test_closest_is_on_exactly_one_row_per_figure(check):
    assert check.groupby("figure_id")["closest"].sum().to_dict() == {
        "brics_population_share": 1,
        "brics_gdp_share": 1,
        "nk_army_size": 1,
    }
    assert check.groupby("figure_id")["closest_at_publication"].sum().eq(1).all()


def test_every_definition_is_tried(check):
    population = check[check["figure_id"] == "brics_population_share"]
    assert set(population["group"]) == {"BRICS-5", "BRICS-9", "BRICS-9+SAU"}
    assert set(population["release"]) == {"2026-07-01", "2024-06-28"}
    gdp = check[check["figure_id"] == "brics_gdp_share"]
    assert set(gdp["indicator_code"]) == {"NY.GDP.MKTP.PP.CD", "NY.GDP.MKTP.CD"}
    # 3 groups x (latest release: 2015-2024 at PPP, 2015-2025 at market rates except the UAE's
    # missing 2025; older release: 2015-2023).
    assert len(population) == 3 * (11 + 9)
    assert len(gdp[gdp["indicator_code"] == "NY.GDP.MKTP.PP.CD"]) == 3 * (10 + 9)
    assert sorted(set(gdp["year"])) == list(range(2015, 2026))


def test_the_population_share_rests_on_the_five_original_members(check):
    best = _closest(check, "brics_population_share")
    assert (best.group, best.indicator_code, best.year, best.release) == ("BRICS-5", "SP.POP.TOTL", 2020, "2026-07-01")
    assert best.recomputed == pytest.approx(share_of_world("SP.POP.TOTL", "BRICS-5", 2020, "2026-07-01"))
    assert best.recomputed == pytest.approx(41.10, abs=0.01) and best.matches_as_printed
    then = _closest(check, "brics_population_share", "closest_at_publication")
    assert (then.group, then.year, then.release) == ("BRICS-5", 2021, "2024-06-28")
    assert then.difference_pp == pytest.approx(-0.05, abs=0.01)


def test_the_gdp_share_is_at_ppp_and_needs_saudi_arabia(check):
    best = _closest(check, "brics_gdp_share")
    assert (best.group, best.indicator_code, best.year, best.release) == (
        "BRICS-9+SAU",
        "NY.GDP.MKTP.PP.CD",
        2024,
        "2026-07-01",
    )
    assert best.difference_pp == pytest.approx(0.21, abs=0.01) and not best.matches_as_printed
    then = _closest(check, "brics_gdp_share", "closest_at_publication")
    assert (then.group, then.indicator_code, then.year, then.release) == (
        "BRICS-9+SAU",
        "NY.GDP.MKTP.PP.CD",
        2023,
        "2024-06-28",
    )
    market = check[(check["figure_id"] == "brics_gdp_share") & (check["indicator_code"] == "NY.GDP.MKTP.CD")]
    assert market["difference_pp"].max() < -9  # at market exchange rates nothing comes near 37.3%


def test_the_army_size_is_checked_against_armed_forces_personnel(check):
    army = check[check["figure_id"] == "nk_army_size"]
    assert set(army["unit"]) == {"people"} and army["difference_pp"].isna().all()
    assert army["release"].isna().all() and sorted(army["year"]) == list(range(2015, 2021))
    best = _closest(check, "nk_army_size")
    assert (best.year, best.recomputed, best.difference) == (2015, 1_379_000, 379_000)
    assert best.matches_as_printed  # a round million, as printed


def test_closest_is_the_smallest_absolute_difference(check):
    for _figure_id, rows in check.groupby("figure_id"):
        assert rows.loc[rows["closest"], "difference"].abs().iloc[0] == rows["difference"].abs().min()
        assert ((rows["recomputed"] - rows["article_value"]) == rows["difference"]).all()
        available = rows[rows["available_at_publication"]]
        nearest_then = rows.loc[rows["closest_at_publication"], "difference"].abs().iloc[0]
        assert nearest_then == available["difference"].abs().min()
    assert not check.loc[check["release"] == "2026-07-01", "available_at_publication"].any()


def test_findings_say_the_shares_rest_on_different_memberships(check):
    text = " ".join(findings(check))
    assert "do not rest on the same membership" in text
    assert "BRICS-5" in text and "BRICS-9+SAU" in text and "41.10%" in text and "37.51%" in text
    assert "no definition tried rounds to the printed 37.3%" in text


def test_summary_table_names_the_closest_definitions(check):
    table = summary_table(check)
    assert (table.dtypes == "str").all()
    rows = table[table["Data"] == "any release"].set_index("Figure")
    assert rows.loc["BRICS share of world population", "Closest definition"] == "BRICS-5, population"
    assert rows.loc["BRICS share of world GDP", "Closest definition"] == "BRICS-9+SAU, GDP at purchasing power parity"


def test_a_sheet_without_checkable_figures_gives_an_empty_table():
    figures = load_figures()
    figures = figures[figures["figure_id"] == "ukraine_war_killed"]
    check = fact_check(figures)
    assert check.empty and list(check.columns) == list(COLUMNS)


def test_article_marks_pair_figures_with_indicators():
    marks = article_marks(load_figures())
    pairs = set(zip(marks["figure_id"], marks["indicator_code"], marks["label"]))
    assert ("brics_population_share", "SP.POP.TOTL", "41.1%") in pairs
    assert ("brics_gdp_share", "NY.GDP.MKTP.PP.CD", "37.3%") in pairs
    assert ("nk_army_size", "MS.MIL.TOTL.P1", "1,000,000") in pairs
    assert not any(math.isnan(v) for v in marks["value"])
    assert isinstance(marks, pd.DataFrame)


def test_summary_table_signs_gaps_with_a_true_minus_and_labels_every_release(check):
    table = summary_table(check).set_index(["Figure", "Data"])
    gap, year = table["Gap"], table["Year, release"]
    assert gap[("BRICS share of world population", "before the article")] == "\u22120.05 pp"
    assert gap[("BRICS share of world GDP", "before the article")] == "\u22120.48 pp"
    assert gap[("BRICS share of world GDP", "any release")] == "+0.21 pp"
    assert gap[("BRICS share of world population", "any release")] == "0.00 pp"  # 41.10 vs 41.1: no sign
    assert gap[("Size of North Korea's army", "any release")] == "+379,000"
    assert not gap.str.contains("-").any()
    assert year[("Size of North Korea's army", "any release")] == "2015, WDI (IISS series, one release)"
    assert year.str.fullmatch(r"\d{4}, WDI (\d{4}-\d{2}-\d{2}|\(IISS series, one release\))").all()
    assert "(WDI, IISS series, one release)" in findings(check)[0]
    # the data keeps plain numbers
    assert check.loc[check["closest_at_publication"], "difference_pp"].min() == pytest.approx(-0.48, abs=0.01)


def test_a_negative_head_count_gap_has_a_true_minus():
    figures = load_figures()
    figures.loc[figures["figure_id"] == "nk_army_size", ["value", "lower", "upper"]] = 2_000_000
    row = summary_table(fact_check(figures)).iloc[0]
    assert (row["Figure"], row["Gap"]) == ("Size of North Korea's army", "\u2212531,000")
