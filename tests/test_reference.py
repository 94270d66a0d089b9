"""Reference data: shares of world recomputed independently from the raw World Bank files,
BRICS membership by date, the ``reference`` command and its errors."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsfigures.core import paths
from newsfigures.core.errors import ReferenceDataError
from newsfigures.reference import (
    MissingValuesError,
    brics_members,
    group_members,
    group_total,
    load_extract,
    releases,
    share_of_world,
)
from newsfigures.reference.wdi import build_extract, extract_csv_bytes, refresh_extract

# Membership lists written out here, not read from brics_membership.csv, so that the
# tests check the membership data as well as the arithmetic.
BRICS_5 = ["BRA", "RUS", "IND", "CHN", "ZAF"]
BRICS_9 = BRICS_5 + ["EGY", "ETH", "IRN", "ARE"]
BRICS_9_SAU = BRICS_9 + ["SAU"]
GROUPS = {"BRICS-5": BRICS_5, "BRICS-9": BRICS_9, "BRICS-9+SAU": BRICS_9_SAU}
LATEST, OLDER = "2026-07-01", "2024-06-28"
TOLERANCE_PP = 0.01


# --- independent recomputation from the raw files (plain pandas, no newsfigures code) ---


def _long(raw: Path, relative: str) -> pd.DataFrame:
    frame = pd.read_csv(raw / relative)
    return frame.pivot(index="Country Code", columns="Year", values="Value")


def _bulk(raw: Path, code: str) -> pd.DataFrame:
    folder = raw / "relatoscondatos__data_global/data/source/worldbank"
    (path,) = glob.glob(str(folder / f"API_{code}_DS2_*/API_{code}_DS2_*.csv"))
    frame = pd.read_csv(path, skiprows=4).set_index("Country Code")
    years = [c for c in frame.columns if c.isdigit()]
    return frame[years].rename(columns=int)


@pytest.fixture(scope="module")
def raw_tables(raw_dir):
    """{(release, indicator): wide frame, countries x years}, read straight from the raw files."""
    a = "datasets__world-development-indicators/indicators/"
    latest = {
        code: _long(raw_dir, f"{a}{code.lower()}/data.csv")
        for code in ("SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.PP.CD")
    }
    older = {code: _bulk(raw_dir, code) for code in ("NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.PP.CD")}
    older["SP.POP.TOTL"] = _long(raw_dir, "datasets__population/10de5a54/data/population.csv")
    tables = {}
    for release, t in ((LATEST, latest), (OLDER, older)):
        tables[(release, "SP.POP.TOTL")] = t["SP.POP.TOTL"]
        tables[(release, "NY.GDP.MKTP.CD")] = t["NY.GDP.MKTP.CD"]
        # PPP total = PPP per person x the population the World Bank divided by (GDP / GDP per person).
        tables[(release, "NY.GDP.MKTP.PP.CD")] = t["NY.GDP.PCAP.PP.CD"] * t["NY.GDP.MKTP.CD"] / t["NY.GDP.PCAP.CD"]
    return tables


def _expected(raw_tables, release, indicator, members, year) -> float:
    table = raw_tables[(release, indicator)]
    return float(table.loc[members, year].sum() / table.loc["WLD", year] * 100)


@pytest.mark.parametrize("release, years", [(LATEST, range(2015, 2025)), (OLDER, range(2015, 2024))])
@pytest.mark.parametrize("indicator", ["SP.POP.TOTL", "NY.GDP.MKTP.PP.CD", "NY.GDP.MKTP.CD"])
@pytest.mark.parametrize("group", list(GROUPS))
def test_shares_match_an_independent_recomputation_from_the_raw_files(raw_tables, group, indicator, release, years):
    for year in years:
        expected = _expected(raw_tables, release, indicator, GROUPS[group], year)
        assert share_of_world(indicator, group, year, release) == pytest.approx(expected, abs=TOLERANCE_PP), year
        assert share_of_world(indicator, GROUPS[group], year, release) == pytest.approx(expected, abs=TOLERANCE_PP)


def test_the_article_population_share_is_brics_5_in_2020(raw_tables):
    expected = _expected(raw_tables, LATEST, "SP.POP.TOTL", BRICS_5, 2020)
    assert round(expected, 1) == 41.1
    assert share_of_world("SP.POP.TOTL", "BRICS-5", 2020) == pytest.approx(expected, abs=TOLERANCE_PP)


def test_latest_release_is_the_default(raw_tables):
    assert releases() == [LATEST, OLDER]
    expected = _expected(raw_tables, LATEST, "NY.GDP.MKTP.PP.CD", BRICS_9_SAU, 2024)
    assert share_of_world("NY.GDP.MKTP.PP.CD", "BRICS-9+SAU", 2024) == pytest.approx(expected, abs=TOLERANCE_PP)
    assert share_of_world("NY.GDP.MKTP.PP.CD", "BRICS-9+SAU", 2024) == pytest.approx(37.51, abs=0.01)


def test_committed_extract_is_rebuilt_byte_for_byte_from_the_raw_files(raw_dir):
    extract = build_extract(raw_dir)
    assert extract_csv_bytes(extract) == (paths.REFERENCE_DIR / "wdi_extract.csv").read_bytes(), (
        "data/reference/wdi_extract.csv is stale: run python -m newsfigures reference --from ../shared/reference/raw"
    )


def test_derived_world_ppp_agrees_with_the_published_world_series(raw_dir):
    # open-numbers keeps WDI's published World NY.GDP.MKTP.PP.CD from a release between the
    # two; PPP benchmark revisions move World totals by about 1% between releases.
    published = pd.read_csv(
        raw_dir / "open-numbers__ddf--open_numbers--world_development_indicators/datapoints/"
        "ddf--datapoints--ny_gdp_mktp_pp_cd--by--global--time.csv"
    ).set_index("time")
    extract = load_extract()
    for release, tolerance, years in ((LATEST, 0.02, range(2015, 2025)), (OLDER, 0.015, range(2015, 2024))):
        world = extract[
            (extract["release"] == release)
            & (extract["iso3"] == "WLD")
            & (extract["indicator_code"] == "NY.GDP.MKTP.PP.CD")
        ].set_index("year")["value"]
        assert list(world.index) == list(years)
        for year in years:
            assert world[year] == pytest.approx(published.at[year, "ny_gdp_mktp_pp_cd"], rel=tolerance), (release, year)


def test_older_release_population_is_the_one_its_gdp_per_person_divides_by(raw_dir, raw_tables):
    implied = _bulk(raw_dir, "NY.GDP.MKTP.CD") / _bulk(raw_dir, "NY.GDP.PCAP.CD")
    population = raw_tables[(OLDER, "SP.POP.TOTL")]
    for year in range(2015, 2024):
        assert population.at["WLD", year] == pytest.approx(implied.at["WLD", year], rel=1e-6)
        assert population.at["CHN", year] == pytest.approx(implied.at["CHN", year], rel=1e-6)


# --- the extract itself -----------------------------------------------------------------


def test_extract_holds_what_the_report_needs():
    extract = load_extract()
    assert list(extract.columns)[:6] == ["release", "iso3", "country", "indicator_code", "year", "value"]
    assert extract["year"].min() == 2015
    assert set(extract["indicator_code"]) == {"SP.POP.TOTL", "NY.GDP.MKTP.PP.CD", "NY.GDP.MKTP.CD", "MS.MIL.TOTL.P1"}
    for code in BRICS_9_SAU + ["IDN", "PRK", "KOR", "UKR", "USA", "WLD"]:
        assert code in set(extract["iso3"]), code
    military = extract[extract["indicator_code"] == "MS.MIL.TOTL.P1"]
    assert military["release"].isna().all() and military["year"].max() == 2020
    prk = military[(military["iso3"] == "PRK") & (military["year"] == 2020)]["value"]
    assert prk.tolist() == [1_469_000]
    assert not extract.duplicated(["release", "iso3", "indicator_code", "year"]).any()
    assert (paths.REFERENCE_DIR / "wdi_extract.csv").stat().st_size < 300_000


def test_sources_file_states_licence_attribution_and_commits():
    text = " ".join((paths.REFERENCE_DIR / "SOURCES.md").read_text(encoding="utf-8").split())
    for words in (
        "CC BY 4.0",
        "World Bank, World Development Indicators",
        LATEST,
        OLDER,
        "4ebec5a2273f531ba238a34dbe440394dc5a6c4b",
        "1473f4e537c117922502981b703d3346d4f00a20",
        "10de5a5406b369abb7ffbaafe18c79d7ced1d2c5",
        "01a34e8b54d76160a61b0325d74254e22db06b93",
        "SP.POP.TOTL",
        "NY.GDP.MKTP.PP.CD",
        "NY.GDP.MKTP.CD",
        "MS.MIL.TOTL.P1",
        "no release split",
    ):
        assert words in text, words


# --- membership by date -----------------------------------------------------------------


def test_membership_by_date():
    assert brics_members("2023-12-31") == BRICS_5
    assert brics_members("2024-01-01") == BRICS_9
    assert "SAU" not in brics_members("2026-01-01")
    assert "SAU" in brics_members("2024-06-01", statuses=("invited",))
    assert "IDN" not in brics_members("2024-12-31") and "IDN" in brics_members("2025-01-06")
    assert "ARG" not in brics_members("2024-01-01", statuses=("member", "invited"))
    assert len(brics_members("2025-07-01", statuses=("partner",))) == 10
    assert group_members("BRICS-9+SAU") == BRICS_9_SAU
    assert group_members("BRICS@2025-02-01") == BRICS_9 + ["IDN"]


def test_share_of_a_list_is_the_sum_of_its_parts():
    both = share_of_world("SP.POP.TOTL", ["CHN", "IND"], 2023)
    assert both == pytest.approx(
        share_of_world("SP.POP.TOTL", ["CHN"], 2023) + share_of_world("SP.POP.TOTL", ["IND"], 2023)
    )
    assert 30 < both < 40
    assert group_total("MS.MIL.TOTL.P1", ["PRK"], 2020) == 1_469_000


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: share_of_world("SP.POP.TOTL", ["FRA"], 2020), "unknown ISO3 code 'FRA'"),
        (lambda: share_of_world("SP.POP.TOTL", ["bra"], 2020), "not an ISO 3166 alpha-3 code"),
        (lambda: share_of_world("SP.POP.TOTL", ["WLD"], 2020), "World aggregate"),
        (lambda: share_of_world("SP.POP.TOTL", [], 2020), "no members given"),
        (lambda: share_of_world("NY.GDP.PCAP.CD", "BRICS-5", 2020), "unknown indicator 'NY.GDP.PCAP.CD'"),
        (lambda: share_of_world("SP.POP.TOTL", "BRICS-5", 2020, "2025-01-01"), "unknown release '2025-01-01'"),
        (lambda: share_of_world("SP.POP.TOTL", "BRICS-7", 2020), "unknown group 'BRICS-7'"),
        (lambda: share_of_world("MS.MIL.TOTL.P1", ["PRK"], 2020, OLDER), "without a release split"),
        (lambda: brics_members("someday"), "is not a date"),
        # a date before the first summit has no members: an error, not a share of 0%
        (lambda: share_of_world("SP.POP.TOTL", "BRICS@2008-01-01", 2020), "BRICS had no members on 2008-01-01"),
        (lambda: group_total("SP.POP.TOTL", "BRICS@2008-01-01", 2020), "BRICS had no members on 2008-01-01"),
        (lambda: share_of_world("SP.POP.TOTL", "BRICS-5", 2020.5), "year 2020.5 is not a whole number"),
        (lambda: group_total("MS.MIL.TOTL.P1", ["PRK"], "2020"), "year '2020' is not a whole number"),
    ],
)
def test_bad_requests_raise_clear_errors(call, message):
    with pytest.raises(ReferenceDataError, match=message.replace("(", r"\(").replace("+", r"\+")):
        call()


def test_missing_values_name_the_countries():
    with pytest.raises(MissingValuesError) as info:
        share_of_world("NY.GDP.MKTP.CD", ["CHN", "PRK", "CUB"], 2023)
    assert info.value.missing == ["PRK", "CUB"]
    assert "North Korea (PRK)" in str(info.value) and "Cuba (CUB)" in str(info.value)
    with pytest.raises(MissingValuesError, match=r"for 2025 .*it has 2015-2024.*World \(WLD\)"):
        share_of_world("NY.GDP.MKTP.PP.CD", "BRICS-5", 2025)


def test_a_corrupt_extract_names_the_row(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE_DIR, folder)
    lines = (folder / "wdi_extract.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",published,", ",guessed,")
    (folder / "wdi_extract.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ReferenceDataError, match=r"wdi_extract.csv, row 4, column 'method': 'guessed'"):
        load_extract(folder)


# --- the reference command --------------------------------------------------------------


def _mini_raw(root: Path) -> Path:
    """A tiny raw folder in the real layouts: two countries and the World, 2015-2016."""
    a = root / "datasets__world-development-indicators/indicators"
    rows = {
        "SP.POP.TOTL": (10, 30, 100),
        "NY.GDP.MKTP.CD": (50, 150, 1000),
        "NY.GDP.PCAP.CD": (5, 6, 10),
        "NY.GDP.PCAP.PP.CD": (8, 9, 12),
    }
    for code, (aaa, bbb, wld) in rows.items():
        folder = a / code.lower()
        folder.mkdir(parents=True)
        body = ["Country Name,Country Code,Year,Value"]
        for year in (2015, 2016):
            body += [f"Aland,AAA,{year},{aaa}", f"Beeland,BBB,{year},{bbb}", f"World,WLD,{year},{wld}"]
        (folder / "data.csv").write_text("\n".join(body) + "\n")
    b = root / "relatoscondatos__data_global/data/source/worldbank"
    for code, (aaa, bbb, wld) in rows.items():
        if code == "SP.POP.TOTL":
            continue
        folder = b / f"API_{code}_DS2_en_csv_v2_1"
        folder.mkdir(parents=True)
        text = (
            '\ufeff"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n'
            f'"Country Name","Country Code","Indicator Name","Indicator Code","2015","2016",\n'
            f'"Aland","AAA","x","{code}","{aaa}","{aaa}",\n"Beeland","BBB","x","{code}","{bbb}","",\n'
            f'"World","WLD","x","{code}","{wld}","{wld}",\n'
        )
        (folder / f"API_{code}_DS2_en_csv_v2_1.csv").write_text(text, encoding="utf-8")
    pop = root / "datasets__population/10de5a54/data"
    pop.mkdir(parents=True)
    (pop / "population.csv").write_text(
        "Country Name,Country Code,Year,Value\r\nAland,AAA,2015,10\r\nBeeland,BBB,2015,30\r\nWorld,WLD,2015,100\r\n"
    )
    ddf = root / "open-numbers__ddf--open_numbers--world_development_indicators/datapoints"
    ddf.mkdir(parents=True)
    (ddf / "ddf--datapoints--ms_mil_totl_p1--by--geo--time.csv").write_text(
        "geo,time,ms_mil_totl_p1\naaa,2015,1000\nbbb,2015,2000\n"
    )
    return root


@pytest.fixture
def mini(tmp_path):
    raw = _mini_raw(tmp_path / "raw")
    out = tmp_path / "reference"
    out.mkdir()
    shutil.copy(paths.REFERENCE_DIR / "raw_files.csv", out / "raw_files.csv")
    (out / "countries.csv").write_text("iso3,name,why\nAAA,Aland,test\nBBB,Beeland,test\nWLD,World,test\n")
    return raw, out


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "newsfigures", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def test_reference_command_builds_the_extract_and_derives_ppp(mini):
    raw, out = mini
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 0, done.stderr
    extract = pd.read_csv(out / "wdi_extract.csv", keep_default_na=False, na_values=[""])
    ppp = extract[(extract["indicator_code"] == "NY.GDP.MKTP.PP.CD")].set_index(["release", "iso3", "year"])["value"]
    # PPP total = PPP per person x GDP / GDP per person: Aland 8 x 50 / 5, the World 12 x 1000 / 10.
    assert ppp[(LATEST, "AAA", 2015)] == pytest.approx(80)
    assert ppp[(LATEST, "WLD", 2016)] == pytest.approx(1200)
    assert ppp[(OLDER, "BBB", 2015)] == pytest.approx(9 * 150 / 6)
    assert (OLDER, "BBB", 2016) not in ppp.index  # an empty cell in a bulk file is a missing value
    assert set(extract.loc[extract["indicator_code"] == "MS.MIL.TOTL.P1", "release"].isna()) == {True}
    assert share_of_world("SP.POP.TOTL", ["AAA", "BBB"], 2015, OLDER, reference=out) == pytest.approx(40)
    assert "wrote" in done.stderr


def _cut(path: Path, count: int) -> None:
    """Drop the last ``count`` bytes of a file, as a download cut short does."""
    path.write_bytes(path.read_bytes()[:-count])


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda raw: (raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv").unlink(),
            r"sp\.pop\.totl/data\.csv: no file matches",
        ),
        (
            lambda raw: _break(
                raw / "datasets__world-development-indicators/indicators/ny.gdp.mktp.cd/data.csv",
                "Beeland,BBB,2016,150",
                "Beeland,BBB,2016,lots",
            ),
            r"ny\.gdp\.mktp\.cd/data\.csv, row 6, column 'Value': 'lots' is not a number",
        ),
        (
            lambda raw: _break(
                raw / "relatoscondatos__data_global/data/source/worldbank/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_1/"
                "API_NY.GDP.PCAP.CD_DS2_en_csv_v2_1.csv",
                "2024-06-28",
                "2024-09-19",
            ),
            r"API_NY\.GDP\.PCAP\.CD_DS2_en_csv_v2_1\.csv, row 3: Last Updated Date '2024-09-19' differs",
        ),
        (
            lambda raw: _break(
                raw / "relatoscondatos__data_global/data/source/worldbank/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1/"
                "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
                '"Beeland","BBB","x","NY.GDP.MKTP.CD"',
                '"Beeland","BBB","x","NY.GDP.MKTP.KD"',
            ),
            r"API_NY\.GDP\.MKTP\.CD_DS2_en_csv_v2_1\.csv, row 7, column 'Indicator Code'",
        ),
        (
            lambda raw: _break(raw / "datasets__population/10de5a54/data/population.csv", "World,WLD", "Welt,WWW"),
            r"population\.csv: has no WLD \(World\) rows",
        ),
        (
            lambda raw: _break(
                raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv", "Country Code", "Code"
            ),
            r"sp\.pop\.totl/data\.csv: missing column 'Country Code'",
        ),
        (
            lambda raw: _break(
                raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv",
                "Beeland,BBB,2015,30",
                "Beeland,BBB,2015,-5",
            ),
            r"sp\.pop\.totl/data\.csv, row 3, column 'Value': '-5' is negative",
        ),
        (
            lambda raw: _break(
                raw / "open-numbers__ddf--open_numbers--world_development_indicators/datapoints/"
                "ddf--datapoints--ms_mil_totl_p1--by--geo--time.csv",
                "bbb,2015,2000",
                "bbb,2015,-2000",
            ),
            r"ms_mil_totl_p1--by--geo--time\.csv, row 3, column 'ms_mil_totl_p1': '-2000' is negative",
        ),
        (
            # A copy cut inside its last value: 'World,WLD,2016,100' ends as '...,10'.
            lambda raw: _cut(raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv", 3),
            r"sp\.pop\.totl/data\.csv, row 7: the file ends inside this row",
        ),
        (
            # Cut at a row boundary: the World's 2016 population is lost from the extract.
            lambda raw: _cut(raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv", 19),
            r"wdi_extract\.csv, row \d+: WLD SP\.POP\.TOTL 2016 \(release 2026-07-01\) is missing from the new",
        ),
        (
            lambda raw: _break(
                raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv",
                "Aland,AAA,2016,10",
                "Aland,AAA,2016,13",
            ),
            r"sp\.pop\.totl/data\.csv, row 5: SP\.POP\.TOTL for AAA goes from 10 in 2015 to 13 in 2016, "
            r"beyond the bound of a 1\.2-fold change",
        ),
        (
            lambda raw: [
                _break(raw / "datasets__world-development-indicators/indicators/ny.gdp.mktp.cd/data.csv", old, new)
                for old, new in [
                    ("World,WLD,2015,1000", "World,WLD,2015,190"),
                    ("World,WLD,2016,1000", "World,WLD,2016,190"),
                ]
            ],
            r"ny\.gdp\.mktp\.cd/data\.csv, row 4: World \(WLD\) NY\.GDP\.MKTP\.CD in 2015 is 190, less than the 200 "
            r"of the 2 countries kept",
        ),
    ],
)
def test_reference_command_fails_in_one_line_and_keeps_the_old_extract(mini, damage, message):
    raw, out = mini
    refresh_extract(raw, out)
    before = (out / "wdi_extract.csv").read_bytes()
    damage(raw)
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert pd.Series([done.stderr]).str.contains(message).all(), done.stderr
    assert (out / "wdi_extract.csv").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def _cut_after(path: Path, start: str) -> None:
    """Cut a file cleanly after the row starting with ``start``, as a copy stopped at a row boundary."""
    data = path.read_bytes()
    at = data.index(b"\n", data.index(b"\n" + start.encode()) + 1) + 1
    path.write_bytes(data[:at])


SP_POP_LATEST = "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv"
GDP_LATEST = "datasets__world-development-indicators/indicators/ny.gdp.mktp.cd/data.csv"


@pytest.mark.parametrize(
    "relative, message",
    [
        (
            SP_POP_LATEST,
            "South Africa (ZAF) has no SP.POP.TOTL values for 2015-2025 in release 2026-07-01, which World has",
        ),
        (
            # GDP has real gaps (Cuba since 2021, the Emirates in 2025), so only the years
            # the older release holds count as lost.
            GDP_LATEST,
            "South Africa (ZAF) has no NY.GDP.MKTP.CD values for 2015-2023 in release 2026-07-01, "
            "which World and release 2024-06-28 have",
        ),
    ],
)
def test_reference_command_rejects_a_raw_file_cut_at_a_row_boundary(raw_dir, tmp_path, relative, message):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    # Rows are sorted by code: cutting after the World's last row loses ZAF, ZMB and ZWE.
    _cut_after(raw / relative, "World,WLD,2025,")
    last = (raw / relative).read_bytes().splitlines(keepends=True)[-1]
    assert last.startswith(b"World,WLD,2025,") and last.endswith(b"\n")  # a clean row boundary
    out = tmp_path / "new" / "reference"
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 1
    assert done.stderr == f"newsfigures reference: error: {raw / relative}: {message}\n"
    assert not out.exists()


def test_a_gap_an_older_release_does_not_have_is_accepted_and_kept(mini):
    raw, out = mini
    # BBB's 2016 GDP is missing from the older (bulk) release only: a later release filling
    # a gap is news, not damage.
    extract = build_extract(raw, out / "raw_files.csv", out / "countries.csv")
    gdp = extract[(extract["indicator_code"] == "NY.GDP.MKTP.CD") & (extract["iso3"] == "BBB")]
    assert gdp.groupby("release")["year"].agg(list).to_dict() == {LATEST: [2015, 2016], OLDER: [2015]}


def test_a_gap_an_older_release_has_is_refused(mini):
    raw, out = mini
    _break(raw / "datasets__world-development-indicators/indicators/ny.gdp.mktp.cd/data.csv", "Aland,AAA,2015,50\n", "")
    with pytest.raises(ReferenceDataError) as caught:
        build_extract(raw, out / "raw_files.csv", out / "countries.csv")
    assert str(caught.value) == (
        f"{raw / GDP_LATEST}: Aland (AAA) has no NY.GDP.MKTP.CD values for 2015 in release 2026-07-01, "
        f"which World and release {OLDER} have"
    )


def test_reference_command_rejects_an_area_in_no_file(mini):
    raw, out = mini
    (out / "countries.csv").write_text("iso3,name,why\nAAA,Aland,test\nZZZ,Nowhere,test\nWLD,World,test\n")
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 1 and "countries.csv, row 3: ZZZ is in none of the raw files" in done.stderr


REFERENCE_FILES = ["raw_files.csv", "countries.csv", "brics_membership.csv", "checks.csv", "SOURCES.md"]


def test_reference_command_fills_a_new_folder_that_a_build_can_use(raw_dir, tmp_path):
    from newsfigures.core.figures import load_figures
    from newsfigures.reference.factcheck import fact_check

    out = tmp_path / "new" / "reference"
    done = _run("reference", "--from", raw_dir, "--out", out)
    assert done.returncode == 0, done.stderr
    assert (out / "wdi_extract.csv").read_bytes() == (paths.REFERENCE_DIR / "wdi_extract.csv").read_bytes()
    for name in REFERENCE_FILES:
        assert (out / name).read_bytes() == (paths.REFERENCE_DIR / name).read_bytes(), name
    assert f"copied {', '.join(REFERENCE_FILES)} from" in done.stderr
    assert share_of_world("SP.POP.TOTL", "BRICS-5", 2020, reference=out) == pytest.approx(41.10, abs=0.01)
    pd.testing.assert_frame_equal(fact_check(load_figures(), reference=out), fact_check(load_figures()))


def test_reference_command_keeps_the_folders_own_lists_and_copies_the_rest(mini):
    raw, out = mini
    (out / "raw_files.csv").unlink()  # taken from data/reference/; countries.csv is the folder's own
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 0, done.stderr
    assert sorted(set(pd.read_csv(out / "wdi_extract.csv")["iso3"])) == ["AAA", "BBB", "WLD"]
    assert (out / "countries.csv").read_text().startswith("iso3,name,why\nAAA,Aland")
    for name in ["raw_files.csv", "brics_membership.csv", "checks.csv", "SOURCES.md"]:
        assert (out / name).read_bytes() == (paths.REFERENCE_DIR / name).read_bytes(), name


def test_reference_command_into_a_new_folder_writes_nothing_on_error(mini, tmp_path):
    raw, _ = mini
    out = tmp_path / "empty"
    out.mkdir()
    # data/reference/countries.csv lists areas the tiny raw folder lacks
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "is in none of the raw files" in done.stderr
    assert list(out.iterdir()) == []
    afile = tmp_path / "afile"
    afile.write_text("x")
    done = _run("reference", "--from", raw, "--out", afile)
    assert done.returncode == 1 and f"{afile}: is a file, not a reference folder" in done.stderr


def test_refresh_is_idempotent(mini):
    raw, out = mini
    first = refresh_extract(raw, out)
    second = refresh_extract(raw, out)
    assert first[2] is True and second[2] is False


def test_reference_command_writes_changed_values_only_when_accepted(mini):
    raw, out = mini
    refresh_extract(raw, out)
    before = (out / "wdi_extract.csv").read_bytes()
    _break(
        raw / "datasets__world-development-indicators/indicators/sp.pop.totl/data.csv",
        "Aland,AAA,2016,10",
        "Aland,AAA,2016,11",
    )
    done = _run("reference", "--from", raw, "--out", out)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    # Aland's population and both PPP totals of the latest release derive from nothing else; only population changed.
    assert "1 values changed, 0 added; largest change +10.00%: AAA SP.POP.TOTL 2016 (release 2026-07-01) 10 -> 11" in (
        done.stderr
    )
    assert "--accept-changes" in done.stderr
    assert (out / "wdi_extract.csv").read_bytes() == before
    done = _run("reference", "--from", raw, "--out", out, "--accept-changes")
    assert done.returncode == 0, done.stderr
    assert "1 values changed, 0 added; largest change +10.00%" in done.stderr
    extract = pd.read_csv(out / "wdi_extract.csv")
    assert extract.query("iso3 == 'AAA' and year == 2016 and indicator_code == 'SP.POP.TOTL'")["value"].tolist() == [11]


def test_committed_raw_files_pass_the_release_checks_with_room_to_spare(raw_dir):
    from newsfigures.reference.wdi import YEAR_ON_YEAR_BOUNDS

    extract = build_extract(raw_dir)
    extract = extract.assign(release=extract["release"].fillna("")).sort_values(_KEYS)
    grouped = extract.groupby(["release", "indicator_code", "iso3"])
    ratio = extract["value"] / grouped["value"].shift()
    ratio = ratio.where(extract["year"] == grouped["year"].shift() + 1)
    largest = ratio.where(ratio >= 1, 1 / ratio).groupby(extract["indicator_code"]).max()
    for code, value in largest.items():
        assert value < YEAR_ON_YEAR_BOUNDS[code], code  # the bounds pass every real series
    assert largest["SP.POP.TOTL"] > 1.1  # and are not so loose that a 20% population jump passes unseen


_KEYS = ["release", "indicator_code", "iso3", "year"]
