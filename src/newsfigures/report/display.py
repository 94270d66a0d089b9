"""Notebook display helpers: charts with alt text, escaped tables and sentences.

Everything here emits outputs whose text is HTML-escaped, because strings in a sheet
or article are untrusted: a measure named ``<script>…`` must show as text in the
report, and a ``$`` in a label must never be read as the start of mathematics (the
outputs are HTML, not Markdown, so nbconvert's maths parsing never sees them).
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from newsfigures.core.figures import figure_label
from newsfigures.core.sources import cited, published_text
from newsfigures.report.charts import alt_text, png_bytes


def _display(bundle: dict, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(bundle, raw=True, metadata=metadata or {})


def chart_bundle(fig) -> tuple[dict, dict]:
    """Return the Jupyter display bundle and metadata for a chart.

    Returns:
        ``(data, metadata)``: ``data`` has ``image/png`` (base64 PNG at 150 dpi) and
        ``text/plain`` (the alt text); ``metadata["image/png"]["alt"]`` holds the alt
        text, which the report template writes into the ``<img alt>`` attribute.

    Raises:
        ValueError: the figure was not made by a newsfigures chart function.
    """
    alt = alt_text(fig)
    png = base64.b64encode(png_bytes(fig)).decode("ascii")
    width = fig.get_figwidth() * 96  # CSS pixels: the chart's design width
    return {"image/png": png, "text/plain": alt}, {"image/png": {"alt": alt, "width": int(width)}}


def show_chart(fig) -> None:
    """Display a newsfigures chart in a notebook as a PNG with its alt text."""
    _display(*chart_bundle(fig))


#: Rows a report table shows at most; the full table is in ``data/processed/``.
MAX_TABLE_ROWS = 50


def _cut_note(shown: int, total: int) -> str:
    return (
        f"Showing the first {shown:,} of {total:,} rows; the full table is in data/processed/ "
        "(CSV and Parquet), described by its datapackage.json."
    )


def table_html(frame: pd.DataFrame, caption: str | None = None, max_rows: int = MAX_TABLE_ROWS) -> str:
    """Render a dataframe as an HTML table with every cell and header escaped.

    Args:
        frame: the table, in the order to show.
        caption: shown above the table.
        max_rows: rows shown at most; a longer table shows its first ``max_rows`` rows
            and a note saying where the full table is.

    Returns:
        An HTML ``<table class="nf-table">`` string (no index column), wrapped in a
        ``<div class="nf-table-block">`` that keeps it and its caption on one printed
        page; missing values are blank.
    """
    shown = frame.head(max_rows)
    body = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="nf-table")
    if caption:
        body = body.replace(">", f">\n<caption>{html.escape(caption)}</caption>", 1)
    if len(frame) > max_rows:
        body += f'\n<p class="nf-note">{html.escape(_cut_note(max_rows, len(frame)))}</p>'
    return f'<div class="nf-table-block">\n{body}\n</div>'


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a dataframe as an escaped HTML table (plain text fallback included)."""
    text = frame.head(MAX_TABLE_ROWS).to_string(index=False)
    if len(frame) > MAX_TABLE_ROWS:
        text += "\n" + _cut_note(MAX_TABLE_ROWS, len(frame))
    _display({"text/html": table_html(frame, caption), "text/plain": text})


def show_text(text: str) -> None:
    """Display a generated sentence as an escaped HTML paragraph.

    Use this, not Markdown, for sentences built from data: the text is shown exactly,
    with no Markdown or maths interpretation.
    """
    _display({"text/html": f'<p class="nf-finding">{html.escape(text)}</p>', "text/plain": text})


def show_list(items: list[str]) -> None:
    """Display generated sentences as an escaped HTML bulleted list (one item each).

    Like :func:`show_text`, the text is shown exactly, with no Markdown or maths
    interpretation.
    """
    body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
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
        and ``As of`` (YYYY-MM-DD), then ``Source`` when ``sources`` is given.
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
