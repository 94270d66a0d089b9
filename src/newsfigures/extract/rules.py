"""Figures in an article's text, as the same tidy rows a figure sheet holds.

:func:`extract_figures` reads plain text and returns one row per quantitative claim:
the number, the qualifier printed with it and the inclusive bounds that qualifier
implies (the conventions of :mod:`newsfigures.core.figures`), its unit and kind, whom the
sentence credits for it, and where it stands in the text.

How it works, in one pass: a single compiled regular expression, built from the
vocabularies of :mod:`newsfigures.extract.vocabulary`, finds every number phrase in the text (digits, number words and
scales, percentages, money, fractions, vague magnitudes, qualifiers and ranges) and,
in the same scan, consumes the things that look like numbers but are not figures
(dates, years, clock times, ordinals, phone numbers, identifiers such as "Article 5").
Each match is then read into a row by a few small functions: its value and bounds,
its unit from the words around it, and the nearest attribution phrase in its sentence.
Time and memory grow linearly with the text.
"""

from __future__ import annotations

import bisect
import math
import re
from fractions import Fraction

import pandas as pd
from text_to_num import text2num

from newsfigures.core.figures import COLUMNS as SHEET_COLUMNS
from newsfigures.core.patterns import compile_pattern
from newsfigures.core.qualifiers import INCLUSIVE, OR_EQUAL, point_bounds
from newsfigures.extract.vocabulary import (
    _ABBREVIATIONS,
    _CASUALTY_WORDS,
    _CHANGE_VERBS,
    _CURRENCY_CODES,
    _CURRENCY_SYMBOLS,
    _CURRENCY_WORDS,
    _DENOMINATORS,
    _DETERMINERS,
    _DOLLAR_PREFIXES,
    _GROUP_NOUNS,
    _IDENTIFIER_WORDS,
    _LOWER_CODES,
    _MEASURE_UNITS,
    _MONTHS,
    _NOT_NAMES,
    _OBJECT_VERBS,
    _PERSON_NOUNS,
    _POSTFIX_QUALIFIERS,
    _SAY_VERBS,
    _SCALE_ABBREVIATIONS,
    _SCALES,
    _SMALL,
    _SOURCE_NOUNS,
    _SUFFIX_UNITS,
    _TENS,
    _TIME_UNITS,
    _UNIT_ABBREVIATIONS,
    _VERBS_AFTER,
    _VULGAR,
    _WEIGHT_WORDS,
    QUALIFIER_PHRASES,
    _unnamed,
    _words,
)

# --- Patterns --------------------------------------------------------------------------


_SCALE_WORD = _words(_SCALES, capitalised=False)
_BIG_SCALE = _words([w for w in _SCALES if w not in ("hundred", "dozen", "dozens")], capitalised=False)
_UNIT_WORD = _words(list(_SMALL)[1:10])
_TENS_WORD = _words(_TENS)
# A number below 100 in words: "seven", "nineteen", "forty-two", "fifty - two", "fifty two"
_BELOW_100 = rf"(?:{_TENS_WORD}(?:(?:\s*-\s*|\s+){_words(list(_SMALL)[1:10], False)}\b)?|{_words(list(_SMALL))})\b"
_SMALL_WORD = _BELOW_100
# Below 1,000: "two hundred and forty", "a hundred and five", "twenty-two hundred"
# (written so that a word that is no number is tried once, not twice)
_GROUP = (
    rf"(?:{_BELOW_100}(?:[\s-]+hundred\b(?:\s+(?:and\s+)?{_BELOW_100})?)?"
    rf"|[Aa]n?[\s-]+hundred\b(?:\s+(?:and\s+)?{_BELOW_100})?)"
)
# Spoken decimals: "two point five", "two hundred point zero three"
_POINT = rf"\s+point(?:\s+(?:{_words(list(_SMALL)[:10], False)})\b)+|\s+point\s+{_BELOW_100}"
# Digits: thousands set off by commas or by (no-break, narrow no-break, thin) spaces, Indian
# grouping ("12,34,567"), decimals; not inside "F-16", "1.2.3", "3:1".
_DIGITS = (
    # (the lookahead first: the lookbehinds below would otherwise be tried at every letter)
    r"(?=[\d.½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])(?:(?<![\w.,:/])|(?<=USD)|(?<=EUR)|(?<=GBP)|(?<=CHF))(?:(?<![A-Za-z]-)|(?<=\d(?:bn|mn|tn)-)|(?<=\d[mkb]-))(?:\d{1,2}(?:,\d\d)+,\d{3}(?![\d,])|\d{1,3}(?:,\d{3})+(?!\d)"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}(?!\d|,\d))+|\d+)(?:\.\d+)?(?:\s?[½⅓⅔¼¾⅛⅜⅝⅞])?"
    r"|(?<![\w.,])\.\d+|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]"
)
_NUMBER = (
    # "half a million", "a quarter of a million", "a quarter-million", "three quarters of a billion"
    rf"(?=[HhAaOoQqTtFfSsEeNn])(?:[Hh]alf|(?:(?:[Aa]|[Oo]ne)[\s-])?[Qq]uarter|{_UNIT_WORD}[\s-](?:quarters|thirds))"
    rf"(?:\s+of\s+an?\s+|\s+an?\s+|[\s-])(?:{_BIG_SCALE}|dozen)\b"
    # "a million", "one hundred"; not the "a" of "a million-strong army"
    rf"|[Aa]n?\s+{_SCALE_WORD}\b(?![-\u2011]strong)(?:\s+and\s+{_BELOW_100})?"
    # "3/4", "2 1/2" (a date "9/11" is skipped before this is tried)
    r"|(?=\d)(?<![\w.,:/])(?:\d{1,3}\s+)?\d{1,2}/\d{1,2}(?![\d/])"
    rf"|(?:{_DIGITS})(?:\s+hundred\b(?:\s+and\s+\d{{1,2}}(?![\d,.]))?)?"
    # number words: "twenty-five", "three hundred and fifty", "two point five"
    rf"|{_GROUP}(?:{_POINT})?"
)
# A number's sign: "-4", "\u22123.2%", "minus 5", "negative ten"
_SIGN = r"(?=[-\u2212MmNn])(?:(?<![\w\-\u2011.,])[-\u2212](?=[\d.$\u20ac\u00a3])|(?:[Mm]inus|[Nn]egative)\s+)"
# "and a half" after a number or its scale: "one and a half", "3 million and a half"
_AND_FRACTION = r"\s+and\s+(?:an?|one)\s+(?:half|quarter|third|fourth|fifth)\b"
_SCALE = (
    rf"(?:(?:\s+|[-\u2011](?!{_SCALE_WORD}[-\u2011]strong)){_SCALE_WORD}\b){{1,2}}"
    # "one million two hundred thousand", "two thousand and two hundred", "4 thousand 3 hundred and 21"
    rf"(?:\s+(?:{_GROUP}|\d{{1,3}})\s+{_BIG_SCALE}\b|\s+(?:{_GROUP}|\d{{1,3}})\s+hundred\b(?:\s+and\s+(?:{_BELOW_100}|\d{{1,2}}))?)*"
    rf"(?:\s+and\s+{_GROUP}(?![\s-]*(?:{_SCALE_WORD}|point|{_words(_DENOMINATORS, False)})\b))?"
    r"|\s?(?:bn|bln|mn|mln|tn|trn|tln)\b|(?<=\d)(?:m|k|b|M|K|B|MM|mil)\b|\s(?:k|K)\b(?!\s*\d)"
)
_CODES = _words(_CURRENCY_CODES, False)
_PERCENT = (
    r"\s?%(?![0-9A-Fa-f]{2})|\s?(?:percentage|basis)\s+points?\b|\s?(?:percents?|per\s?cent|pct|bps|pp)\b"
    r"|\s?percentage\b(?!\s+of)"
)
_CURRENCY_AFTER = (
    rf"\s?(?:{_CODES}|M(?:USD|EUR|GBP|AUD|CHF))\b(?:\s+(?:thousand|million|billion|trillion)\b)?"
    rf"|[\s-]{_words(_CURRENCY_WORDS)}\b"
    rf"|\s{_words(_LOWER_CODES, False)}\b|(?<=\d)p\b|\s?[$€£¥₹₽₩₴₺₪₦₱₫₡₾₭₿](?!\d)"
)
_SUFFIX = (
    rf"{_PERCENT}"
    r"|[-\u2011]strong\b"
    # with a space: after a scale word ("a million strong army") or ending the phrase
    # ("is 3,000 strong."), so that "two strong candidates" stays two candidates
    r"|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+strong\b|\s+strong\b(?!\s+(?!(?:and|or|but)\b)[A-Za-z])"
    r"|[\s-](?:year|month|week|day)s?[\s-]olds?\b"
    r"|\s?\u00b0\s?[CF]\b|(?<=\d)[CF]\b|\s+degrees(?:\s+(?:[Cc]elsius|[Ff]ahrenheit))?\b"
    rf"|{_CURRENCY_AFTER}"
    rf"|[\s-]?{_words(_UNIT_ABBREVIATIONS, False)}(?![\w/])"
    rf"|[\s-]{_words([u for u in _MEASURE_UNITS if u not in _UNIT_ABBREVIATIONS and len(u) > 2], False)}\b"
    rf"|[\s-]{_words(_TIME_UNITS, False)}\b"
)
# Capitals, or glued in any case ("usd$ 15"); one letter only glued ("C$"), so "a $5 fee" stays dollars.
_DOLLAR = (
    rf"{_words([p.upper() for p in _DOLLAR_PREFIXES if len(p) > 1], False)}\s?\$"
    rf"|(?i:{_words(_DOLLAR_PREFIXES, False)})\$"
)
_CURRENCY_FIRSTS = {
    c
    for w in [*_DOLLAR_PREFIXES, *_CURRENCY_SYMBOLS, *_CURRENCY_CODES, *_LOWER_CODES, "M"]
    for c in (w[0].lower(), w[0].upper())
}
_CURRENCY = (
    rf"(?=[{''.join(map(re.escape, sorted(_CURRENCY_FIRSTS)))}])"
    rf"(?:{_DOLLAR}|{_words(_CURRENCY_SYMBOLS, False)}|(?:{_CODES}|M(?:USD|EUR|GBP|AUD))(?:\s|(?=\d))"
    rf"|{_words(_LOWER_CODES, False)}\s)"
)
#: One quantity: currency, number, scale and unit, e.g. "$32.8 billion", "41.1%", "1.5m".
_QUANTITY = compile_pattern(
    rf"(?P<sign>{_SIGN})?(?:(?P<currency>{_CURRENCY})\s?)?(?P<number>{_NUMBER})(?P<and1>{_AND_FRACTION})?"
    rf"(?P<scale>{_SCALE})?(?P<and2>{_AND_FRACTION})?(?P<suffix>{_SUFFIX})?"
    # "3 dollars 50 cents", "thirteen dollars and forty-five cents"
    rf"(?P<cents>(?:(?<=dollars)|(?<=[Uu][Ss][Dd]))\s+(?:and\s+)?(?:\d{{1,2}}|{_BELOW_100})(?:\s+cents?\b|(?=\s*[.,;!?]|\s*$|\s+more\b)))?"
)
_Q = _unnamed(_QUANTITY.pattern)
_DEN_SINGULAR = _words([d for d in _DENOMINATORS if not d.endswith("s") and d != "halves"], False)
_DEN_PLURAL = _words([d for d in _DENOMINATORS if d.endswith("s")], False)
_FRACTION = (
    rf"(?:(?:{_words(list(_SMALL)[2:10])})(?:\s*-\s*|\s+)(?:{_DEN_PLURAL})"
    # "a quarter of", "one-eighth", "a half" at a clause's end, "cut by a quarter."
    rf"|(?:[Aa]n?|[Oo]ne)(?:\s*-\s*|\s+)(?:{_DEN_SINGULAR})(?=\s+of\b|\s*[.,;:!?)]|\s*$|\s+(?:and|or|but)\b)"
    r"|[Hh]alf(?=\s+(?:of|the|its|their|his|her|our|all|these|those|people)\b|\s*[.,;:!?)]|\s*$))\b"
    rf"(?!(?:\s+of)?\s+an?\s+{_SCALE_WORD}\b|[\s-]{_SCALE_WORD}\b)"
)
# Proportions: "one in five", "4 in 10", "three out of 40", "eight times out of ten" (not "5 in 10 minutes").
_PROPORTION = (
    rf"(?:{_GROUP}|\d{{1,3}})(?:\s+times)?\s+(?:in|out\s+of)\s+(?:{_GROUP}|\d{{1,3}}(?:,\d{{3}})?(?![\d,]))"
    rf"(?![\s-]*(?:%|per|{_words(_TIME_UNITS, False)}\b|{_words(_MEASURE_UNITS, False)}\b|{_SCALE_WORD}\b))"
)
_VAGUE = (
    r"(?:[Tt]ens|[Hh]undreds)\s+of\s+(?:thousands|millions|billions)\b"
    rf"|(?:[Ss]everal|[Aa]\s+few|[Mm]any)\s+{_SCALE_WORD}s?(?:\s+(?:thousand|million|billion))?\b"
    r"|(?:[Dd]ozens|[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions)\b"
)
_MONTH = _words(_MONTHS, capitalised=False) + r"\b\.?"
_YEAR = r"(?:1[5-9]|20)\d\d"
_NOT_FIGURES = (
    # dates: "Oct. 24, 2024", "24 October", "October 2024", "2024-10-24", "10/24/2024", "9/11"
    rf"{_MONTH}\s+{_YEAR}\b|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"
    r"|\d{4}-\d\d-\d\d\b|\d{1,2}/\d{1,2}/\d{2,4}\b"
    # "9/11", "24/7", but not a plain fraction ("3/4", "1/2", "7/10")
    r"|(?=\d)(?!(?:1/[2-58]|2/[35]|3/[458]|4/5|[1357]/8|[1379]/10)(?!\d))\d{1,2}/\d{1,2}\b"
    # photo-caption counters ("Image 3 of 12", a line ending "3 of 12") and ranks ("top ten")
    r"|(?=[IPSV])(?:Image|Photo|Picture|Slide|Photograph|Video)s?\s+\d+\s+of\s+\d+"
    r"|\d{1,3}\s+of\s+\d{1,3}(?=[ \t]*(?:\n|$))"
    rf"|[Tt]op[\s-]+(?:\d+|{_BELOW_100})\b(?!\s*(?:%|per\s?cent|percent))"
    # year spans and decades: "2022-23", "2014-2016", "the 1990s", "the '90s"
    rf"|{_YEAR}\s*[-\u2013/]\s*(?:{_YEAR}|\d\d)\b|\d{{0,2}}\d0s\b|['\u2019]\d0s\b"
    # clock times: "3 p.m.", "10:30", "9am", "1400 GMT"
    r"|\d{1,4}(?:[:.]\d\d)?\s*(?:[AaPp]\.?[Mm]\.?(?!\w)|GMT\b|UTC\b|BST\b|CET\b|[ECMP][SD]?T\b|o['\u2019]clock\b)"
    r"|\d{1,2}:\d\d(?::\d\d)?\b"
    # ordinals: "21st", "3rd"
    r"|\d+(?:st|nd|rd|th)\b"
    # phone numbers: "+1 202-555-0143", "(202) 555-0143", "555-0143"
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}|(?:\(\d{2,4}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\d{3}-\d{4}\b"
    # identifiers: "Article 5", "No. 10", "Boeing 737"
    rf"|(?:{_words(_IDENTIFIER_WORDS, False)}\.?|No\.|no\.)\s*\d[\d.,:/-]*\w*"
)
_RANGE_SEP = r"\s*[-\u2013\u2014~]\s*|\s+(?:to|through|thru)\s+"
# A postfix is not the start of another comparative: "10 and more than 40" is two.
_POSTFIX = (
    "(?:"
    + "|".join(
        r"\+" if p == "+" else r"[-\u2011\s]plus\b" if p == "plus" else rf"\s+{_words([p], False)}\b"
        for p in sorted(_POSTFIX_QUALIFIERS, key=len, reverse=True)
    )
    + r")(?!\s+(?:[-\u2212]?[\d$\u20ac\u00a3]|(?:than|an?|one|two|three|four|five|six|seven|eight|nine|ten|half)\b))"
)
_OR_EQUAL = rf"\s+{_words(OR_EQUAL, False)}\b"
_QUALIFIER = rf"{_words(QUALIFIER_PHRASES)}(?:(?<=[<>=~\u2248\u2264\u2265.])\s*|\s+)"
# "above the 10,000 mark", "around the 80% mark"
_THE_MARK = r"(?:the\s+(?=\S+\s+(?:mark|level|threshold|barrier)\b))?"


#: Every figure (and every look-alike that is not one), found in one scan.
_SCAN = compile_pattern(
    r"(?<![\w\-\u2011=<>])(?:"
    rf"(?P<skip>{_NOT_FIGURES})"
    rf"|(?P<range>(?P<range_word>[Bb]etween|[Ff]rom)\s+{_Q}(?:\s+(?:and|to)\s+|\s*[-\u2013]\s*){_Q})"
    rf"|(?P<vague>{_VAGUE})"
    r"|(?P<strong>(?:[Hh]undred|[Tt]housand|[Mm]illion)[-\u2011]strong)\b"
    rf"|(?:(?P<qualifier>{_QUALIFIER}){_THE_MARK})?"
    rf"(?P<figure>(?P<fraction>{_FRACTION})|(?P<proportion>{_PROPORTION})|{_Q}(?:(?:{_RANGE_SEP}){_Q})?)"
    rf"(?P<postfix>{_POSTFIX})?(?P<or_equal>{_OR_EQUAL})?"
    # a second comparative joined to the first: "more than 100 and less than 300"
    rf"(?(qualifier)(?P<joined>(?:,?\s+(?:and|but)\s+|,\s+){_QUALIFIER}{_Q})?)"
    r")"
)

_JOINED_PART = compile_pattern(
    rf"(?P<qualifier>{_words(QUALIFIER_PHRASES)})(?:(?<=[<>=~\u2248\u2264\u2265.])\s*|\s+){_QUANTITY.pattern}"
)
_NATIONALITY = compile_pattern(r"[A-Z][a-z]+(?:ans|ese|is)\b")  # "Ukrainians", "Chinese", "Israelis"
_PERSON = rf"{_words(_PERSON_NOUNS)}\b|{_NATIONALITY.pattern}"
# Earlier in the sentence, a person or a group of people makes a bare number a count of people.
_PEOPLE_WORDS = {w.lower() for w in _PERSON_NOUNS + _GROUP_NOUNS}
_WORD = compile_pattern(r"[A-Za-z]+")
_STOP = _words(
    "and or but nor than to from in on at by with for of the a an that who which whom whose "
    "were was is are be been being have has had will would could should can may might must do "
    "did does not no so as if before after during since until among within across into against "
    "per each more less them they it us we you he she those these this its their his her our my your "
    "while whereas although though because when where unless also now still just only even yet "
    "however meanwhile then".split()
)
# The words right after a number: a person noun within three words, or the first word.
_PERSON_AFTER = compile_pattern(rf"\s+(?:of\s+)?(?:(?!{_STOP}\b)[\w'\u2019.-]+\s+){{0,3}}?(?:{_PERSON})")
_WORD_AFTER = compile_pattern(rf"\s+(?:of\s+)?(?!{_STOP}\b|{_words(_VERBS_AFTER, False)}\b|[a-z]+ed\b)[A-Za-z]")
# Up to eight whole words, then a casualty word, without leaving the clause. Separators are
# never empty, so a word cannot be split two ways (no backtracking blow-up on long text).
_CASUALTY_AHEAD = compile_pattern(
    rf"(?:[^\w.;:!?'\u2019-]+[\w'\u2019-]+){{0,8}}?[^\w.;:!?'\u2019-]+{_words(_CASUALTY_WORDS, False)}\b"
)
_CASUALTY_NEXT = compile_pattern(rf"\s+{_words(_CASUALTY_WORDS, False)}\b")
# Verbs whose object is people, right before a figure: "the attacks killed nearly 3,000".
_CASUALTY_BEFORE = compile_pattern(rf"\b{_words(_OBJECT_VERBS, False)}\s+$")
# An aside set off by dashes after a figure ("at least 3,000 -- and possibly 10,000 --
# troops"), or the dash closing one: the counted noun comes after it.
_ASIDE_AFTER = compile_pattern(r"\s*(?:[\u2014\u2013]|--)(?:[^\u2014\u2013.;:!?]{1,80}?(?:[\u2014\u2013]|--))?(?=\s)")
# A singular noun joined to a number: "the 1,000-page report", "a 12-member panel".
_COMPOUND = compile_pattern(r"[-\u2011](?P<noun>[a-z]+)\b(?![-\u2011]\w)")
# A person's age: "Kim, 40, met ..." (a bare number set off by commas after a name) and "aged 40".
_AGED_BEFORE = compile_pattern(r"\b(?:[Aa]ged|[Aa]ges?|[Aa]ge\s+of)\s+$")
_AGE_QUALIFIERS = {"more_than", "less_than", "at_least", "at_most"}
_AGE_GROUP_BEFORE = compile_pattern(
    r"\b(?:adults|people|persons|children|kids|men|women|patients|pensioners|those|anyone|everyone|voters|"
    r"residents|workers|drivers|teenagers|boys|girls|citizens|individuals|Americans|Britons)(?:\s+aged)?\s+$"
)
_AGE_AFTER = compile_pattern(r"\s*(?:[,)]|[.;!?](?:\s|$))")
_CURRENCY_OF = compile_pattern(rf"\s+of\s+({_words(_CURRENCY_WORDS, False)})\b")
_NOT_AFTER = compile_pattern(
    rf"\s+(?:ago|later|earlier|from\s+now)\b|\s*[-\u2013]?\s*{_MONTH}|\s*(?:[AaPp]\.?[Mm]\.?(?!\w)|GMT\b|UTC\b)"
    r"|[:/]\d"
)
# A qualifier after the counted noun: "200 roads or more", "50 people or fewer", ending the phrase
# ("... or more, ...", "... or fewer attended"), so that "200 roads or more bridges" is left alone.
_POSTFIX_AFTER_NOUN = compile_pattern(
    rf"(?:\s+(?!{_STOP}\b)[a-z][a-z'\u2019-]*){{1,2}}?"
    rf"\s+(?P<postfix>{_words([p for p in _POSTFIX_QUALIFIERS if p.startswith('or ')], False)})\b"
    rf"(?!\s+than\b)(?=\s*(?:[.,;:!?)\u2014]|$)|\s+(?:{_STOP}\b|[a-z]+ed\b))"
)
_CHANGE_BEFORE = compile_pattern(rf"\b{_words(_CHANGE_VERBS)}\s+$")
_DETERMINER_BEFORE = compile_pattern(rf"\b{_words(_DETERMINERS)}\s+$")

_NAME = (
    rf"(?!(?:{'|'.join(_NOT_NAMES)})\b)(?:(?:[A-Z]\.){{2,}}|(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Sen|Rep|Gov|Adm)\."
    r"|[A-Z][\w'\u2019&-]*)"
)
_SAY = _words(_SAY_VERBS, False)
_LOWER = rf"(?!{_STOP}\b)[a-z][\w'\u2019-]*"
# A bare source needs a name, a source noun, or an agent noun ("engineers", "economists").
_SOURCE_NOUN = rf"(?:{_words(_SOURCE_NOUNS, False)}|(?!{_STOP}\b)[a-z]+(?:ers|ists|ians|ants|ents|als|ors))\b"
_SOURCE_WORD = rf"(?:{_NAME}|(?:{_LOWER}\s+)?{_SOURCE_NOUN}|[a-z]+['\u2019]s\b)"
_OF = r"\s+(?:(?:of|for|and|&)\s+(?:the\s+)?)?"
_SOURCE = (
    r"(?<![\w'\u2019.-])(?:"
    # "the U.S.", "the regional governor's office", "a senior officer", "the Institute for the Study of War"
    rf"(?:[Tt]he|[Aa]n?)\s+(?:(?:{_NAME}|{_LOWER}){_OF}){{0,4}}(?:{_NAME}|{_LOWER})"
    # "Western intelligence officials", "Maria Ortega", "union leaders"
    rf"|{_SOURCE_WORD}(?:{_OF}{_SOURCE_WORD}){{0,5}}"
    r")"
)
# Words that may stand between a source and its verb: "officials now expect", "the ministry has said".
_AUXILIARY = (
    r"(?:\s+(?:now|also|still|previously|earlier|later|initially|privately|publicly"
    r"|have|has|had|did|do|does|will|would|could|may|might))*"
)
#: Attribution phrases inside a sentence: "according to X", "X says", ", said X."
#: ``aside`` marks a phrase set off from what it reports ("..., the U.S. says, ...",
#: "..., said X."); the other kind introduces what follows it ("officials said the ...").
_ATTRIBUTION = compile_pattern(
    rf"[Aa]ccording\s+to\s+(?P<according>{_SOURCE})"
    # "..., per IISS." and "Per the ministry, ...": "per" after a comma, bracket or dash, or
    # capitalised; a rate ("$5 per barrel", "per capita") follows its number with no comma.
    rf"|(?:(?<=[,(\u2014\u2013])\s*|(?<![\w'\u2019.-])(?=Per\b))[Pp]er\s+(?P<per>{_SOURCE})"
    rf"|(?P<before>{_SOURCE})(?:,\s+(?P<apposition>[^,.;:!?\u201c\u201d\"]{{2,80}}?),)?{_AUXILIARY}\s+{_SAY}\b(?P<aside>(?=\s*(?:[.,;:!?\u201d\"\u2014]|$)))?"
    rf"|(?<=[,\u201d\"])\s*{_SAY}\s+(?P<after>{_SOURCE})(?=\s*(?:[.,;!?]|$))"
)
# Every attribution phrase holds one of these: a speech verb, "according to" or "per".
_ATTRIBUTION_HINT = compile_pattern(rf"{_SAY}\b|[Aa]ccording\s+to|[Pp]er\s")
_NAMES_ONLY = compile_pattern(rf"{_NAME}(?:\s+{_NAME})*")
# A name before an appositive age; not a place after a preposition ("in Kharkiv, 40 ...").
_NAME_BEFORE = compile_pattern(
    "".join(rf"(?<!\b{w} )" for p in "in at on to from near".split() for w in (p, p.capitalize()))
    + rf"(?<![\w'\u2019.-]){_NAME}(?:\s+{_NAME})*,\s*$"
)
# Between a figure and a later "X said ..." phrase, this ends the figure's clause.
# Between an attribution and a later figure, this ends the phrase's reach: "..., a poll found, while ...".
_STRONG_BREAK = compile_pattern(r"[;:]|,\s+(?:while|whereas|although|though|but|yet)\b")
_CLAUSE_BREAK = compile_pattern(r"[;:]|,\s+(?:and|but|while|whereas|although|though|as|yet)\b")
#: Longest sentence kept whole, in characters; longer runs without a full stop are cut at a
#: space, so that attribution and the ``sentence`` column stay linear in the text.
MAX_SENTENCE = 1000
_SENTENCE_END = compile_pattern(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])|\n")

# The sheet's columns keep the sheet's dtypes; ``sentence`` and ``kind`` are the extractor's own.
_SHEET_PART = ("value", "lower", "upper", "unit", "qualifier", "attribution", "surface", "char_start", "char_end")
_COLUMNS = {**{c: SHEET_COLUMNS[c] for c in _SHEET_PART}, "sentence": "str", "kind": "str"}

# --- Reading one match -------------------------------------------------------------------


_SPACES = compile_pattern(r"[\s\-\u2011]+")
_PLAIN = compile_pattern(r"\d[\d,]*(?:\.\d+)?")
_WHOLE_WORDS = compile_pattern(
    r"(?!.*\b(?:a|an|half|quarter|dozens?|point|lakhs?|crores?)\b)[A-Za-z][A-Za-z\s-]*", re.IGNORECASE
)
_TOKEN = compile_pattern(r"\d+/\d+|[\d.]*\d|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]|[A-Za-z]+")
_DIGIT_WORDS = {w: str(i) for w, i in _SMALL.items() if i < 10}


def _decimal(digits: str) -> int | Fraction:
    """ "3000" as an int, "41.1" or ".5" as an exact Fraction: ints and Fractions mix exactly, and
    building them from ints spares the string parsing of ``Fraction("41.1")`` on every figure."""
    whole, dot, decimals = digits.partition(".")
    if not dot:
        return int(whole)
    return Fraction(int(whole + decimals), 10 ** len(decimals))


def _number_value(text: str) -> int | Fraction:
    """The value of a number phrase: "3,000", "12 000", "1.2 million", "two hundred and fifty",
    "half a million", "one and a half", "2 1/2", "½", "two point five", "three lakh crore"."""
    if _PLAIN.fullmatch(text):
        return _decimal(text.replace(",", ""))  # most figures: "3,000", "41.1"
    if _WHOLE_WORDS.fullmatch(text):
        # Whole numbers in words ("two hundred and forty", "one million two hundred thousand"):
        # text2num reads them; it declines "a hundred", "half a million", "two point five" and
        # Indian scales, which the reader below handles.
        try:
            return Fraction(text2num(re.sub(r"\s*-\s*|\s+", lambda m: "-" if "-" in m[0] else " ", text.lower()), "en"))
        except ValueError:
            pass
    text = re.sub(r"(?<=\d)[,\u00a0\u202f\u2009 ](?=\d{2,3}(?!/))", "", text.lower())
    integer, _, decimals = re.split(r"\b(point)\b", text, maxsplit=1) if " point " in text else (text, "", "")
    total, group, last_scale, after_scale = 0, None, 1, False
    tokens = _TOKEN.findall(integer)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token == "and"
            and i + 2 < len(tokens)
            and tokens[i + 1] in ("a", "an", "one")
            and tokens[i + 2] in _DENOMINATORS
        ):
            part = Fraction(1, _DENOMINATORS[tokens[i + 2]])
            if group is None and total:
                total += part * last_scale  # "3 million and a half"
            else:
                group = (group or 0) + part
            i += 3
            continue
        if token[0].isdigit() or token[0] == ".":
            group = (group or 0) + (Fraction(*map(int, token.split("/"))) if "/" in token else _decimal(token))
        elif token in _VULGAR:
            group = (group or 0) + _VULGAR[token]
        elif token in _SMALL or token in _TENS:
            group = (group or 0) + _SMALL.get(token, _TENS.get(token, 0))
        elif token in ("a", "an", "one") and group is None:
            group = Fraction(1)
        elif token in _DENOMINATORS:
            group = Fraction(1 if group is None else group, _DENOMINATORS[token])
        elif token in ("hundred", "dozen", "dozens"):
            group = (1 if group is None else group) * _SCALES[token]
        elif token in _SCALES or token in _SCALE_ABBREVIATIONS:
            scale = _SCALES.get(token, _SCALE_ABBREVIATIONS.get(token, 1))
            if group is None and after_scale and last_scale < scale:
                total *= scale  # "lakh crore", "thousand billion"
            else:
                total += (1 if group is None else group) * scale
            group, last_scale = None, scale
            after_scale = True
            i += 1
            continue
        after_scale = False
        i += 1
    value = total + (group or 0)
    if decimals:
        words = re.findall(r"[a-z]+", decimals)
        if all(w in _DIGIT_WORDS for w in words):
            digits = "".join(_DIGIT_WORDS[w] for w in words)
        else:
            digits = str(int(_number_value(decimals)))  # "point seventy-one"
        value += Fraction(f"0.{digits}")
    return value


def _quantity(match: re.Match) -> dict:
    """Read one :data:`_QUANTITY` match into value, unit, kind and what was printed."""
    number, scale = match["number"], (match["scale"] or "").strip()
    if scale in ("M", "B", "K", "MM"):
        scale = {"M": "m", "B": "b", "K": "k", "MM": "mn"}[scale]
    # "-year-old" -> "year old", " per  cent" -> "per cent", "\u00b0C" -> "C"
    suffix = match["suffix"] or ""
    if suffix:
        suffix = _SPACES.sub(" ", suffix.replace("\u00b0", "")).strip()
    unit, kind = _SUFFIX_UNITS.get(suffix) or _SUFFIX_UNITS.get(suffix.lower()) or (None, None)
    words = suffix.split()
    if len(words) == 2 and words[0] in _CURRENCY_CODES and words[1] in _SCALES:
        unit, kind, scale = words[0], "currency", words[1]  # "75 USD million"
    elif suffix in _CURRENCY_SYMBOLS:
        unit, kind = _CURRENCY_SYMBOLS[suffix], "currency"
    elif unit is None and ("/" in number or not number.isascii()) and not scale and not re.match(r"\d+\s", number):
        unit, kind = "fraction", "fraction"  # "3/4", "½"; "2 1/2 days" has its unit
    elif suffix == "p":
        unit, kind = "pence", "currency"
    elif suffix.startswith("M") and suffix[1:] in _CURRENCY_CODES:
        unit, kind, scale = suffix[1:], "currency", "mn"  # "30 MUSD": millions of dollars
    value = _number_value(" ".join(p for p in (number, match["and1"], scale, match["and2"]) if p))
    if match["currency"]:
        code = match["currency"].strip()
        if code.endswith("$") and code != "$":
            unit = _DOLLAR_PREFIXES.get(code[:-1].strip().lower()) or _CURRENCY_SYMBOLS.get(code, "USD")
        elif code.startswith("M") and code[1:] in _CURRENCY_CODES:
            unit, value = code[1:], value * 10**6
        else:
            unit = _CURRENCY_SYMBOLS.get(code) or _CURRENCY_WORDS.get(code) or _CURRENCY_WORDS.get(code.upper(), code)
        kind = "currency"
    if match["cents"]:
        value += _number_value(re.sub(r"cents?|and", "", match["cents"])) / 100
    if match["sign"]:
        value = -value
    return {
        "value": value,
        "digits": number,
        "scale": scale,
        "currency": match["currency"],
        "suffix": suffix.lower(),
        "unit": unit,
        "kind": kind,
    }


def _share_units(first: dict, second: dict) -> None:
    """Give both ends of a range the scale, currency and unit printed on only one of them.

    "10 to 12 million" is 10 million to 12 million and "3-5%" is 3% to 5%; but in
    "500,000 to 1 million" the first end already stands on its own, so the scale is shared
    only when it makes the first end the smaller.
    """
    if second["scale"] and not first["scale"] and first["value"] < _number_value(second["digits"]):
        first["value"] *= Fraction(second["value"]) / _number_value(second["digits"])
        first["scale"] = second["scale"]
    for key in ("unit", "kind"):
        first[key] = first[key] or second[key]
        second[key] = second[key] or first[key]


def _is_year(q: dict, text: str, end: int) -> bool:
    """A bare four-digit number from 1000 to 2099 is a year unless a unit or person noun follows it."""
    if q["scale"] or q["unit"] or not re.fullmatch(r"1\d{3}|20\d\d", q["digits"]):
        return False
    return not _PERSON_AFTER.match(text, end, end + 40)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip()
    return not before or before[-1] in '.!?\n"\u201c\u2018(\u2014:;'


def _word_number_is_reference(text: str, start: int, q: dict) -> bool:
    """Number words that name rather than count: bare "one", "the two leaders", "Group of Seven"."""
    digits = q["digits"]
    if not digits[0].isalpha() or q["scale"] or q["kind"] == "currency" or q["value"] >= 100:
        return False
    if q["value"] == 1:
        return True
    if digits[0].isupper() and not _sentence_initial(text, start):
        return True
    return bool(_DETERMINER_BEFORE.search(text, max(0, start - 12), start))


def _is_age(text: str, f: dict) -> bool:
    """Whether a figure is a person's age: "aged 40", "ages 18 to 60", or a bare whole
    number up to 120 set off by commas right after a name ("Kim, 40, met Putin, 72.").
    ("40-year-old" and "40 years old" are ages too; they are dropped when read.)"""
    before = max(0, f["start"] - 12)
    # This runs for every figure: a substring test spares most of them the regex search.
    if "ge" in text[before : f["start"]] and _AGED_BEFORE.search(text, before, f["start"]):
        return True
    # "adults over 65", "children under five", "people aged 18 or over"
    if (
        f["qualifier"] in _AGE_QUALIFIERS
        and f["unit"] in (None, "people", "count", "years")
        and f["value"] <= 120
        and _AGE_GROUP_BEFORE.search(text, max(0, f["start"] - 30), f["start"])
    ):
        return True
    return (
        f["unit"] is None
        and f["qualifier"] == "exact"
        and f["value"] <= 120
        and re.fullmatch(r"\d{1,3}", text[f["start"] : f["end"]]) is not None
        and _AGE_AFTER.match(text, f["end"]) is not None
        and _NAME_BEFORE.search(text, max(0, f["start"] - 60), f["start"]) is not None
    )


def _magnitude_bounds(phrase: str) -> tuple[float, float]:
    """The span a vague magnitude allows: the plural of unit U is [2U, 10U - 1]; dozens are [24, 99]."""
    words = phrase.lower().split()
    if words[-1] == "dozens" or "dozen" in words:
        return 24.0, 99.0
    unit = 1
    for w in words:
        unit *= _SCALES.get(w.rstrip("s"), 1) * (10 if w == "tens" else 1)
    return float(2 * unit), float(10 * unit - 1)


def _figure(start, end, value, lower, upper, qualifier, quantity=None, kind=None, unit=None, noun_at=None) -> dict:
    """One figure; ``noun_at`` is where to look for its counted noun (default: its end)."""
    q = quantity or {}
    return {
        "start": start,
        "end": end,
        "value": value,
        "lower": lower,
        "upper": upper,
        "qualifier": qualifier,
        "unit": unit or q.get("unit"),
        "kind": kind or q.get("kind"),
        "noun_at": noun_at or end,
    }


def _qualifier(m: re.Match) -> tuple[str, int]:
    """The qualifier printed before a match ("exact" when none) and where the figure starts."""
    if m["qualifier"] is None:
        return "exact", m.start("figure")
    return QUALIFIER_PHRASES[" ".join(m["qualifier"].lower().split())], m.start("qualifier")


def _read_match(text: str, m: re.Match) -> list[dict]:
    """Turn one scan match into zero, one or two figures (dicts with offsets and bounds)."""
    nan = float("nan")
    if m["vague"]:
        lower, upper = _magnitude_bounds(m["vague"])
        return [_figure(m.start(), m.end(), nan, lower, upper, "magnitude")]
    if m["strong"]:
        value = float(_SCALES[m["strong"].split("-")[0].split("\u2011")[0].lower()])
        return [_figure(m.start(), m.end(), value, nan, nan, "approximate", unit="people", kind="count")]
    if m["joined"]:
        return _read_joined(text, m)
    if m["fraction"]:
        value = float(_number_value(m["fraction"]))
        qualifier, start = _qualifier(m)
        return [_figure(start, m.end(), *point_bounds(qualifier, value), qualifier, unit="fraction", kind="fraction")]

    if m["proportion"]:
        sides = re.split(r"(?:\s+times)?\s+(?:in|out\s+of)\s+", m["proportion"])
        part, whole = (_number_value(side) for side in sides)
        if part > whole:
            # "12 in six boxes", "8 in 5": two counts, not a proportion
            start = m.start("proportion")
            return [
                _figure(start, start + len(sides[0]), *point_bounds("exact", float(part)), "exact"),
                _figure(
                    m.end("proportion") - len(sides[1]),
                    m.end("proportion"),
                    *point_bounds("exact", float(whole)),
                    "exact",
                ),
            ]
        if not part > 0:
            return []
        qualifier, start = _qualifier(m)
        if m["postfix"]:
            qualifier = _POSTFIX_QUALIFIERS[" ".join(m["postfix"].lower().lstrip("-\u2011").split())]
        return [
            _figure(
                start,
                m.end(),
                *point_bounds(qualifier, float(part / whole)),
                qualifier,
                unit="fraction",
                kind="fraction",
            )
        ]

    body = m["range"] or m["figure"]
    offset = m.start("range") if m["range"] else m.start("figure")
    quantities = [(offset + q.start(), offset + q.end(), _quantity(q)) for q in _QUANTITY.finditer(body)]
    if not quantities:
        return []
    if all(_is_year(q, text, m.end()) for _, _, q in quantities):
        return []  # a range whose ends are not all years ("1000-5000") is a range
    for q_start, _q_end, q in quantities:
        if _word_number_is_reference(text, q_start, q) or q["kind"] == "age":
            return []
    if len(quantities) == 2:
        (s1, e1, first), (s2, e2, second) = quantities
        if first["unit"] and second["unit"] and first["unit"] != second["unit"]:
            # "by 50 basis points to 16.5%": a change and where it lands, not a range
            return _read_apart(m, first, second, quantities)
        _share_units(first, second)
        if (
            m["range"]
            and m["range_word"].lower() == "from"
            and _CHANGE_BEFORE.search(text, max(0, m.start() - 20), m.start())
        ):
            # "grew from 10,000 to 12,000 troops": two figures, before and after
            return _read_apart(m, first, second, quantities)
        low, high = float(first["value"]), float(second["value"])
        if low >= high:
            return _read_tally(m, first, second, quantities)
        return [_figure(m.start(), m.end(), nan, low, high, "range", second)]
    ((_, _, q),) = quantities
    qualifier, start = _qualifier(m)
    if m["postfix"]:
        qualifier = _POSTFIX_QUALIFIERS[" ".join(m["postfix"].lower().lstrip("-\u2011").split())]
    elif m["or_equal"]:
        qualifier = INCLUSIVE.get(qualifier, qualifier)
    elif qualifier == "exact" and q["suffix"] == "strong" and (q["scale"] or q["value"] % 1000 == 0):
        qualifier = "approximate"  # a round "-strong" force is a size in round numbers
    end, unit = m.end(), None
    compound = _COMPOUND.match(text, end) if not (q["unit"] or m["postfix"]) else None
    if compound:
        # "the 1,000-page report" counts pages as "1,000 pages" does; "a 12-member panel" counts people
        end, unit = compound.end(), "people" if _is_person_noun(compound["noun"]) else "count"
    noun_at = None
    if qualifier == "exact" and not (q["unit"] or m["postfix"] or compound):
        after = _POSTFIX_AFTER_NOUN.match(text, end)
        if after:
            # "200 roads or more" bounds the count as "200 or more" does; the noun is counted as usual
            noun_at, end = end, after.end()
            qualifier = _POSTFIX_QUALIFIERS[" ".join(after["postfix"].split())]
    value, lower, upper = point_bounds(qualifier, float(q["value"]))
    return [_figure(start, end, value, lower, upper, qualifier, q, unit=unit, noun_at=noun_at)]


def _read_joined(text: str, m: re.Match) -> list[dict]:
    """Two comparatives joined: "more than 100 and less than 300" is one range from 100 to 300.

    One must give a lower bound and the other an upper bound, the lower below the upper;
    otherwise ("more than 40 and less than 10") each is a figure of its own."""
    body, offset = m.group(), m.start()
    parts = []
    for q in _JOINED_PART.finditer(body):
        quantity = _quantity(q)
        qualifier = QUALIFIER_PHRASES[" ".join(q["qualifier"].lower().split())]
        parts.append((offset + q.start(), offset + q.end(), quantity, qualifier))
    if len(parts) != 2:
        return []
    bounds = {}
    for _, _, quantity, qualifier in parts:
        value, lower, upper = point_bounds(qualifier, float(quantity["value"]))
        bounds.setdefault("lower" if not math.isnan(lower) and math.isnan(upper) else "upper", value)
    (s1, e1, q1, k1), (s2, e2, q2, k2) = parts
    _share_units(q1, q2)
    if len(bounds) == 2 and bounds["lower"] < bounds["upper"]:
        return [_figure(m.start(), m.end(), math.nan, bounds["lower"], bounds["upper"], "range", q2)]
    return [
        _figure(s1, e1, *point_bounds(k1, float(q1["value"])), k1, q1),
        _figure(s2, e2, *point_bounds(k2, float(q2["value"])), k2, q2),
    ]


def _read_tally(m: re.Match, first: dict, second: dict, quantities: list) -> list[dict]:
    """A pair whose first number is not the smaller: "52 to 48", "219-213", "won 3-2".

    Written with "to" or a dash alike, it is a tally (a vote, seats, a score) of two
    counts, unless both are bare numbers below 10: "3-2", "1-1" or "5 to 4" is a
    score, not a figure. "between 800 and 600" is a slip, not a tally: nothing.
    With units it is two figures ("from 5 to 3 days").
    """
    if m["range_word"] and m["range_word"].lower() == "between":
        return []
    if max(first["value"], second["value"]) < 10 and not (first["unit"] or second["unit"]):
        return []
    return _read_apart(m, first, second, quantities)


def _is_person_noun(noun: str) -> bool:
    """Whether a singular noun in a compound ("12-member", "3,000-man") names people."""
    noun = noun.lower()
    return noun in _PEOPLE_WORDS or f"{noun}s" in _PEOPLE_WORDS or noun in ("man", "woman", "child", "person")


def _read_apart(m: re.Match, first: dict, second: dict, quantities: list) -> list[dict]:
    """The two ends of an "X to Y" that is not a range, as two figures; the first keeps the qualifier."""
    (s1, e1, _), (s2, e2, _) = quantities
    qualifier, start = _qualifier(m)
    start = start if m["qualifier"] else s1
    return [
        _figure(start, e1, *point_bounds(qualifier, float(first["value"])), qualifier, first, noun_at=m.end()),
        _figure(s2, e2, *point_bounds("exact", float(second["value"])), "exact", second, noun_at=m.end()),
    ]


def _count_unit(text: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """``people`` when the figure counts persons, else ``count``.

    A person noun within three words after the figure, or after a dash-enclosed aside
    ("3,000 -- and possibly 10,000 -- troops"), decides it; any other noun there makes it
    a count of that noun. With no noun after it, a verb whose object is people right
    before it ("killed nearly 3,000"), a casualty word later in the clause ("have been
    killed") or a person or group noun earlier in the sentence ("the number of forces
    ... at least 3,000", "the crowd at 15,000") makes it people.
    """
    s_start, s_end = sentence
    if _PERSON_AFTER.match(text, end, s_end) or _CASUALTY_NEXT.match(text, end, s_end):
        return "people"
    aside = _ASIDE_AFTER.match(text, end, s_end)
    if aside and _PERSON_AFTER.match(text, aside.end(), s_end):
        return "people"
    if _WORD_AFTER.match(text, end, s_end):
        return "count"
    if _CASUALTY_BEFORE.search(text, max(s_start, start - 20), start) or _CASUALTY_AHEAD.match(text, end, s_end):
        return "people"
    for word in _WORD.findall(text, max(s_start, start - 100), start):
        if word.lower() in _PEOPLE_WORDS or _NATIONALITY.match(word):
            return "people"
    return "count"


# --- Sentences and attribution -----------------------------------------------------------


def _sentence_starts(text: str) -> list[int]:
    """Start offsets of the sentences of ``text`` (a new line always starts one).

    A sentence longer than :data:`MAX_SENTENCE` is cut at the last space before the limit.
    """
    ends = []
    for m in _SENTENCE_END.finditer(text):
        if m.group() != "\n":
            word = re.search(r"([A-Za-z]+)\.$", text[max(0, m.start() - 12) : m.start() + 1])
            if word and (word[1].lower() in _ABBREVIATIONS or len(word[1]) == 1):
                continue
        ends.append(m.end())
    starts = [0]
    for end in ends + [len(text)]:
        while end - starts[-1] > MAX_SENTENCE:
            cut = text.rfind(" ", starts[-1] + 1, starts[-1] + MAX_SENTENCE)
            starts.append(cut + 1 if cut > 0 else starts[-1] + MAX_SENTENCE)
        if end < len(text):
            starts.append(end)
    return starts


def _attributions(text: str, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """Attribution phrases in ``text[start:end]``: (start, end, source as printed, introduces).

    ``introduces`` is true for a phrase that reports what follows it ("officials said
    the toll was ..."), false for "according to X", "per X" and for asides ("..., the
    U.S. says").
    """
    if not _ATTRIBUTION_HINT.search(text, start, end):
        return []  # most sentences credit no one: a cheap scan for the words every phrase needs
    found = []
    for m in _ATTRIBUTION.finditer(text, start, end):
        source = m["according"] or m["per"] or m["before"] or m["after"]
        if m["apposition"] and _NAMES_ONLY.fullmatch(m["apposition"]):
            source = m["apposition"]  # "a spokeswoman for the ministry, Olena Marchuk, said"
        introduces = m["before"] is not None and m["aside"] is None
        found.append((m.start(), m.end(), source, introduces))
    return found


def _nearest(text: str, phrases: list, start: int, end: int):
    """The source of the attribution phrase closest to ``text[start:end]``, or None.

    A phrase that overlaps the figure is never its source: in "Two-thirds of voters
    said ...", the figure is part of the speaker, not credited to it. A phrase that
    introduces what follows it does not reach back over a clause break: in "worth $2
    billion, and officials said ...", the officials speak only for what comes after them.
    """
    best, best_distance = None, None
    for p_start, p_end, source, introduces in phrases:
        if p_start < end and start < p_end:
            continue
        if p_end <= start:
            if _STRONG_BREAK.search(text, p_end, start):
                continue  # "..., a poll found; two-thirds of ...": the phrase spoke for its own clause
            distance = start - p_end
        else:
            distance = max(0, p_start - end)
            if introduces and _CLAUSE_BREAK.search(text, end, p_start):
                continue
        if best_distance is None or distance < best_distance:
            best, best_distance = source, distance
    return best


# --- Public API ----------------------------------------------------------------------------


def extract_figures(text: str) -> pd.DataFrame:
    """Extract every figure quoted in a text, as tidy rows like a figure sheet's.

    Handles digits (``3,000``, ``1.28``), number words and scales (``three``,
    ``a million``, ``1.2 million``, ``3.5bn``, ``$32.8 billion``), percentages
    (``41.1%``, ``45 percent``, ``17.5 per cent``, percentage points), fractions in
    words (``half``, ``two-thirds``, ``a quarter of``), qualifiers (``at least``,
    ``more than``, ``up to``, ``nearly``, ``about``, ...), ranges (``between X and Y``,
    ``X-Y``, ``X to Y``), vague magnitudes (``dozens`` ... ``hundreds of thousands``,
    ``millions``), ``-strong`` compounds (``million-strong``, ``1.2 million strong``)
    and number-noun compounds (``the 1,000-page report`` counts 1,000 pages, as
    ``1,000 pages`` does; ``a 12-member panel`` counts 12 people). A tally, "X to Y" or
    "X-Y" whose first number is not the smaller, is two exact counts (``52 to 48``,
    ``219-213``), or nothing when both are bare numbers below 10 (a score: ``3-2``, ``1-1``).
    Dates, years, clock times, ordinals, phone numbers, identifiers ("Article 5"),
    idioms ("one of", "a real boost") and a person's age (``Kim, 40,``, ``aged 40``,
    ``a 40-year-old``, ``40 years old``) are not figures.

    Args:
        text: the article text, e.g. from :func:`newsfigures.core.article.read_article`.

    Returns:
        One row per figure, in text order, columns:
        ``value, lower, upper`` float64 (NaN where open; the conventions of
        :data:`newsfigures.core.qualifiers.QUALIFIERS`: exact gives lower = upper = value, a range
        or vague magnitude has no value; percentages in percent, money in currency
        units, fractions as a share of 1);
        ``unit`` str (``people``, ``count``, ``percent``, ``percentage_points``, an ISO
        4217 code such as ``USD``, ``fraction``, ``years``, ``km``, ...);
        ``qualifier`` str (one of :data:`newsfigures.core.qualifiers.QUALIFIERS`);
        ``attribution`` str (the source named by the nearest "X says", "according to
        X", "per X", ", said X" phrase in the sentence, as printed, e.g. ``the U.S.``;
        a phrase holding the figure itself, as in "Two-thirds of voters said", is
        skipped; missing when none);
        ``surface`` str (the printed words covering qualifier and number, e.g.
        ``at least 3,000``); ``char_start, char_end`` Int64 (code-point offsets of
        ``surface`` in ``text``, end exclusive);
        ``sentence`` str (the sentence holding the figure);
        ``kind`` str (``count``, ``percent``, ``currency``, ``fraction``, ``duration``,
        ``measure``).
        An empty frame with these columns when the text has no figures.

    Raises:
        TypeError: ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_figures needs the text as str, not {type(text).__name__}")
    figures = []
    for m in _SCAN.finditer(text):
        if m["skip"] is None:
            figures.extend(
                f
                for f in _read_match(text, m)
                if not _NOT_AFTER.match(text, f["end"])
                and not text[f["end"] : f["end"] + 1].isalnum()
                and not _is_age(text, f)
            )

    starts = _sentence_starts(text) if figures else [0]
    bounds = starts + [len(text)]
    phrases: dict[int, list] = {}
    rows = {name: [] for name in _COLUMNS}
    for f in figures:
        i = bisect.bisect_right(starts, f["start"]) - 1
        sentence = (bounds[i], bounds[i + 1])
        if i not in phrases:
            phrases[i] = _attributions(text, *sentence)
        kind = f["kind"] or "count"
        unit = f["unit"]
        if unit is None and kind == "count":
            currency = _CURRENCY_OF.match(text, f["noun_at"])
            if currency:
                kind, unit = "currency", _CURRENCY_WORDS[currency[1]]
            else:
                unit = _count_unit(text, f["start"], f["noun_at"], sentence)
        rows["value"].append(f["value"])
        rows["lower"].append(f["lower"])
        rows["upper"].append(f["upper"])
        if unit == "lb" and "ound" in text[f["start"] : f["end"]] and not _WEIGHT_WORDS.search(text, *sentence):
            kind, unit = "currency", "GBP"  # "45 pounds for a shirt": money unless the sentence weighs something
        rows["unit"].append(unit)
        rows["qualifier"].append(f["qualifier"])
        rows["attribution"].append(_nearest(text, phrases[i], f["start"], f["end"]))
        rows["surface"].append(text[f["start"] : f["end"]])
        rows["char_start"].append(f["start"])
        rows["char_end"].append(f["end"])
        rows["sentence"].append(text[sentence[0] : sentence[1]].strip())
        rows["kind"].append(kind)
    return pd.DataFrame(rows).astype(_COLUMNS)
