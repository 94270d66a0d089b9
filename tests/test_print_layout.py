"""The PDF's print layout: no page but the last ends more than a quarter blank.

Each page of the built report is rendered by pdftoppm (poppler-utils) at 50 dpi; the
blank share of a page is the part of its text area (inside the @page margins of
print.css) below the lowest inked row. Run as a script to print the shares of any PDF:

    .venv/bin/python tests/test_print_layout.py reports/report.pdf
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PRINT_CSS = Path(__file__).resolve().parents[1] / "src" / "newsfigures" / "report" / "style" / "print.css"
DPI = 50
#: Greyscale level under which a pixel counts as ink (the lightest rules drawn are about #ddd).
INK = 235


def _margins_mm() -> dict[str, float]:
    """The page margins in mm (``top, right, bottom, left``), from the @page rule of print.css."""
    block = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", PRINT_CSS.read_text(encoding="utf-8")).group(1)
    sizes = [float(v.removesuffix("mm")) for v in block.split()]
    # The CSS shorthand: one value for all four sides, two for top/bottom and sides, three with the bottom apart.
    sizes = {1: sizes * 4, 2: sizes * 2, 3: [*sizes, sizes[1]]}.get(len(sizes), sizes)
    return dict(zip(("top", "right", "bottom", "left"), sizes))


def _ink_boxes(pdf: Path, bottom_mm: float):
    """Each page (pdftoppm, greyscale, DPI) above ``bottom_mm`` from its foot: its size in
    pixels and the bounding box of its ink (None on a blank page)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        for png in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            image = Image.open(png).convert("L")
            width, height = image.size
            bottom = height - round(bottom_mm / 25.4 * DPI)
            yield (width, bottom), image.crop((0, 0, width, bottom)).point(lambda v: 255 if v < INK else 0).getbbox()


def page_foot_blank(pdf: Path) -> list[float]:
    """The blank share (0-1) of each page's text area below its last ink, page by page."""
    margins = _margins_mm()
    top = round(margins["top"] / 25.4 * DPI)
    shares = []
    for (_, bottom), ink in _ink_boxes(pdf, margins["bottom"]):
        last = max(0, ink[3] - top) if ink else 0
        shares.append((bottom - top - last) / (bottom - top))
    return shares


def page_side_overflow(pdf: Path) -> list[float]:
    """How far (mm) ink reaches into each page's left or right margin, page by page (0: none)."""
    margins = _margins_mm()
    reach = []
    # The footer's page number sits in the bottom margin: look above it.
    for (width, _), ink in _ink_boxes(pdf, margins["bottom"]):
        if ink is None:
            reach.append(0.0)
            continue
        left = margins["left"] - ink[0] / DPI * 25.4
        right = margins["right"] - (width - ink[2]) / DPI * 25.4
        reach.append(max(0.0, left, right))
    return reach


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (Debian's poppler-utils) is not installed")
def test_nothing_reaches_into_the_side_margins(built):
    # (1 mm of slack: a pixel at 50 dpi is half a millimetre.)
    over = {page: f"{mm:.1f} mm" for page, mm in enumerate(page_side_overflow(built.pdf), 1) if mm > 1.0}
    assert not over, f"ink in the side margins: {over}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (Debian's poppler-utils) is not installed")
def test_no_page_but_the_last_ends_more_than_a_quarter_blank(built):
    shares = page_foot_blank(built.pdf)
    assert len(shares) >= 2
    over = {page: f"{share:.0%}" for page, share in enumerate(shares[:-1], 1) if share > 0.25}
    assert not over, f"pages ending more than a quarter blank: {over}"


if __name__ == "__main__":
    for number, share in enumerate(
        page_foot_blank(Path(sys.argv[1] if len(sys.argv) > 1 else "reports/report.pdf")), 1
    ):
        print(f"page {number}: {share:5.1%} blank at the foot")
