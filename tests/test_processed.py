"""Processed tables: CSV and Parquet for every table, a Frictionless data package that
validates, and ``newsfigures.load_*`` returning the same tables."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import newsfigures
from newsfigures.report.catalog import TABLES
from newsfigures.report.processed import LOADERS, write_tables

TABLE_NAMES = list(TABLES)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    return out, write_tables(out)


def test_every_table_is_written_as_csv_and_parquet_with_a_package(written):
    out, paths_ = written
    names = {p.name for p in paths_}
    for name in TABLE_NAMES:
        assert {f"{name}.csv", f"{name}.parquet"} <= names
    assert "datapackage.json" in names and len(paths_) == 2 * len(TABLE_NAMES) + 1
    assert set(TABLE_NAMES) >= {
        "figures",
        "counts",
        "shares",
        "money",
        "series",
        "wdi_extract",
        "membership",
        "group_shares",
        "member_shares",
        "armed_forces",
        "fact_check",
    }


def test_data_package_validates_with_frictionless(written):
    from frictionless import validate

    out, _ = written
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert len(report.tasks) == 2 * len(TABLE_NAMES)


def test_validation_catches_a_damaged_table(written, tmp_path):
    from frictionless import validate

    out, _ = written
    for path in out.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    text = (tmp_path / "fact_check.csv").read_text()
    (tmp_path / "fact_check.csv").write_text(text.replace(",2020,", ",twenty-twenty,", 1))
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    failed = {task.name: task.flatten(["rowNumber", "fieldName", "type"]) for task in report.tasks if not task.valid}
    assert failed == {"fact_check": [[7, "year", "type-error"]]}


def test_package_describes_types_units_sources_and_licences(written):
    out, _ = written
    package = json.loads((out / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    wdi = resources["wdi_extract"]
    assert [l["name"] for l in wdi["licenses"]] == ["CC-BY-4.0"]
    assert "World Bank, World Development Indicators" in wdi["sources"][0]["title"]
    fields = {f["name"]: f for f in resources["fact_check"]["schema"]["fields"]}
    assert fields["difference_pp"]["unit"] == "percentage points" and fields["difference_pp"]["type"] == "number"
    assert fields["closest"]["type"] == "boolean" and fields["year"]["type"] == "integer"
    assert {f["name"]: f["type"] for f in resources["membership"]["schema"]["fields"]}["from"] == "date"
    assert resources["armed_forces-parquet"]["path"] == "armed_forces.parquet"
    for resource in package["resources"]:
        assert resource["description"] and resource["licenses"] and resource["sources"]
        assert all(f.get("description") for f in resource["schema"]["fields"]), resource["name"]


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_loaders_return_the_written_tables(written, name):
    out, _ = written
    frame = getattr(newsfigures, f"load_{name}")()
    assert LOADERS[name] is getattr(newsfigures, f"load_{name}")
    parquet = pd.read_parquet(out / f"{name}.parquet")
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for column in dates:  # Parquet stores dates as dates; pandas reads them as datetime.date
        parquet[column] = pd.to_datetime(parquet[column]).astype(frame[column].dtype)
    pd.testing.assert_frame_equal(parquet, frame.reset_index(drop=True))
    csv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""])
    assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)


def test_written_files_are_byte_identical_across_runs(written, tmp_path):
    out, paths_ = written
    again = write_tables(tmp_path)
    for first, second in zip(paths_, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_fact_check_reads_back_with_plain_pandas(written):
    out, _ = written
    check = pd.read_csv(out / "fact_check.csv")
    closest = check[check["closest"]].set_index("figure_id")
    assert closest.loc["brics_population_share", "group"] == "BRICS-5"
    assert closest.loc["brics_gdp_share", "group"] == "BRICS-9+SAU"
    assert closest.loc["brics_gdp_share", "indicator_code"] == "NY.GDP.MKTP.PP.CD"


def test_importing_the_package_does_not_import_pandas():
    code = "import sys, newsfigures; assert 'pandas' not in sys.modules; print(' '.join(newsfigures.__all__))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == {f"load_{name}" for name in TABLE_NAMES} | {"extract_figures", "share_of_world"}
    with pytest.raises(AttributeError):
        newsfigures.load_nothing  # noqa: B018
