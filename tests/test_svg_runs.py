"""Chart text in the PDF is set a string at a time (newsfigures.report.svg_runs), at the
same positions as WeasyPrint's letter-by-letter drawing, and only where it was checked."""

from __future__ import annotations

import io

import pytest

from newsfigures.report import render, svg_runs

FONT = "font-size: 10px; font-family: 'NF Sans'"
SVG = f"""<svg class="nf-chart" xmlns="http://www.w3.org/2000/svg" width="300pt" height="100pt"
 viewBox="0 0 300 100"><title>Test chart</title>
<text x="10" y="20" style="{FONT}">Wavelength</text>
<text x="200" y="40" style="{FONT}; text-anchor: end">AV AV</text>
<text x="10 20 30" y="60" style="{FONT}">abc</text>
<text x="10" y="80" dx="0 4 4" style="{FONT}">xyz</text>
</svg>"""
PAGE = f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>Chart:</p>{SVG}</body></html>'


def _operations(pdf: bytes) -> list[tuple[str, list[float]]]:
    """The page's text matrices (``Tm``), shown texts (``TJ``), transforms (``cm``) and
    form drawings (``Do``), in order, forms' operations inlined where drawn."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(content, resources) -> None:
        forms = (resources or {}).get("/XObject") or {}
        for operands, operator in ContentStream(content, reader).operations:
            name = operator.decode()
            if name in ("Tm", "cm"):
                found.append((name, [float(o) for o in operands]))
            elif name == "TJ":
                found.append((name, []))
            elif name == "Do":
                form = forms[operands[0]].get_object()
                walk(form, form.get("/Resources"))

    page = reader.pages[0]
    walk(page.get_contents(), page["/Resources"])
    return found


@pytest.fixture(scope="module")
def pdfs():
    made = {}
    render._print_setup()  # which turns runs on: before they are switched here
    try:
        for kind in ("letters", "runs"):
            assert svg_runs.use_runs(kind == "runs") == kind
            made[kind] = render.render_pdf(PAGE, title="t")
    finally:
        svg_runs.use_runs()
    return made


def _starts(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(v[4], 3), round(v[5], 3)) for name, v in _operations(pdf) if name == "Tm"]


def test_runs_are_on_for_the_pinned_weasyprint():
    # An upgrade of the pin that the guard does not know fails here, to be checked anew.
    import weasyprint
    import weasyprint.svg

    assert svg_runs.use_runs() == "runs", weasyprint.__version__
    assert weasyprint.svg.TAGS["text"] is weasyprint.svg.text
    assert weasyprint.svg.TAGS["text"].__wrapped__ is weasyprint.svg.TAGS["tspan"].__wrapped__


def test_an_unknown_release_keeps_weasyprints_own_drawing():
    import weasyprint.svg
    from weasyprint.svg.text import text as original

    try:
        assert svg_runs.use_runs(weasyprint_version="99.0") == "letters"
        assert weasyprint.svg.TAGS["text"] is original and weasyprint.svg.text is original
        assert svg_runs.use_runs(False) == "letters"
    finally:
        assert svg_runs.use_runs() == "runs"
        assert svg_runs.use_runs() == "runs"  # idempotent: wrapped once
    assert weasyprint.svg.TAGS["text"].__wrapped__ is original


def test_a_string_is_one_text_operation_where_it_had_one_per_letter(pdfs):
    letters = [v for name, v in _operations(pdfs["letters"]) if name == "Tm"]
    runs = [v for name, v in _operations(pdfs["runs"]) if name == "Tm"]
    # "Wavelength" (10 letters) and "AV AV" (4, and a space that draws nothing) become
    # one each; "abc" and "xyz" are positioned letter by letter and stay three each.
    assert len(letters) - len(runs) == (10 - 1) + (4 - 1)


def test_strings_start_where_they_did_and_positioned_letters_stay_put(pdfs):
    letters, runs = set(_starts(pdfs["letters"])), _starts(pdfs["runs"])
    assert (10.0, 20.0) in runs  # "Wavelength", anchored at its start
    for start in [(10.0, 60.0), (20.0, 60.0), (30.0, 60.0)]:  # "abc", x per letter
        assert start in runs
    # "xyz" with dx per letter: the same three starts either way
    assert sorted(s for s in runs if s[1] == 80.0) == sorted(s for s in letters if s[1] == 80.0)
    assert len([s for s in runs if s[1] == 80.0]) == 3


def test_an_end_anchored_string_ends_where_it_did_give_or_take_kerning(pdfs):
    def shift(pdf: bytes) -> float:
        # The anchor's shift is the transform just before the form holding "AV AV".
        ops = _operations(pdf)
        index = next(i for i, (name, v) in enumerate(ops) if name == "Tm" and v[4:] == [200.0, 40.0])
        return next(v[4] for name, v in reversed(ops[:index]) if name == "cm" and v[:4] == [1, 0, 0, 1])

    letters, runs = shift(pdfs["letters"]), shift(pdfs["runs"])
    assert letters < -25 and runs < -25  # about 30 px: the string's width
    # Kerned as one run ("AV" kerns), the string is a little narrower: under 2 px of 30.
    assert 0 < runs - letters < 2


def test_a_text_search_finds_the_same_text(pdfs):
    from pypdf import PdfReader

    def text(pdf: bytes) -> str:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    found = text(pdfs["runs"])
    assert "Wavelength" in found and "AV AV" in found
    assert found == text(pdfs["letters"])
