"""Charts: functions that take a tidy dataframe and return a matplotlib Figure.

Every chart is drawn under the package's one style sheet (``style/newsfigures.mplstyle``)
and carries a title, a subtitle giving its units, a source line built from the rows it
draws (:func:`source_line`) and alt text (:func:`alt_text`). Figures are built with
:class:`matplotlib.figure.Figure`, not pyplot, so nothing is shown or kept alive behind the
caller's back; display them with :func:`newsfigures.report.display.show_chart` or save them
with :func:`png_bytes`.

Colour has one meaning: red (:data:`ACCENT`) is the article's figures, and nothing else;
reference data are greys and blues of distinct lightness, so a chart printed in greyscale
keeps its categories. Each chart draws at most :data:`MAX_ROWS` figures (the largest, or for
a series the latest) and says on the chart and in its alt text how many it leaves out.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from newsfigures.core.figures import (
    estimate_series,  # noqa: F401 (part of this API)
    figure_label,
    format_number,
)
from newsfigures.core.qualifiers import QUALIFIERS
from newsfigures.core.typography import curly
from newsfigures.core.units import is_currency

STYLE = Path(__file__).resolve().parent / "style" / "newsfigures.mplstyle"


@functools.lru_cache(maxsize=1)
def _fallback_families() -> tuple[str, ...]:
    # The PDF's fallback faces (report.fonts), registered with matplotlib so that it
    # measures and draws emoji and other scripts with them, not as missing glyphs.
    from matplotlib import font_manager

    from newsfigures.report import fonts

    families = []
    for _, package, file in fonts.FALLBACKS:
        try:
            path = str(fonts.fallback_path(package, file))
        except ModuleNotFoundError:
            continue  # drawn without it; the build itself says to run make setup
        font_manager.fontManager.addfont(path)
        families.append(font_manager.FontProperties(fname=path).get_name())
    # The fallback faces have one weight: bold text that needs them is set in it, and
    # matplotlib would log that for every family at every bold label (into a notebook's
    # output in the Lab). Only those messages, for these families, are dropped.
    names = tuple(families)

    def keep(record) -> bool:
        message = record.getMessage()
        return not (message.startswith("findfont: Failed to find font weight") and any(n in message for n in names))

    logging.getLogger("matplotlib.font_manager").addFilter(keep)
    return names


def chart_style() -> list:
    """The charts' matplotlib style: the package style sheet, its font (DejaVu Sans)
    followed by the fallback faces, for ``matplotlib.style.context``."""
    return [STYLE, {"font.family": ["DejaVu Sans", *_fallback_families()]}]


#: Red is the article's figures and only them.
ACCENT = "#c8102e"
ACCENT_LIGHT = "#f2c4cb"
#: Reference data and structure.
INK = "#222222"
DARK = "#333333"
GREY = "#b8b8b8"
MUTED = "#6b6b6b"
REST = "#e4e4e4"

#: Most figures a chart draws; the rest are counted in a note on the chart and in its alt text.
MAX_ROWS = 30
#: Units drawn by :func:`counts_chart`.
COUNT_UNITS = ("people", "count")

# Layout in inches, so every chart has the same header and footer whatever its height.
_TOP_IN, _ROW_IN, _LINE_IN = 1.0, 0.8, 0.17
_ALT_ATTR = "newsfigures_alt_text"


def _styled(func):
    """Draw inside the package style sheet without touching the caller's rcParams."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with mpl.style.context(chart_style()):
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


def _set_alt(fig: Figure, text: str) -> None:
    setattr(fig, _ALT_ATTR, curly(text))


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """Render a chart to PNG under the package style (150 dpi).

    Returns:
        PNG file contents. Identical inputs give identical bytes (no timestamps).
    """
    buffer = io.BytesIO()
    with mpl.style.context(chart_style()):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _t(text) -> str:
    """Chart text: curly quotes, and dollar signs escaped so matplotlib never reads a data
    string as mathtext ("$200 million to $700 million" would become a formula)."""
    return curly(str(text)).replace("$", r"\$")


# --- sources ----------------------------------------------------------------------------


def _day(when) -> str:
    when = pd.Timestamp(when)
    return f"{when.day} {when:%B %Y}"


def _articles(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources rows of the articles ``figures`` cite, oldest first.

    Raises:
        ValueError: a row has no ``source`` or one that ``sources`` does not register.
    """
    if "source" not in figures.columns:
        raise ValueError("source line: figures lack a 'source' column")
    for column in ("key", "outlet", "published"):
        if column not in sources.columns:
            raise ValueError(f"source line: sources lack a {column!r} column")
    keys = list(dict.fromkeys(figures["source"]))
    known = set(sources["key"])
    unknown = [k for k in keys if pd.isna(k) or k not in known]
    if unknown:
        raise ValueError(f"source line: figures cite source key {unknown[0]!r}, which the sources do not register")
    used = sources[sources["key"].isin(keys)].drop_duplicates("key")
    return used.sort_values(["published", "outlet"], kind="stable")


def outlet_credit(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Return the outlets and dates of the articles ``figures`` cite, e.g.
    ``Harbour Post, 14 November 2024`` or ``A, 1 May 2025; B, 3 May 2025`` (oldest first; one
    outlet's several articles as ``A, 1 May 2025 and 3 May 2025``).

    Args:
        figures: rows with a ``source`` column (keys into ``sources``).
        sources: one row per article: ``key, outlet`` str, ``published`` datetime64[ns].

    Raises:
        ValueError: a row's ``source`` is missing or not registered in ``sources``.
    """
    by_outlet: dict[str, list[str]] = {}
    for r in _articles(figures, sources).itertuples(index=False):
        dates = by_outlet.setdefault(r.outlet, [])
        if _day(r.published) not in dates:
            dates.append(_day(r.published))
    return "; ".join(f"{outlet}, {' and '.join(dates)}" for outlet, dates in by_outlet.items())


def source_line(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Return the source line of a chart of ``figures``: ``Source: <outlet>, <d Month yyyy>;
    figures as quoted``, or ``Sources: A, …; B, …; figures as quoted`` for several outlets.

    Only the outlets of the rows given are named. Raises as :func:`outlet_credit`.
    """
    credit = outlet_credit(figures, sources)
    several = len(_articles(figures, sources)["outlet"].unique()) > 1
    return f"Source{'s' if several else ''}: {credit}; figures as quoted"


def _outlets(frame: pd.DataFrame, sources: pd.DataFrame | None) -> list[str | None]:
    if sources is None or "source" not in frame.columns:
        return [None] * len(frame)
    names = dict(zip(sources["key"], sources["outlet"]))
    return [names.get(k) for k in frame["source"]]


# --- numbers in words ---------------------------------------------------------------------


def _size(r) -> float:
    """A figure's place for ranking: its value, else the middle of its bounds, else a bound."""
    if pd.notna(r.value):
        return float(r.value)
    if pd.notna(r.lower) and pd.notna(r.upper):
        return math.sqrt(r.lower * r.upper) if r.lower > 0 else (r.lower + r.upper) / 2
    return float(r.lower if pd.notna(r.lower) else r.upper)


def _largest(frame: pd.DataFrame, limit: int, what: str) -> tuple[pd.DataFrame, str]:
    """Keep the ``limit`` largest rows (in their order) and the note that says what was left out."""
    if len(frame) <= limit:
        return frame, ""
    size = pd.Series([_size(r) for r in frame.itertuples(index=False)], index=frame.index)
    keep = size.sort_values(ascending=False, kind="stable").index[:limit]
    note = f"Showing the {limit} largest of {len(frame):,} {what}; the other {len(frame) - limit:,} are not drawn."
    return frame.loc[sorted(keep)], note


# --- layout -------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: dataframe lacks column(s) {', '.join(missing)}")
    if frame.empty:
        raise ValueError(f"{what}: dataframe has no rows to chart")


def _footer(source: str, note: str = "") -> list[str]:
    lines = textwrap.wrap(note, 125) + textwrap.wrap(source, 135)
    return [_t(line) for line in lines]


def _marks_of(frame: pd.DataFrame) -> list[str]:
    """The qualifiers' marks of the rows, in row order, each once (the legend's entries)."""
    return list(dict.fromkeys(QUALIFIERS[q].mark for q in frame["qualifier"]))


def _rows_for(entries: int, ncol: int = 3) -> int:
    return max(1, math.ceil(entries / ncol))


def _bottom_in(source: str, note: str, legend_rows: int = 1) -> float:
    return 0.35 + 0.24 * legend_rows + _LINE_IN * len(_footer(source, note)) + 0.25


def _frame(
    n_rows: float, title: str, subtitle: str, source: str, *, note: str = "", legend_rows: int = 1, left: float = 0.31
) -> tuple[Figure, mpl.axes.Axes]:
    bottom_in = _bottom_in(source, note, legend_rows)
    height = _TOP_IN + _ROW_IN * n_rows + bottom_in
    fig = Figure(figsize=(8, height))
    ax = fig.add_subplot()
    fig.subplots_adjust(left=left, right=0.95, top=1 - _TOP_IN / height, bottom=bottom_in / height)
    _header(fig, title, subtitle, source, note)
    return fig, ax


def _header(fig: Figure, title: str, subtitle: str, source: str, note: str = "") -> None:
    height = fig.get_figheight()
    fig.text(0.01, 1 - 0.22 / height, _t(title), fontsize=13, fontweight="bold", va="top")
    fig.text(0.01, 1 - 0.55 / height, _t(subtitle), fontsize=10, color=MUTED, va="top")
    lines = _footer(source, note)
    fig.text(0.01, 0.08 / height, "\n".join(lines), fontsize=8, color=MUTED, va="bottom", linespacing=1.25)


def _legend(fig: Figure, handles: list, source: str, note: str, *, ncol: int = 3, x: float = 0.01, **kw) -> None:
    lift = 0.12 + _LINE_IN * len(_footer(source, note)) + 0.08
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(x, lift / fig.get_figheight()),
        ncol=max(1, min(len(handles), ncol)),
        **({"handlelength": 2.2} | kw),
    )


def _row_label(row, outlet: str | None = None, width: int = 30, max_lines: int = 4) -> str:
    """The measure and whom it is credited to, wrapped to fit the left margin; beyond
    ``max_lines`` lines the text is cut with an ellipsis (the alt text and the tables
    keep it whole)."""
    who = row.attribution if isinstance(row.attribution, str) and row.attribution else None
    credit = f"(attributed to {who})" if who else f"(stated by {outlet or 'the outlet'})"
    credit_lines = textwrap.wrap(credit, width)[:2]
    measure_lines = textwrap.wrap(row.measure, width) or [""]
    keep = max(1, max_lines - len(credit_lines))
    if len(measure_lines) > keep:
        measure_lines = measure_lines[:keep]
        measure_lines[-1] = textwrap.shorten(measure_lines[-1] + " \u2026", width, placeholder=" \u2026")
    if len(textwrap.wrap(credit, width)) > 2:
        credit_lines[-1] = textwrap.shorten(credit_lines[-1] + " \u2026)", width, placeholder=" \u2026)")
    return _t("\n".join(measure_lines + credit_lines))


# --- log axes -----------------------------------------------------------------------------

_PAD = 1.6  # a log axis runs this factor past the data on each side, no further
_ARROW = 0.13  # an open bound's arrow is this share of the axis


def _log_ticks(lo: float, hi: float) -> list[float]:
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for steps, enough in (((1,), 3), ((1, 2, 5), 2), ((1, 1.5, 2, 3, 5, 7), 1)):
        ticks = [m * 10**k for k in range(k0, k1 + 1) for m in steps if lo <= m * 10**k <= hi]
        if len(ticks) >= enough:
            return ticks
    return ticks


def _percent_ticks() -> FuncFormatter:
    """Percent tick labels that say the tick's value: ``30%``, ``32.5%`` (never rounded to
    a neighbour's label)."""
    return FuncFormatter(lambda x, _p=None: f"{round(x, 6):g}%")


def _tick_text(ticks: list[float], unit: str = "") -> FuncFormatter:
    """One style for every tick of an axis: digits (``100,000``, ``1,000,000``) unless a
    tick reaches ten million, then words for all (``100 thousand``, ``10 million``)."""
    words = max(ticks, default=0) >= 1e7 or is_currency(unit)

    def fmt(x, _pos=None):
        if unit == "percent":
            return _percent_ticks()(x)
        if not words:
            return f"{x:,.0f}"
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
            if abs(x) >= size:
                return f"{x / size:g} {word}"
        return f"{x:g}"

    return FuncFormatter(fmt)


def _fit_log_axis(ax, rows: list, unit: str = "") -> float:
    """Fit a log axis to the rows' numbers and their bounds' arrows; return the arrow factor."""
    numbers = [x for r in rows for x in (r.value, r.lower, r.upper) if pd.notna(x)]
    lo, hi = min(numbers), max(numbers)
    factor = (max(hi / lo, 10) * _PAD**2) ** _ARROW
    marks = [QUALIFIERS[r.qualifier].mark for r in rows]
    tips_hi = [r.lower * factor for r, m in zip(rows, marks) if m == "floor"]
    tips_lo = [r.upper / factor for r, m in zip(rows, marks) if m == "ceiling"]
    left, right = min([lo, *tips_lo]) / _PAD, max([hi, *tips_hi]) * _PAD
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ticks = _log_ticks(left, right)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_tick_text(ticks, unit))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(len(rows) - 0.4, -0.6)
    return factor


def _fraction(ax, x: float) -> float:
    left, right = ax.get_xlim()
    return (math.log(x) - math.log(left)) / (math.log(right) - math.log(left))


# --- marks --------------------------------------------------------------------------------

#: Legend entries for the article's figures, keyed by QUALIFIERS[q].mark.
_MARK_LABELS = {
    "point": "figure as printed",
    "approx": "approximate figure",
    "floor": "lower bound: at least this many",
    "ceiling": "upper bound: at most this many",
    "just_under": "nearly: just under this many",
    "span": "range or vague magnitude",
}


def _mark_handle(mark: str, vertical: bool = False):
    label = _MARK_LABELS[mark]
    if mark == "point":
        return Line2D([], [], ls="", marker="o", color=ACCENT, ms=8, label=label)
    if mark == "approx":
        return Line2D([], [], ls="", marker="o", mfc="white", mec=ACCENT, mew=2, ms=8, label=label)
    if mark in ("floor", "ceiling"):
        return Line2D([], [], ls=(0, (3, 2)), marker="o", color=ACCENT, ms=7, label=label)
    if mark == "just_under":
        return Line2D([], [], ls="", marker="^" if vertical else ">", color=ACCENT, ms=7, label=label)
    return Patch(facecolor=ACCENT_LIGHT, hatch="////", edgecolor=ACCENT, linewidth=0, label=label)


def _draw_quoted(ax, y: float, r, factor: float) -> tuple[str, float, float]:
    """Draw one quoted figure on a horizontal log axis as what its qualifier says it is.

    Returns:
        ``(mark, left, right)``: the qualifier's mark and the x extent of what was drawn.
    """
    mark = QUALIFIERS[r.qualifier].mark
    dashed = dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0, shrinkB=0)
    if mark == "span":
        ax.barh(
            y,
            r.upper - r.lower,
            left=r.lower,
            height=0.34,
            color=ACCENT_LIGHT,
            hatch="////",
            edgecolor=ACCENT,
            linewidth=0,
        )
        ax.plot([r.lower, r.upper], [y, y], "|", color=ACCENT, ms=14, mew=1.5)
        return mark, r.lower, r.upper
    if mark == "floor":
        ax.annotate("", xy=(r.lower * factor, y), xytext=(r.lower, y), arrowprops=dashed)
        ax.plot(r.lower, y, "o", color=ACCENT, ms=9)
        return mark, r.lower, r.lower * factor
    if mark == "ceiling":
        ax.annotate("", xy=(r.upper / factor, y), xytext=(r.upper, y), arrowprops=dashed)
        ax.plot(r.upper, y, "o", color=ACCENT, ms=9)
        return mark, r.upper / factor, r.upper
    if mark == "just_under":
        # Just under N: a short pointer stopping short of a tick at N, never an open arrow.
        ax.plot(r.upper, y, "|", color=ACCENT, ms=16, mew=1.6)
        ax.plot(r.upper / factor**0.12, y, ">", color=ACCENT, ms=8)
        return mark, r.upper / factor**0.12, r.upper
    if mark == "approx":
        ax.plot(r.value, y, "o", ms=10, mfc="white", mec=ACCENT, mew=2.2)
        return mark, r.value, r.value
    ax.plot(r.value, y, "o", color=ACCENT, ms=9)
    return mark, r.value, r.value


def _label_below(ax, y: float, left: float, right: float, text: str) -> None:
    """Label a mark under it, starting at its left end, or ending at its right end when it
    sits in the right part of the axis (so the label never runs off the chart). The label
    is backed with the page's white, so that a gridline stops short of its letters."""
    right_side = _fraction(ax, left) > 0.6
    ax.annotate(
        _t(text),
        (right if right_side else left, y),
        xytext=(0, -14),
        textcoords="offset points",
        ha="right" if right_side else "left",
        va="top",
        fontsize=9.5,
        color=INK,
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
    )


def _quoted_panel(ax, frame: pd.DataFrame, sources, unit: str) -> tuple[list[str], list[str]]:
    """Draw figures one per row on a fitted log axis; return the marks in order and the alt-text parts."""
    rows = list(frame.itertuples(index=False))
    outlets = _outlets(frame, sources)
    factor = _fit_log_axis(ax, rows, unit)
    ax.set_yticks(range(len(rows)), [_row_label(r, o) for r, o in zip(rows, outlets)])
    marks, described = [], []
    for y, (r, outlet) in enumerate(zip(rows, outlets)):
        mark, left, right = _draw_quoted(ax, y, r, factor)
        if mark not in marks:
            marks.append(mark)
        label = figure_label(r)
        _label_below(ax, y, left, right, label)
        who = r.attribution if isinstance(r.attribution, str) and r.attribution else outlet
        described.append(f"{r.measure}: {label}" + (f" ({who})" if who else ""))
    return marks, described


def _numbers_ok(frame: pd.DataFrame, what: str) -> None:
    for r in frame.itertuples(index=False):
        numbers = [x for x in (r.value, r.lower, r.upper) if pd.notna(x)]
        if not numbers or min(numbers) <= 0:
            raise ValueError(f"{what}: every figure needs a positive value or bound for the log scale ({r.measure!r})")


_QUOTED_COLUMNS = ["measure", "value", "lower", "upper", "unit", "qualifier", "attribution"]


@_styled
def counts_chart(
    figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None, max_rows: int = MAX_ROWS
) -> Figure:
    """Chart counts (unit ``people`` or ``count``) on one log scale, each drawn as what its
    qualifier says it is (:data:`newsfigures.core.qualifiers.QUALIFIERS` ``mark``).

    A number as printed is a dot; "about" a hollow dot; a lower bound a dot with a dashed
    arrow to larger values (an upper bound, the other way); "nearly" a pointer stopping
    just under a tick at the number; a range or vague magnitude a hatched band over its
    bounds. Nothing is a bar from zero, which would claim a precision the article lacks.

    Args:
        figures: figure sheet rows (``measure, value, lower, upper, unit, qualifier,
            attribution, source``); rows of other units are left out. Drawn smallest first.
        sources: the story's sources (``key, outlet, published``), for the source line.
        title: the chart title; default a generic one.
        max_rows: draw at most this many figures, the largest; a note counts the rest.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, no row is a count, a figure has no positive
            number, or a row's source is not registered.
    """
    _require(figures, _QUOTED_COLUMNS + ["source"], "counts_chart")
    counts = figures[figures["unit"].isin(COUNT_UNITS)]
    if counts.empty:
        raise ValueError("counts_chart: no figures with unit 'people' or 'count' to chart")
    _numbers_ok(counts, "counts_chart")
    counts, note = _largest(counts, max_rows, "counts")
    size = pd.Series([_size(r) for r in counts.itertuples(index=False)], index=counts.index)
    counts = counts.loc[size.sort_values(kind="stable").index]
    source = source_line(counts, sources)
    people = (counts["unit"] == "people").all()
    fig, ax = _frame(
        len(counts),
        title or "The numbers quoted, on one scale",
        f"Number of {'people' if people else 'people or things'}, log scale, as quoted",
        source,
        note=note,
        legend_rows=_rows_for(len(_marks_of(counts))),
    )
    marks, described = _quoted_panel(ax, counts, sources, "")
    _legend(fig, [_mark_handle(m) for m in marks], source, note)
    _set_alt(
        fig,
        "Chart on a logarithmic scale of counts as quoted. "
        + "; ".join(described)
        + "."
        + (f" {note}" if note else ""),
    )
    return fig


@_styled
def money_chart(
    figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None, max_rows: int = MAX_ROWS
) -> Figure:
    """Chart sums of money on log scales, one panel per currency (ISO 4217 code in ``unit``);
    currencies are never mixed on one axis. Marks as in :func:`counts_chart`.

    Args:
        figures: figure sheet rows; rows whose unit is not a three-letter currency code are
            left out. Panels in order of first appearance, rows smallest first.
        sources: the story's sources, for the source line.
        title: the chart title; default a generic one.
        max_rows: draw at most this many figures in all (the largest in each currency first).

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, no row is money, an amount is not positive, or a
            row's source is not registered.
    """
    _require(figures, _QUOTED_COLUMNS + ["source"], "money_chart")
    money = figures[[is_currency(u) for u in figures["unit"]]]
    if money.empty:
        raise ValueError("money_chart: no figures in a currency (ISO 4217 code) to chart")
    _numbers_ok(money, "money_chart")
    note = ""
    if len(money) > max_rows:
        size = pd.Series([_size(r) for r in money.itertuples(index=False)], index=money.index)
        rank = size.groupby(money["unit"]).rank(ascending=False, method="first")
        keep = rank.sort_values(kind="stable").index[:max_rows]
        note = f"Showing {max_rows} of {len(money):,} sums of money; the other {len(money) - max_rows:,} are not drawn."
        money = money.loc[sorted(keep)]
    currencies = list(dict.fromkeys(money["unit"]))
    panels = []
    for code in currencies:
        rows = money[money["unit"] == code]
        size = pd.Series([_size(r) for r in rows.itertuples(index=False)], index=rows.index)
        panels.append(rows.loc[size.sort_values(kind="stable").index])
    source = source_line(money, sources)
    bottom_in = _bottom_in(source, note, _rows_for(len(_marks_of(money))))
    gap_in = 0.75
    plot_in = sum(_ROW_IN * len(p) for p in panels) + gap_in * (len(panels) - 1)
    height = _TOP_IN + plot_in + bottom_in
    fig = Figure(figsize=(8, height))
    grid = fig.add_gridspec(len(panels), 1, height_ratios=[len(p) for p in panels], hspace=gap_in / (_ROW_IN * 1.5))
    fig.subplots_adjust(left=0.31, right=0.95, top=1 - _TOP_IN / height, bottom=bottom_in / height)
    _header(
        fig,
        title or "The sums of money quoted",
        "Amount in each currency as quoted, log scale; one panel per currency",
        source,
        note,
    )
    marks, described = [], []
    for i, (code, panel) in enumerate(zip(currencies, panels)):
        ax = fig.add_subplot(grid[i])
        kinds, parts = _quoted_panel(ax, panel, sources, code)
        ax.set_xlabel(_t(f"{code}, log scale"), fontsize=8.5, loc="right")
        marks += [k for k in kinds if k not in marks]
        described.append(f"in {code}: " + "; ".join(parts))
    _legend(fig, [_mark_handle(m) for m in marks], source, note)
    _set_alt(
        fig,
        "Chart on logarithmic scales, one per currency, of sums of money as quoted. "
        + "; ".join(described)
        + "."
        + (f" {note}" if note else ""),
    )
    return fig


@_styled
def shares_chart(
    figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None, max_rows: int = MAX_ROWS
) -> Figure:
    """Chart percent figures as parts of a whole: each bar is 100%, split into the quoted
    share (red) and the rest (grey). A range is a hatched band between its bounds.

    Args:
        figures: figure sheet rows; rows whose unit is not ``percent`` are left out, and
            so are shares outside 0-100 (not parts of a whole), counted in a note. One bar
            per row, in frame order.
        sources: the story's sources, for the source line.
        title: the chart title; default a generic one.
        max_rows: draw at most this many bars (the largest shares).

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing, or no percent figure lies between 0 and 100.
    """
    _require(figures, _QUOTED_COLUMNS + ["source"], "shares_chart")
    shares = figures[figures["unit"] == "percent"]
    if shares.empty:
        raise ValueError("shares_chart: no figures with unit 'percent' to chart")
    inside = shares[["value", "lower", "upper"]].apply(lambda c: c.isna() | c.between(0, 100)).all(axis=1)
    inside &= shares[["value", "lower", "upper"]].notna().any(axis=1)
    notes = []
    if not inside.any():
        raise ValueError("shares_chart: shares must lie between 0 and 100 percent")
    if not inside.all():
        n = int((~inside).sum())
        notes.append(f"{n} percent figure{'s' if n > 1 else ''} outside 0-100% (not part of a whole) not drawn.")
    shares, capped = _largest(shares[inside], max_rows, "shares")
    notes += [capped] if capped else []
    note = " ".join(notes)
    source = source_line(shares, sources)
    rows = list(shares.itertuples(index=False))
    outlets = _outlets(shares, sources)
    fig, ax = _frame(
        len(rows),
        title or "The shares quoted, each of its whole",
        "Share of the whole, %, as quoted",
        source,
        note=note,
    )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(_percent_ticks())
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_yticks(range(len(rows)), [_row_label(r, o) for r, o in zip(rows, outlets)])
    ax.grid(False)
    described, spans = [], False
    for y, r in enumerate(rows):
        solid = r.lower if r.qualifier in ("range", "magnitude") else (r.value if pd.notna(r.value) else r.upper)
        ax.barh(y, solid, height=0.55, color=ACCENT)
        end = solid
        if r.qualifier in ("range", "magnitude"):
            ax.barh(
                y,
                r.upper - r.lower,
                left=r.lower,
                height=0.55,
                color=ACCENT_LIGHT,
                hatch="////",
                edgecolor=ACCENT,
                linewidth=0,
            )
            end, spans = r.upper, True
        ax.barh(y, 100 - end, left=end, height=0.55, color=REST)
        label = figure_label(r)
        if solid >= 18:
            ax.text(solid - 1.5, y, _t(label), ha="right", va="center", color="white", fontsize=10.5, fontweight="bold")
        else:
            ax.annotate(
                _t(label),
                (end, y),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=10,
                color=ACCENT,
                fontweight="bold",
            )
        if 100 - end >= 22:
            rest = format_number(round(100 - end, 10), "percent")
            ax.text(98.5, y, f"the rest {rest}", ha="right", va="center", color="#444444", fontsize=9)
        described.append(f"{r.measure}: {label}")
    ax.axvline(50, color="white", lw=1.2, ls=(0, (2, 2)))
    handles = [Patch(color=ACCENT, label="the share quoted")]
    if spans:
        handles.append(
            Patch(facecolor=ACCENT_LIGHT, hatch="////", edgecolor=ACCENT, linewidth=0, label="range of the share")
        )
    handles.append(Patch(color=REST, label="the rest of the whole"))
    _legend(fig, handles, source, note, x=0.3)
    _set_alt(
        fig,
        "Bars of 100 percent, each split into the share quoted and the rest. "
        + "; ".join(described)
        + "."
        + (f" {note}" if note else ""),
    )
    return fig


# --- estimates over time ------------------------------------------------------------------


def _extent(r, arrow: float, top: float) -> tuple[float, float]:
    """The lowest and highest y an estimate's mark covers on the series chart."""
    mark = QUALIFIERS[r.qualifier].mark
    if mark == "span":
        return r.lower, r.upper
    if mark == "floor":
        return r.lower, r.lower + arrow
    if mark == "ceiling":
        return r.upper - arrow, r.upper
    if mark == "just_under":
        return r.upper - top * 0.04, r.upper
    return r.value, r.value


def _who(r, outlet: str | None) -> str:
    if isinstance(r.attribution, str) and r.attribution:
        return r.attribution
    return outlet or "the outlet"


@_styled
def series_chart(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    measure: str | None = None,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
) -> Figure:
    """Chart one series of estimates over time, like a tracker of war-dead estimates:
    x is the date an estimate refers to (``as_of``), y the number, one mark per estimate,
    its bounds drawn as what they are (a floor arrow up for "at least", a bar for a range,
    a hollow dot for "about", a pointer just under a tick for "nearly"), each labelled with
    who gave it (the attribution, else the outlet).

    Args:
        figures: figure sheet rows; the series are found by :func:`estimate_series`.
        sources: the story's sources (``key, outlet, published``).
        measure: which series (its measure); default the only one.
        title: the chart title; default the measure.
        max_rows: draw at most this many estimates, the latest.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).
        Units: the series' unit, on a linear axis from zero.

    Raises:
        ValueError: no series, several and no ``measure`` named, an unknown measure, mixed
            units, or a row's source not registered.
    """
    _require(figures, _QUOTED_COLUMNS + ["source", "as_of"], "series_chart")
    series = estimate_series(figures)
    names = list(dict.fromkeys(series["series"]))
    if not names:
        raise ValueError("series_chart: no measure has several estimates (by date or source) to draw as a series")
    if measure is None:
        if len(names) > 1:
            raise ValueError(f"series_chart: several series; pass measure= one of: {', '.join(map(repr, names))}")
        measure = names[0]
    chosen = series[series["series"].str.strip().str.casefold() == str(measure).strip().casefold()]
    if chosen.empty:
        raise ValueError(f"series_chart: no series with measure {measure!r} (series: {', '.join(map(repr, names))})")
    units = list(dict.fromkeys(chosen["unit"]))
    if len(units) > 1:
        raise ValueError(f"series_chart: series {measure!r} mixes units {', '.join(units)}")
    unit = units[0]
    note = ""
    if len(chosen) > max_rows:
        left_out = len(chosen) - max_rows
        note = f"Showing the latest {max_rows} of {len(chosen):,} estimates; the other {left_out:,} are not drawn."
        chosen = chosen.iloc[-max_rows:]
    source = source_line(chosen, sources)
    rows = list(chosen.itertuples(index=False))
    outlets = _outlets(chosen, sources)
    name = chosen["series"].iloc[0]
    what = {"people": "Number of people", "percent": "Per cent", "count": "Number"}.get(unit, unit)
    fig, ax = _frame(
        4.2,
        title or _sentence_case(name),
        f"{what}; one mark per estimate, at the date it refers to",
        source,
        note=note,
        left=0.1,
        legend_rows=_rows_for(len(_marks_of(chosen))),
    )
    fig.subplots_adjust(right=0.93)

    numbers = [x for r in rows for x in (r.value, r.lower, r.upper) if pd.notna(x)]
    top = max(numbers) * 1.18
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(_tick_text([top], unit))
    ax.grid(True, axis="y")
    ax.grid(False, axis="x")
    dates = [pd.Timestamp(r.as_of) for r in rows]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 14)
    # Estimates of one date stand side by side, a little apart, rather than on top of each other.
    seen: dict[pd.Timestamp, int] = {}
    count = {d: dates.count(d) for d in dates}
    xs, sides = [], []
    for d in dates:
        i = seen[d] = seen.get(d, -1) + 1
        xs.append(mdates.date2num(d) + (i - (count[d] - 1) / 2) * span * 0.06)
        # Of estimates side by side, the left ones are labelled on their left.
        sides.append(count[d] > 1 and i < (count[d] - 1) / 2)
    ax.set_xlim(mdates.date2num(first) - span * 0.12, mdates.date2num(last) + span * 0.12)
    one_year = first.year == last.year
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6 if one_year else 5))
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda x, _p: (lambda d: f"{d.day} {d:%b}" + ("" if one_year else f" {d:%Y}"))(mdates.num2date(x))
        )
    )
    if one_year:
        ax.set_xlabel(str(first.year), fontsize=9, loc="right")

    arrow = top * 0.1
    dashed = dict(arrowstyle="-|>", color=ACCENT, lw=1.8, linestyle=(0, (3, 2)), shrinkA=0, shrinkB=0)
    marks, described = [], []
    axis_w = 8 * 0.83
    axis_h = 4.2 * _ROW_IN
    x0, x1 = ax.get_xlim()
    # Labels keep clear of every mark and of the labels placed before them.
    boxes = []
    for x, r in zip(xs, rows):
        low, high = _extent(r, arrow, top)
        fx = (x - x0) / (x1 - x0)
        boxes.append((fx - 0.0125, low / top - 0.02, fx + 0.0125, high / top + 0.02))
    for x, r, outlet, d, on_left in zip(xs, rows, outlets, dates, sides):
        mark = QUALIFIERS[r.qualifier].mark
        if mark not in marks:
            marks.append(mark)
        if mark == "span":
            ax.plot([x, x], [r.lower, r.upper], color=ACCENT_LIGHT, lw=7, solid_capstyle="butt")
            ax.plot([x, x], [r.lower, r.upper], "_", color=ACCENT, ms=14, mew=1.6)
            low, high = r.lower, r.upper
        elif mark == "floor":
            ax.annotate("", xy=(x, r.lower + arrow), xytext=(x, r.lower), arrowprops=dashed)
            ax.plot(x, r.lower, "o", color=ACCENT, ms=8)
            low, high = r.lower, r.lower + arrow
        elif mark == "ceiling":
            ax.annotate("", xy=(x, r.upper - arrow), xytext=(x, r.upper), arrowprops=dashed)
            ax.plot(x, r.upper, "o", color=ACCENT, ms=8)
            low, high = r.upper - arrow, r.upper
        elif mark == "just_under":
            ax.plot(x, r.upper, "_", color=ACCENT, ms=16, mew=1.6)
            ax.plot(x, r.upper - top * 0.025, "^", color=ACCENT, ms=8)
            low, high = r.upper - top * 0.04, r.upper
        elif mark == "approx":
            ax.plot(x, r.value, "o", ms=10, mfc="white", mec=ACCENT, mew=2.2)
            low = high = r.value
        else:
            ax.plot(x, r.value, "o", color=ACCENT, ms=8)
            low = high = r.value
        who, label = _who(r, outlet), figure_label(r)
        # Place the label beside its mark, on the side with room, clear of labels placed before.
        fx = (x - x0) / (x1 - x0)
        width = max(len(who), len(label)) * 0.075 / axis_w
        height = 0.4 / axis_h
        right = fx < 0.62 and not on_left
        if not right and fx - 0.02 - width < 0:
            right = True
        bx = fx + 0.02 if right else fx - 0.02 - width
        centre = ((low + high) / 2) / top
        for step in range(40):
            shift = (step + 1) // 2 * (height / 2) * (1 if step % 2 else -1)
            by = min(max(centre + shift - height / 2, 0.0), 1 - height)
            if not any(bx < b[2] and b[0] < bx + width and by < b[3] and b[1] < by + height for b in boxes):
                break
        boxes.append((bx, by, bx + width, by + height))
        ax.annotate(
            f"{_t(who)}\n{_t(label)}",
            (bx if right else bx + width, by + height / 2),
            xycoords="axes fraction",
            ha="left" if right else "right",
            va="center",
            fontsize=9,
            color=INK,
            linespacing=1.2,
        )
        if abs(by + height / 2 - centre) > height * 0.6:
            ax.annotate(
                "",
                ((x - x0) / (x1 - x0), centre),
                xycoords="axes fraction",
                xytext=(bx if right else bx + width, by + height / 2),
                textcoords="axes fraction",
                arrowprops=dict(arrowstyle="-", color=GREY, lw=0.8, shrinkA=2, shrinkB=6),
            )
        described.append(f"{_day(d)}, {label} ({who})")
    _legend(fig, [_mark_handle(m, vertical=True) for m in marks], source, note)
    _set_alt(
        fig,
        f"Chart of {len(rows)} estimates of {name} over time, one mark per estimate at its date: "
        + "; ".join(described)
        + "."
        + (f" {note}" if note else ""),
    )
    return fig


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------
# Reference data: a group's members' shares and armed forces, from World Bank WDI.

_WDI = "World Bank, World Development Indicators"


def wdi_source(release: str | None = None, extra: str = "") -> str:
    """Return the source line for charts of WDI data (CC BY 4.0 attribution).

    Args:
        release: the WDI release shown (``YYYY-MM-DD``); None when several are.
        extra: text appended, e.g. ``"article figures: " + outlet_credit(figures, sources)``.
    """
    text = f"Source: {_WDI}" + (f" (release {release})" if release else "") + ", CC BY 4.0"
    return text + (f"; {extra}" if extra else "")


#: Member fills: each cohort a family, each member a distinct lightness, so the bars read
#: in greyscale; the second cohort is also striped and an invitee hatched. Red is kept for
#: the article's figures.
_COHORT_FILLS = {
    1: ["#0d2b4a", "#2f6aa6", "#6f9fd1", "#a9c6e6", "#d6e4f3"],
    2: ["#6e5410", "#a88224", "#d3ae55", "#ecd59a", "#f6ebcc"],
}


def _member_styles(breakdown: pd.DataFrame) -> dict[str, dict]:
    styles, used = {}, {1: 0, 2: 0}
    for r in breakdown.drop_duplicates("iso3").itertuples(index=False):
        if r.cohort >= 3:
            styles[r.iso3] = dict(facecolor="white", edgecolor=MUTED, hatch="////", linewidth=0.8)
            continue
        fills = _COHORT_FILLS[r.cohort]
        colour = fills[used[r.cohort] % len(fills)]
        used[r.cohort] += 1
        styles[r.iso3] = dict(facecolor=colour, edgecolor="white", linewidth=0.8)
        if r.cohort == 2:
            # Stripes, not dots: a dot hatch is hundreds of tiny circles per bar, which
            # made this one chart a third of the PDF's rendering time.
            styles[r.iso3]["hatch"] = "---"
    return styles


def _dark(colour: str) -> bool:
    red, green, blue = mpl.colors.to_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue < 0.55


@_styled
def member_breakdown_chart(
    breakdown: pd.DataFrame,
    marks: pd.DataFrame | None = None,
    *,
    source: str,
    release: str | None = None,
    year: int | None = None,
    groups: dict[int, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Chart each member's part of a group's share of world population and GDP, stacked.

    One bar per indicator, the members stacked left to right by cohort (the first members,
    then later entrants striped, then any invitee that never confirmed, hatched), largest
    first within a cohort. A tick marks where the first cohort ends; the bar's end is the
    whole group. The article's figures, where given, are dashed red marks on their bars.

    Args:
        breakdown: tidy frame from :func:`newsfigures.reference.member_shares` (``iso3,
            country, status, cohort, indicator_code, measure, release, year, share_pct``).
        marks: optional :func:`newsfigures.reference.factcheck.article_marks` frame
            (``indicator_code, label, value``), percent.
        source: the source line, printed as given (e.g. built with :func:`wdi_source`).
        release, year: which release and year; default the newest release and its latest
            year with every indicator (:func:`newsfigures.reference.latest_complete_year`).
        groups: names of the groups ending with each cohort, e.g. ``{1: "G-5", 2:
            "G-9"}``; default ``first members`` and ``all members``.
        title: the chart title; default a generic one.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing or no rows match the release and year.
    """
    from newsfigures.reference.shares import latest_complete_year

    _require(
        breakdown,
        ["iso3", "country", "status", "cohort", "indicator_code", "measure", "release", "year", "share_pct"],
        "member_breakdown_chart",
    )
    names = {1: "first members", 2: "all members"} | (groups or {})
    if release is None or year is None:
        release, year = latest_complete_year(breakdown, release)
    rows = breakdown[(breakdown["release"] == release) & (breakdown["year"] == year)]
    if rows.empty:
        raise ValueError(f"member_breakdown_chart: no rows for release {release}, year {year}")
    indicators = list(dict.fromkeys(rows["indicator_code"]))
    if marks is not None:
        marks = marks[marks["indicator_code"].isin(indicators)]
    styles = _member_styles(rows)
    cohorts = sorted(rows["cohort"].unique())
    fig, ax = _frame(
        len(indicators),
        title or "Who makes up the group\u2019s share of the world",
        f"Share of the world total, %, {year}, by member; World Bank release {release}",
        source,
        legend_rows=len(cohorts),
    )
    totals = rows.groupby("indicator_code")["share_pct"].sum()
    top = max([totals.max()] + ([] if marks is None else list(marks["value"])))
    ax.set_xlim(0, math.ceil((top + 16) / 10) * 10)
    ax.xaxis.set_major_locator(FixedLocator(range(0, int(ax.get_xlim()[1]) + 1, 10)))
    ax.xaxis.set_major_formatter(_percent_ticks())
    # A row's labels (the first group's share, the article's figure) go under its bar,
    # so that the gap between two bars holds one row's labels, not one from each.
    ax.set_ylim(len(indicators) - 0.1, -0.5)
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
            style = styles[r.iso3]
            ax.barh(y, r.share_pct, left=left, height=0.5, **style)
            ink = "white" if _dark(style["facecolor"]) else INK
            if r.share_pct >= 6:
                ax.text(
                    left + r.share_pct / 2,
                    y,
                    f"{r.country}\n{r.share_pct:.1f}%",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=ink,
                    fontweight="bold",
                )
            elif r.share_pct >= 2.8 and r.cohort < 3:
                ax.text(left + r.share_pct / 2, y, r.iso3, ha="center", va="center", fontsize=7, color=ink)
            left += r.share_pct
            if r.cohort == 1:
                first = left
            elif r.cohort == 2:
                second = left
        whole = left
        end = [f"{names[2] if second else 'total'} {second or whole:.1f}%"]
        if second and whole - second > 1e-9:
            others = ", ".join(parts.loc[parts["cohort"] >= 3, "country"])
            end.append(f"with {others} {whole:.1f}%")
        mark_rows = marks[marks["indicator_code"] == indicator] if marks is not None else None
        reach = max([whole] + ([] if mark_rows is None else list(mark_rows["value"])))
        ax.annotate(
            _t("\n".join(end)), (reach, y), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8.5
        )
        # Under the bar, each label beside its own line: the leftmost ends at its line,
        # the others start at theirs, so two close values never overprint.
        under = []
        if first is not None:
            ax.plot([first, first], [y - 0.25, y + 0.36], color=INK, lw=1.4)
            under.append((first, f"{names[1]} {first:.1f}%", INK))
        mark_text = ""
        if mark_rows is not None:
            for m in mark_rows.itertuples(index=False):
                ax.plot([m.value, m.value], [y - 0.32, y + 0.36], color=ACCENT, lw=2.2, ls=(0, (2, 1.2)))
                under.append((m.value, f"article {m.label}", ACCENT))
                mark_text = f"; the article\u2019s figure is {m.label}"
        for i, (x, words, color) in enumerate(sorted(under, key=lambda u: u[0])):
            ends_at_line = i == 0 and len(under) > 1
            ax.annotate(
                _t(words),
                (x, y + 0.36),
                xytext=(-3 if ends_at_line else 3, -1),
                textcoords="offset points",
                ha="right" if ends_at_line else "left",
                va="top",
                fontsize=8,
                color=color,
            )
        big = parts.nlargest(2, "share_pct")
        described.append(
            f"{parts['measure'].iloc[0]}: {names[1]} {first or 0:.1f}%, whole group {whole:.1f}%, of which "
            + " and ".join(f"{r.country} {r.share_pct:.1f}%" for r in big.itertuples(index=False))
            + mark_text
        )
    # Legend: one row per cohort, members in the order of the first bar, read left to right.
    order = rows[rows["indicator_code"] == indicators[0]].drop_duplicates("iso3")
    titles = {1: names[1], 2: f"joined for {names[2]}" if 2 in names else "joined later"}
    grid = []
    for cohort in cohorts:
        members = order[order["cohort"] == cohort]
        statuses = list(dict.fromkeys(members["status"]))
        head = titles.get(cohort) or " or ".join(statuses)
        # A member's status is said beside it only where its row's head names several.
        entries = [Patch(facecolor="none", edgecolor="none", label=_t(head + ":"))] + [
            Patch(
                label=(f"{r.country} ({r.status})" if cohort not in titles and len(statuses) > 1 else r.country),
                **styles[r.iso3],
            )
            for r in members.itertuples(index=False)
        ]
        grid.append(entries)
    ncol = max(len(g) for g in grid)
    blank = lambda: Patch(facecolor="none", edgecolor="none", label=" ")  # noqa: E731
    grid = [g + [blank() for _ in range(ncol - len(g))] for g in grid]
    handles = [grid[r][c] for c in range(ncol) for r in range(len(grid))]  # matplotlib fills by column
    _legend(fig, handles, source, "", ncol=ncol, fontsize=8, handlelength=1.4, columnspacing=0.9)
    _set_alt(
        fig,
        f"Stacked bars of each member\u2019s share of the world in {year} (World Bank release {release}). "
        + "; ".join(described)
        + ".",
    )
    return fig


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


_PANEL_IN = 1.75


@_styled
def group_share_lines_chart(
    shares: pd.DataFrame,
    marks: pd.DataFrame | None = None,
    check: pd.DataFrame | None = None,
    *,
    source: str,
    title: str | None = None,
) -> Figure:
    """Chart each group's share of world over the years, one panel per measure.

    The newest WDI release is a solid line with dots, an earlier one a dashed line with
    open rings (a ring around a dot: the releases agree). Each panel ends at the last
    year every group has, and a note says which later years are left out. The article's
    figure is a dashed red line across its panel; the definition nearest to it is ringed.

    Args:
        shares: tidy frame from :func:`newsfigures.reference.group_shares` (``group,
            group_label, indicator_code, measure, release, year, share_pct``); panels in
            order of its indicators, lines in order of its groups.
        marks: optional :func:`newsfigures.reference.factcheck.article_marks` frame (percent rows).
        check: optional :func:`newsfigures.reference.factcheck.fact_check` frame; its ``closest``
            rows are ringed.
        source: the source line, printed as given (e.g. built with :func:`wdi_source`).
        title: the chart title; default a generic one.

    Returns:
        A :class:`~matplotlib.figure.Figure` (8 in wide) with alt text (:func:`alt_text`).

    Raises:
        ValueError: a column is missing or the frame is empty.
    """
    _require(
        shares,
        ["group", "group_label", "indicator_code", "measure", "release", "year", "share_pct"],
        "group_share_lines_chart",
    )
    indicators = list(dict.fromkeys(shares["indicator_code"]))
    groups = list(dict.fromkeys(shares["group"]))
    releases = sorted(shares["release"].dropna().unique(), reverse=True)
    # The style sheet's cycle: dark to light, so the lines part in greyscale, and never red.
    cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    colours = {g: cycle[i % len(cycle)] for i, g in enumerate(groups)}
    # Each panel ends at the newest release's last year that every group has.
    trimmed, ends_at = [], {}
    for indicator in indicators:
        newest = shares[(shares["indicator_code"] == indicator) & (shares["release"] == releases[0])]
        last = newest.groupby("group")["year"].max()
        common = int(last.min()) if len(last) == len(groups) else int(newest["year"].max())
        ends_at[indicator] = common
        extra = newest[newest["year"] > common]
        for group, years in extra.groupby("group", sort=False)["year"]:
            trimmed.append(f"{group} {', '.join(map(str, sorted(years)))} ({newest['measure'].iloc[0]})")
    note = "Each panel ends at the last year every group has; not drawn: " + "; ".join(trimmed) + "." if trimmed else ""
    bottom_in = _bottom_in(source, note, legend_rows=3)
    height = _TOP_IN + 0.2 + _PANEL_IN * len(indicators) + bottom_in
    fig = Figure(figsize=(8, height))
    axes = fig.subplots(len(indicators), 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(left=0.09, right=0.79, top=1 - (_TOP_IN + 0.2) / height, bottom=bottom_in / height, hspace=0.42)
    _header(
        fig,
        title or "The group\u2019s share of the world under each membership",
        "Share of the world total, %, by year; one panel per measure",
        source,
        note,
    )
    described = []
    for ax, indicator in zip(axes, indicators):
        rows = shares[(shares["indicator_code"] == indicator) & (shares["year"] <= ends_at[indicator])]
        ax.set_title(_sentence_case(rows["measure"].iloc[0]), loc="left", fontsize=10.5, fontweight="bold", pad=4)
        ends = []
        for group in groups:
            # The earlier release is drawn over the newest, as rings, so it shows where they agree.
            for release in releases:
                line = rows[(rows["group"] == group) & (rows["release"] == release)].sort_values("year")
                if line.empty:
                    continue
                newest = release == releases[0]
                ax.plot(
                    line["year"],
                    line["share_pct"],
                    color=colours[group],
                    lw=2.0 if newest else 1.1,
                    ls="-" if newest else (0, (3, 2)),
                    marker="o",
                    ms=3.5 if newest else 6.5,
                    mfc=colours[group] if newest else "none",
                    mew=1.0,
                    zorder=2 if newest else 3,
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
                described.append(f"the article\u2019s {m.label} drawn across the {rows['measure'].iloc[0]} panel")
        if check is not None:
            near = check[check["closest"] & (check["indicator_code"] == indicator)]
            for r in near.itertuples(index=False):
                ax.plot(r.year, r.recomputed, "o", ms=14, mfc="none", mec="#111111", mew=1.6, zorder=4)
                described.append(f"closest to the article: {r.group} {r.year}, {r.recomputed:.2f}%")
        # Steps of 1, 2 or 5 points (or tenths of them): whole labels on the usual spans.
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_formatter(_percent_ticks())
        low, high = ax.get_ylim()
        low, high = low - 0.5, high + 0.8
        ax.set_ylim(low, high)
        for y, text, colour, weight in _spread(ends, 0.09 * (high - low)):
            ax.annotate(
                _t(text),
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
    years = sorted(y for y in shares["year"].unique() if y <= max(ends_at.values()))
    axes[-1].set_xlim(years[0] - 0.5, years[-1] + 0.5)
    axes[-1].xaxis.set_major_locator(FixedLocator(years))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{int(x)}" if int(x) % 2 == 1 else ""))
    # The legend lists the groups top to bottom as their lines end in the first panel.
    first = shares[(shares["indicator_code"] == indicators[0]) & (shares["release"] == releases[0])]
    last = first[first["year"] <= ends_at[indicators[0]]].sort_values("year").groupby("group")["share_pct"].last()
    in_order = sorted(groups, key=lambda g: -last.get(g, -math.inf))
    handles = [
        Line2D([], [], color=colours[g], lw=2, label=_t(shares.loc[shares["group"] == g, "group_label"].iloc[0]))
        for g in in_order
    ]
    for i, release in enumerate(releases):
        handles.append(
            Line2D(
                [],
                [],
                color="#444444",
                lw=2.0 if i == 0 else 1.1,
                ls="-" if i == 0 else (0, (3, 2)),
                marker="o",
                ms=3.5 if i == 0 else 6.5,
                mfc="#444444" if i == 0 else "none",
                label=f"WDI release {release}",
            )
        )
    if marks is not None:
        handles.append(Line2D([], [], color=ACCENT, lw=1.3, ls=(0, (4, 2)), label="the article\u2019s figure"))
    if check is not None:
        handles.append(
            Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec="#111111", mew=1.6, label="closest to the article")
        )
    _legend(fig, handles, source, note, fontsize=8, handlelength=2.4)
    _set_alt(
        fig,
        "Line charts of each group\u2019s share of the world by year, one panel per measure. "
        + "; ".join(described)
        + "."
        + (f" {note}" if note else ""),
    )
    return fig


@_styled
def armed_forces_chart(
    comparison: pd.DataFrame, *, source: str, title: str | None = None, sources: pd.DataFrame | None = None
) -> Figure:
    """Chart armed forces personnel (WDI) beside the article's force sizes, on a log scale.

    WDI counts are dark squares; the article's figures are red, drawn as their qualifiers
    say, as in :func:`counts_chart`. A thin line separates the two kinds of rows.

    Args:
        comparison: frame from :func:`newsfigures.reference.armed_forces_comparison`
            (``kind, measure, qualifier, attribution, surface, year, value, lower, upper``),
            one row per mark, top to bottom. Units: people.
        source: the source line, printed as given (e.g. built with :func:`wdi_source`).
        title: the chart title; default a generic one.
        sources: the story's sources (``key, outlet``), to name the outlet of a figure
            with no attribution (by the comparison's ``source``); else "the outlet".

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
    comparison, note = _largest(comparison, MAX_ROWS, "rows")
    rows = list(comparison.itertuples(index=False))
    outlets = _outlets(comparison, sources)
    wdi_years = sorted({int(r.year) for r in rows if r.kind == "WDI" and pd.notna(r.year)})
    year_text = f"{wdi_years[-1]}" if len(wdi_years) == 1 else ", ".join(map(str, wdi_years))
    fig, ax = _frame(
        len(rows) * 0.7,
        title or "Armed forces beside the article\u2019s figures",
        f"Number of people, log scale; armed forces in {year_text} (latest WDI year) and the article\u2019s figures",
        source,
        note=note,
    )
    factor = _fit_log_axis(ax, rows)
    labels, kinds, described = [], [], []
    for y, r in enumerate(rows):
        if r.kind == "WDI":
            ax.plot(r.value, y, "s", color=DARK, ms=8)
            on_left = _fraction(ax, r.value) > 0.75
            ax.annotate(
                f"{r.value:,.0f}",
                (r.value, y),
                xytext=(-9 if on_left else 9, 0),
                textcoords="offset points",
                ha="right" if on_left else "left",
                va="center",
                fontsize=9,
            )
            labels.append(_t(textwrap.shorten(r.measure, 34, placeholder=" \u2026")))
            kind = "wdi"
            described.append(f"{r.measure} {r.value:,.0f} ({int(r.year)})")
        else:
            kind, left, right = _draw_quoted(ax, y, r, factor)
            label = figure_label(r)
            words = (
                f"\u201c{r.surface}\u201d: {label}"
                if isinstance(r.surface, str) and r.surface and r.surface not in label
                else label
            )
            on_left = _fraction(ax, right) > 0.6
            ax.annotate(
                _t(words),
                (left if on_left else right, y),
                xytext=(-12 if on_left else 12, 0),
                textcoords="offset points",
                ha="right" if on_left else "left",
                va="center",
                fontsize=9,
            )
            labels.append(_row_label(r, outlets[y], 28, max_lines=3))
            described.append(f"{r.measure}: {label}, as quoted")
        if kind not in kinds:
            kinds.append(kind)
    ax.set_yticks(range(len(rows)), labels)
    n_wdi = sum(r.kind == "WDI" for r in rows)
    if 0 < n_wdi < len(rows):
        ax.axhline(n_wdi - 0.5, color=GREY, lw=0.8)
    wdi = Line2D([], [], ls="", marker="s", color=DARK, ms=7, label=f"armed forces personnel, WDI ({year_text})")
    handles = [wdi if k == "wdi" else _mark_handle(k) for k in kinds]
    _legend(fig, handles, source, note, fontsize=8.5)
    _set_alt(
        fig,
        "Chart on a logarithmic scale of armed forces personnel from World Bank data beside "
        "the article\u2019s force sizes. " + "; ".join(described) + "." + (f" {note}" if note else ""),
    )
    return fig
