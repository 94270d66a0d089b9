"""The figure sheet: real values, dtypes, views, and one clear error per kind of bad sheet."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from newsfigures.core import paths
from newsfigures.core.errors import FigureSheetError
from newsfigures.core.figures import (
    COLUMNS,
    QUALIFIERS,
    counts,
    estimate_series,
    figure_label,
    load_figures,
    money,
    read_sheet,
    shares,
    validate_figures,
)
from newsfigures.core.schema import plain
from newsfigures.core.stories import load_story

from .conftest import write_sheet


@pytest.fixture(scope="module")
def figures():
    return load_figures()


def test_sheet_has_the_articles_figures(figures):
    by_id = figures.set_index("figure_id")
    troops = by_id.loc["nk_troops_sent"]
    assert (troops.value, troops.lower, troops.qualifier) == (3000, 3000, "at_least")
    assert math.isnan(troops.upper)
    assert troops.attribution == "the U.S." and troops.surface == "at least 3,000"
    army = by_id.loc["nk_army_size"]
    assert (army.value, army.qualifier, army.surface) == (1_000_000, "approximate", "million-strong")
    dead = by_id.loc["ukraine_war_killed"]
    assert math.isnan(dead.value) and (dead.lower, dead.upper) == (200_000, 999_999)
    assert (dead.qualifier, dead.attribution, dead.surface) == ("magnitude", "the West", "hundreds of thousands")
    assert by_id.loc["brics_population_share", "value"] == pytest.approx(41.1)
    assert by_id.loc["brics_gdp_share", "value"] == pytest.approx(37.3)
    assert set(by_id["unit"]) == {"people", "percent"}


def test_dtypes_are_the_documented_ones(figures):
    assert list(figures.columns) == list(COLUMNS)
    for column, dtype in COLUMNS.items():
        assert str(figures[column].dtype) == dtype, column
    assert figures["as_of"].min() == pd.Timestamp("2024-10-23")


def test_views_split_counts_and_shares_by_unit(figures):
    forces = counts(figures)
    assert list(forces["figure_id"]) == ["nk_troops_sent", "ukraine_war_killed", "nk_army_size"]
    percent = shares(figures)
    assert list(percent["figure_id"]) == ["brics_population_share", "brics_gdp_share"]
    assert (percent["unit"] == "percent").all()
    assert money(figures).empty and list(money(figures).columns) == list(COLUMNS)


def test_several_rows_may_share_a_measure(tmp_path):
    extra = (
        "nk_troops_sent_later,force_size,North Korean troops sent to Russia,12000,10000,12000,people,range,"
        'South Korea,"10,000 to 12,000",,,2024-11-01,other\n'
    )
    sheet = write_sheet(tmp_path, lambda t: t + extra)
    forces = counts(load_figures(sheet))
    assert (forces["measure"] == "North Korean troops sent to Russia").sum() == 2
    series = estimate_series(load_figures(sheet))
    assert list(series["figure_id"]) == ["nk_troops_sent", "nk_troops_sent_later"]
    assert set(series["series"]) == {"North Korean troops sent to Russia"}


def test_estimate_series_needs_another_date_or_source(tmp_path):
    # Same measure, same date and source: two figures of one article, not a series.
    extra = (
        "nk_troops_same_day,force_size,North Korean troops sent to Russia,4000,4000,4000,people,exact,"
        ",4000,,,2024-10-23,nbc-2024-10-24\n"
    )
    assert estimate_series(load_figures(write_sheet(tmp_path, lambda t: t + extra))).empty


@pytest.mark.parametrize(
    "row, expected",
    [
        (dict(qualifier="at_least", value=3000.0, lower=3000.0, upper=float("nan"), unit="people"), "at least 3,000"),
        (
            dict(qualifier="approximate", value=1e6, lower=float("nan"), upper=float("nan"), unit="people"),
            "about 1,000,000",
        ),
        (
            dict(qualifier="magnitude", value=float("nan"), lower=2e5, upper=999999.0, unit="people"),
            "200,000 to 1 million",
        ),
        (
            dict(
                qualifier="magnitude",
                value=float("nan"),
                lower=2e5,
                upper=999999.0,
                unit="people",
                surface="hundreds of thousands",
            ),
            "hundreds of thousands (200,000 to 1 million)",
        ),
        (dict(qualifier="nearly", value=12e3, lower=float("nan"), upper=12e3, unit="people"), "nearly 12,000"),
        (dict(qualifier="range", value=float("nan"), lower=11e3, upper=12e3, unit="people"), "11,000 to 12,000"),
        (dict(qualifier="at_most", value=1.5e9, lower=float("nan"), upper=1.5e9, unit="USD"), "up to USD 1.5 billion"),
        (dict(qualifier="exact", value=41.1, lower=41.1, upper=41.1, unit="percent"), "41.1%"),
    ],
)
def test_figure_label_says_the_bounds(row, expected):
    assert figure_label(pd.Series(row)) == expected


BAD_SHEETS = {
    "missing column": (lambda t: t.replace(",unit,", ",unit_of_measure,", 1), None, "unit", "missing column"),
    "non-numeric value": (
        lambda t: t.replace("41.1,41.1,41.1", "forty-one,41.1,41.1"),
        5,
        "value",
        "'forty-one' is not a number",
    ),
    "lower > upper": (lambda t: t.replace(",200000,999999,", ",999999,200000,"), 3, "lower", "greater than upper"),
    "duplicate figure_id": (
        lambda t: t.replace("nk_army_size", "nk_troops_sent"),
        4,
        "figure_id",
        "duplicate figure_id 'nk_troops_sent'",
    ),
    "unknown qualifier": (
        lambda t: t.replace(",approximate,", ",roughly,"),
        4,
        "qualifier",
        "unknown qualifier 'roughly'",
    ),
    "topic not snake_case": (
        lambda t: t.replace("nk_army_size,force_size", "nk_army_size,Force Size"),
        4,
        "topic",
        "'Force Size' is not a snake_case topic",
    ),
    "unknown column": (
        lambda t: "\n".join(line + (",notes" if i == 0 else ",x") for i, line in enumerate(t.splitlines())) + "\n",
        None,
        "notes",
        "unknown column 'notes'",
    ),
    "non-numeric offset": (
        lambda t: t.replace(",123,137,", ",abc,137,"),
        2,
        "char_start",
        "'abc' is not a whole number",
    ),
    "infinite value": (
        lambda t: t.replace("3000,3000,,people", "inf,3000,,people"),
        2,
        "value",
        "'inf' is not a finite number",
    ),
    "value too large for a float, quoted as typed": (
        lambda t: t.replace("3000,3000,,people", "1e400,3000,,people"),
        2,
        "value",
        "'1e400' is not a finite number",
    ),
    "one measure in two units": (
        lambda t: t.replace(
            "Size of North Korea's army,1000000,,,people", "North Korean troops sent to russia ,1000000,,,count"
        ),
        4,
        "unit",
        "unit 'count' differs from 'people' in row 2, which has the same measure",
    ),
    "value outside open bound": (
        lambda t: t.replace("3000,3000,,people", "10,3000,,people"),
        2,
        "value",
        "value 10 lies outside its bounds (3,000 to open)",
    ),
}


@pytest.mark.parametrize("case", BAD_SHEETS, ids=list(BAD_SHEETS))
def test_bad_sheet_raises_one_error_naming_file_row_and_column(tmp_path, case):
    edit, row, column, words = BAD_SHEETS[case]
    sheet = write_sheet(tmp_path, edit)
    with pytest.raises(FigureSheetError) as info:
        load_figures(sheet)
    message = str(info.value)
    assert str(sheet) in message
    assert f"column '{column}'" in message
    assert words in message
    if row is not None:
        assert f"row {row}," in message
    assert info.value.path == str(sheet)
    assert any(p[0] == row and column in (p[1] or "") for p in info.value.problems)


def test_bound_the_qualifier_needs_is_required(tmp_path):
    sheet = write_sheet(tmp_path, lambda t: t.replace("3000,3000,,people", "3000,,,people"))
    with pytest.raises(FigureSheetError, match=r"row 2, column 'lower': qualifier 'at_least' needs lower"):
        load_figures(sheet)


def test_row_longer_than_header_is_reported_with_its_row(tmp_path):
    sheet = write_sheet(tmp_path, lambda t: t.replace("qualifier,", "", 1))
    with pytest.raises(FigureSheetError, match=r"row 2: has 14 fields but the header has 13"):
        load_figures(sheet)


@pytest.mark.parametrize(
    "content, words",
    [(b"", "is empty"), (b"\xff\xfe\x00garbage", "not UTF-8"), (",".join(COLUMNS).encode() + b"\n", "has no figures")],
)
def test_unreadable_sheets(tmp_path, content, words):
    sheet = tmp_path / "figures.csv"
    sheet.write_bytes(content)
    with pytest.raises(FigureSheetError, match=words):
        load_figures(sheet)


def test_a_cell_of_spaces_only_is_an_empty_cell(tmp_path):
    sheet = tmp_path / "figures.csv"
    # "at least 3,000" has no upper bound and the army's size no attribution: typed as spaces.
    text = paths.SHEET.read_text().replace("3000,3000,,people", "3000,3000,   ,people")
    sheet.write_text(text.replace("people,approximate,,", "people,approximate,  ,"))
    assert sheet.read_text() != paths.SHEET.read_text()
    read, expected = load_figures(sheet), load_figures(paths.SHEET)
    pd.testing.assert_frame_equal(read, expected)


def test_missing_sheet(tmp_path):
    with pytest.raises(FigureSheetError, match="no such file"):
        load_figures(tmp_path / "nope.csv")


def test_validate_accepts_a_dataframe_and_names_it():
    frame = read_sheet(paths.SHEET).drop(columns=["qualifier"])
    with pytest.raises(FigureSheetError, match=r"^sheet\.csv, column 'qualifier': missing column"):
        validate_figures(frame, "sheet.csv")


def test_qualifier_vocabulary_is_small_and_fixed():
    assert {"exact", "at_least", "approximate", "range", "magnitude"} <= set(QUALIFIERS)
    assert len(QUALIFIERS) <= 10


def test_a_story_names_its_own_topics(tmp_path):
    # Any snake_case topic is allowed; a story file that lists its topics makes them a vocabulary.
    sheet = write_sheet(tmp_path, lambda t: t.replace("nk_army_size,force_size", "nk_army_size,weather"))
    assert "weather" in set(load_figures(sheet)["topic"])
    topics = load_story(paths.STORY).topics
    with pytest.raises(FigureSheetError, match=r"row 4, column 'topic': unknown topic 'weather' \(expected one of: "):
        load_figures(sheet, topics=topics)

    # Every row off the vocabulary: each is named, the vocabulary is said once.
    sheet = write_sheet(tmp_path, lambda t: re.sub(r",(force_size|brics_share),", ",weather,", t))
    with pytest.raises(FigureSheetError) as info:
        load_figures(sheet, topics=topics)
    message = str(info.value)
    assert [line for line, _, _ in info.value.problems] == [2, 3, 4, 5, 6]
    assert message.count("unknown topic 'weather'") == 5 and message.count("expected one of") == 1


def test_a_sheet_without_shares_has_an_empty_view(tmp_path):
    sheet = write_sheet(tmp_path, lambda t: "\n".join(l for l in t.splitlines() if ",percent," not in l) + "\n")
    figures = load_figures(sheet)
    assert shares(figures).empty and len(counts(figures)) == 3


def test_one_bad_cell_gives_one_problem(tmp_path):
    sheet = write_sheet(tmp_path, lambda t: t.replace(",123,137,", ",abc,137,"))
    with pytest.raises(FigureSheetError) as info:
        load_figures(sheet)
    assert len(info.value.problems) == 1 and "TypeError" not in str(info.value)


@pytest.mark.parametrize(
    "edit, message",
    [
        # A numpy scalar's repr (np.int64(-5)) is not what the sheet says.
        (lambda t: t.replace(",123,137,", ",-5,137,"), "row 2, column 'char_start': -5 is negative"),
        (lambda t: t.replace(",172,193,", ",172,-193,"), "row 3, column 'char_end': -193 is negative"),
        # Text pandas reads as missing is not an empty cell: the approximate figure keeps its value's problem.
        (
            lambda t: t.replace("army,1000000,,,", "army,NaN,,,"),
            "row 4, column 'value': 'NaN' is not a number",
        ),
        (lambda t: t.replace("41.1,41.1,41.1", "41.1,nan,41.1"), "row 5, column 'lower': 'nan' is not a number"),
        (lambda t: t.replace("37.3,37.3,37.3", "37.3,37.3,-nan"), "row 6, column 'upper': '-nan' is not a number"),
        (lambda t: t.replace("army,1000000,,,", "army,NA,,,"), "row 4, column 'value': 'NA' is not a number"),
        (lambda t: t.replace("army,1000000,,,", "army,null,,,"), "row 4, column 'value': 'null' is not a number"),
        (
            lambda t: t.replace(",123,137,2024-10-23,", ",123,137,NaT,"),
            "row 2, column 'as_of': 'NaT' is not a date (YYYY-MM-DD)",
        ),
        (
            lambda t: t.replace(",123,137,2024-10-23,", ",123,137,nan,"),
            "row 2, column 'as_of': 'nan' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_bad_cells_are_said_as_written_in_one_line(tmp_path, edit, message):
    sheet = write_sheet(tmp_path, edit)
    with pytest.raises(FigureSheetError) as info:
        load_figures(sheet)
    assert str(info.value) == f"{sheet}, {message}"
    assert len(info.value.problems) == 1


def test_only_an_empty_cell_is_an_open_bound(tmp_path):
    # The committed sheet leaves bounds open with empty cells; those still load as NaN.
    figures = load_figures()
    assert math.isnan(figures.set_index("figure_id").at["nk_army_size", "lower"])
    sheet = write_sheet(tmp_path, lambda t: t.replace("army,1000000,,,", "army,1000000,NaN,,"))
    with pytest.raises(FigureSheetError, match=r"row 4, column 'lower': 'NaN' is not a number$"):
        load_figures(sheet)


def test_failure_cases_are_python_values():
    assert repr(plain(np.int64(-5))) == "-5" and repr(plain(np.float64(2.5))) == "2.5"
    assert plain("NaN") == "NaN"
