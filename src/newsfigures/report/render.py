"""Render executed notebooks into one report: HTML with nbconvert, PDF with WeasyPrint.

The HTML is self-contained: charts are inline SVG, CSS is inlined, and the package's
template (``templates/newsfigures``) removes every script nbconvert would load from a
CDN. The PDF is rendered offline from that HTML with a print stylesheet that pins the
page size (A4) and the fonts (DejaVu, shipped inside matplotlib, and the fallback faces
of :mod:`newsfigures.report.fonts`).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import html as html_module
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from newsfigures.core.errors import BuildError
from newsfigures.report import fonts as fonts_module
from newsfigures.report import svg_runs

TEMPLATES = Path(__file__).resolve().parent / "templates"
PRINT_CSS = Path(__file__).resolve().parent / "style" / "print.css"


#: Default size limit of one cell's outputs in the report, in bytes (text and images).
MAX_OUTPUT_BYTES = 2_000_000
#: Lines of text one cell's outputs may show in the report (about 20 pages of the PDF);
#: a flood of short lines costs the PDF far more per byte than anything else. A line
#: longer than the printed width counts as the lines it wraps to.
MAX_OUTPUT_LINES = 1_000
#: Characters of output text on one line of the PDF: DejaVu Sans Mono at print.css's 8pt
#: is 4.8pt a character, 96 of them on the 176 mm measure with room to spare.
PRINT_LINE_CHARS = 96


def _head(text: str, budget: int) -> tuple[str, int]:
    """The start of ``text`` that fills at most ``budget`` printed lines, and the lines it fills."""
    used, end = 0, 0
    for line in text.splitlines(keepends=True):
        rows = max(1, -(-len(line.rstrip("\r\n")) // PRINT_LINE_CHARS))
        if used + rows > budget:
            return text[:end] + line[: (budget - used) * PRINT_LINE_CHARS], budget
        used, end = used + rows, end + len(line)
    return text, used


def _text_of(output: dict) -> str | None:
    """The text of a stream or of a plain-text-only result, else None."""
    if output.get("output_type") == "stream":
        text = output.get("text", "")
    elif set(output.get("data", {})) == {"text/plain"}:
        text = output["data"]["text/plain"]
    else:
        return None
    return "".join(text) if isinstance(text, list) else text


def _with_text(output: dict, text: str) -> dict:
    output = copy.deepcopy(output)
    if output.get("output_type") == "stream":
        output["text"] = text
    else:
        output["data"]["text/plain"] = text
    return output


def _limit_outputs(outputs: list, limit: int, max_lines: int = MAX_OUTPUT_LINES) -> list:
    """Drop stderr streams (warnings belong in the build log, not the report) and cut a
    cell's outputs to ``limit`` bytes and ``max_lines`` lines of text, with a note saying so."""
    kept, used, lines, cut = [], 0, 0, None
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        text = _text_of(output)
        rows = 0
        if text is not None:
            head, rows = _head(text, max_lines - lines)
            if len(head) < len(text) and used + len(head.encode("utf-8")) <= limit:
                kept.append(_with_text(output, head))
                cut = f"more than {max_lines:,} lines (a long line counted as the lines it wraps to)"
                break
        size = len(json.dumps(output, default=str))
        if used + size > limit:
            if text is not None and limit - used > 0:
                kept.append(_with_text(output, text[: max(0, limit - used)]))
            cut = f"more than the report\u2019s limit of {limit:,} bytes"
            break
        kept.append(output)
        used += size
        lines += rows
    if cut:
        note = f"[output cut: this cell printed {cut}]"
        kept.append(
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/html": f'<p class="nf-note">{note}</p>', "text/plain": note},
            }
        )
    return kept


def combine(notebooks: list, report: dict, max_output_bytes: int = MAX_OUTPUT_BYTES):
    """Concatenate executed notebooks into one notebook for rendering.

    Args:
        notebooks: executed ``nbformat`` notebooks, in report order.
        report: title-block data for the template: ``kicker``, ``title``, ``notes`` (list
            of str) and ``articles`` (one ``outlet, title, published_text, url`` each); every
            string is HTML-escaped by the template.

    Returns:
        A new notebook whose cells are the markdown cells and the code cells with
        outputs of every input notebook, and whose metadata carries ``report``. Stderr
        streams are dropped, and one cell's outputs are cut to ``max_output_bytes``
        and :data:`MAX_OUTPUT_LINES` lines of text (with a note saying so).
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
            if cell.cell_type == "code":
                cell["outputs"] = _limit_outputs(cell["outputs"], max_output_bytes)
                if not cell["outputs"]:
                    continue
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
        filters={"nf_packed": _packed},
    )
    try:
        body, _ = exporter.from_notebook_node(notebook)
    except Exception as exc:  # nbconvert raises many kinds; the build reports one
        raise BuildError(f"rendering HTML failed: {type(exc).__name__}: {exc}") from exc
    body = re.sub(
        r"<!-- newsfigures:svg ([A-Za-z0-9+/=]*) -->", lambda m: base64.b64decode(m.group(1)).decode("utf-8"), body
    )
    # The page holds no raster image: JupyterLab's stylesheet has one, CodeMirror's marker
    # of trailing spaces, for code the report never shows.
    body = re.sub(r"(?<=[}\n])[^{}<]*\{[^{}<]*url\(\s*['\"]?data:image/png[^{}<]*\}", "", body)
    from newsfigures.core.typography import curly_html

    # A safety net for generated text that missed the helper: curly quotes in every text
    # node outside code, scripts and styles.
    return _unbroken_dates(_unbroken_urls(curly_html(body)))


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: A date a narrow screen could break at a space ("1 July 2026") or a hyphen ("2026-07-01").
_DATE_IN_TEXT = re.compile(rf"\b(?:\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b")


def _unbroken_dates(page: str) -> str:
    """Keep each date in the page's body text on one line (``<span class="nf-nowrap">``)."""
    from newsfigures.core.typography import map_text

    head, marker, body = page.partition("<body")
    if not marker:
        head, body = "", page
    body = map_text(body, lambda text: _DATE_IN_TEXT.sub(r'<span class="nf-nowrap">\g<0></span>', text))
    return head + marker + body


def _packed(text: str) -> str:
    # A chart's SVG as base64, which passes nbconvert's HTML re-parsing untouched.
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


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


def _offline_fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that serves data: URIs and the files in or under ``allowed``
    (folders and files).

    Anything else (http, https, other local files) is refused, so neither a hostile
    sheet nor a stray stylesheet link can make a build reach the network.
    """
    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in allowed]

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file" and not any(
                Path(unquote(parsed.path)).resolve().is_relative_to(root) for root in roots
            ):
                raise ValueError(f"the PDF renderer reads no file outside its fonts: {url}")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols={"data", "file"})


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
    fonts_module.one_subsetting_path()
    svg_runs.use_runs()
    folder = fonts_module.print_fonts()
    fetcher = _offline_fetcher([folder, *fonts_module.fallback_files().values()])
    fonts = FontConfiguration()
    stylesheets = [
        weasyprint.CSS(string=fonts_module.font_faces(folder), url_fetcher=fetcher, font_config=fonts),
        weasyprint.CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=fonts),
    ]
    return weasyprint, fetcher, fonts, stylesheets


@functools.cache
def _on_demand_sheet(faces: str):
    # Parsed once per process: parsing adds the faces to the shared font configuration.
    weasyprint, fetcher, fonts, _ = _print_setup()
    return weasyprint.CSS(string=faces, url_fetcher=fetcher, font_config=fonts)


def _charts_as_images(page: str) -> str:
    """Turn each inline chart (``<svg class="nf-chart">``) into an ``<img>`` of the same SVG,
    its ``<title>`` as the alt text.

    WeasyPrint draws both the same way, as vectors with their text kept as text, but an
    inline SVG's every element is also styled as part of the HTML page, which took a
    third of the PDF's rendering time.
    """

    def image(match: re.Match) -> str:
        svg = match.group(0)
        alt = re.search(r"<title\b[^>]*>(.*?)</title>", svg, flags=re.S)
        if "xmlns=" not in svg[: svg.index(">")]:
            svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        alt_attr = html_module.escape(html_module.unescape(alt.group(1)) if alt else "", quote=True)
        return f'<img class="nf-chart" alt="{alt_attr}" src="data:image/svg+xml;base64,{data}">'

    return re.sub(r'<svg\b[^>]*\bclass="nf-chart".*?</svg>', image, page, flags=re.S)


def _wrap_long_lines(page: str) -> str:
    """Break each line of preformatted output longer than :data:`PRINT_LINE_CHARS` into lines
    of that length (tags and entities kept whole), for print.

    WeasyPrint can wrap a long line itself, but its time grows with the square of the
    line's length: one 100,000-character line took 80 s.
    """

    def wrap(match: re.Match) -> str:
        if len(match.group(2)) <= PRINT_LINE_CHARS:
            return match.group(0)
        lines = []
        for line in match.group(2).split("\n"):
            if len(line) <= PRINT_LINE_CHARS:
                lines.append(line)
                continue
            pieces, shown = [], 0
            for token in re.findall(r"<[^>]*>|&#?\w+;|[^<&]+|[<&]", line):
                while not token.startswith(("<", "&")) and shown + len(token) > PRINT_LINE_CHARS:
                    room = PRINT_LINE_CHARS - shown
                    pieces += [token[:room], "\n"]
                    token, shown = token[room:], 0
                if token.startswith("&") and shown + 1 > PRINT_LINE_CHARS:
                    pieces.append("\n")
                    shown = 0
                pieces.append(token)
                shown += 0 if token.startswith("<") else (1 if token.startswith("&") else len(token))
            lines.append("".join(pieces))
        return match.group(1) + "\n".join(lines) + match.group(3)

    return re.sub(r"(<pre\b[^>]*>)(.*?)(</pre>)", wrap, page, flags=re.S)


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
    html = _wrap_long_lines(_charts_as_images(html))
    try:
        faces = fonts_module.on_demand_faces(html)
        if faces:
            stylesheets = [_on_demand_sheet(faces), *stylesheets]
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
