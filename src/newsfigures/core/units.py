"""The vocabulary of units a figure sheet's ``unit`` column may hold: one place.

A unit is a lower-case name (``people``, ``percent``, ``km``), an ISO 4217 currency code
(``USD``: three capital letters), or ``A_per_B`` of two such names (``USD_per_barrel``).
The extractor's units are among them; code that emits a new unit adds it to
:data:`UNITS` (a set, meant to be extended) or to its kind's set below.
"""

from __future__ import annotations

import re

COUNTS = {"people", "count", "troops", "soldiers", "deaths", "casualties", "votes", "members", "countries"}
SHARES = {"percent", "percentage_points", "basis_points", "fraction", "ratio", "index"}
TIME_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries"}
MEASURE_UNITS = {
    "km", "miles", "km2", "sq_miles", "m", "feet", "hectares", "acres", "tonnes", "kg", "lb",
    "barrels", "litres", "gallons", "MW", "GW", "celsius", "fahrenheit", "degrees",
    "mm", "cm", "inches", "yards", "m2", "m3", "sq_ft", "g", "mg", "ug", "oz", "ml", "kcal",
    "km/h", "mph", "knots", "kW", "kWh", "MWh", "GWh", "TWh", "MB", "GB", "TB", "Mbps", "Gbps",
}  # fmt: skip
#: Minor units of money, kept as printed ("250p", "50 cents"), and units of crypto-assets.
MINOR_CURRENCY_UNITS = {"pence", "cents", "satoshi"}
#: Every unit name known here (currency codes are matched by pattern, not listed).
UNITS: set[str] = COUNTS | SHARES | TIME_UNITS | MEASURE_UNITS | MINOR_CURRENCY_UNITS

_CURRENCY = re.compile(r"[A-Z]{3}")


def is_currency(unit) -> bool:
    """Whether ``unit`` is an ISO 4217 currency code (``USD``, ``EUR``)."""
    return isinstance(unit, str) and bool(_CURRENCY.fullmatch(unit))


def is_known_unit(unit: str) -> bool:
    """Whether ``unit`` is in :data:`UNITS`, an ISO 4217 code, or ``A_per_B`` of those."""
    if not isinstance(unit, str):
        return False
    if unit in UNITS or _CURRENCY.fullmatch(unit):
        return True
    head, sep, tail = unit.partition("_per_")
    # "USD_per_barrel": the unit after "per" is singular.
    return bool(sep) and is_known_unit(head) and (is_known_unit(tail) or is_known_unit(tail + "s"))


def describe() -> str:
    """A short description of the vocabulary, for error messages."""
    return "a unit such as people, count, percent, percentage_points, USD (ISO 4217), years, km or USD_per_barrel"
