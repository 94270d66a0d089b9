"""Notebook display helpers: charts with alt text, escaped tables and sentences.

Everything here emits outputs whose text is HTML-escaped, because strings in a sheet
or article are untrusted: a measure named ``<script>…`` must show as text in the
report, and a ``$`` in a label must never be read as the start of mathematics (the
outputs are HTML, not Markdown, so nbconvert's maths parsing never sees them).
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import os
import re
from pathlib import Path

import pandas as pd

from newsfigures.core import paths
from newsfigures.core.figures import figure_label
from newsfigures.core.sources import cited, published_text
from newsfigures.core.typography import curly
from newsfigures.report.charts import _size, alt_text, chart_style
from newsfigures.report.fonts import FALLBACKS

#: The charts' text is set in the report's one family: DejaVu Sans (matplotlib's own font,
#: which the PDF embeds under the name "NF Sans"), then the PDF's fallback faces for what
#: DejaVu lacks (emoji, other scripts), then Verdana, DejaVu's metric twin, for screens.
CHART_FONTS = ", ".join(
    ["'NF Sans'", "'DejaVu Sans'", *(f"'{family}'" for family, _, _ in FALLBACKS), "Verdana", "sans-serif"]
)
#: The same stack without the fallbacks, for a text DejaVu covers: each family named costs
#: the PDF renderer a font lookup per text, a sixth of its time on the example report.
_CHART_FONTS_DEJAVU = "'NF Sans', 'DejaVu Sans', Verdana, sans-serif"


#: The font list matplotlib writes (chart_style's: DejaVu Sans, then the fallbacks).
_MPL_FONTS = re.compile(r"font-family: 'DejaVu Sans'[^;\"]*")


@functools.lru_cache(maxsize=1)
def _dejavu_chars() -> frozenset[int]:
    from matplotlib import font_manager

    return frozenset(font_manager.get_font(font_manager.findfont("DejaVu Sans")).get_charmap())


def _text_fonts(text: str) -> str:
    """The font stack for one chart text: the fallbacks only where DejaVu lacks a character."""
    covered = _dejavu_chars()
    return _CHART_FONTS_DEJAVU if all(ord(c) in covered for c in text if not c.isspace()) else CHART_FONTS


def _display(bundle: dict, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(bundle, raw=True, metadata=metadata or {})


def svg_text(fig) -> str:
    """Render a chart to an SVG element for embedding in HTML, its text kept as text.

    The element has ``role="img"``, a ``<title>`` holding the alt text and
    ``aria-labelledby`` pointing at it; no XML prolog or metadata; ids prefixed with a
    digest of the drawing, so that several charts can share one page; and the text set
    in :data:`CHART_FONTS`. The style sheet fixes ``svg.hashsalt`` and no date is
    written, so the same figure gives the same string.

    Raises:
        ValueError: the figure was not made by a newsfigures chart function.
    """
    import matplotlib as mpl

    alt = curly(alt_text(fig))
    buffer = io.BytesIO()
    with mpl.style.context(chart_style()):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"(url\(#|xlink:href=\"#|href=\"#)", lambda m: m.group(1) + prefix, svg)

    # Matplotlib's text strings; alt text, titles and labels come from data and are
    # set with curly quotes like the rest of the report.
    def text(match: re.Match) -> str:
        words = curly(html.unescape(match.group(2)))
        tag = _MPL_FONTS.sub(f"font-family: {_text_fonts(words)}", match.group(1))
        return tag + words.replace("&", "&amp;").replace("<", "&lt;")

    svg = re.sub(r"(<text\b[^>]*>)([^<]*)", text, svg)
    # Any other element naming the font (a tspan, a group) gets the whole stack.
    svg = _MPL_FONTS.sub(f"font-family: {CHART_FONTS}", svg)
    title_id = f"{prefix}title"
    return svg.replace(
        "<svg ",
        f'<svg class="nf-chart" role="img" aria-labelledby="{title_id}" ',
        1,
    ).replace(">", f'>\n <title id="{title_id}">{html.escape(alt, quote=False)}</title>', 1)


def chart_bundle(fig) -> tuple[dict, dict]:
    """Return the Jupyter display bundle and metadata for a chart.

    Returns:
        ``(data, metadata)``: ``data`` has ``image/svg+xml`` (from :func:`svg_text`) and
        ``text/plain`` (the alt text); ``metadata["image/svg+xml"]["alt"]`` holds the alt
        text too.

    Raises:
        ValueError: the figure was not made by a newsfigures chart function.
    """
    alt = curly(alt_text(fig))
    return {"image/svg+xml": svg_text(fig), "text/plain": alt}, {"image/svg+xml": {"alt": alt}}


def show_chart(fig) -> None:
    """Display a newsfigures chart in a notebook as SVG (text kept as text) with its alt text."""
    _display(*chart_bundle(fig))


#: Rows a report table shows at most; the full table is in the story's processed folder.
MAX_TABLE_ROWS = 50


def _cut_note(shown: int, total: int, by: str | None = None) -> str:
    # The build names its --data-out; a notebook run by hand, the example story's folder.
    folder = os.environ.get(paths.PROCESSED_SHOWN_ENV) or "data/processed/"
    which = f"the {shown:,} largest" if by else f"the first {shown:,}"
    order = f" by {by}" if by else ""
    return (
        f"Showing {which} of {total:,} rows{order}; the full table is in {folder} "
        "(CSV and Parquet), described by its datapackage.json."
    )


def _rows_shown(frame: pd.DataFrame, max_rows: int) -> tuple[pd.DataFrame, str | None]:
    """The rows a table shows: all, else the ``max_rows`` largest by the measure the frame
    names in ``attrs["largest_by"]`` (``(label, values)``, values in row order), in their
    order, else the first ``max_rows``; and the measure's label, when ranked."""
    if len(frame) <= max_rows:
        return frame, None
    ranked = frame.attrs.get("largest_by")
    if not ranked:
        return frame.head(max_rows), None
    label, values = ranked
    size = pd.Series(list(values), dtype="float64").fillna(float("-inf"))
    keep = sorted(size.sort_values(ascending=False, kind="stable").index[:max_rows])
    return frame.iloc[keep], label


#: Columns from which a table is set smaller in print (print.css, ``nf-wide``).
WIDE_TABLE_COLUMNS = 7
#: Columns from which a table is likely wider than a phone (400 px) and gets a cue to
#: scroll it sideways there; narrower tables fit, and a cue under them would say a false thing.
SCROLL_CUE_COLUMNS = 5

# A cell that is a number (with its sign, unit or percent) or a date, and nothing else.
_NUMBER = re.compile(r"^[+\u2212-]?[\d,.]+(?:\s?(?:%|pp|million|billion))?$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}")
# A number or date in a cell of text that a browser could break: at a space ("1 million",
# "USD 1.5 billion", "0.21 pp", "24 October 2024") or a hyphen ("2026-07-01"). Each is kept
# on one line.
_SPACED_NUMBER = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2} [A-Z][a-z]+ \d{4}\b"
    r"|(?:\b[A-Z]{3} )?[+\u2212-]?\d[\d,.]*(?: (?:thousand|million|billion|trillion|pp)\b| %)"
    r"|\b[A-Z]{3} [+\u2212-]?\d[\d,.]*(?![\d-])"
)


def _unbroken_numbers(text: str) -> str:
    """Escape a cell's text, each number said with a space inside kept whole."""
    out, last = [], 0
    for match in _SPACED_NUMBER.finditer(text):
        out += [
            html.escape(text[last : match.start()], quote=False),
            f'<span class="nf-nowrap">{html.escape(match.group(0), quote=False)}</span>',
        ]
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def _column_class(values: list[str]) -> str:
    filled = [v for v in values if v]
    if filled and all(_NUMBER.match(v) for v in filled):
        return "nf-num"
    if filled and all(_DATE.fullmatch(v.strip()) for v in filled):
        return "nf-nowrap"
    return ""


def table_html(frame: pd.DataFrame, caption: str | None = None, max_rows: int = MAX_TABLE_ROWS) -> str:
    """Render a dataframe as an HTML table with every cell and header escaped.

    Args:
        frame: the table, in the order to show.
        caption: shown above the table.
        max_rows: rows shown at most; a longer table shows its ``max_rows`` largest
            rows by the measure in ``frame.attrs["largest_by"]`` (as
            :func:`provenance_table` sets it), else its first, and a note saying so and
            where the full table is (as the build names it).

    Returns:
        An HTML ``<table class="nf-table">`` string (no index column), wrapped in a
        ``<div class="nf-table-block">`` that scrolls sideways on a narrow screen (with
        a cue saying so, from :data:`SCROLL_CUE_COLUMNS` columns); in print a long
        table breaks between rows, its header repeated. Columns of numbers get
        ``class="nf-num"`` (right-aligned, tabular figures, never broken), columns of
        dates ``class="nf-nowrap"``, and a number said with a space inside
        (``1 million``, ``USD 1.5 billion``) in a cell of text is kept on one line;
        missing values are blank; text is set with curly quotes
        (:func:`newsfigures.core.typography.curly`).
    """
    shown, by = _rows_shown(frame, max_rows)
    note = _cut_note(max_rows, len(frame), by) if len(frame) > max_rows else ""
    cells = shown.astype(object).where(shown.notna(), "").astype(str)
    classes = [_column_class(list(cells[c])) for c in cells.columns]

    def cell(tag: str, text: str, cls: str) -> str:
        attr = f' class="{cls}"' if cls else ""
        body = html.escape(curly(text), quote=False) if cls else _unbroken_numbers(curly(text))
        return f"<{tag}{attr}>{body}</{tag}>"

    head = "".join(cell("th", str(c), k) for c, k in zip(cells.columns, classes))
    rows = "\n".join(
        "<tr>" + "".join(cell("td", v, k) for v, k in zip(row, classes)) + "</tr>"
        for row in cells.itertuples(index=False)
    )
    caption_html = f"\n<caption>{html.escape(curly(caption), quote=False)}</caption>" if caption else ""
    wide = " nf-wide" if len(cells.columns) >= WIDE_TABLE_COLUMNS else ""
    cue = len(cells.columns) >= SCROLL_CUE_COLUMNS
    return (
        f'<div class="nf-table-block">\n<table class="nf-table{wide}">{caption_html}\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
        + ('\n<p class="nf-scroll-cue">Scroll the table sideways for more columns \u2192</p>' if cue else "")
        + (f'\n<p class="nf-note">{html.escape(note)}</p>' if note else "")
    )


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a dataframe as an escaped HTML table (plain text fallback included)."""
    shown, by = _rows_shown(frame, MAX_TABLE_ROWS)
    text = shown.to_string(index=False)
    if len(frame) > MAX_TABLE_ROWS:
        text += "\n" + _cut_note(MAX_TABLE_ROWS, len(frame), by)
    _display({"text/html": table_html(frame, caption), "text/plain": text})


def show_text(text: str) -> None:
    """Display a generated sentence as an escaped HTML paragraph.

    Use this, not Markdown, for sentences built from data: the text is shown exactly
    (straight quotes made curly), with no Markdown or maths interpretation.
    """
    text = curly(text)
    _display({"text/html": f'<p class="nf-finding">{html.escape(text, quote=False)}</p>', "text/plain": text})


def show_list(items: list[str]) -> None:
    """Display generated sentences as an escaped HTML bulleted list (one item each).

    Like :func:`show_text`, the text is shown exactly (curly quotes apart), with no
    Markdown or maths interpretation.
    """
    items = [curly(item) for item in items]
    body = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in items)
    _display({"text/html": f'<ul class="nf-finding">{body}</ul>', "text/plain": "\n".join(f"- {i}" for i in items)})


def provenance_table(figures: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a reader-facing provenance table of figures.

    Args:
        figures: a frame from :func:`newsfigures.core.figures.load_figures` or one of its views.
        sources: the story's sources; when given, a ``Source`` column names each figure's
            outlet and date.

    Returns:
        One row per figure, all columns ``str``: ``Measure``, ``As printed`` (the
        surface string), ``In numbers`` (the figure in words from its qualifier and
        bounds), ``Qualifier``, ``Attributed to`` (blank: the outlet's own statement)
        and ``As of`` (YYYY-MM-DD), then ``Source`` when ``sources`` is given;
        ``attrs["largest_by"]`` ranks the rows by the figures' size, for a table cut to
        its largest rows (:func:`table_html`).
    """
    table = pd.DataFrame(
        {
            "Measure": figures["measure"],
            "As printed": figures["surface"].fillna(""),
            "In numbers": [figure_label(r) for r in figures.itertuples(index=False)],
            "Qualifier": figures["qualifier"].str.replace("_", " "),
            "Attributed to": figures["attribution"].fillna(""),
            "As of": figures["as_of"].dt.strftime("%Y-%m-%d"),
        }
    ).astype(str)
    if sources is not None:
        outlets = {r.key: f"{r.outlet}, {published_text(r.published)}" for r in sources.itertuples(index=False)}
        table["Source"] = figures["source"].map(outlets).fillna(figures["source"]).astype(str).to_numpy()
    # A table cut to its largest rows ranks them as the charts do.
    table.attrs["largest_by"] = ("size of figure", [_size(r) for r in figures.itertuples(index=False)])
    return table


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Return a reader-facing table of a story's articles.

    Returns:
        One row per article, all columns ``str``: ``Outlet``, ``Headline``, ``Published``
        (``24 October 2024``) and ``Address`` (the URL; blank when not given).
    """
    return pd.DataFrame(
        {
            "Outlet": sources["outlet"],
            "Headline": sources["title"],
            "Published": [published_text(p) for p in sources["published"]],
            "Address": sources["url"],
        }
    ).astype(str)


def show_figures(figures: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Display every figure of a story with its provenance and source, and the articles cited."""
    show_table(sources_table(cited(figures, sources)), caption="The articles")
    show_table(provenance_table(figures, sources), caption="Every figure quoted, as printed and in numbers")


def _show_view(view: pd.DataFrame, sources: pd.DataFrame, chart: str, absent: str, **options) -> None:
    from newsfigures.report import charts

    if view.empty:
        show_text(absent)
        return
    show_chart(getattr(charts, chart)(view, sources, **options))


def show_counts(figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None) -> None:
    """Chart a story's counts of people or things on one log scale (a note when it has none)."""
    from newsfigures.core.figures import counts

    _show_view(
        counts(figures), sources, "counts_chart", "The articles give no counts of people or things.", title=title
    )


def show_shares(figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None) -> None:
    """Chart a story's shares (percent figures) as parts of a whole (a note when it has none)."""
    from newsfigures.core.figures import shares

    _show_view(shares(figures), sources, "shares_chart", "The articles give no shares in percent.", title=title)


def show_money(figures: pd.DataFrame, sources: pd.DataFrame, *, title: str | None = None) -> None:
    """Chart a story's amounts of money (a note when it has none)."""
    from newsfigures.core.figures import money

    _show_view(money(figures), sources, "money_chart", "The articles give no amounts of money.", title=title)


def show_series(figures: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Chart each series of estimates (rows sharing a measure, differing in date or
    source), one chart per series; a note saying how to make one when there are none."""
    from newsfigures.core.figures import estimate_series
    from newsfigures.report import charts

    series = estimate_series(figures)
    if series.empty:
        show_text(
            "No two figures estimate the same thing yet. Give estimates of one quantity the same "
            "measure in the figure sheet, and they are drawn here as one series over time."
        )
        return
    for measure in dict.fromkeys(series["series"]):
        show_chart(charts.series_chart(figures, sources, measure=measure))
        rows = series[series["series"] == measure]
        show_table(provenance_table(rows, sources), caption=f"Estimates of: {measure}")


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Return a reader-facing version of :func:`newsfigures.extract.reconcile.compare_with_sheet`.

    Returns:
        One row per compared figure, all columns ``str`` (blank where missing):
        ``Measure`` (the sheet's; blank for a figure the sheet lacks), ``As printed`` (the surface
        words), ``In the sheet`` and ``Read from the text`` (each figure in words), ``Credited to (sheet)``,
        ``Credited to (text)`` and ``Status``.
    """
    columns = {
        "measure": "Measure",
        "surface": "As printed",
        "sheet_figure": "In the sheet",
        "found_figure": "Read from the text",
        "sheet_attribution": "Credited to (sheet)",
        "found_attribution": "Credited to (text)",
        "status": "Status",
    }
    return comparison[list(columns)].rename(columns=columns).astype(object).fillna("").astype(str)


def show_extraction(article: str | Path | None, figures: pd.DataFrame) -> None:
    """Display the figures read from an article's text beside the figure sheet.

    Shows a one-sentence summary and the :func:`comparison_table`; never the article's
    sentences. When ``article`` is None (the text is not part of the repository and the
    build found none), shows a short note saying how to provide it instead.

    Args:
        article: the article's text file, or None.
        figures: the figure sheet, from :func:`newsfigures.core.figures.load_figures`.

    Raises:
        ArticleError: ``article`` is given but missing, not UTF-8 text, empty or too large.
    """
    if article is None:
        show_text(
            "The article's text was not available to this build, so this section cannot read the "
            "figures from it. Place the text at ../shared/seeds/article.txt beside the repository, "
            "or pass --article PATH to python -m newsfigures build."
        )
        return
    from newsfigures.core.article import read_article
    from newsfigures.extract.reconcile import compare_with_sheet, summary
    from newsfigures.extract.rules import extract_figures

    comparison = compare_with_sheet(extract_figures(read_article(article)), figures)
    show_text(summary(comparison))
    show_table(comparison_table(comparison), caption="Figures read from the text, beside the sheet")


def show_fact_check(data, reference: str | Path | None = None) -> None:
    """Display the fact-check of a story's checkable figures: the findings in words and
    the closest definitions; a note when the story configures no checks.

    Args:
        data: a :class:`newsfigures.core.stories.StoryData` (:func:`newsfigures.core.stories.open_story`).
        reference: the reference folder; default the story's (else the project's).

    Raises:
        ReferenceDataError: the reference data or the checks file is missing or invalid.
    """
    from newsfigures.reference.factcheck import fact_check, findings, summary_table

    story = data.story
    if story.checks is None:
        show_text(
            "This story checks no figures against reference data: name a checks file (checks = ...) "
            "and a reference folder in story.toml to recompute its shares and totals."
        )
        return
    reference = reference if reference is not None else story.reference
    check = fact_check(data.figures, reference, checks=story.checks, sources=data.sources)
    if check.empty:
        show_text("None of the figures the checks file names is in the sheet with a value to check.")
        return
    show_list(findings(check, reference))
    show_table(summary_table(check), caption="Closest definitions of the figures checked")
