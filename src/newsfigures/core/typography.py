"""Typography for generated text: curly apostrophes and quotes.

Strings built from data (a sheet's measure names, table captions, fact-check sentences)
arrive with typewriter quotes. :func:`curly` sets them as a typesetter would, and
:func:`curly_html` does the same to the text of an HTML page while leaving its markup,
code and links alone.
"""

from __future__ import annotations

import re

# Feet and inches (5'11", 12' 6.5") are measures, not quotes: they get true primes. A
# quote after any other number closes a quotation ("at least 3,000").
_FEET_INCHES = re.compile(r"(?<=\d)'(\s?\d{1,2}(?:\.\d+)?)\"")
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.I)
# Elided years and clipped words: 'the '90s', 'rock 'n' roll'. (A quote before a digit
# or a word it ends is an apostrophe, U+2019, not an opening quote.)
_ELISION = re.compile(r"(?<![\w'])'(?=\d\ds?\b|n\b|em\b|tis\b|twas\b)", re.I)


def _quotes(text: str) -> str:
    text = _FEET_INCHES.sub("\u2032\\1\u2033", text)
    text = _ELISION.sub("\u2019", text)
    # Apostrophes inside and at the end of words: North Korea's, the members' share.
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    # What is left opens after a space, a bracket or a dash, or at the start, and
    # closes otherwise.
    text = re.sub(r"(?:^|(?<=[\s(\[{\u2014\u2013/-]))'", "\u2018", text)
    text = text.replace("'", "\u2019")
    text = re.sub(r"(?:^|(?<=[\s(\[{\u2014\u2013/-]))\"", "\u201c", text)
    return text.replace('"', "\u201d")


def curly(text: str) -> str:
    """Return ``text`` with straight apostrophes and quotes made curly.

    ``North Korea's army`` becomes ``North Korea\u2019s army`` and ``"at least"``
    becomes ``\u201cat least\u201d``; a quote after a digit is a prime (``5\u203211\u2033``),
    and URLs are left exactly as they are. Text without straight quotes is returned
    unchanged.
    """
    if "'" not in text and '"' not in text:
        return text
    pieces, last = [], 0
    for match in _URL.finditer(text):
        pieces += [_quotes(text[last : match.start()]), match.group(0)]
        last = match.end()
    pieces.append(_quotes(text[last:]))
    return "".join(pieces)


_SKIP = re.compile(r"(<(code|pre|script|style|kbd|samp|svg)\b.*?</\2\s*>)|(<[^>]*>)", re.S | re.I)


def map_text(page: str, change) -> str:
    """Return an HTML page or fragment with ``change(text)`` applied to each run of text
    between tags, leaving tags, their attributes and everything inside ``<code>``,
    ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>`` and ``<svg>`` as they are."""
    out, last = [], 0
    for match in _SKIP.finditer(page):
        out += [change(page[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(change(page[last:]))
    return "".join(out)


def curly_html(page: str) -> str:
    """Return an HTML page or fragment with :func:`curly` applied to its text nodes
    (:func:`map_text`). Quotes written as the entities ``&#39;`` and ``&quot;`` (as
    :func:`html.escape` writes them) are treated like the characters.
    """
    return map_text(page, _text)


def _text(fragment: str) -> str:
    if not fragment or not any(mark in fragment for mark in ("'", '"', "&#39;", "&#x27;", "&quot;", "&#34;")):
        return fragment
    plain = fragment.replace("&#39;", "'").replace("&#x27;", "'").replace("&quot;", '"').replace("&#34;", '"')
    if "'" not in plain and '"' not in plain:
        return fragment
    return curly(plain)
