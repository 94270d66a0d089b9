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


@pytest.fixture(scope="module")
def sentences(check):
    return findings(check)


def _rows(check, figure_id, **where):
    rows = check[check["figure_id"] == figure_id]
    for column, value in where.items():
        rows = rows[rows[column].fillna("") == value]
    return rows


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def test_findings_are_one_sentence_group_per_figure_measure_and_the_membership_note(sentences):
    assert len(sentences) == 5
    assert all("'" not in s and '"' not in s for s in sentences)  # curly quotes only


def test_army_finding_matches_its_rows(check, sentences):
    text = sentences[0]
    rows = _rows(check, "nk_army_size")
    best = rows[rows["closest"]].iloc[0]
    latest = rows.loc[rows["year"].idxmax()]
    assert text.startswith("Size of North Korea\u2019s army, 1,000,000 in the article:")
    assert f"in {best.year} " in text and f"{best.recomputed:,.0f}" in text
    assert f"{best.difference:,.0f} more" in text
    assert f"The most recent year in that series, {latest.year}, gives {latest.recomputed:,.0f}." in text
    # The closest year is the earliest checked, and the sentence says so and why it matters.
    assert best.year == rows["year"].min() == 2015
    assert f"{best.year} is the earliest year checked" in text
    later = rows[rows["year"] > best.year]
    assert (later["difference"].abs() > abs(best.difference)).all() and "every later year is further" in text


def test_population_finding_matches_its_rows(check, sentences):
    text = sentences[1]
    best = _closest(check, "brics_population_share")
    then = _closest(check, "brics_population_share", "closest_at_publication")
    same = _rows(check, "brics_population_share", group=best.group, release=best.release)
    latest = same.loc[same["year"].idxmax()]
    assert f"({best.group}) in {best.year} (WDI release {best.release}), at {_pct(best.recomputed)}" in text
    # The latest year names its own release, and comes before the older release is mentioned.
    latest_clause = (
        f"The most recent year in the {latest.release} release, {latest.year}, gives {_pct(latest.recomputed)}."
    )
    assert latest_clause in text
    then_clause = f"in {then.year} (WDI release {then.release}), at {_pct(then.recomputed)}"
    assert then_clause in text and text.index(latest_clause) < text.index(then_clause)
    assert then.release == "2024-06-28" and latest.year not in set(
        _rows(check, "brics_population_share", release=then.release)["year"]
    )
    assert f"{abs(then.difference_pp):.2f} points below" in text


def test_gdp_finding_matches_its_rows(check, sentences):
    text = sentences[2]
    best = _closest(check, "brics_gdp_share")
    then = _closest(check, "brics_gdp_share", "closest_at_publication")
    assert not _rows(check, "brics_gdp_share")["matches_as_printed"].any()
    assert "no definition tried rounds to the printed 37.3%" in text
    assert (
        f"in {best.year} (WDI release {best.release}), "
        f"at {_pct(best.recomputed)}, {best.difference_pp:.2f} points above" in text
    )
    assert (
        f"in {then.year} (WDI release {then.release}), "
        f"at {_pct(then.recomputed)}, {abs(then.difference_pp):.2f} points below" in text
    )
    assert "most recent year" not in text  # the closest year is the latest at PPP
    assert (
        best.year
        == _rows(check, "brics_gdp_share", group=best.group, release=best.release, indicator_code=best.indicator_code)[
            "year"
        ].max()
    )


def test_market_rate_finding_matches_its_rows(check, sentences):
    text = sentences[3]
    rows = _rows(check, "brics_gdp_share", indicator_code="NY.GDP.MKTP.CD")
    near = rows.loc[rows["difference"].abs().idxmin()]
    assert text.startswith("Measured as GDP at market exchange rates, nothing comes close")
    assert f"({near.group}), GDP at market exchange rates, in {near.year} (WDI release {near.release})" in text
    assert f"at {_pct(near.recomputed)}, {abs(near.difference_pp):.2f} points below" in text
    assert abs(near.difference_pp) > 1.0


def test_membership_finding_matches_its_rows(check, sentences):
    text = sentences[4]
    population = _closest(check, "brics_population_share")
    gdp = _closest(check, "brics_gdp_share")
    assert population.group != gdp.group
    assert text.startswith("In World Bank data, the two shares fit different memberships:")
    assert f"the population share fits the five members to 2023 ({population.group})" in text
    swapped = share_of_world("SP.POP.TOTL", gdp.group, int(gdp.year), gdp.release)
    assert f"Counting {gdp.group} in {gdp.year}, the population share would be {swapped:.1f}%, not 41.1%." in text
    swapped = share_of_world(gdp.indicator_code, population.group, int(population.year), population.release)
    assert (
        f"Counting {population.group} in {population.year}, "
        f"the GDP share at purchasing power parity would be {swapped:.1f}%" in text
    )


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
