"""The PDF's fonts: matplotlib's DejaVu faces, prepared once and kept in the build cache,
then Noto faces (OFL-1.1; the ``manimgx-fonts`` package and, for Chinese, Japanese and
Korean, ``cvttf-NotoSansCJK-Regular``) for what DejaVu lacks: emoji (monochrome Noto
Emoji), symbols, the scripts of South and South-East Asia and Ethiopia, and CJK. Every
text's font stack names them after DejaVu, so a character DejaVu has no glyph for is
drawn from them, never as a box, whatever fonts the system has.

Every cached face is stored with its SHA-256 beside it and checked on use, so a
damaged cache entry is made again instead of setting the report in the wrong face.
WeasyPrint is made to subset fonts with fontTools whether or not the system has
HarfBuzz's subsetting library, so the PDF's bytes do not depend on the machine.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from newsfigures.core import paths
from newsfigures.core.fileio import read_checked, write_checked

FACES = [
    ("NF Sans", "DejaVuSans.ttf", "normal", "normal"),
    ("NF Sans", "DejaVuSans-Bold.ttf", "bold", "normal"),
    ("NF Sans", "DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("NF Sans", "DejaVuSans-BoldOblique.ttf", "bold", "italic"),
    ("NF Mono", "DejaVuSansMono.ttf", "normal", "normal"),
]

#: Fallback families, in the order tried after DejaVu: (family, package, file in the package).
FALLBACKS = [
    ("NF Emoji", "manimgx_fonts", "NotoEmoji[wght].ttf"),
    ("NF Symbols", "manimgx_fonts", "NotoSansSymbols[wght].ttf"),
    *(
        (f"NF {script}", "manimgx_fonts", f"NotoSans{script}[wght].ttf")
        for script in (
            "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam",
            "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Ethiopic",
        )
    ),
    # Chinese, Japanese and Korean: Noto Sans CJK TC, a static OpenType face (the one
    # variable CJK collection on PyPI, manimgx-fonts-cjk, embeds as a broken font).
    ("NF CJK", "cvttf_NotoSansCJK_Regular", "NotoSansCJKtc-Regular.otf"),
]  # fmt: skip
#: Fallback families declared only for a page that has a character of theirs: reading the
#: 16 MB CJK face costs a render about 0.2 s, on a page that may have no use for it.
ON_DEMAND = {
    "NF CJK": re.compile(
        "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]"
    )
}
#: The fallback families as a CSS font-family list.
FALLBACK_STACK = ", ".join(f'"{family}"' for family, _, _ in FALLBACKS)


def fallback_path(package: str, file: str) -> Path:
    """A fallback face's file in its package, found without importing the package.

    Raises:
        ModuleNotFoundError: the package is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {package!r}", name=package)
    return Path(spec.submodule_search_locations[0]) / file


def fonts_dir() -> Path:
    """matplotlib's bundled DejaVu fonts, found without importing matplotlib (a third of
    a second this process does not otherwise need)."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


def print_fonts(cache_dir: Path | None = None) -> Path:
    """Return the folder of the PDF's DejaVu faces, without their OpenType layout tables,
    made where missing or damaged. (The fallback faces are read in place, from their
    packages: :func:`fallback_files`.)

    WeasyPrint drops those tables (GSUB, GPOS) from the fonts it embeds anyway, but only
    after fontTools has parsed them, which is most of the cost of writing the PDF.
    Without them, HarfBuzz kerns from the fonts' classic ``kern`` table.
    """
    import fontTools
    from fontTools.ttLib import TTFont

    sources = [fonts_dir() / file for _, file, _, _ in FACES]
    stamp = hashlib.sha256(
        repr([fontTools.version, "source timestamps"] + [(p.name, p.stat().st_size) for p in sources]).encode()
    )
    folder = (cache_dir or paths.CACHE_DIR) / "fonts" / stamp.hexdigest()[:16]
    for source in sources:
        target = folder / source.name
        if read_checked(target) is None:
            # The source's own timestamp, not now nor SOURCE_DATE_EPOCH: the same bytes
            # whichever build (or story) made the cache entry.
            font = TTFont(source, lazy=True, recalcTimestamp=False)
            for tag in ("GSUB", "GPOS"):
                if tag in font:
                    del font[tag]
            buffer = io.BytesIO()
            font.save(buffer)
            write_checked(target, buffer.getvalue())
    return folder


@functools.cache
def fallback_files() -> Mapping[str, Path]:
    """The fallback faces' files in their packages, by family, in the order of
    :data:`FALLBACKS` (looked up once per process). They are used whole and in place
    (their scripts need the layout tables; a copy would cost a cold build 20 MB of
    writing and every build the hashing).

    Raises:
        ModuleNotFoundError: a fallback face's package is not installed.
    """
    return MappingProxyType({family: fallback_path(package, file) for family, package, file in FALLBACKS})


def on_demand_faces(page: str) -> str:
    """The ``@font-face`` rules of the :data:`ON_DEMAND` faces that ``page`` has characters of."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in fallback_files().items()
        if family in ON_DEMAND and ON_DEMAND[family].search(page)
    )


def font_faces(folder: Path) -> str:
    """The ``@font-face`` rules for the DejaVu faces in ``folder`` and the fallback faces
    (but the :data:`ON_DEMAND` ones), and the font stacks of the PDF's text (DejaVu, then the fallbacks), which win
    over any other stylesheet's."""
    faces = [
        f'@font-face {{ font-family: "{family}"; src: url("{(folder / file).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in FACES
    ]
    faces += [
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in fallback_files().items()
        if family not in ON_DEMAND
    ]
    # More specific than any rule of print.css, so that its stacks get the fallbacks too.
    stacks = [
        f'html body, html body * {{ font-family: "NF Sans", {FALLBACK_STACK}, sans-serif !important; }}',
        f"html body pre, html body code, html body pre *, html body code * "
        f'{{ font-family: "NF Mono", {FALLBACK_STACK}, monospace !important; }}',
    ]
    return "\n".join(faces + stacks)


def one_subsetting_path() -> str:
    """Make WeasyPrint subset embedded fonts with fontTools, never libharfbuzz-subset.

    WeasyPrint uses HarfBuzz's subsetter when the system library is installed and
    fontTools otherwise; the two give different bytes. There is no public switch, so
    this clears the module attribute WeasyPrint checks; if a release renames it, the
    PDF is still written (by whichever path that release picks).

    Returns:
        ``"fonttools"``, or ``"weasyprint-default"`` when the switch was not found.
    """
    from weasyprint.pdf import fonts

    if hasattr(fonts, "harfbuzz_subset"):
        fonts.harfbuzz_subset = None
        return "fonttools"
    return "weasyprint-default"
