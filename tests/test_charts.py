"""Charts: drawn from the real figures, bounds drawn as bounds, with title, units, source, alt text."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from newsfigures.core import paths
from newsfigures.core.figures import counts as force_sizes
from newsfigures.core.figures import load_figures
from newsfigures.core.figures import shares as brics_shares
from newsfigures.core.sources import load_sources
from newsfigures.report.charts import (
    ACCENT,
    alt_text,
    chart_style,
    counts_chart,
    estimate_series,
    money_chart,
    png_bytes,
    series_chart,
    shares_chart,
    source_line,
)

NAN = float("nan")
#: The example story's armed-forces comparison (its story file's [context]).
COMPARED, ARMY_FIGURES = ["PRK", "RUS", "UKR", "KOR", "USA", "CHN"], ["nk_army_size", "nk_troops_sent"]


@pytest.fixture(scope="module")
def figures():
    return load_figures()


@pytest.fixture(scope="module")
def sources():
    return load_sources(paths.SOURCES)


#: A follow-up story of our own: two outlets, neither the flagship's.
STORY_SOURCES = pd.DataFrame(
    {
        "key": ["harbour", "ledger", "tiny"],
        "outlet": ["Harbour Post", "Northern Ledger", "Tiny Gazette"],
        "title": ["Troops arrive", "More troops", "Small item"],
        "url": ["https://example.org/a", "https://example.org/b", "https://example.org/c"],
        "sha256": ["0" * 64, "1" * 64, "2" * 64],
        "text_path": ["", "", ""],
        "published": pd.to_datetime(["2024-11-14", "2024-12-03", "2024-12-05"]),
    }
)


def _rows(**columns) -> pd.DataFrame:
    n = len(columns["value"])
    base = {
        "figure_id": [f"f{i}" for i in range(n)],
        "topic": ["other"] * n,
        "measure": [f"measure {i}" for i in range(n)],
        "lower": [NAN] * n,
        "upper": [NAN] * n,
        "unit": ["people"] * n,
        "qualifier": ["exact"] * n,
        "attribution": [None] * n,
        "surface": [""] * n,
        "as_of": pd.to_datetime(["2024-11-01"] * n),
        "source": ["harbour"] * n,
    }
    return pd.DataFrame(base | columns)


def four_estimates(measures=("North Korean troops in Russia",) * 4) -> pd.DataFrame:
    """About 10,000 per the Pentagon; 11,000 to 12,000 per South Korea; roughly 11,000 per
    Ukraine; nearly 12,000 in the outlet's own words, on three dates from two outlets."""
    return _rows(
        measure=list(measures),
        value=[10_000, NAN, 11_000, 12_000],
        lower=[NAN, 11_000, NAN, NAN],
        upper=[NAN, 12_000, NAN, 12_000],
        qualifier=["approximate", "range", "approximate", "nearly"],
        attribution=["the Pentagon", "South Korea", "Ukraine", None],
        surface=["about 10,000", "between 11,000 and 12,000", "roughly 11,000", "nearly 12,000"],
        as_of=pd.to_datetime(["2024-11-04", "2024-11-13", "2024-11-13", "2024-12-02"]),
        source=["harbour", "harbour", "ledger", "ledger"],
    )


def _texts(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _arrows(ax):
    """The bounds' arrows (in data coordinates; a label's leader line is not one)."""
    return [
        a for a in ax.findobj(Annotation) if a.arrow_patch is not None and not a.get_text() and a.xycoords == "data"
    ]


def _marks(ax, marker):
    return [line for line in ax.get_lines() if line.get_marker() == marker]


def _same(colour, other) -> bool:
    return to_rgb(colour) == pytest.approx(to_rgb(other))


# --- source lines -----------------------------------------------------------------------


def test_source_line_names_the_outlets_of_the_rows_given_and_no_others():
    rows = four_estimates()
    assert source_line(rows.iloc[:2], STORY_SOURCES) == "Source: Harbour Post, 14 November 2024; figures as quoted"
    assert (
        source_line(rows, STORY_SOURCES)
        == "Sources: Harbour Post, 14 November 2024; Northern Ledger, 3 December 2024; figures as quoted"
    )
    with pytest.raises(ValueError, match="'nowhere'"):
        source_line(rows.assign(source="nowhere"), STORY_SOURCES)


# --- counts -----------------------------------------------------------------------------


def test_counts_chart_draws_each_flagship_figure_as_what_it_is(figures, sources):
    fig = counts_chart(force_sizes(figures), sources)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    # Fitted to the data: no decade or two past it.
    xmin, xmax = ax.get_xlim()
    assert 1_000 < xmin <= 3_000 and 999_999 <= xmax < 2_000_000
    # The lower bound is an open arrow starting at 3,000, not a bar from zero.
    (arrow,) = _arrows(ax)
    assert arrow.xyann[0] == pytest.approx(3000) and arrow.xy[0] > 3000
    # The vague magnitude is one band spanning exactly its bounds.
    (band,) = _bars(ax)
    assert band.get_x() == pytest.approx(200_000)
    assert band.get_x() + band.get_width() == pytest.approx(999_999)
    # "About" is a hollow dot at the value, in the article's red.
    (hollow,) = [line for line in _marks(ax, "o") if line.get_markerfacecolor() == "white"]
    assert hollow.get_xdata()[0] == 1_000_000 and _same(hollow.get_markeredgecolor(), ACCENT)
    text = _texts(fig)
    for words in (
        "at least 3,000",
        "about 1,000,000",
        "hundreds of thousands (200,000 to 1 million)",
        "Number of people, log scale",
        "Source: NBC News, 24 October 2024; figures as quoted",
        "the U.S.",
        "the West",
        "(stated by NBC News)",
    ):
        assert words in text, words
    # One style of tick label: all digits.
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["10,000", "100,000", "1,000,000"]
    alt = alt_text(fig)
    assert "at least 3,000" in alt and "about 1,000,000" in alt and "200,000 to 1 million" in alt
    # Each value label is backed with white: a gridline stops short of its letters.
    labels = [t for t in ax.texts if t.get_text() in ("at least 3,000", "about 1,000,000")]
    assert len(labels) == 2
    assert all(
        t.get_bbox_patch() is not None and _same(t.get_bbox_patch().get_facecolor()[:3], "white") for t in labels
    )


def test_counts_chart_marks_every_qualifier():
    qualifiers = ["exact", "approximate", "at_least", "more_than", "at_most", "less_than", "nearly", "range"]
    frame = _rows(
        value=[500, 800, 3_000, 4_000, 20_000, 30_000, 12_000, NAN],
        lower=[500, NAN, 3_000, 4_000, NAN, NAN, NAN, 10_000],
        upper=[500, NAN, NAN, NAN, 20_000, 30_000, 12_000, 15_000],
        qualifier=qualifiers,
    )
    fig = counts_chart(frame, STORY_SOURCES)
    ax = fig.axes[0]
    arrows = _arrows(ax)
    floors = [a for a in arrows if a.xy[0] > a.xyann[0]]
    ceilings = [a for a in arrows if a.xy[0] < a.xyann[0]]
    assert sorted(a.xyann[0] for a in floors) == [3_000, 4_000]
    assert sorted(a.xyann[0] for a in ceilings) == [20_000, 30_000]
    # Nearly 12,000: no open arrow, but a pointer stopping just short of a tick at 12,000.
    assert all(a.xyann[0] != 12_000 for a in arrows)
    (pointer,) = _marks(ax, ">")
    assert 11_000 < pointer.get_xdata()[0] < 12_000
    assert any(line.get_xdata()[0] == 12_000 for line in _marks(ax, "|"))
    (band,) = _bars(ax)
    assert (band.get_x(), band.get_x() + band.get_width()) == pytest.approx((10_000, 15_000))
    assert "nearly 12,000" in _texts(fig) and "10,000 to 15,000" in _texts(fig)
    # The legend lists the marks in the order they are drawn, top to bottom (smallest first).
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "figure as printed",
        "approximate figure",
        "lower bound: at least this many",
        "nearly: just under this many",
        "range or vague magnitude",
        "upper bound: at most this many",
    ]


def test_counts_chart_draws_at_most_30_rows_and_says_so():
    n = 45
    frame = _rows(
        value=[float(1000 + 100 * i) for i in range(n)],
        source=["tiny"] * 15 + ["harbour"] * 30,  # the 15 smallest come from one outlet
    )
    fig = counts_chart(frame, STORY_SOURCES)
    assert len(fig.axes[0].get_yticks()) == 30
    assert len(_marks(fig.axes[0], "o")) == 30
    text = _texts(fig)
    assert "Showing the 30 largest of 45 counts; the other 15 are not drawn." in text
    assert "Showing the 30 largest of 45 counts" in alt_text(fig)
    assert "Harbour Post" in text and "Tiny Gazette" not in text


def test_a_sheet_of_10000_rows_draws_a_bounded_chart():
    frame = _rows(value=[float(i + 1) for i in range(10_000)])
    fig = counts_chart(frame, STORY_SOURCES)
    assert len(fig.axes[0].get_lines()) <= 30
    assert "of 10,000 counts; the other 9,970" in alt_text(fig)


def test_counts_chart_rejects_unusable_frames(figures, sources):
    with pytest.raises(ValueError, match="lacks column"):
        counts_chart(force_sizes(figures).drop(columns="qualifier"), sources)
    with pytest.raises(ValueError, match="no figures with unit"):
        counts_chart(brics_shares(figures), sources)
    with pytest.raises(ValueError, match="no alt text"):
        alt_text(Figure())


# --- shares and money -------------------------------------------------------------------


def test_shares_chart_is_part_to_whole(figures, sources):
    fig = shares_chart(brics_shares(figures), sources)
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 100)
    bars = _bars(ax)
    widths = sorted(round(b.get_width(), 6) for b in bars)
    assert widths == sorted([41.1, 58.9, 37.3, 62.7])
    by_row = {}
    for b in bars:
        by_row.setdefault(round(b.get_y(), 6), []).append(b.get_width())
    assert all(sum(parts) == pytest.approx(100) for parts in by_row.values())
    text = _texts(fig)
    for words in ("41.1%", "37.3%", "Share of the whole, %", "Source: NBC News", "the rest 58.9%"):
        assert words in text
    assert "BRICS" not in fig.texts[0].get_text()  # the default title names no story
    assert "41.1%" in alt_text(fig) and "37.3%" in alt_text(fig)


def test_shares_outside_0_to_100_are_noted_not_drawn(figures, sources):
    with pytest.raises(ValueError, match="between 0 and 100"):
        shares_chart(brics_shares(figures).assign(value=[141.1, 137.3], lower=NAN, upper=NAN), sources)
    fig = shares_chart(brics_shares(figures).assign(value=[141.1, 37.3], lower=[NAN, 37.3], upper=[NAN, 37.3]), sources)
    assert "1 percent figure outside 0-100% (not part of a whole) not drawn." in _texts(fig)
    assert len(_bars(fig.axes[0])) == 2


def test_money_chart_keeps_currencies_on_separate_axes():
    frame = _rows(
        value=[1.5e9, 2e8, 7e8],
        lower=[NAN, 2e8, 7e8],
        unit=["USD", "USD", "EUR"],
        qualifier=["approximate", "at_least", "more_than"],
        source=["harbour", "harbour", "ledger"],
    )
    fig = money_chart(frame, STORY_SOURCES)
    assert len(fig.axes) == 2
    usd, eur = fig.axes
    assert "USD" in usd.get_xlabel() and "EUR" in eur.get_xlabel()
    assert [line.get_xdata()[0] for line in _marks(eur, "o")] == [7e8]
    text = _texts(fig)
    for words in ("about USD 1.5 billion", "at least USD 200 million", "more than EUR 700 million", "Sources:"):
        assert words in text, words
    assert "in EUR: measure 2: more than EUR 700 million" in alt_text(fig)


# --- estimates over time ----------------------------------------------------------------


def test_four_troop_estimates_become_one_series_once_they_share_a_measure():
    series = estimate_series(four_estimates())
    assert list(series["series"].unique()) == ["North Korean troops in Russia"]
    assert len(series) == 4 and list(series["as_of"]) == sorted(series["as_of"])
    # Spelt differently in case and spaces, still one measure.
    spelt = four_estimates(["North Korean troops in Russia", " north korean troops in Russia"] * 2)
    assert estimate_series(spelt)["series"].nunique() == 1
    # Four measures: no series. Two measures of two estimates each: two series.
    assert estimate_series(four_estimates(["a", "b", "c", "d"])).empty
    assert estimate_series(four_estimates(["a", "b", "a", "b"]))["series"].tolist() == ["a", "a", "b", "b"]
    # The same measure from the same article on the same date twice is not a series.
    same = four_estimates(["x", "x", "y", "z"]).assign(as_of=pd.Timestamp("2024-11-01"), source="harbour")
    assert estimate_series(same).empty


def test_series_chart_draws_each_estimate_at_its_date_as_what_it_is():
    fig = series_chart(four_estimates(), STORY_SOURCES)
    ax = fig.axes[0]
    # Two approximate estimates: hollow dots at 10,000 and 11,000.
    hollow = sorted(line.get_ydata()[0] for line in _marks(ax, "o") if line.get_markerfacecolor() == "white")
    assert hollow == [10_000, 11_000]
    # The range is a bar from 11,000 to 12,000 with caps at both ends.
    caps = sorted(y for line in _marks(ax, "_") for y in line.get_ydata())
    assert caps == [11_000, 12_000, 12_000]  # the range's two caps and the tick of "nearly 12,000"
    # "Nearly 12,000" is a pointer just under 12,000, not an open arrow.
    (pointer,) = _marks(ax, "^")
    assert 11_000 < pointer.get_ydata()[0] < 12_000
    assert not _arrows(ax)
    # Dates on the x axis: the Pentagon's estimate is the earliest.
    xs = {line.get_ydata()[0]: line.get_xdata()[0] for line in _marks(ax, "o")}
    assert xs[10_000] == pytest.approx(matplotlib.dates.date2num(pd.Timestamp("2024-11-04")))
    text = _texts(fig)
    for words in (
        "the Pentagon\nabout 10,000",
        "South Korea\n11,000 to 12,000",
        "Ukraine\nabout 11,000",
        "Northern Ledger\nnearly 12,000",  # no attribution: the outlet's own
        "Sources: Harbour Post, 14 November 2024; Northern Ledger, 3 December 2024",
    ):
        assert words in text, words
    assert "NBC" not in text
    alt = alt_text(fig)
    assert "4 estimates of North Korean troops in Russia" in alt and "2 December 2024, nearly 12,000" in alt


def test_series_chart_draws_a_floor_as_an_arrow_up_and_needs_a_series():
    frame = four_estimates().assign(value=[10_000, 11_000, 11_500, 12_000], lower=[10_000] * 4, upper=NAN)
    frame["qualifier"] = ["at_least"] * 4
    ax = series_chart(frame, STORY_SOURCES).axes[0]
    arrows = _arrows(ax)
    assert len(arrows) == 4 and all(a.xy[1] > a.xyann[1] for a in arrows)
    with pytest.raises(ValueError, match="no measure has several estimates"):
        series_chart(four_estimates(["a", "b", "c", "d"]), STORY_SOURCES)
    with pytest.raises(ValueError, match="several series"):
        series_chart(four_estimates(["a", "b", "a", "b"]), STORY_SOURCES)
    assert series_chart(four_estimates(["a", "b", "a", "b"]), STORY_SOURCES, measure="b")


# --- output -----------------------------------------------------------------------------


def test_charts_are_reproducible_pngs_and_svg_keeps_text(figures, sources):
    a = png_bytes(shares_chart(brics_shares(figures), sources))
    b = png_bytes(shares_chart(brics_shares(figures), sources))
    assert a == b and a.startswith(b"\x89PNG")
    assert matplotlib.image.imread(io.BytesIO(a)).shape[1] > 1000  # 8 in at 150 dpi
    svg = io.BytesIO()
    with matplotlib.style.context(chart_style()):
        counts_chart(force_sizes(figures), sources).savefig(svg, format="svg")
    assert b"at least 3,000" in svg.getvalue() and b"<text" in svg.getvalue()


def test_charts_leave_global_style_alone(figures, sources):
    before = dict(matplotlib.rcParams)
    counts_chart(force_sizes(figures), sources)
    assert dict(matplotlib.rcParams) == before


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
        "forces": armed_forces_comparison(figures, COMPARED, ARMY_FIGURES),
    }


WDI_LINE = "Source: World Bank, World Development Indicators, CC BY 4.0; article figures: NBC News, 24 October 2024"


def test_breakdown_chart_stacks_members_to_the_group_share(reference_inputs):
    from newsfigures.reference import share_of_world
    from newsfigures.report.charts import member_breakdown_chart

    fig = member_breakdown_chart(
        reference_inputs["breakdown"], reference_inputs["marks"], source=WDI_LINE, groups={1: "BRICS-5", 2: "BRICS-9"}
    )
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
    assert population[0].get_width() + population[1].get_width() > 0.75 * sum(b.get_width() for b in population)
    # Red is the article's only: no member is red, and members part in greyscale (by
    # lightness, or by texture across cohorts).
    looks = {
        (round(sum(w * c for w, c in zip((0.299, 0.587, 0.114), b.get_facecolor()[:3])), 2), b.get_hatch())
        for b in population
    }
    assert len(looks) == 10
    assert not any(_same(b.get_facecolor()[:3], ACCENT) for b in bars)
    text = _texts(fig)
    for words in ("China", "India", "article 41.1%", "article 37.3%", "BRICS-5 40.3%", "2024", WDI_LINE):
        assert words in text, words
    # The legend reads in the order of the first bar, one row per cohort.
    legend = [t.get_text() for t in fig.legends[0].get_texts() if t.get_text().strip()]
    assert legend[:4] == ["BRICS-5:", "joined for BRICS-9:", "invited:", "India"]
    # Saudi Arabia's row is headed "invited:", so its entry does not say so again.
    assert "Saudi Arabia" in legend and not [t for t in legend if "(invited)" in t]
    assert "China" in alt_text(fig) and "41.1%" in alt_text(fig)


def test_breakdown_labels_sit_under_their_own_bar_and_apart(reference_inputs):
    from newsfigures.report.charts import member_breakdown_chart

    fig = member_breakdown_chart(
        reference_inputs["breakdown"], reference_inputs["marks"], source=WDI_LINE, groups={1: "BRICS-5", 2: "BRICS-9"}
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    rows = {}  # bar row -> its pixel extent (top and bottom; y grows upwards)
    for b in _bars(ax):
        extent = b.get_window_extent(renderer)
        row = rows.setdefault(round(b.get_y() + b.get_height() / 2), [extent.y0, extent.y1])
        row[0], row[1] = min(row[0], extent.y0), max(row[1], extent.y1)
    labels = [a for a in ax.texts if a.get_text().startswith(("BRICS-5 ", "article "))]
    assert len(labels) == 6  # a group share and an article figure under each of three bars
    for y, (bottom, _) in rows.items():
        below = rows.get(y + 1, [None, -1e9])[1]
        mine = [a.get_window_extent(renderer) for a in labels if round(a.xy[1] - 0.36) == y]
        assert len(mine) == 2, y
        for extent in mine:
            # under its own bar, above the next bar: the gap holds one row's labels
            assert extent.y1 <= bottom + 0.5 and extent.y0 >= below - 0.5, (y, extent)
        left, right = sorted(mine, key=lambda e: e.x0)
        assert left.x1 <= right.x0, y  # side by side, not overprinted


def test_share_lines_chart_has_a_panel_per_measure_and_the_article_lines(reference_inputs):
    from newsfigures.report.charts import group_share_lines_chart

    fig = group_share_lines_chart(
        reference_inputs["shares"], reference_inputs["marks"], reference_inputs["check"], source=WDI_LINE
    )
    assert len(fig.axes) == 3
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Population", "GDP at purchasing power parity", "GDP at market exchange rates"]
    horizontal = [
        line.get_ydata()[0]
        for line in fig.axes[0].get_lines()
        if list(line.get_ydata()) == [line.get_ydata()[0]] * 2 and line.get_xdata()[0] == 0
    ]
    assert 41.1 in horizontal
    # Six lines per panel: three groups in two releases; the earlier release drawn as rings.
    series = [line for line in fig.axes[1].get_lines() if len(line.get_xdata()) > 2]
    assert len(series) == 6
    assert sum(line.get_markerfacecolor() == "none" for line in series) == 3
    # No line runs past the last year every group has; the note says what is left out.
    market = [line for line in fig.axes[2].get_lines() if len(line.get_xdata()) > 2]
    assert max(max(line.get_xdata()) for line in market) == 2024
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
    assert "not drawn: BRICS-5 2025 (GDP at market exchange rates)" in text
    # The legend lists the groups in the order their lines end, top to bottom.
    legend = [t.get_text() for t in fig.legends[0].get_texts()][:3]
    assert [label.split(" ")[0] for label in legend] == ["BRICS-9", "BRICS-9", "BRICS-5"]
    assert "Saudi Arabia" in legend[0]
    assert "BRICS-9+SAU 2024, 37.51%" in alt_text(fig)


def test_armed_forces_chart_puts_counts_beside_the_quoted_figures(reference_inputs):
    from newsfigures.report.charts import armed_forces_chart

    fig = armed_forces_chart(reference_inputs["forces"], source=WDI_LINE)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_xlim()[1] < 5_000_000
    squares = [line for line in ax.get_lines() if line.get_marker() == "s"]
    assert sorted(line.get_xdata()[0] for line in squares) == [
        298_000,
        569_000,
        1_395_000,
        1_454_000,
        1_469_000,
        2_535_000,
    ]
    assert not any(_same(line.get_color(), ACCENT) for line in squares)
    text = _texts(fig)
    for words in ("North Korea", "Ukraine", "1,469,000", "at least 3,000", "million-strong", "2020", WDI_LINE):
        assert words in text, words
    assert "North Korea 1,469,000 (2020)" in alt_text(fig)


def test_armed_forces_chart_names_the_outlet_as_the_counts_chart_does(reference_inputs, figures, sources):
    from newsfigures.report.charts import armed_forces_chart

    forces = reference_inputs["forces"]
    assert forces.loc[forces["kind"] == "article", "source"].tolist() == ["nbc-2024-10-24"] * 2
    assert forces.loc[forces["kind"] == "WDI", "source"].isna().all()
    # The army's size has no attribution: both charts credit it to the article's outlet.
    army = "(stated by NBC News)"
    assert army in _texts(armed_forces_chart(forces, source=WDI_LINE, sources=sources))
    assert army in _texts(counts_chart(force_sizes(figures), sources))
    assert "(stated by the outlet)" in _texts(armed_forces_chart(forces, source=WDI_LINE))


def _every_chart(figures, sources, reference_inputs) -> dict[str, Figure]:
    from newsfigures.report.charts import armed_forces_chart, group_share_lines_chart, member_breakdown_chart

    r = reference_inputs
    return {
        "counts": counts_chart(force_sizes(figures), sources),
        "shares": shares_chart(brics_shares(figures), sources),
        "series": series_chart(four_estimates(), STORY_SOURCES),
        "series on two dates": series_chart(
            four_estimates().assign(as_of=pd.to_datetime(["2024-11-04", "2024-11-04", "2024-12-02", "2024-12-02"])),
            STORY_SOURCES,
        ),
        "counts, every mark": counts_chart(
            _rows(
                value=[500, 800, 3_000, 20_000, 12_000, NAN],
                lower=[500, NAN, 3_000, NAN, NAN, 10_000],
                upper=[500, NAN, NAN, 20_000, 12_000, 15_000],
                qualifier=["exact", "approximate", "at_least", "at_most", "nearly", "range"],
            ),
            STORY_SOURCES,
        ),
        "money": money_chart(_rows(value=[1.5e9, 2e8], unit=["USD", "EUR"]), STORY_SOURCES),
        "breakdown": member_breakdown_chart(r["breakdown"], r["marks"], source=WDI_LINE),
        "share lines": group_share_lines_chart(r["shares"], r["marks"], r["check"], source=WDI_LINE),
        "armed forces": armed_forces_chart(r["forces"], source=WDI_LINE),
    }


def test_no_chart_text_is_cut_off_and_every_quote_is_curly(figures, sources, reference_inputs):
    """Every label, tick, legend entry and source line lies inside the saved image."""
    for name, fig in _every_chart(figures, sources, reference_inputs).items():
        _assert_inside(name, fig, rows=False)
        straight = [t for t in _texts(fig).splitlines() if "'" in t or '"' in t]
        assert not straight, f"{name}: straight quotes in {straight}"
        assert "'" not in alt_text(fig), name


def test_every_percent_tick_label_says_its_ticks_value(figures, sources, reference_inputs):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    checked = 0
    for name, fig in _every_chart(figures, sources, reference_inputs).items():
        with matplotlib.style.context(chart_style()):
            FigureCanvasAgg(fig).draw()
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                for tick in axis.get_major_ticks():
                    label = tick.label1.get_text()
                    if label.endswith("%") and tick.label1.get_visible():
                        # "38%" on a tick at 37.5 would put the article's 37.3% under "38%"
                        assert float(label[:-1]) == pytest.approx(tick.get_loc(), abs=1e-9), (name, label)
                        checked += 1
    assert checked > 20


def test_series_labels_do_not_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for dates in (["2024-11-04", "2024-11-13", "2024-11-13", "2024-12-02"], ["2024-11-04"] * 2 + ["2024-12-02"] * 2):
        fig = series_chart(four_estimates().assign(as_of=pd.to_datetime(dates)), STORY_SOURCES)
        with matplotlib.style.context(chart_style()):
            renderer = FigureCanvasAgg(fig).get_renderer()
            fig.draw(renderer)
            boxes = [a.get_window_extent(renderer) for a in fig.axes[0].texts if a.get_text()]
        assert len(boxes) == 4
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), dates


def _assert_inside(name: str, fig: Figure, rows: bool = True) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with matplotlib.style.context(chart_style()):
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        width, height = fig.bbox.width, fig.bbox.height
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
        boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for text, box in boxes:
        inside = box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5
        assert inside, f"{name}: {text.get_text()!r} is cut off ({box} outside {width}x{height})"
    if rows:
        ticks = [box for t, box in boxes if t in fig.axes[0].get_yticklabels()]
        for upper, lower in zip(ticks, ticks[1:]):
            assert not upper.overlaps(lower), f"{name}: row labels overlap"


LONG = {
    "attribution": "South Korea's National Intelligence Service and two other agencies it briefed",
    "measure": "North Korean soldiers and military construction workers sent to Russia's Kursk region in autumn",
    "surface": "more than ten thousand troops",
}


def test_long_labels_are_wrapped_not_cut_off(figures, sources):
    from newsfigures.reference import armed_forces_comparison
    from newsfigures.report.charts import armed_forces_chart

    long = figures.copy()
    long.loc[long.figure_id == "nk_troops_sent", list(LONG)] = list(LONG.values())
    long.loc[long.figure_id == "brics_gdp_share", ["measure", "attribution"]] = [LONG["measure"], LONG["attribution"]]
    long.loc[long.figure_id == "nk_army_size", "measure"] = LONG["measure"]
    _assert_inside("counts", counts_chart(force_sizes(long), sources))
    _assert_inside("shares", shares_chart(brics_shares(long), sources))
    _assert_inside(
        "armed forces", armed_forces_chart(armed_forces_comparison(long, COMPARED, ARMY_FIGURES), source=WDI_LINE)
    )


def test_red_is_kept_for_the_article_figures():
    """The style sheet's colour cycle, used for reference data, has no red."""
    with matplotlib.style.context(chart_style()):
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert not any(_same(colour, ACCENT) for colour in cycle)
    assert all(to_rgb(c)[0] < 0.9 or to_rgb(c)[1] > 0.5 for c in cycle)  # nothing near pure red
