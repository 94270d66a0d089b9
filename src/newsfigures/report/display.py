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


def provenance_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Return a reader-facing provenance table of figures.

    Args:
        figures: a frame from :func:`newsfigures.core.figures.load_figures` or one of its views.

    Returns:
        One row per figure, all columns ``str``: ``Measure``, ``As printed`` (the
        surface string), ``In numbers`` (the figure in words from its qualifier and
        bounds), ``Qualifier``, ``Attributed to`` (blank: the outlet's own statement)
        and ``As of`` (YYYY-MM-DD).
    """
    return pd.DataFrame(
        {
            "Measure": figures["measure"],
            "As printed": figures["surface"].fillna(""),
            "In numbers": [figure_label(r) for r in figures.itertuples(index=False)],
            "Qualifier": figures["qualifier"].str.replace("_", " "),
            "Attributed to": figures["attribution"].fillna(""),
            "As of": figures["as_of"].dt.strftime("%Y-%m-%d"),
        }
    ).astype(str)


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
