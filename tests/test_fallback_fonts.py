"""Characters the report's DejaVu faces lack (emoji, other scripts) are drawn from the
Noto fallback faces in the PDF, in prose and in a chart's labels alike, never as boxes."""

from __future__ import annotations

import io

import nbformat
import pandas as pd
import pytest

from newsfigures.report.charts import counts_chart
from newsfigures.report.display import chart_bundle
from newsfigures.report.render import combine, render_html, render_pdf

SOURCES = pd.DataFrame(
    {
        "key": ["harbour"],
        "outlet": ["Harbour Post"],
        "title": ["Troops arrive"],
        "url": ["https://example.org/a"],
        "sha256": ["0" * 64],
        "text_path": [""],
        "published": pd.to_datetime(["2024-11-14"]),
    }
)


def _fonts(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _figures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": ["f0", "f1"],
            "topic": ["other"] * 2,
            # Devanagari and an emoji in a chart's labels only
            "measure": ["सैनिक भेजे गए \U0001fa96", "troops at the border"],
            "value": [3000.0, 5000.0],
            "lower": [3000.0, 5000.0],
            "upper": [3000.0, 5000.0],
            "unit": ["people"] * 2,
            "qualifier": ["exact"] * 2,
            "attribution": [None] * 2,
            "surface": [""] * 2,
            "as_of": pd.to_datetime(["2024-11-01"] * 2),
            "source": ["harbour"] * 2,
        }
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    frame = _figures()
    data, metadata = chart_bundle(counts_chart(frame, SOURCES, title="Troops \U0001f30d"))
    chart = nbformat.v4.new_code_cell("chart")
    chart.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    # Bengali and Tamil in prose only
    prose = nbformat.v4.new_markdown_cell(
        "Prose in বাংলা and தமிழ், with a dove \U0001f54a; 조선인민군 and 金砖国家 in CJK."
    )
    page = render_html(combine([nbformat.v4.new_notebook(cells=[prose, chart])], {"title": "Fallback"}))
    assert "सैनिक" in page and "বাংলা" in page
    return render_pdf(page, title="Fallback")


def test_prose_in_scripts_dejavu_lacks_is_set_in_the_fallback_faces(pdf):
    fonts = _fonts(pdf)
    assert {"NF-Sans", "NF-Bengali", "NF-Tamil", "NF-Emoji", "NF-CJK"} <= fonts, fonts
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "조선인민군" in text and "金砖国家" in text


def test_a_charts_labels_in_other_scripts_and_emoji_are_real_glyphs(pdf):
    # Only the chart has Devanagari; its emoji come from the same emoji face as the prose's.
    assert "NF-Devanagari" in _fonts(pdf)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for word in ("\U0001f30d", "\U0001fa96", "\U0001f54a"):
        assert word in text, word


def test_matplotlib_draws_them_with_the_fallback_faces_and_names_them_only_where_needed():
    import re
    import warnings

    from newsfigures.report.display import svg_text

    frame = _figures()
    with warnings.catch_warnings():
        # matplotlib warns "Glyph ... missing from font(s)" for what its fonts lack
        warnings.simplefilter("error")
        svg = svg_text(counts_chart(frame, SOURCES, title="Troops \U0001f30d"))
    stacks = {text: style for style, text in re.findall(r'<text style="([^"]*)"[^>]*>([^<]*)', svg)}
    devanagari = next(style for text, style in stacks.items() if "सैनिक" in text)
    latin = next(style for text, style in stacks.items() if "troops at the border" in text)
    assert "'NF Devanagari'" in devanagari and "'NF Emoji'" in devanagari
    assert "font-family: 'NF Sans', 'DejaVu Sans', Verdana, sans-serif" in latin


def test_bold_chart_text_logs_nothing_about_the_fallbacks_one_weight(caplog):
    import logging

    from newsfigures.report.display import svg_text

    # A chart's title is bold; the fallback faces have one weight, and matplotlib would
    # log so for each of them (into a notebook's output in the Lab).
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"):
        svg_text(counts_chart(_figures(), SOURCES, title="Troops \U0001f30d in bold"))
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]
