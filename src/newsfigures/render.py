"""Render executed notebooks into one report: HTML with nbconvert, PDF with WeasyPrint.

The HTML is self-contained: charts are embedded PNG data URIs, CSS is inlined, and the
package's template (``templates/newsfigures``) removes every script nbconvert would load
from a CDN. The PDF is rendered offline from that HTML with a print stylesheet that
pins the page size (A4) and the fonts (the DejaVu faces shipped inside matplotlib).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import BuildError

TEMPLATES = Path(__file__).resolve().parent / "templates"
PRINT_CSS = Path(__file__).resolve().parent / "style" / "print.css"


def combine(notebooks: list, report: dict):
    """Concatenate executed notebooks into one notebook for rendering.

    Args:
        notebooks: executed ``nbformat`` notebooks, in report order.
        report: title-block data for the template: ``kicker``, ``title``, ``notes`` (list
            of str) and ``article`` (``outlet, title, published_text, url``); every
            string is HTML-escaped by the template.

    Returns:
        A new notebook whose cells are the markdown cells and the code cells with
        outputs of every input notebook, and whose metadata carries ``report``.
    """
    import nbformat

    combined = nbformat.v4.new_notebook()
    combined.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    combined.metadata.pop("papermill", None)
    combined.metadata["newsfigures"] = report
    combined.metadata["title"] = report.get("title", "Report")
    for index, nb in enumerate(notebooks):
        for cell in nb.cells:
            if cell.cell_type == "code" and not cell.get("outputs"):
                continue
            cell = copy.deepcopy(cell)
            cell["id"] = f"n{index}-{cell.get('id', '')}"
            combined.cells.append(cell)
    return combined


def render_html(notebook) -> str:
    """Render a (combined) executed notebook to a self-contained HTML page.

    Code, prompts and stderr are left out; markdown and outputs are kept.

    Returns:
        The HTML document as ``str``.

    Raises:
        BuildError: nbconvert failed; the message says why.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="newsfigures",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_output_stdin=True,
        embed_images=True,
    )
    try:
        body, _ = exporter.from_notebook_node(notebook)
    except Exception as exc:  # nbconvert raises many kinds; the build reports one
        raise BuildError(f"rendering HTML failed: {type(exc).__name__}: {exc}") from exc
    return body


def _font_faces() -> str:
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = [
        ("NF Sans", "DejaVuSans.ttf", "normal", "normal"),
        ("NF Sans", "DejaVuSans-Bold.ttf", "bold", "normal"),
        ("NF Sans", "DejaVuSans-Oblique.ttf", "normal", "italic"),
        ("NF Sans", "DejaVuSans-BoldOblique.ttf", "bold", "italic"),
        ("NF Mono", "DejaVuSansMono.ttf", "normal", "normal"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(fonts / file).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in faces
    )


def _offline_fetcher(allowed_dirs: list[Path]):
    """A WeasyPrint URL fetcher that serves data: URIs and files under ``allowed_dirs``.

    Anything else (http, https, other local files) is refused, so neither a hostile
    sheet nor a stray stylesheet link can make a build reach the network.
    """
    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in allowed_dirs]

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file" and not any(
                Path(unquote(parsed.path)).resolve().is_relative_to(root) for root in roots
            ):
                raise ValueError(f"the PDF renderer reads no file outside its fonts: {url}")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols={"data", "file"})


def preload() -> None:
    """Import nbconvert and WeasyPrint (about a second) ahead of rendering, e.g. in a
    thread while notebooks execute."""
    import warnings

    # WeasyPrint warns at import that a future release will need a system library;
    # that is for whoever upgrades the pin, not for someone building a report.
    import nbconvert  # noqa: F401

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint  # noqa: F401


def render_pdf(html: str, title: str = "Report") -> bytes:
    """Render report HTML to PDF, offline.

    JupyterLab's screen stylesheet is dropped and the package's print stylesheet
    (``style/print.css``: A4, DejaVu fonts from matplotlib) applied instead.

    Args:
        html: a page from :func:`render_html`.
        title: PDF document title.

    Returns:
        The PDF file contents. No creation or modification dates are written, so the
        same HTML gives the same bytes.

    Raises:
        BuildError: WeasyPrint failed.
    """
    import logging

    import matplotlib

    preload()  # WeasyPrint's import warning is filtered there
    from weasyprint import CSS, HTML

    # WeasyPrint logs every CSS property of JupyterLab's theme it does not support;
    # none of them matters for print, and they would bury the build's own messages.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    fetcher = _offline_fetcher([fonts])
    stylesheets = [CSS(string=_font_faces(), url_fetcher=fetcher), CSS(filename=str(PRINT_CSS))]
    html = re.sub(r"<!-- newsfigures:screen-css -->.*?<!-- /newsfigures:screen-css -->", "", html, flags=re.S)
    try:
        document = HTML(string=html, url_fetcher=fetcher, base_url=str(fonts)).render(stylesheets=stylesheets)
        document.metadata.title = title
        document.metadata.created = None
        document.metadata.modified = None
        return document.write_pdf(pdf_identifier=b"newsfigures-report")
    except Exception as exc:  # WeasyPrint raises many kinds; the build reports one
        raise BuildError(f"rendering PDF failed: {type(exc).__name__}: {exc}") from exc
