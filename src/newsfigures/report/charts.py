"""Charts: functions that take a tidy dataframe and return a matplotlib Figure.

Every chart is drawn under the package's one style sheet (``style/newsfigures.mplstyle``)
and carries a title, a subtitle giving its units, a source line and alt text
(:func:`alt_text`). Figures are built with :class:`matplotlib.figure.Figure`, not pyplot,
so nothing is shown or kept alive behind the caller's back; display them with
:func:`newsfigures.report.display.show_chart` or save them with :func:`png_bytes`.
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from newsfigures.core.figures import figure_label, format_number
from newsfigures.core.qualifiers import QUALIFIERS

STYLE = Path(__file__).resolve().parent / "style" / "newsfigures.mplstyle"

#: Colours used with meaning (the style sheet's cycle covers the rest).
ACCENT = "#c8102e"
BLUE = "#1f5a96"
GREY = "#b8b8b8"
MUTED = "#6b6b6b"

# Layout in inches, so every chart has the same header and footer whatever its height.
_TOP_IN, _ROW_IN, _BOTTOM_IN = 1.0, 0.8, 1.05
_ALT_ATTR = "newsfigures_alt_text"


def _styled(func):
    """Draw inside the package style sheet without touching the caller's rcParams."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with mpl.style.context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def alt_text(fig: Figure) -> str:
    """Return the alt text a newsfigures chart carries (a plain-language description).

    Raises:
        ValueError: ``fig`` was not made by a newsfigures chart function.
    """
    text = getattr(fig, _ALT_ATTR, None)
    if not text:
        raise ValueError("figure has no alt text: it was not made by a newsfigures chart function")
    return text


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """Render a chart to PNG under the package style (150 dpi, tight bounding box).

    Returns:
        PNG file contents. Identical inputs give identical bytes (no timestamps).
    """
    buffer = io.BytesIO()
    with mpl.style.context(STYLE):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def default_source() -> str:
    """Return the source line for charts of the example story's figures."""
    # Bridge until issue-8-charts: the charts take their sources as arguments there.
    from newsfigures.core import paths
    from newsfigures.core.sources import load_sources, published_text

    meta = load_sources(paths.SOURCES).iloc[0]
    return f"Source: {meta.outlet}, {published_text(meta.published)}; figures as quoted"


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: dataframe lacks column(s) {', '.join(missing)}")
    if frame.empty:
        raise ValueError(f"{what}: dataframe has no rows to chart")


def _frame(
    n_rows: int, title: str, subtitle: str, source: str, *, bottom_in: float = _BOTTOM_IN, right: float = 0.93
) -> tuple[Figure, mpl.axes.Axes]:
    height = _TOP_IN + _ROW_IN * n_rows + bottom_in
    fig = Figure(figsize=(8, height))
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.31, right=right, top=1 - _TOP_IN / height, bottom=bottom_in / height)
    _header(fig, title, subtitle, source)
    return fig, ax


def _header(fig: Figure, title: str, subtitle: str, source: str) -> None:
    height = fig.get_figheight()
    fig.text(0.01, 1 - 0.22 / height, title, fontsize=13, fontweight="bold", va="top")
    fig.text(0.01, 1 - 0.55 / height, subtitle, fontsize=10, color=MUTED, va="top")
    fig.text(0.01, 0.08 / height, _plain(source), fontsize=8, color=MUTED, va="bottom")


def _plain(text: str) -> str:
    """Escape dollar signs so matplotlib draws data strings as text, never as mathtext
    ("$200 million to $700 million" would otherwise become a formula)."""
    return text.replace("$", r"\$")


def _row_label(row, width: int = 30, max_lines: int = 4) -> str:
    """The measure and whom it is credited to, wrapped to fit the left margin; beyond
    ``max_lines`` lines the text is cut with an ellipsis (the alt text and the tables
    keep it whole)."""
    who = row.attribution if isinstance(row.attribution, str) and row.attribution else None
    credit = f"(attributed to {who})" if who else "(stated by the outlet)"
    credit_lines = textwrap.wrap(credit, width)[:2]
    measure_lines = textwrap.wrap(row.measure, width) or [""]
    keep = max(1, max_lines - len(credit_lines))
    if len(measure_lines) > keep:
        measure_lines = measure_lines[:keep]
        measure_lines[-1] = textwrap.shorten(measure_lines[-1] + " \u2026", width, placeholder=" \u2026")
    if len(textwrap.wrap(credit, width)) > 2:
        credit_lines[-1] = textwrap.shorten(credit_lines[-1] + " \u2026)", width, placeholder=" \u2026)")
    return _plain("\n".join(measure_lines + credit_lines))


def _decades(lo: float, hi: float) -> tuple[float, float]:
    return 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi) + 0.3)


def _people_log_axis(ax, numbers: pd.Series, n_rows: int) -> None:
    """A log-scale axis of people, whole decades from below the smallest number to above
    the largest, one row per mark, top to bottom."""
    left, right = _decades(numbers.min() / 2, numbers.max() * 4)
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.xaxis.set_major_locator(FixedLocator([10**k for k in range(int(math.log10(left)), int(math.log10(right)) + 1)]))
    ax.xaxis.set_major_formatter(FuncFormatter(_people))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(n_rows - 0.4, -0.6)


def _people(x: float, _pos=None) -> str:
    if x >= 1e9:
        return f"{x / 1e9:g} billion"
    if x >= 1e6:
        return f"{x / 1e6:g} million"
    return f"{x:,.0f}"


def _draw_quoted(ax, y: float, r) -> tuple[str, str, float]:
    """Draw one quoted figure as what its qualifier says it is, on a log-scale axis.

    Returns:
        ``(kind, label, anchor)``: the legend key, the figure in words and the x where a
        label should start.
    """
    label = figure_label(r)
    mark = QUALIFIERS[r.qualifier].mark
    if mark == "span":
        ax.barh(
            y,
            r.upper - r.lower,
            left=r.lower,
            height=0.34,
            color=BLUE,
            alpha=0.25,
            hatch="////",
            edgecolor=BLUE,
            linewidth=0,
        )
        ax.plot([r.lower, r.upper], [y, y], "|", color=BLUE, ms=14, mew=1.5)
        if isinstance(r.surface, str) and r.surface:
            label = f"\u201c{r.surface}\u201d\n{label}"
        return "range", label, r.lower
    if mark == "floor":
        ax.annotate(
            "",
            xy=(r.lower * 5, y),
            xytext=(r.lower, y),
            arrowprops=dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0),
        )
        ax.plot(r.lower, y, "o", color=ACCENT, ms=9)
        return "lower", label, r.lower
    if mark in ("ceiling", "just_under"):
        ax.annotate(
            "",
            xy=(r.upper / 5, y),
            xytext=(r.upper, y),
            arrowprops=dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0),
        )
        ax.plot(r.upper, y, "o", color=ACCENT, ms=9)
        return "upper", label, r.upper / 5
    if mark == "approx":
        ax.plot(r.value, y, "o", ms=10, mfc="white", mec=BLUE, mew=2.2)
        return "approx", label, r.value
    ax.plot(r.value, y, "o", color=BLUE, ms=9)
    return "point", label, r.value


def _quoted_legend() -> dict:
    return {
        "point": Line2D([], [], ls="", marker="o", color=BLUE, ms=8, label="figure as printed"),
        "approx": Line2D([], [], ls="", marker="o", mfc="white", mec=BLUE, mew=2, ms=8, label="approximate figure"),
        "lower": Line2D(
            [], [], ls=(0, (3, 2)), marker="o", color=ACCENT, ms=7, label="lower bound: at least this many"
        ),
        "upper": Line2D([], [], ls=(0, (3, 2)), marker="o", color=ACCENT, ms=7, label="upper bound: at most this many"),
        "range": Patch(facecolor=BLUE, alpha=0.25, hatch="////", edgecolor=BLUE, label="range or vague magnitude"),
    }


@_styled
def force_sizes_chart(forces: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> Figure:
    """Chart force sizes on a log scale, each drawn as what its qualifier says it is.

    A figure printed as a number is a dot; "about" is a hollow dot; a lower bound
    ("at least") is a dot with a dashed arrow running on to larger values (an upper
    bound, the other way); a range or vague magnitude ("hundreds of thousands") is a
    hatched band spanning its bounds. Nothing is drawn as a bar from zero, which would
    claim a precision the article does not give.

    Args:
        forces: tidy frame with columns ``measure, value, lower, upper, unit, qualifier,
            attribution`` (e.g. :func:`newsfigures.core.figures.force_sizes`); one row per mark,
            drawn top to bottom in frame order. Units: people.
        title: the chart title; default names the flagship article's three figures.
        source: the source line; default cites the flagship article.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, the frame is empty, or a figure has no
            positive number to place on the log scale.
    """
    _require(forces, ["measure", "value", "lower", "upper", "unit", "qualifier", "attribution"], "force_sizes_chart")
    rows = list(forces.itertuples(index=False))
    numbers = pd.concat([forces["value"], forces["lower"], forces["upper"]]).dropna()
    if (numbers <= 0).any() or any(pd.isna([r.value, r.lower, r.upper]).all() for r in rows):
        raise ValueError("force_sizes_chart: every figure needs a positive value or bound for the log scale")
    fig, ax = _frame(
        len(rows),
        _plain(title or "North Korea\u2019s troops for Russia, its army, and the war\u2019s dead"),
        "Number of people, log scale, as quoted in the article",
        source or default_source(),
    )
    _people_log_axis(ax, numbers, len(rows))
    ax.set_yticks(range(len(rows)), [_row_label(r) for r in rows])

    kinds, described = set(), []
    for y, r in enumerate(rows):
        kind, label, anchor = _draw_quoted(ax, y, r)
        kinds.add(kind)
        ax.annotate(
            _plain(label),
            (anchor, y),
            xytext=(0, -15),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=9.5,
            color="#222222",
        )
        described.append(
            f"{r.measure}: "
            + label.replace("\n", ": ")
            + (f" ({r.attribution})" if isinstance(r.attribution, str) else "")
        )

    legend = _quoted_legend()
    handles = [legend[k] for k in legend if k in kinds]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.33 / fig.get_figheight()),
        ncol=min(len(handles), 3),
        handlelength=2.2,
    )
    setattr(
        fig,
        _ALT_ATTR,
        "Chart on a logarithmic scale of force sizes quoted in the article. " + "; ".join(described) + ".",
    )
    return fig


@_styled
def brics_shares_chart(shares: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> Figure:
    """Chart BRICS's shares of the world as 100% bars (part to whole).

    Each bar is the world (100%), split into the BRICS share and the rest of the world.

    Args:
        shares: tidy frame with columns ``measure, value, unit, attribution`` (e.g.
            :func:`newsfigures.core.figures.brics_shares`), ``unit == "percent"``, values 0-100;
            one bar per row, top to bottom in frame order.
        title: the chart title; default "BRICS members\u2019 share of the world".
        source: the source line; default cites the flagship article.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, the frame is empty, a unit is not percent,
            or a share lies outside 0-100.
    """
    _require(shares, ["measure", "value", "unit", "attribution"], "brics_shares_chart")
    if (shares["unit"] != "percent").any():
        raise ValueError("brics_shares_chart: every row needs unit 'percent'")
    if not shares["value"].between(0, 100).all():
        raise ValueError("brics_shares_chart: shares must lie between 0 and 100 percent")
    rows = list(shares.itertuples(index=False))
    fig, ax = _frame(
        len(rows),
        _plain(title or "BRICS members\u2019 share of the world"),
        "Share of the world total, %, as quoted in the article",
        source or default_source(),
    )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}%"))
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_yticks(range(len(rows)), [_row_label(r) for r in rows])
    ax.grid(False)
    described = []
    for y, r in enumerate(rows):
        ax.barh(y, r.value, height=0.55, color=ACCENT)
        ax.barh(y, 100 - r.value, left=r.value, height=0.55, color="#e4e4e4")
        ax.text(
            r.value - 1.5,
            y,
            format_number(r.value, "percent"),
            ha="right",
            va="center",
            color="white",
            fontsize=11,
            fontweight="bold",
        )
        rest = format_number(round(100 - r.value, 10), "percent")
        ax.text(98.5, y, f"rest of the world {rest}", ha="right", va="center", color="#444444", fontsize=9)
        described.append(f"{r.measure}: {format_number(r.value, 'percent')}")
    ax.axvline(50, color="white", lw=1.2, ls=(0, (2, 2)))
    handles = [Patch(color=ACCENT, label="BRICS members"), Patch(color="#e4e4e4", label="rest of the world")]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.3, 0.33 / fig.get_figheight()), ncol=2)
    setattr(
        fig,
        _ALT_ATTR,
        "Bars of 100 percent, each split into the BRICS share and the rest of the world. " + "; ".join(described) + ".",
    )
    return fig


# ---------------------------------------------------------------------------------------
# Reference data: BRICS members' shares and armed forces, from World Bank WDI.

_WDI = "World Bank, World Development Indicators"


def wdi_source(release: str | None = None, extra: str = "") -> str:
    """Return the source line for charts of WDI data (CC BY 4.0 attribution).

    Args:
        release: the WDI release shown (``YYYY-MM-DD``); None when several are.
        extra: text appended, e.g. the article's citation.
    """
    text = f"Source: {_WDI}" + (f" (release {release})" if release else "") + ", CC BY 4.0"
    return text + (f"; {extra}" if extra else "")


def _article_credit() -> str:
    from newsfigures.core import paths
    from newsfigures.core.sources import load_sources, published_text

    meta = load_sources(paths.SOURCES).iloc[0]
    return f"article figures: {meta.outlet}, {published_text(meta.published)}"


#: Member colours: China and India stand out; the other founders in blues, the 2024
#: entrants in greens; an invitee that never confirmed is hatched, not filled.
_FIRST_COHORT = {"CHN": ACCENT, "IND": "#e8743b"}
_BLUES = ["#1f5a96", "#5486bd", "#93b6dc", "#c3d6ec"]
_GREENS = ["#2a7f62", "#4fa384", "#83c5a8", "#b9e0cd", "#dff0e7"]


def _member_styles(breakdown: pd.DataFrame) -> dict[str, dict]:
    styles, blues, greens = {}, iter(_BLUES * 3), iter(_GREENS * 3)
    for r in breakdown.drop_duplicates("iso3").itertuples(index=False):
        if r.cohort >= 3:
            styles[r.iso3] = dict(facecolor="white", edgecolor=MUTED, hatch="////", linewidth=0.8)
        elif r.iso3 in _FIRST_COHORT:
            styles[r.iso3] = dict(facecolor=_FIRST_COHORT[r.iso3], edgecolor="white", linewidth=0.6)
        else:
            colour = next(blues) if r.cohort == 1 else next(greens)
            styles[r.iso3] = dict(facecolor=colour, edgecolor="white", linewidth=0.6)
    return styles


@_styled
def brics_breakdown_chart(
    breakdown: pd.DataFrame,
    marks: pd.DataFrame | None = None,
    *,
    release: str | None = None,
    year: int | None = None,
    source: str | None = None,
) -> Figure:
    """Chart each member's part of the BRICS share of world population and GDP, stacked.

    One bar per indicator, the members stacked left to right: the founders and South
    Africa first (largest first), then the 2024 entrants, then any invitee that never
    confirmed (hatched). Ticks mark where BRICS-5 ends; the bar's end is the whole
    group. The article's figures, where given, are dashed red marks on their bars.

    Args:
        breakdown: tidy frame from :func:`newsfigures.reference.member_shares` (columns
            ``iso3, country, status, cohort, indicator_code, measure, release, year,
            share_pct``), in its order.
        marks: optional frame from :func:`newsfigures.reference.factcheck.article_marks`
            (``indicator_code, label, value``), percent.
        release, year: which release and year to draw; default the newest release and
            its latest year with every indicator
            (:func:`newsfigures.reference.latest_complete_year`).
        source: the source line; default cites the WDI release and the article.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing or no rows match the release and year.
    """
    from newsfigures.reference.shares import latest_complete_year

    _require(
        breakdown,
        ["iso3", "country", "status", "cohort", "indicator_code", "measure", "release", "year", "share_pct"],
        "brics_breakdown_chart",
    )
    if release is None or year is None:
        release, year = latest_complete_year(breakdown, release)
    rows = breakdown[(breakdown["release"] == release) & (breakdown["year"] == year)]
    if rows.empty:
        raise ValueError(f"brics_breakdown_chart: no rows for release {release}, year {year}")
    indicators = list(dict.fromkeys(rows["indicator_code"]))
    if marks is not None:
        marks = marks[marks["indicator_code"].isin(indicators)]
    styles = _member_styles(rows)
    fig, ax = _frame(
        len(indicators),
        "Who makes up the BRICS share of the world",
        f"Share of the world total, %, {year}, by member; World Bank release {release}",
        source or wdi_source(release, _article_credit()),
        bottom_in=1.3,
    )
    totals = rows.groupby("indicator_code")["share_pct"].sum()
    top = max([totals.max()] + ([] if marks is None else list(marks["value"])))
    ax.set_xlim(0, math.ceil((top + 14) / 10) * 10)
    ax.xaxis.set_major_locator(FixedLocator(range(0, int(ax.get_xlim()[1]) + 1, 10)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}%"))
    ax.set_ylim(len(indicators) - 0.35, -0.75)
    ax.set_yticks(
        range(len(indicators)),
        [
            textwrap.fill(_sentence_case(rows.loc[rows["indicator_code"] == i, "measure"].iloc[0]), 22)
            for i in indicators
        ],
    )
    ax.grid(False, axis="y")
    described = []
    for y, indicator in enumerate(indicators):
        left, first, second = 0.0, None, None
        parts = rows[rows["indicator_code"] == indicator]
        for r in parts.itertuples(index=False):
            ax.barh(y, r.share_pct, left=left, height=0.5, **styles[r.iso3])
            if r.share_pct >= 6:
                ax.text(
                    left + r.share_pct / 2,
                    y,
                    f"{r.country}\n{r.share_pct:.1f}%",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="white",
                    fontweight="bold",
                )
            elif r.share_pct >= 2.8 and r.cohort < 3:
                ax.text(left + r.share_pct / 2, y, r.iso3, ha="center", va="center", fontsize=7, color="white")
            left += r.share_pct
            if r.cohort == 1:
                first = left
            elif r.cohort == 2:
                second = left
        whole = left
        if first is not None:
            ax.plot([first, first], [y - 0.36, y + 0.25], color="#222222", lw=1.4)
            ax.text(first, y - 0.38, f"BRICS-5 {first:.1f}%", ha="right", va="bottom", fontsize=8, color="#222222")
        end = [f"{'BRICS-9' if second else 'total'} {second or whole:.1f}%"]
        if second and whole - second > 1e-9:
            others = ", ".join(parts.loc[parts["cohort"] >= 3, "country"])
            end.append(f"with {others} {whole:.1f}%")
        mark_rows = marks[marks["indicator_code"] == indicator] if marks is not None else marks
        reach = max([whole] + ([] if mark_rows is None else list(mark_rows["value"])))
        ax.text(reach + 1.0, y, "\n".join(end), ha="left", va="center", fontsize=8.5, color="#222222")
        mark_text = ""
        if mark_rows is not None:
            for m in mark_rows.itertuples(index=False):
                ax.plot([m.value, m.value], [y - 0.3, y + 0.3], color=ACCENT, lw=2.2, ls=(0, (2, 1.2)))
                ax.text(m.value, y + 0.3, f"article {m.label}", ha="center", va="top", fontsize=8, color=ACCENT)
                mark_text = f"; the article's figure is {m.label}"
        big = parts.nlargest(2, "share_pct")
        described.append(
            f"{parts['measure'].iloc[0]}: BRICS-5 {first or 0:.1f}%, whole group {whole:.1f}%, of which "
            + " and ".join(f"{r.country} {r.share_pct:.1f}%" for r in big.itertuples(index=False))
            + mark_text
        )
    legend_rows = rows.drop_duplicates("iso3")
    handles = [
        Patch(label=(f"{r.country} ({r.status})" if r.cohort >= 3 else r.country), **styles[r.iso3])
        for r in legend_rows.itertuples(index=False)
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.3 / fig.get_figheight()),
        ncol=5,
        fontsize=8,
        handlelength=1.4,
        columnspacing=1.0,
    )
    setattr(
        fig,
        _ALT_ATTR,
        f"Stacked bars of each member's share of the world in {year} (World Bank release "
        f"{release}). " + "; ".join(described) + ".",
    )
    return fig


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _spread(labels: list[tuple], gap: float) -> list[tuple]:
    """Move end-of-line labels ``(y, ...)`` apart so that no two are closer than ``gap``."""
    placed = sorted(labels, key=lambda item: item[0])
    ys = [item[0] for item in placed]
    for _ in range(50):
        moved = False
        for i in range(1, len(ys)):
            if ys[i] - ys[i - 1] < gap:
                push = (gap - (ys[i] - ys[i - 1])) / 2
                ys[i - 1] -= push
                ys[i] += push
                moved = True
        if not moved:
            break
    return [(y, *item[1:]) for y, item in zip(ys, placed)]


_GROUP_COLOURS = {"BRICS-5": BLUE, "BRICS-9": "#2a7f62", "BRICS-9+SAU": "#e8743b"}
_PANEL_IN = 2.35


@_styled
def brics_share_lines_chart(
    shares: pd.DataFrame,
    marks: pd.DataFrame | None = None,
    closest: pd.DataFrame | None = None,
    *,
    source: str | None = None,
) -> Figure:
    """Chart each group's share of world over the years, one panel per measure.

    A solid line is the newest WDI release, a dotted line the older one; the article's
    figure is a dashed red line across its panels; the definition nearest to it is ringed.

    Args:
        shares: tidy frame from :func:`newsfigures.reference.group_shares` (``group,
            group_label, indicator_code, measure, release, year, share_pct``); panels in
            order of its indicators, lines in order of its groups.
        marks: optional :func:`newsfigures.reference.factcheck.article_marks` frame (percent rows).
        closest: optional :func:`newsfigures.reference.factcheck.fact_check` frame; its ``closest``
            rows are ringed.
        source: the source line; default cites WDI and the article.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing or the frame is empty.
    """
    _require(
        shares,
        ["group", "group_label", "indicator_code", "measure", "release", "year", "share_pct"],
        "brics_share_lines_chart",
    )
    indicators = list(dict.fromkeys(shares["indicator_code"]))
    groups = list(dict.fromkeys(shares["group"]))
    releases = sorted(shares["release"].dropna().unique(), reverse=True)
    height = _TOP_IN + _PANEL_IN * len(indicators) + 1.3
    fig = Figure(figsize=(8, height))
    axes = fig.subplots(len(indicators), 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(left=0.09, right=0.79, top=1 - (_TOP_IN + 0.2) / height, bottom=1.3 / height, hspace=0.42)
    _header(
        fig,
        "BRICS\u2019s share of the world under three memberships",
        "Share of the world total, %, by year; one panel per measure",
        source or wdi_source(None, _article_credit()),
    )
    described = []
    colours = {g: _GROUP_COLOURS.get(g, c) for g, c in zip(groups, [BLUE, "#2a7f62", "#e8743b", GREY, MUTED] * 3)}
    for ax, indicator in zip(axes, indicators):
        rows = shares[shares["indicator_code"] == indicator]
        ax.set_title(_sentence_case(rows["measure"].iloc[0]), loc="left", fontsize=10.5, fontweight="bold", pad=4)
        ends = []
        for group in groups:
            for release in releases:
                line = rows[(rows["group"] == group) & (rows["release"] == release)].sort_values("year")
                if line.empty:
                    continue
                newest = release == releases[0]
                ax.plot(
                    line["year"],
                    line["share_pct"],
                    color=colours[group],
                    lw=2.0 if newest else 1.3,
                    ls="-" if newest else (0, (1.2, 1.6)),
                    marker="o" if newest else None,
                    ms=3.5,
                )
                if newest:
                    last = line.iloc[-1]
                    ends.append((last["share_pct"], group, colours[group], "bold"))
                    described.append(
                        f"{group} {rows['measure'].iloc[0]} {line['year'].iloc[0]}-{last['year']}: "
                        f"{line['share_pct'].iloc[0]:.1f}% to {last['share_pct']:.1f}%"
                    )
        if marks is not None:
            for m in marks[marks["indicator_code"] == indicator].itertuples(index=False):
                ax.axhline(m.value, color=ACCENT, lw=1.3, ls=(0, (4, 2)))
                ends.append((m.value, f"article {m.label}", ACCENT, "normal"))
                described.append(f"the article's {m.label} drawn across the {rows['measure'].iloc[0]} panel")
        if closest is not None:
            near = closest[closest["closest"] & (closest["indicator_code"] == indicator)]
            for r in near.itertuples(index=False):
                ax.plot(r.year, r.recomputed, "o", ms=13, mfc="none", mec="#111111", mew=1.6)
                described.append(f"closest to the article: {r.group} {r.year}, {r.recomputed:.2f}%")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}%"))
        low, high = ax.get_ylim()
        low, high = low - 0.5, high + 0.8
        ax.set_ylim(low, high)
        for y, text, colour, weight in _spread(ends, 0.09 * (high - low)):
            ax.annotate(
                text,
                (1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=colour,
                fontweight=weight,
                annotation_clip=False,
            )
    years = sorted(shares["year"].unique())
    axes[-1].xaxis.set_major_locator(FixedLocator(years))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{int(x)}" if int(x) % 2 == 1 else ""))
    handles = [
        Line2D([], [], color=colours[g], lw=2, label=shares.loc[shares["group"] == g, "group_label"].iloc[0])
        for g in groups
    ]
    for i, release in enumerate(releases):
        handles.append(
            Line2D(
                [],
                [],
                color="#444444",
                lw=2.0 if i == 0 else 1.3,
                ls="-" if i == 0 else (0, (1.2, 1.6)),
                label=f"WDI release {release}",
            )
        )
    if marks is not None:
        handles.append(Line2D([], [], color=ACCENT, lw=1.3, ls=(0, (4, 2)), label="the article's figure"))
    if closest is not None:
        handles.append(
            Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec="#111111", mew=1.6, label="closest to the article")
        )
    fig.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.3 / height), ncol=3, fontsize=8, handlelength=2.4
    )
    setattr(
        fig,
        _ALT_ATTR,
        "Line charts of BRICS groups' share of the world by year, one panel per measure. " + "; ".join(described) + ".",
    )
    return fig


@_styled
def armed_forces_chart(comparison: pd.DataFrame, *, source: str | None = None) -> Figure:
    """Chart armed forces personnel (WDI) beside the article's force sizes, on a log scale.

    WDI counts are dark squares; the article's figures are drawn as their qualifiers say
    (a hollow dot for a round figure, an arrow for a lower bound), as in
    :func:`force_sizes_chart`. A thin line separates the two kinds of rows.

    Args:
        comparison: frame from :func:`newsfigures.reference.armed_forces_comparison`
            (``kind, measure, qualifier, attribution, surface, year, value, lower, upper``),
            one row per mark, top to bottom. Units: people.
        source: the source line; default cites WDI (IISS) and the article.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, the frame is empty, or a number is not positive.
    """
    _require(
        comparison,
        ["kind", "measure", "qualifier", "attribution", "surface", "year", "value", "lower", "upper"],
        "armed_forces_chart",
    )
    numbers = pd.concat([comparison["value"], comparison["lower"], comparison["upper"]]).dropna()
    if (numbers <= 0).any():
        raise ValueError("armed_forces_chart: every number must be positive for the log scale")
    rows = list(comparison.itertuples(index=False))
    wdi_years = sorted({int(r.year) for r in rows if r.kind == "WDI" and pd.notna(r.year)})
    year_text = f"{wdi_years[-1]}" if len(wdi_years) == 1 else ", ".join(map(str, wdi_years))
    fig, ax = _frame(
        len(rows) * 0.7,
        "North Korea\u2019s army beside others, and the troops it sent",
        f"Number of people, log scale; armed forces in {year_text} (latest WDI year) and the article's figures",
        source or wdi_source(None, "MS.MIL.TOTL.P1 from IISS; " + _article_credit()),
        bottom_in=1.25,
    )
    _people_log_axis(ax, numbers, len(rows))
    labels, kinds, described = [], set(), []
    for y, r in enumerate(rows):
        if r.kind == "WDI":
            ax.plot(r.value, y, "s", color="#333333", ms=8)
            ax.annotate(
                f"{r.value:,.0f}",
                (r.value, y),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color="#222222",
            )
            labels.append(_plain(textwrap.shorten(r.measure, 34, placeholder=" \u2026")))
            kinds.add("wdi")
            described.append(f"{r.measure} {r.value:,.0f} ({int(r.year)})")
        else:
            kind, label, anchor = _draw_quoted(ax, y, r)
            kinds.add(kind)
            words = (
                f"\u201c{r.surface}\u201d: {label}"
                if isinstance(r.surface, str) and r.surface and r.surface not in label
                else label
            )
            # A lower bound's arrow runs right from its dot (five times the bound): label past its tip.
            x = anchor * 5 if kind == "lower" else anchor
            ax.annotate(
                words, (x, y), xytext=(10, 0), textcoords="offset points", va="center", fontsize=9, color="#222222"
            )
            labels.append(_row_label(r, 28, max_lines=3))
            described.append(f"{r.measure}: {label}, as quoted")
    ax.set_yticks(range(len(rows)), labels)
    n_wdi = sum(r.kind == "WDI" for r in rows)
    if 0 < n_wdi < len(rows):
        ax.axhline(n_wdi - 0.5, color=GREY, lw=0.8)
    legend = {
        "wdi": Line2D(
            [], [], ls="", marker="s", color="#333333", ms=7, label=f"armed forces personnel, WDI ({year_text})"
        )
    } | _quoted_legend()
    handles = [legend[k] for k in legend if k in kinds]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.3 / fig.get_figheight()),
        ncol=min(len(handles), 3),
        fontsize=8.5,
        handlelength=2.2,
    )
    setattr(
        fig,
        _ALT_ATTR,
        "Chart on a logarithmic scale of armed forces personnel from World Bank data beside "
        "the article's force sizes. " + "; ".join(described) + ".",
    )
    return fig
