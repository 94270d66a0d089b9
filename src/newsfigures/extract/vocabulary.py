"""The extractor's vocabularies, and the trie that turns a word list into a regex.

Every word list the scan in :mod:`newsfigures.extract.rules` is built from lives here: number
words and scales, units and currencies, the nouns, verbs and names that decide a figure's unit
and attribution. The qualifier phrases come from the one table in
:mod:`newsfigures.core.qualifiers`.
"""

from __future__ import annotations

import re
from fractions import Fraction

from newsfigures.core.qualifiers import phrases_after, phrases_before

# --- Vocabularies ----------------------------------------------------------------------

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {
    "hundred": 100,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "dozen": 12,
    "dozens": 12,
    # Indian numbering: "13 lakh" is 1,300,000, "2 crore" 20,000,000, "three lakh crore" 3 x 10^12
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
# Abbreviated scales written after a number: "3.5bn", "1.5m", "$20k".
_SCALE_ABBREVIATIONS = {
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "tn": 10**12,
    "trn": 10**12,
    "tln": 10**12,
    "mil": 10**6,
    "mm": 10**6,  # only as printed in capitals ("US$ 1MM"); "4.5mm" is millimetres
}
# Denominators of fractions in words: "two-thirds", "a quarter of".
_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
    "fourth": 4,
    "fourths": 4,
}
# Fractions printed as one character: "½", "¾".
_VULGAR = {
    c: Fraction(n, d)
    for c, n, d in zip(
        "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞", [1, 1, 2, 1, 3, 1, 2, 3, 4, 1, 5, 1, 3, 5, 7], [2, 3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 8, 8, 8, 8]
    )
}

#: Qualifier phrases printed before a number, and the sheet qualifier each means.
QUALIFIER_PHRASES: dict[str, str] = phrases_before()
# Qualifiers printed after the number: "3,000 or more", "300 or so", "5,000-plus".
_POSTFIX_QUALIFIERS = phrases_after()

_PERCENT_UNITS = {
    "%": "percent",
    "percent": "percent",
    "percents": "percent",
    "percentage": "percent",
    "per cent": "percent",
    "pct": "percent",
    "percentage point": "percentage_points",
    "percentage points": "percentage_points",
    "pp": "percentage_points",
    "basis point": "basis_points",
    "basis points": "basis_points",
    "bps": "basis_points",
}
_CURRENCY_SYMBOLS = {
    "US$": "USD",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "S$": "SGD",
    "R$": "BRL",
    "Mex$": "MXN",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "₽": "RUB",
    "₩": "KRW",
    "₴": "UAH",
    "₺": "TRY",
    "₪": "ILS",
    "₦": "NGN",
    "₱": "PHP",
    "₫": "VND",
    "₡": "CRC",
    "₾": "GEL",
    "₭": "LAK",
    "₿": "BTC",
}
# Letters printed before "$" that name the dollar: "US$", "C $", "hk $", "usd$"; any case.
_DOLLAR_PREFIXES = {
    "us": "USD",
    "u.s.": "USD",
    "u.s": "USD",
    "usd": "USD",
    "c": "CAD",
    "ca": "CAD",
    "cad": "CAD",
    "a": "AUD",
    "au": "AUD",
    "aud": "AUD",
    "hk": "HKD",
    "nz": "NZD",
    "nzd": "NZD",
    "s": "SGD",
    "mex": "MXN",
    "mxn": "MXN",
}
_CURRENCY_CODES = (
    "USD EUR GBP JPY CNY RMB INR RUB KRW UAH CHF CAD AUD NZD HKD SGD SEK NOK DKK PLN CZK HUF TRY ZAR BRL MXN "
    "ARS ILS SAR AED QAR NGN KES EGP PKR BDT IDR MYR THB VND PHP TWD BTC"
).split()
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "yuan": "CNY",
    "yen": "JPY",
    "rupees": "INR",
    "rubles": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rouble": "RUB",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
    "us dollars": "USD",
    "us dollar": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "australian dollars": "AUD",
    "australian dollar": "AUD",
    "canadian dollars": "CAD",
    "canadian dollar": "CAD",
    "hong kong dollars": "HKD",
    "new zealand dollars": "NZD",
    "singapore dollars": "SGD",
    "swiss francs": "CHF",
    "swiss franc": "CHF",
    # A word two currencies share names the one in use today: the French franc (FRF) went in
    # 2002, so "francs" in current news is the Swiss franc, unless it is a CFA franc (XOF is the
    # West African one; "Central African CFA francs" is XAF). Words that name only a retired
    # currency ("pesetas", "guilders") keep its retired code: they can mean nothing else.
    "francs": "CHF",
    "franc": "CHF",
    "CFA francs": "XOF",
    "CFA franc": "XOF",
    "central african cfa francs": "XAF",
    "Central African CFA francs": "XAF",
    "pesetas": "ESP",
    "finnish markka": "FIM",
    "markka": "FIM",
    "marks": "DEM",
    "dutch guilders": "NLG",
    "guilders": "NLG",
    "lira": "TRY",
    "turkish lira": "TRY",
    "chinese yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "indian rupees": "INR",
    "pesos": "MXN",
    "mexican pesos": "MXN",
    "reais": "BRL",
    "rand": "ZAR",
    "shekels": "ILS",
    "won": "KRW",
    "naira": "NGN",
    "bitcoins": "BTC",
    "bitcoin": "BTC",
    "satoshis": "satoshi",
    # minor units keep the number as printed: "50 cents" is 50 cents, "250p" 250 pence
    "cents": "cents",
    "cent": "cents",
    "pence": "pence",
    "penny": "pence",
    "pennies": "pence",
    **{c: c for c in _CURRENCY_CODES},
    "rmb": "CNY",
    "RMB": "CNY",
}
# ISO codes also printed in lower case after a number ("10 rmb", "20 usd"); others are words ("cad", "all").
_LOWER_CODES = "usd eur gbp rmb jpy cny inr chf nzd hkd sgd btc mxn".split()
# Words in a sentence that make "pounds" money rather than weight.
_WEIGHT_WORDS = re.compile(r"\b(?:weigh\w*|heav\w+|ounces|lbs?|kg|kilos?|stone)\b|\bpounds\s+of\b", re.IGNORECASE)
_MEASURE_UNITS = {
    **dict.fromkeys(["km", "kilometers", "kilometres", "kilometer", "kilometre"], "km"),
    **dict.fromkeys(["miles", "mile"], "miles"),
    **dict.fromkeys(["square kilometers", "square kilometres", "sq km", "km2"], "km2"),
    **dict.fromkeys(["square miles", "sq miles"], "sq_miles"),
    **dict.fromkeys(["meters", "metres", "meter", "metre"], "m"),
    **dict.fromkeys(["feet", "foot"], "feet"),
    **dict.fromkeys(["hectares", "hectare"], "hectares"),
    **dict.fromkeys(["acres", "acre"], "acres"),
    **dict.fromkeys(["tonnes", "tons", "metric tons", "tonne", "ton"], "tonnes"),
    **dict.fromkeys(["kg", "kilograms", "kilogram"], "kg"),
    **dict.fromkeys(["pounds", "lbs", "lb"], "lb"),
    **dict.fromkeys(["barrels", "barrel"], "barrels"),
    **dict.fromkeys(["liters", "litres", "liter", "litre"], "litres"),
    **dict.fromkeys(["gallons", "gallon"], "gallons"),
    **dict.fromkeys(["megawatts", "MW"], "MW"),
    **dict.fromkeys(["gigawatts", "GW"], "GW"),
    **dict.fromkeys(["kilowatts", "kW"], "kW"),
    **dict.fromkeys(["kWh", "kilowatt hours", "kilowatt-hours"], "kWh"),
    **dict.fromkeys(["MWh", "megawatt hours"], "MWh"),
    **dict.fromkeys(["GWh", "gigawatt hours"], "GWh"),
    **dict.fromkeys(["TWh", "terawatt hours"], "TWh"),
    **dict.fromkeys(["square metres", "square meters", "sq m", "m2"], "m2"),
    **dict.fromkeys(["square feet", "sq ft"], "sq_ft"),
    **dict.fromkeys(["cubic metres", "cubic meters"], "m3"),
    **dict.fromkeys(["centimetres", "centimeters", "centimetre", "centimeter", "cm"], "cm"),
    **dict.fromkeys(["millimetres", "millimeters", "millimetre", "millimeter", "mm"], "mm"),
    **dict.fromkeys(["inches", "inch"], "inches"),
    **dict.fromkeys(["yards", "yard"], "yards"),
    **dict.fromkeys(["grams", "gram", "g"], "g"),
    **dict.fromkeys(["milligrams", "milligram", "mg"], "mg"),
    **dict.fromkeys(["micrograms", "mcg"], "ug"),
    **dict.fromkeys(["ounces", "ounce", "oz"], "oz"),
    **dict.fromkeys(["millilitres", "milliliters", "ml"], "ml"),
    **dict.fromkeys(["mph", "miles per hour"], "mph"),
    **dict.fromkeys(["km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour"], "km/h"),
    **dict.fromkeys(["knots"], "knots"),
    **dict.fromkeys(["GB", "gigabytes"], "GB"),
    **dict.fromkeys(["MB", "megabytes"], "MB"),
    **dict.fromkeys(["TB", "terabytes"], "TB"),
    **dict.fromkeys(["Mbps"], "Mbps"),
    **dict.fromkeys(["Gbps"], "Gbps"),
    **dict.fromkeys(["calories", "kcal"], "kcal"),
    **dict.fromkeys(["bpd", "barrels a day", "barrels per day"], "barrels_per_day"),
}
# May be written without a space: "300km", "20mg", "70mph", "4.5mm", "250GB".
_UNIT_ABBREVIATIONS = [
    "km2", "km/h", "km", "kg", "MW", "GW", "kW", "kWh", "MWh", "GWh", "TWh", "m2", "cm", "mm", "mg", "mcg", "ml",
    "mph", "kph", "kmh", "GB", "MB", "TB", "Mbps", "Gbps", "kcal", "bpd", "oz", "lbs", "lb", "sq ft", "sq m",
]  # fmt: skip
_TEMPERATURE_UNITS = {
    "C": "celsius",
    "F": "fahrenheit",
    "degrees celsius": "celsius",
    "degrees fahrenheit": "fahrenheit",
    "degrees": "degrees",
}
_TIME_UNITS = {
    **dict.fromkeys(["years", "year"], "years"),
    **dict.fromkeys(["months", "month"], "months"),
    **dict.fromkeys(["weeks", "week"], "weeks"),
    **dict.fromkeys(["days", "day"], "days"),
    **dict.fromkeys(["hours", "hour"], "hours"),
    **dict.fromkeys(["minutes", "minute"], "minutes"),
    **dict.fromkeys(["decades", "decade"], "decades"),
    **dict.fromkeys(["centuries", "century"], "centuries"),
    "seconds": "seconds",
}
# Words printed after a number and the (unit, kind) they give it; keys have single spaces.
_SUFFIX_UNITS: dict[str, tuple[str, str]] = {
    **{w: (u, "percent") for w, u in _PERCENT_UNITS.items()},
    **{w: (u, "currency") for w, u in _CURRENCY_WORDS.items()},
    **{w: (u, "measure") for w, u in _MEASURE_UNITS.items()},
    **{w: (u, "duration") for w, u in _TIME_UNITS.items()},
    **{w: (u, "measure") for w, u in _TEMPERATURE_UNITS.items()},
    "strong": ("people", "count"),
    # "40-year-old", "40 years old", "six-month-old": a person's age, which is not a figure
    **{
        f"{u}{s} old{o}": ("years", "age")
        for u in ("year", "month", "week", "day")
        for s in ("", "s")
        for o in ("", "s")
    },
}
# Nouns that make a count a count of people ("3,000 North Korean soldiers").
_PERSON_NOUNS = (
    "people persons person individuals soldiers soldier troops forces personnel servicemen servicemembers "
    "service members crew crews engineers advisers advisors experts specialists inspectors farmers commuters "
    "fighters combatants militants civilians residents inhabitants citizens refugees "
    "migrants asylum seekers children kids women men adults teenagers boys girls workers employees staff "
    "members voters protesters demonstrators prisoners detainees hostages captives casualties victims "
    "dead patients students recruits conscripts reservists volunteers mercenaries officers sailors pilots "
    "marines commandos police officials journalists doctors nurses delegates diplomats deaths passengers "
    "tourists visitors pupils teachers spectators fans"
).split()
# Groups whose size is a number of people: "the crowd at 15,000", "the population ... to 310,000".
_GROUP_NOUNS = "crowd crowds population garrison workforce electorate audience".split()
# Words after a figure that say it counts people even when no noun follows it.
_CASUALTY_WORDS = (
    "killed dead died wounded injured displaced evacuated arrested detained missing fled "
    "captured deported mobilized mobilised conscripted drafted enlisted attended voted marched "
    "gathered protested joined took part"
).split()
# Verbs whose object, printed right after them, is a number of people ("killed nearly 3,000").
_OBJECT_VERBS = (
    "killed kill kills killing wounded wounding injured injuring displaced displacing evacuated "
    "arrested detained captured deported mobilized mobilised conscripted drafted enlisted "
    "recruited rescued executed abducted kidnapped"
).split()
# Verbs that often follow a count with its noun left out ("some 40,000 took part").
_VERBS_AFTER = "took take takes went go left came come remain remained stayed live lived say said".split()
# Words after which a number word is a reference, not a figure: "the two leaders".
_DETERMINERS = "the these those its their his her our your my whose both every last next first other".split()
# Verbs before "from X to Y" that make it a change between two figures, not a range.
_CHANGE_VERBS = (
    "rose risen rise rises rising fell fallen fall falls falling increased increase increases "
    "increasing decreased decrease decreases decreasing grew grown grow grows growing dropped "
    "drop drops declined decline declines climbed climb jumped jump surged soared plunged "
    "slipped shrank shrunk expanded cut reduced raised lowered went go goes up down changed "
    "moved boosted doubled tripled swelled swollen"
).split()
# Speech and estimate verbs that introduce an attribution ("the U.S. says", "said the ministry").
_SAY_VERBS = (
    "says said say estimates estimated estimate reports reported report claims claimed claim "
    "believes believed believe told tells tell thinks thought counts counted puts put calculates "
    "calculated states stated announced announces warned warns confirmed confirms acknowledged "
    "acknowledges assessed assesses assess suggests suggested insists insisted added adds noted "
    "notes alleged alleges expect expects expected forecast forecasts show shows showed found "
    "find finds"
).split()
# Lower-case words that can make up the source of a figure ("U.S. officials", "Ukraine's defense ministry").
_SOURCE_NOUNS = (
    "officials official teams team analysts analyst experts expert authorities police ministry military "
    "government intelligence sources source spokesperson spokesman spokeswoman researchers "
    "monitors organizers organisers observers agency office estimates data figures census survey "
    "report poll study statistics army commander commanders minister ministers diplomats "
    "diplomat defense defence health interior foreign local state federal national regional "
    "media group groups officers workers activists residents witnesses doctors hospital "
    "monitor observatory watchdog command staff general generals secretary president leaders "
    "leader council committee department bureau service services institute bank fund company "
    "firm charity campaigners economists scientists historians journalists reporters "
    "volunteers rescuers medics senior western military's government's"
).split()
# Capitalised words that begin a sentence or clause but never a source's name.
_NOT_NAMES = (
    "In On At But And Or So As If When While After Before Since Earlier Later Today Yesterday "
    "Meanwhile However Still Now Then Also This That These Those It He She They We I You His Her "
    "Their Our Its Last Next Monday Tuesday Wednesday Thursday Friday Saturday Sunday Many Some Most "
    "All Both Other Another Such According There Here What Which Who Why How Asked Even Only Over "
    "About Around Nearly Almost More Less Up Between From Of For With By To A An Is Are Was Were"
).split()
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "maj",
    "sen",
    "rep",
    "gov",
    "prof",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "nos",
    "vs",
    "approx",
    "inc",
    "corp",
    "co",
    "ltd",
    "jr",
    "sr",
    "adm",
    "cmdr",
    "fig",
}
# Capitalised words after which a number names something: "Article 5", "Boeing 737".
_IDENTIFIER_WORDS = (
    "Article Articles Section Chapter Resolution Amendment Title Flight Route Highway Interstate "
    "Room Page Gate Terminal Platform Channel Boeing Airbus Apollo Windows Level Phase Category "
    "Stage Grade Game Week Day Year Vol Volume Figure Table Episode Season Part Step Lot Model "
    "Type Mark Mk Rank Seat District Ward Zone Sector Exit Junction Unit Block Building Squadron "
    "Brigade Division Regiment Battalion Corps Protocol Directive Clause Paragraph Item Number "
    "Proposition Prop Bill Act Rule page pages paragraph clause number Nasdaq FTSE DAX Nikkei CAC Stoxx Russell "
    "iOS Android macOS iPhone iPad Galaxy Pixel PlayStation Xbox Switch Formula Radio Ligue Serie Euro Fortune "
    "Version version Vision Agenda Pro COP Covid S&P"
).split()
_MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()


def _words(words, capitalised: bool = True) -> str:
    """A regex matching any of the literal phrases (each also Capitalised), the longest it can.

    The phrases are laid out as a trie ("more than", "more than or equal to" -> "more\\s+than
    (?:\\s+or\\s+equal\\s+to)?"): the scan tries each letter once instead of every phrase in
    turn, which keeps it fast as the vocabularies grow. A lookahead for the phrases' first
    characters comes first: the regex engine tries a trie's branches one by one, and at most
    places in a text none can start, which one character-class test tells it.
    """
    variants = set(words)
    if capitalised:
        variants |= {w[:1].upper() + w[1:] for w in words}
    trie: dict = {}
    for phrase in variants:
        node = trie
        for token in [r"\s+" if ch == " " else re.escape(ch) for ch in phrase]:
            node = node.setdefault(token, {})
        node[""] = {}
    firsts = {phrase[0] for phrase in variants}
    if len(firsts) < 4:
        return _trie_pattern(trie)
    return f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}]){_trie_pattern(trie)}"


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [token + _trie_pattern(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body if len(branches) == 1 and len(body) <= 3 else f"(?:{body})"


def _unnamed(pattern: str) -> str:
    """The pattern with its named groups made plain, so it can be used twice in one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)
