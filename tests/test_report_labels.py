"""A figure has one label, made once (core.figures.figure_label), in tables and charts alike."""

from __future__ import annotations

import html
import re

import pytest

from newsfigures.core.figures import figure_label, load_figures

pytestmark = pytest.mark.slow


def _table_rows(page: str, caption: str) -> list[list[str]]:
    """The body cells of the report table with this caption, as text."""
    block = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", page, re.S).group(1)
    body = block.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_the_vague_magnitude_reads_the_same_in_the_table_and_the_chart(built):
    page = built.html.read_text(encoding="utf-8")
    killed = load_figures().set_index("figure_id").loc["ukraine_war_killed"]
    label = figure_label(killed)
    assert label == "hundreds of thousands (200,000 to 1 million)"  # in words, the bounds rounded
    rows = {r[0]: r for r in _table_rows(page, "Force sizes quoted in the article")}
    (row,) = [r for measure, r in rows.items() if "Ukraine" in measure]
    assert row[1] == "hundreds of thousands" and row[2] == label  # As printed, In numbers
    (chart,) = [s for s in re.findall(r"<svg\b.*?</svg>", page, re.S) if "troops for Russia" in s]
    assert f">{label}<" in html.unescape(chart).replace("\n", "")  # the chart's label, as text
    assert "999,999" not in page  # the sheet's upper bound is never shown as if exact
