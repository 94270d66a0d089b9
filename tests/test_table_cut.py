"""A report table cut to its largest rows: which rows it keeps and what its note says."""

from __future__ import annotations

import pandas as pd

from newsfigures.core import paths
from newsfigures.core.figures import load_figures
from newsfigures.report.build import processed_shown
from newsfigures.report.display import MAX_TABLE_ROWS, provenance_table, table_html


def _many_figures(count: int) -> pd.DataFrame:
    one = load_figures(paths.SHEET).query("measure == 'nk_troops_sent'")
    rows = pd.concat([one] * count, ignore_index=True)
    # Exact counts 1,000, 2,000, ... in a shuffled order, so that "largest" and "first" differ.
    values = [1000.0 * ((i * 37) % count + 1) for i in range(count)]
    rows["value"] = rows["lower"] = rows["upper"] = values
    rows["qualifier"] = "exact"
    rows["measure"] = [f"m{i:03d}" for i in range(count)]
    return rows


def test_a_capped_provenance_table_shows_its_largest_figures_in_order(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.PROCESSED_SHOWN_ENV, f"{tmp_path.as_posix()}/tables/")
    figures = _many_figures(120)
    page = table_html(provenance_table(figures))
    largest = figures.nlargest(MAX_TABLE_ROWS, "value")
    shown = [m for m in figures["measure"] if f">{m}<" in page]
    assert shown == [m for m in figures["measure"] if m in set(largest["measure"])]  # their order kept
    assert len(shown) == 50 and figures.loc[figures["measure"].isin(shown), "value"].min() == 71_000.0
    assert (
        f"Showing the 50 largest of 120 rows by size of figure; the full table is in {tmp_path.as_posix()}/tables/"
        in page
    )


def test_a_table_without_a_measure_shows_its_first_rows_and_the_default_folder(monkeypatch):
    monkeypatch.delenv(paths.PROCESSED_SHOWN_ENV, raising=False)
    page = table_html(pd.DataFrame({"n": range(70)}))
    assert "Showing the first 50 of 70 rows; the full table is in data/processed/" in page
    assert ">49<" in page and ">50<" not in page


def test_the_report_names_the_processed_folder_as_the_build_writes_it(tmp_path):
    assert processed_shown(paths.PROCESSED_DIR, paths.ROOT / "reports") == "data/processed/"
    assert processed_shown(tmp_path / "out", tmp_path / "story" / "reports") == "../../out/"
