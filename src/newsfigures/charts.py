"""Charts: functions that take a tidy dataframe and return a matplotlib Figure.

Every chart is drawn under the package's one style sheet (``style/newsfigures.mplstyle``)
and carries a title, a subtitle giving its units, a source line and alt text
(:func:`alt_text`). Figures are built with :class:`matplotlib.figure.Figure`, not pyplot,
so nothing is shown or kept alive behind the caller's back; display them with
:func:`newsfigures.display.show_chart` or save them with :func:`png_bytes`.
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

from .figures import figure_label, format_number

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
    """Return the source line for charts of the flagship article's figures."""
    from .article import load_article_metadata

    meta = load_article_metadata()
    return f"Source: {meta.outlet}, {meta.published.day} {meta.published:%B %Y}; figures as quoted"


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: dataframe lacks column(s) {', '.join(missing)}")
    if frame.empty:
        raise ValueError(f"{what}: dataframe has no rows to chart")


def _frame(n_rows: int, title: str, subtitle: str, source: str) -> tuple[Figure, "mpl.axes.Axes"]:
    height = _TOP_IN + _ROW_IN * n_rows + _BOTTOM_IN
    fig = Figure(figsize=(8, height))
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.31, right=0.96, top=1 - _TOP_IN / height, bottom=_BOTTOM_IN / height)
    fig.text(0.01, 1 - 0.22 / height, title, fontsize=13, fontweight="bold", va="top")
    fig.text(0.01, 1 - 0.55 / height, subtitle, fontsize=10, color=MUTED, va="top")
    fig.text(0.01, 0.08 / height, _plain(source), fontsize=8, color=MUTED, va="bottom")
    return fig, ax


def _plain(text: str) -> str:
    """Escape dollar signs so matplotlib draws data strings as text, never as mathtext
    ("$200 million to $700 million" would otherwise become a formula)."""
    return text.replace("$", r"\$")


def _row_label(row, width: int = 30) -> str:
    who = row.attribution if isinstance(row.attribution, str) and row.attribution else None
    credit = f"attributed to {who}" if who else "stated by the outlet"
    return _plain(textwrap.fill(row.measure, width) + f"\n({credit})")


def _decades(lo: float, hi: float) -> tuple[float, float]:
    return 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi) + 0.3)


def _people(x: float, _pos=None) -> str:
    if x >= 1e9:
        return f"{x / 1e9:g} billion"
    if x >= 1e6:
        return f"{x / 1e6:g} million"
    return f"{x:,.0f}"


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
            attribution`` (e.g. :func:`newsfigures.figures.force_sizes`); one row per mark,
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
        _plain(title or "North Korea's troops for Russia, its army, and the war's dead"),
        "Number of people, log scale, as quoted in the article",
        source or default_source(),
    )
    left, right = _decades(numbers.min() / 2, numbers.max() * 4)
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.xaxis.set_major_locator(FixedLocator([10**k for k in range(int(math.log10(left)), int(math.log10(right)) + 1)]))
    ax.xaxis.set_major_formatter(FuncFormatter(_people))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_yticks(range(len(rows)), [_row_label(r) for r in rows])

    kinds, described = set(), []
    for y, r in enumerate(rows):
        label = figure_label(r)
        if r.qualifier in ("range", "magnitude"):
            kinds.add("range")
            ax.barh(y, r.upper - r.lower, left=r.lower, height=0.34, color=BLUE, alpha=0.25,
                    hatch="////", edgecolor=BLUE, linewidth=0)
            ax.plot([r.lower, r.upper], [y, y], "|", color=BLUE, ms=14, mew=1.5)
            anchor = r.lower
            if isinstance(r.surface, str) and r.surface:
                label = f"\u201c{r.surface}\u201d: {label}"
        elif r.qualifier in ("at_least", "more_than"):
            kinds.add("lower")
            ax.annotate("", xy=(r.lower * 5, y), xytext=(r.lower, y),
                        arrowprops=dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0))
            ax.plot(r.lower, y, "o", color=ACCENT, ms=9)
            anchor = r.lower
        elif r.qualifier in ("at_most", "less_than", "nearly"):
            kinds.add("upper")
            ax.annotate("", xy=(r.upper / 5, y), xytext=(r.upper, y),
                        arrowprops=dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0))
            ax.plot(r.upper, y, "o", color=ACCENT, ms=9)
            anchor = r.upper / 5
        elif r.qualifier == "approximate":
            kinds.add("approx")
            ax.plot(r.value, y, "o", ms=10, mfc="white", mec=BLUE, mew=2.2)
            anchor = r.value
        else:
            kinds.add("point")
            ax.plot(r.value, y, "o", color=BLUE, ms=9)
            anchor = r.value
        ax.annotate(_plain(label), (anchor, y), xytext=(0, -15), textcoords="offset points",
                    ha="left", va="top", fontsize=9.5, color="#222222")
        described.append(f"{r.measure}: {label}" + (f" ({r.attribution})" if isinstance(r.attribution, str) else ""))

    legend = {
        "point": Line2D([], [], ls="", marker="o", color=BLUE, ms=8, label="figure as printed"),
        "approx": Line2D([], [], ls="", marker="o", mfc="white", mec=BLUE, mew=2, ms=8, label="approximate figure"),
        "lower": Line2D([], [], ls=(0, (3, 2)), marker="o", color=ACCENT, ms=7, label="lower bound: at least this many"),
        "upper": Line2D([], [], ls=(0, (3, 2)), marker="o", color=ACCENT, ms=7, label="upper bound: at most this many"),
        "range": Patch(facecolor=BLUE, alpha=0.25, hatch="////", edgecolor=BLUE, label="range or vague magnitude"),
    }
    handles = [legend[k] for k in legend if k in kinds]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.3, 0.33 / fig.get_figheight()),
               ncol=min(len(handles), 3), handlelength=2.2)
    setattr(fig, _ALT_ATTR, "Chart on a logarithmic scale of force sizes quoted in the article. " + "; ".join(described) + ".")
    return fig


@_styled
def brics_shares_chart(shares: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> Figure:
    """Chart BRICS's shares of the world as 100% bars (part to whole).

    Each bar is the world (100%), split into the BRICS share and the rest of the world.

    Args:
        shares: tidy frame with columns ``measure, value, unit, attribution`` (e.g.
            :func:`newsfigures.figures.brics_shares`), ``unit == "percent"``, values 0-100;
            one bar per row, top to bottom in frame order.
        title: the chart title; default "BRICS members' share of the world".
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
        _plain(title or "BRICS members' share of the world"),
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
        ax.text(r.value - 1.5, y, format_number(r.value, "percent"), ha="right", va="center",
                color="white", fontsize=11, fontweight="bold")
        rest = format_number(round(100 - r.value, 10), "percent")
        ax.text(98.5, y, f"rest of the world {rest}", ha="right", va="center", color="#444444", fontsize=9)
        described.append(f"{r.measure}: {format_number(r.value, 'percent')}")
    ax.axvline(50, color="white", lw=1.2, ls=(0, (2, 2)))
    handles = [Patch(color=ACCENT, label="BRICS members"), Patch(color="#e4e4e4", label="rest of the world")]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.3, 0.33 / fig.get_figheight()), ncol=2)
    setattr(fig, _ALT_ATTR, "Bars of 100 percent, each split into the BRICS share and the rest of the world. "
            + "; ".join(described) + ".")
    return fig
