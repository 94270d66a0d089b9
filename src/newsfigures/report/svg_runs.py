"""Chart text in the PDF set a string at a time, not a letter at a time.

WeasyPrint draws each SVG ``<text>`` one letter after another: it shapes, measures and
writes every letter on its own, so that per-letter positions (lists in ``x``, ``y``,
``dx``, ``dy``, ``rotate``) can be honoured. Matplotlib gives one position per string,
and for the report's charts that loop was a seventh of the PDF's render time; it also
drops kerning, breaks the shaping of joined scripts, and writes one text operation per
letter. For a ``<text>`` with no per-letter positioning and no children, :func:`use_runs`
has WeasyPrint set the string as one run: the same start, font and anchor, one shaped
line (the bytes of the PDF differ; what a text search finds does not).

There is no public switch. WeasyPrint's letter loop iterates the node's text; the text is
handed to it as a string that iterates as one item, and put back after. The shortcut is
taken only on a WeasyPrint release it was checked on (:data:`KNOWN_RELEASES`) whose SVG
module still dispatches text to the function it replaces; otherwise WeasyPrint draws
letter by letter, as it would anyway. ``bench/render.py`` prints what it saves.
"""

from __future__ import annotations

import functools
import sys

#: WeasyPrint releases whose ``svg/text.py`` was read for this (major version).
KNOWN_RELEASES = ("70.",)
#: Attributes that position or stretch letters one by one: such text keeps the loop.
PER_LETTER = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing")


class _Run(str):
    """A string that iterates as one item, so WeasyPrint's letter loop sees one letter."""

    __slots__ = ()

    def __iter__(self):
        yield str(self)


def _one_position(node) -> bool:
    return all(len((node.get(name) or "").replace(",", " ").split()) <= 1 for name in ("x", "y"))


def _as_run(node) -> bool:
    text = node.text
    return (
        node.tag == "text"
        and isinstance(text, str)
        and len(text) > 1
        and not any(node.get(name) for name in PER_LETTER)
        and _one_position(node)
        and not any(True for _ in node)
    )


def use_runs(enabled: bool = True, weasyprint_version: str | None = None) -> str:
    """Have WeasyPrint set simple SVG text as runs (``enabled``) or letter by letter.

    Idempotent; affects this process's WeasyPrint. ``weasyprint_version`` overrides the
    installed release's, for tests of the guard.

    Returns:
        ``"runs"`` when runs are in use, ``"letters"`` otherwise (asked for, or a
        WeasyPrint this was not checked on).
    """
    import weasyprint
    import weasyprint.svg as svg

    tags = getattr(svg, "TAGS", None)
    current = getattr(svg, "text", None)
    if not isinstance(tags, dict) or current is None:
        return "letters"
    original = getattr(current, "__wrapped__", current)
    module = sys.modules.get("weasyprint.svg.text")
    version = weasyprint_version or getattr(weasyprint, "__version__", "")
    known = (
        version.startswith(KNOWN_RELEASES) and getattr(module, "text", None) is original and tags.get("text") is current
    )
    wanted = original
    if enabled and known:
        wanted = current if current is not original else _wrap(original)
    if wanted is not current:
        # draw_node tells text from other tags by comparing with the module's name
        # ``text``: both change together.
        for tag, function in list(tags.items()):
            if function is current:
                tags[tag] = wanted
        svg.text = wanted
    return "runs" if wanted is not original else "letters"


def _wrap(original):
    @functools.wraps(original)
    def text(svg, node, font_size):
        element = getattr(node, "_etree_node", None)
        if element is None or not _as_run(node):
            return original(svg, node, font_size)
        plain = element.text
        element.text = _Run(plain)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = plain

    return text
