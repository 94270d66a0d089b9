"""The end-to-end build: executed notebooks, processed tables, one HTML and one PDF report."""

from __future__ import annotations

import html
import re

import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow

NOTEBOOKS = ["01_force_sizes.ipynb", "02_brics_shares.ipynb", "03_context.ipynb", "04_extraction.ipynb"]
#: Charts each notebook shows (the extraction section is tables only).
IMAGES = {"01_force_sizes.ipynb": 1, "02_brics_shares.ipynb": 1, "03_context.ipynb": 3, "04_extraction.ipynb": 0}


def test_build_writes_report_notebooks_and_tables(built):
    assert built.html.is_file() and built.pdf.is_file()
    assert sorted(p.name for p in built.notebooks) == NOTEBOOKS
    assert sorted(built.executed) == NOTEBOOKS
    assert {p.name for p in built.tables} >= {
        "figures.csv",
        "counts.csv",
        "shares.csv",
        "fact_check.csv",
        "fact_check.parquet",
        "datapackage.json",
    }


def test_notebooks_were_executed_with_the_injected_sheet(built):
    for path in built.notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), path.name
        assert not any(o.output_type == "error" for c in code for o in c.outputs)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and "figures.csv" in injected[0].source
        if path.name == "03_context.ipynb":
            assert "data/reference" in injected[0].source
        images = [o for c in code for o in c.outputs if "image/svg+xml" in o.get("data", {})]
        assert len(images) == IMAGES[path.name] and all(i.metadata["image/svg+xml"]["alt"] for i in images)
        assert not [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]


def test_html_embeds_every_chart_and_no_code(built):
    html = built.html.read_text(encoding="utf-8")
    assert not re.findall(r"<img\b[^>]*>", html)  # no PNG chart: every chart is inline SVG
    assert "data:image/png" not in html  # nor any other raster image, stylesheets included
    charts = [
        (re.search(r'aria-labelledby="([^"]+)"', tag).group(1), title_id, alt)
        for tag, title_id, alt in re.findall(
            r'(<svg\b[^>]*\bclass="nf-chart"[^>]*>)\s*<title id="([^"]+)">([^<]{40,})</title>', html
        )
        if 'role="img"' in tag and "viewBox=" in tag  # SVG's names in their case, as matplotlib wrote them
    ]
    assert len(charts) == sum(IMAGES.values()) and all(a == b for a, b, _ in charts)
    assert len({a for a, _, _ in charts}) == len(charts)  # ids unique across the page
    assert "<text" in html and "font-family: 'NF Sans', 'DejaVu Sans'" in html  # text kept as text
    assert not re.search(r'<div class="(jp-CodeMirrorEditor|jp-InputArea-editor|highlight)', html)
    assert "load_figures(" not in html and "import newsfigures" not in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://(?!www\.nbcnews\.com)""", html)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html)
    for words in (
        "at least 3,000",
        "41.1%",
        "37.3%",
        "NBC News",
        "24 October 2024",
        "World Bank, World Development Indicators",
        "CC BY 4.0",
        "In World Bank data, the two shares fit different memberships",
    ):
        assert words in html


def test_pdf_has_the_figures_in_its_text(built):
    reader = PdfReader(built.pdf)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for figure in (
        "3,000",
        "41.1",
        "37.3",
        "hundreds of thousands",
        "million-strong",
        "BRICS-9+SAU",
        "41.10%",
        "37.51%",
        "1,469,000",
    ):
        assert figure in text, figure
    assert "\u201c" in text  # curly quotes survive into the PDF
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_pdf_is_tagged_with_vector_charts_whose_labels_are_text(built):
    reader = PdfReader(built.pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en" and "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("North Korea\u2019s troops")
    assert not [img for page in reader.pages for img in page.images]  # charts are vectors, not pictures
    figures, stack = [], [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                stack.append(node["/K"])
    assert len(figures) == sum(IMAGES.values()) and all(len(alt) > 40 for alt in figures)
    # Each chart's alt text in the PDF is its <title> in the HTML, word for word.
    titles = re.findall(
        r'<svg\b[^>]*\bclass="nf-chart"[^>]*>\s*<title id="[^"]+">([^<]+)</title>', built.html.read_text()
    )
    assert sorted(figures) == sorted(html.unescape(t) for t in titles)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Number of people, log scale" in text  # a chart's subtitle, searchable


def test_processed_tables_hold_the_figures(built):
    tables = {p.stem: p for p in built.tables if p.suffix == ".csv"}
    figures = pd.read_csv(tables["figures"])
    assert figures.set_index("figure_id").loc["nk_troops_sent", "lower"] == 3000
    shares = pd.read_csv(tables["shares"])
    assert sorted(shares["value"]) == [37.3, 41.1]
    assert "3000," in tables["counts"].read_text()  # integers without a trailing .0
    check = pd.read_csv(tables["fact_check"])
    assert check.groupby("figure_id")["closest"].sum().eq(1).all()


def test_extraction_section_sets_the_text_beside_the_sheet(built, article_text):
    # The build finds the article beside the repository (article_text skips the test where it is absent).
    html = built.html.read_text(encoding="utf-8")
    assert "Reading the figures from the text" in html
    assert "All 5 figures in the sheet stand in the text as recorded" in html
    assert html.count("<td>ok</td>") == 5
    # Never the article's sentences: no run of nine words of its body is in the report. (The
    # headline, its first line, is cited on purpose as the title, from data/article/sources.csv.)
    body = article_text.split("\n", 1)[1]
    words = re.findall(r"[a-z0-9']+", body.lower().replace("\u2019", "'"))
    text = re.sub(r"<[^>]+>", " ", html).lower().replace("&#x27;", "'").replace("\u2019", "'")
    report_words = " ".join(re.findall(r"[a-z0-9']+", text))
    runs = {" ".join(words[i : i + 9]) for i in range(len(words) - 8)}
    assert not [run for run in runs if run in report_words]
