"""Charts: drawn from the real figures, bounds drawn as bounds, with title, units, source, alt text."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.text import Annotation

from newsfigures.charts import alt_text, brics_shares_chart, force_sizes_chart, png_bytes
from newsfigures.figures import brics_shares, force_sizes, load_figures


@pytest.fixture(scope="module")
def figures():
    return load_figures()


def _texts(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_force_sizes_chart_draws_each_figure_as_what_it_is(figures):
    fig = force_sizes_chart(force_sizes(figures))
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    xmin, xmax = ax.get_xlim()
    assert xmin <= 3000 and xmax >= 1_000_000
    # The lower bound is an open arrow starting at 3,000, not a bar from zero.
    arrows = [a for a in ax.findobj(Annotation) if a.arrow_patch is not None]
    assert len(arrows) == 1
    assert arrows[0].xyann[0] == pytest.approx(3000) and arrows[0].xy[0] > 3000
    # The vague magnitude is one band spanning exactly its bounds.
    (band,) = _bars(ax)
    assert band.get_x() == pytest.approx(200_000)
    assert band.get_x() + band.get_width() == pytest.approx(999_999)
    text = _texts(fig)
    for words in ("at least 3,000", "about 1,000,000", "hundreds of thousands", "200,000 to 999,999",
                  "Number of people, log scale", "Source: NBC News, 24 October 2024", "the U.S.", "the West"):
        assert words in text, words


def test_force_sizes_chart_alt_text_gives_the_numbers(figures):
    alt = alt_text(force_sizes_chart(force_sizes(figures)))
    assert "at least 3,000" in alt and "about 1,000,000" in alt and "200,000 to 999,999" in alt


def test_brics_chart_is_part_to_whole(figures):
    fig = brics_shares_chart(brics_shares(figures))
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 100)
    bars = _bars(ax)
    widths = sorted(round(b.get_width(), 6) for b in bars)
    assert widths == sorted([41.1, 58.9, 37.3, 62.7])
    # Each row's two parts make the whole world.
    by_row = {}
    for b in bars:
        by_row.setdefault(round(b.get_y(), 6), []).append(b.get_width())
    assert all(sum(parts) == pytest.approx(100) for parts in by_row.values())
    text = _texts(fig)
    for words in ("41.1%", "37.3%", "Share of the world total, %", "Source: NBC News"):
        assert words in text
    assert "41.1%" in alt_text(fig) and "37.3%" in alt_text(fig)


def test_charts_are_reproducible_pngs(figures):
    a = png_bytes(brics_shares_chart(brics_shares(figures)))
    b = png_bytes(brics_shares_chart(brics_shares(figures)))
    assert a == b and a.startswith(b"\x89PNG")
    assert matplotlib.image.imread(io.BytesIO(a)).shape[1] > 1000  # 8 in at 150 dpi


def test_charts_leave_global_style_alone(figures):
    before = dict(matplotlib.rcParams)
    force_sizes_chart(force_sizes(figures))
    assert dict(matplotlib.rcParams) == before


def test_charts_reject_unusable_frames(figures):
    with pytest.raises(ValueError, match="lacks column"):
        force_sizes_chart(force_sizes(figures).drop(columns="qualifier"))
    with pytest.raises(ValueError, match="no rows"):
        brics_shares_chart(brics_shares(figures).iloc[0:0])
    bad = brics_shares(figures).assign(value=[141.1, 37.3])
    with pytest.raises(ValueError, match="between 0 and 100"):
        brics_shares_chart(bad)
    with pytest.raises(ValueError, match="no alt text"):
        alt_text(Figure())


def test_custom_source_line(figures):
    fig = brics_shares_chart(brics_shares(figures), source="Source: test")
    assert "Source: test" in _texts(fig)


def test_force_chart_handles_other_qualifiers():
    frame = pd.DataFrame({
        "measure": ["a", "b", "c"], "value": [12000.0, 500.0, float("nan")], "lower": [float("nan"), 500.0, 10000.0],
        "upper": [12000.0, 500.0, 12000.0], "unit": ["people"] * 3, "qualifier": ["nearly", "exact", "range"],
        "attribution": [None, "x", None], "surface": ["nearly 12,000", "500", "10,000 to 12,000"],
    })
    fig = force_sizes_chart(frame, source="Source: test")
    assert "nearly 12,000" in _texts(fig) and "10,000 to 12,000" in _texts(fig)
