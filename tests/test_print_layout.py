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


def _margins_mm() -> tuple[float, float]:
    """Top and bottom page margins in mm, from the @page rule of print.css."""
    block = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", PRINT_CSS.read_text(encoding="utf-8")).group(1)
    sizes = [float(v.removesuffix("mm")) for v in block.split()]
    top = sizes[0]
    bottom = sizes[2] if len(sizes) > 2 else top
    return top, bottom


def page_foot_blank(pdf: Path) -> list[float]:
    """The blank share (0-1) of each page's text area below its last ink, page by page."""
    from PIL import Image

    top_mm, bottom_mm = _margins_mm()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        shares = []
        for png in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            image = Image.open(png).convert("L")
            width, height = image.size
            top = round(top_mm / 25.4 * DPI)
            bottom = height - round(bottom_mm / 25.4 * DPI)
            area = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < INK else 0)
            box = area.getbbox()  # of the ink, now white on black
            last = box[3] if box else 0
            shares.append((bottom - top - last) / (bottom - top))
    return shares


def _side_margins_mm() -> tuple[float, float]:
    block = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", PRINT_CSS.read_text(encoding="utf-8")).group(1)
    sizes = [float(v.removesuffix("mm")) for v in block.split()]
    right = sizes[1] if len(sizes) > 1 else sizes[0]
    left = sizes[3] if len(sizes) > 3 else right
    return left, right


def page_side_overflow(pdf: Path) -> list[float]:
    """How far (mm) ink reaches into each page's left or right margin, page by page (0: none)."""
    from PIL import Image

    left_mm, right_mm = _side_margins_mm()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        reach = []
        for png in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            image = Image.open(png).convert("L")
            width, height = image.size
            # The footer's page number sits in the bottom margin: look above it.
            box = image.crop((0, 0, width, height - round(20 / 25.4 * DPI))).point(lambda v: 255 if v < INK else 0)
            ink = box.getbbox()
            if ink is None:
                reach.append(0.0)
                continue
            left = left_mm - ink[0] / DPI * 25.4
            right = right_mm - (width - ink[2]) / DPI * 25.4
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
