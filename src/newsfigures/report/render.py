"""Render executed notebooks into one report: HTML with nbconvert, PDF with WeasyPrint.

The HTML is self-contained: charts are embedded PNG data URIs, CSS is inlined, and the
package's template (``templates/newsfigures``) removes every script nbconvert would load
from a CDN. The PDF is rendered offline from that HTML with a print stylesheet that
pins the page size (A4) and the fonts (the DejaVu faces shipped inside matplotlib).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from newsfigures.core.errors import BuildError

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
    from newsfigures.core.typography import curly_html

    # A safety net for generated text that missed the helper: curly quotes in every text
    # node outside code, scripts and styles.
    return _unbroken_urls(curly_html(body))


def _unbroken_urls(page: str) -> str:
    """Let a link whose text is a URL break after a slash only: each part is kept whole."""

    def split(match: re.Match) -> str:
        parts = re.findall(r"[^/]*/+|[^/]+$", match.group(2))
        parts = [part for part in parts if part]
        # A part too long for a phone's line may break anywhere there (report.css), still
        # not preferring its hyphens.
        spans = "".join(
            f'<span class="nf-url-part{" nf-url-long" if len(part) > 32 else ""}">{part}</span>' for part in parts
        )
        return f"{match.group(1)}{spans}</a>"

    return re.sub(r"(<a\b[^>]*>)(https?://[^<\s]+)</a>", split, page)


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


def _fonts_dir() -> Path:
    """matplotlib's bundled DejaVu fonts, found without importing matplotlib (a third of
    a second this process does not otherwise need)."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


_FACES = [
    ("NF Sans", "DejaVuSans.ttf", "normal", "normal"),
    ("NF Sans", "DejaVuSans-Bold.ttf", "bold", "normal"),
    ("NF Sans", "DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("NF Sans", "DejaVuSans-BoldOblique.ttf", "bold", "italic"),
    ("NF Mono", "DejaVuSansMono.ttf", "normal", "normal"),
]


def _print_fonts() -> Path:
    """The PDF's fonts: matplotlib's DejaVu faces without their OpenType layout tables.

    WeasyPrint drops those tables (GSUB, GPOS) from the fonts it embeds anyway, but only
    after fontTools has parsed them, which is most of the cost of writing the PDF.
    Without them, HarfBuzz kerns from the fonts' classic ``kern`` table. The copies are
    made once and kept in the build cache.
    """
    import hashlib

    import fontTools
    from fontTools.ttLib import TTFont

    from newsfigures.core import paths
    from newsfigures.core.fileio import write_atomic

    sources = [_fonts_dir() / file for _, file, _, _ in _FACES]
    stamp = hashlib.sha256(repr([fontTools.version] + [(p.name, p.stat().st_size) for p in sources]).encode())
    folder = paths.CACHE_DIR / "fonts" / stamp.hexdigest()[:16]
    for source in sources:
        target = folder / source.name
        if not target.exists():
            font = TTFont(source, lazy=True)
            for tag in ("GSUB", "GPOS"):
                if tag in font:
                    del font[tag]
            buffer = io.BytesIO()
            font.save(buffer)
            write_atomic(target, buffer.getvalue())
    return folder


def _font_faces(folder: Path) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(folder / file).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in _FACES
    )


@contextlib.contextmanager
def _libraries_from_ldconfig_cache():
    """Look shared libraries up in the ldconfig cache only, while WeasyPrint loads.

    WeasyPrint tries each system library (Pango, HarfBuzz, ...) under several names, and
    on Linux every name that misses makes ``ctypes.util.find_library`` run gcc and ld:
    some sixty processes and a quarter of a second per build. The cache answers the
    same question (cffi still tries plain ``dlopen`` first, so ``LD_LIBRARY_PATH``
    keeps working).
    """
    import ctypes.util
    import shutil
    import subprocess

    ldconfig = shutil.which("ldconfig") or ("/sbin/ldconfig" if os.path.exists("/sbin/ldconfig") else None)
    if not sys.platform.startswith("linux") or ldconfig is None:
        yield
        return
    listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        match = re.search(rf"\s(lib{re.escape(name)}\.so[^\s]*)\s", listing)
        return match.group(1) if match else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


@functools.lru_cache(maxsize=1)
def _print_setup():
    """WeasyPrint, its URL fetcher, font configuration and parsed print stylesheets.

    Made once per process and shared by every render, so fonts are loaded and the
    stylesheets parsed once (the first PDF of a process otherwise costs twice the next).
    """
    import logging
    import warnings

    with warnings.catch_warnings(), _libraries_from_ldconfig_cache():
        # WeasyPrint warns at import that a future release will need a system library;
        # that is for whoever upgrades the pin, not for someone building a report.
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

    # WeasyPrint logs every CSS property of JupyterLab's theme it does not support;
    # none of them matters for print, and they would bury the build's own messages.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    folder = _print_fonts()
    fetcher = _offline_fetcher([folder])
    fonts = FontConfiguration()
    stylesheets = [
        weasyprint.CSS(string=_font_faces(folder), url_fetcher=fetcher, font_config=fonts),
        weasyprint.CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=fonts),
    ]
    return weasyprint, fetcher, fonts, stylesheets


def warm_up() -> None:
    """Import nbconvert and WeasyPrint, compile the report template and parse the print
    stylesheets, so that rendering starts warm. The build calls it in a thread while
    notebooks execute. (A trial PDF would warm WeasyPrint further but costs the kernels
    more CPU than it saves.)"""
    import nbformat

    cell = nbformat.v4.new_markdown_cell("warm-up")
    render_html(combine([nbformat.v4.new_notebook(cells=[cell])], {"title": "warm-up"}))
    _print_setup()


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
    weasyprint, fetcher, fonts, stylesheets = _print_setup()
    html = re.sub(r"<!-- newsfigures:screen-css -->.*?<!-- /newsfigures:screen-css -->", "", html, flags=re.S)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=str(PRINT_CSS.parent)).render(
            stylesheets=stylesheets, font_config=fonts
        )
        document.metadata.title = title
        document.metadata.created = None
        document.metadata.modified = None
        # PDF/UA-1: tagged (headings, paragraphs, tables, lists and figures, each chart
        # with its <title> as alternate text), with the title shown and the language set.
        return document.write_pdf(pdf_identifier=b"newsfigures-report", pdf_variant="pdf/ua-1")
    except Exception as exc:  # WeasyPrint raises many kinds; the build reports one
        raise BuildError(f"rendering PDF failed: {type(exc).__name__}: {exc}") from exc
