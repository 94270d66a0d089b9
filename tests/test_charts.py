"""Charts: drawn from the real figures, bounds drawn as bounds, with title, units, source, alt text."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from newsfigures.core.figures import counts as force_sizes
from newsfigures.core.figures import load_figures
from newsfigures.core.figures import shares as brics_shares
from newsfigures.report.charts import STYLE, alt_text, brics_shares_chart, force_sizes_chart, png_bytes


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
    for words in (
        "at least 3,000",
        "about 1,000,000",
        "hundreds of thousands",
        "200,000 to 999,999",
        "Number of people, log scale",
        "Source: NBC News, 24 October 2024",
        "the U.S.",
        "the West",
    ):
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
    frame = pd.DataFrame(
        {
            "measure": ["a", "b", "c"],
            "value": [12000.0, 500.0, float("nan")],
            "lower": [float("nan"), 500.0, 10000.0],
            "upper": [12000.0, 500.0, 12000.0],
            "unit": ["people"] * 3,
            "qualifier": ["nearly", "exact", "range"],
            "attribution": [None, "x", None],
            "surface": ["nearly 12,000", "500", "10,000 to 12,000"],
        }
    )
    fig = force_sizes_chart(frame, source="Source: test")
    assert "nearly 12,000" in _texts(fig) and "10,000 to 12,000" in _texts(fig)


# --- reference charts -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_inputs(figures):
    from newsfigures.reference import armed_forces_comparison, group_shares, member_shares
    from newsfigures.reference.factcheck import article_marks, fact_check

    return {
        "marks": article_marks(figures),
        "check": fact_check(figures),
        "breakdown": member_shares(),
        "shares": group_shares(),
        "forces": armed_forces_comparison(
            figures, ["PRK", "RUS", "UKR", "KOR", "USA", "CHN"], ["nk_army_size", "nk_troops_sent"]
        ),
    }


def test_breakdown_chart_stacks_members_to_the_group_share(reference_inputs):
    from newsfigures.reference import share_of_world
    from newsfigures.report.charts import brics_breakdown_chart

    fig = brics_breakdown_chart(reference_inputs["breakdown"], reference_inputs["marks"])
    ax = fig.axes[0]
    bars = _bars(ax)
    assert len(bars) == 3 * 10  # three measures, ten countries each
    by_row = {}
    for b in bars:
        by_row.setdefault(round(b.get_y() + b.get_height() / 2), []).append(b)
    population = sorted(by_row[0], key=lambda b: b.get_x())
    assert sum(b.get_width() for b in population) == pytest.approx(
        share_of_world("SP.POP.TOTL", "BRICS-9+SAU", 2024), abs=1e-9
    )
    # China and India come first and are the bulk of the population share.
    assert population[0].get_width() + population[1].get_width() > 0.75 * sum(b.get_width() for b in population)
    text = _texts(fig)
    for words in (
        "China",
        "India",
        "article 41.1%",
        "article 37.3%",
        "BRICS-5 40.3%",
        "2024",
        "World Bank, World Development Indicators (release 2026-07-01), CC BY 4.0",
    ):
        assert words in text, words
    assert "China" in alt_text(fig) and "41.1%" in alt_text(fig)


def test_share_lines_chart_has_a_panel_per_measure_and_the_article_lines(reference_inputs):
    from newsfigures.report.charts import brics_share_lines_chart

    fig = brics_share_lines_chart(reference_inputs["shares"], reference_inputs["marks"], reference_inputs["check"])
    assert len(fig.axes) == 3
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Population", "GDP at purchasing power parity", "GDP at market exchange rates"]
    horizontal = [
        l.get_ydata()[0]
        for l in fig.axes[0].get_lines()
        if list(l.get_ydata()) == [l.get_ydata()[0]] * 2 and l.get_xdata()[0] == 0
    ]
    assert 41.1 in horizontal
    # Six lines per panel: three groups in two releases.
    series = [l for l in fig.axes[1].get_lines() if len(l.get_xdata()) > 2]
    assert len(series) == 6
    text = _texts(fig)
    for words in (
        "BRICS-5",
        "BRICS-9",
        "BRICS-9+SAU",
        "article 37.3%",
        "WDI release 2024-06-28",
        "closest to the article",
    ):
        assert words in text, words
    assert "BRICS-9+SAU 2024, 37.51%" in alt_text(fig)


def test_armed_forces_chart_puts_counts_beside_the_quoted_figures(reference_inputs):
    from newsfigures.report.charts import armed_forces_chart

    fig = armed_forces_chart(reference_inputs["forces"])
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    squares = [l for l in ax.get_lines() if l.get_marker() == "s"]
    assert sorted(l.get_xdata()[0] for l in squares) == [298_000, 569_000, 1_395_000, 1_454_000, 1_469_000, 2_535_000]
    text = _texts(fig)
    for words in (
        "North Korea",
        "Ukraine",
        "1,469,000",
        "at least 3,000",
        "million-strong",
        "2020",
        "MS.MIL.TOTL.P1 from IISS",
    ):
        assert words in text, words
    assert "North Korea 1,469,000 (2020)" in alt_text(fig)


def _every_chart(figures, reference_inputs) -> dict[str, Figure]:
    from newsfigures.report.charts import armed_forces_chart, brics_breakdown_chart, brics_share_lines_chart

    r = reference_inputs
    return {
        "force sizes": force_sizes_chart(force_sizes(figures)),
        "brics shares": brics_shares_chart(brics_shares(figures)),
        "breakdown": brics_breakdown_chart(r["breakdown"], r["marks"]),
        "share lines": brics_share_lines_chart(r["shares"], r["marks"], r["check"]),
        "armed forces": armed_forces_chart(r["forces"]),
    }


def test_no_chart_text_is_cut_off(figures, reference_inputs):
    """Every label, tick, legend entry and source line lies inside the saved image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for name, fig in _every_chart(figures, reference_inputs).items():
        with matplotlib.style.context(STYLE):
            renderer = FigureCanvasAgg(fig).get_renderer()
            fig.draw(renderer)
            width, height = fig.bbox.width, fig.bbox.height
            for text in fig.findobj(matplotlib.text.Text):
                if not (text.get_visible() and text.get_text().strip()):
                    continue
                box = text.get_window_extent(renderer)
                inside = box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5
                assert inside, f"{name}: {text.get_text()!r} is cut off ({box} outside {width}x{height})"


def _assert_inside(name: str, fig: Figure) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with matplotlib.style.context(STYLE):
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        width, height = fig.bbox.width, fig.bbox.height
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
        boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for text, box in boxes:
        inside = box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5
        assert inside, f"{name}: {text.get_text()!r} is cut off ({box} outside {width}x{height})"
    ticks = [box for t, box in boxes if t in fig.axes[0].get_yticklabels()]
    for upper, lower in zip(ticks, ticks[1:]):
        assert not upper.overlaps(lower), f"{name}: row labels overlap"


LONG = {
    "attribution": "South Korea's National Intelligence Service and two other agencies it briefed",
    "measure": "North Korean soldiers and military construction workers sent to Russia's Kursk region in autumn",
    "surface": "more than ten thousand troops",
}


def test_long_labels_are_wrapped_not_cut_off(figures):
    from newsfigures.reference import armed_forces_comparison
    from newsfigures.report.charts import armed_forces_chart

    long = figures.copy()
    long.loc[long.figure_id == "nk_troops_sent", list(LONG)] = list(LONG.values())
    long.loc[long.figure_id == "brics_gdp_share", ["measure", "attribution"]] = [LONG["measure"], LONG["attribution"]]
    long.loc[long.figure_id == "nk_army_size", "measure"] = LONG["measure"]
    _assert_inside("force sizes", force_sizes_chart(force_sizes(long)))
    _assert_inside("brics shares", brics_shares_chart(brics_shares(long)))
    _assert_inside(
        "armed forces",
        armed_forces_chart(armed_forces_comparison(long, ["PRK", "RUS", "UKR"], ["nk_army_size", "nk_troops_sent"])),
    )
