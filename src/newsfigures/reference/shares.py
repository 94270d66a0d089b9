"""Reference data: the World Bank WDI extract, BRICS membership by date, shares of world.

The reference folder (``data/reference/``) holds:

``wdi_extract.csv``       tidy WDI values for the areas the report uses (built from raw World
                          Bank files by ``python -m newsfigures reference``; see :mod:`newsfigures.reference.wdi`)
``brics_membership.csv``  who belonged to BRICS, was invited, or became a partner, and when
``countries.csv``         the areas in the extract and their short names
``checks.csv``            which article figures the extract can check, and how
``raw_files.csv``         the raw files the extract is built from
``SOURCES.md``            provenance, releases, licence (CC BY 4.0) and attribution

A group of members is given either as ISO 3166 alpha-3 codes or by name:

``"BRICS-5"``        the members on 31 December 2023 (Brazil, Russia, India, China, South Africa)
``"BRICS-9"``        the members on 1 January 2024 (BRICS-5 plus Egypt, Ethiopia, Iran, the UAE)
``"BRICS-9+SAU"``    BRICS-9 plus Saudi Arabia, invited for 1 January 2024 but never confirmed
``"BRICS@YYYY-MM-DD"``  the members on that date, e.g. ``"BRICS@2025-02-01"`` (ten, with Indonesia)

A group is the same list of countries whatever the year asked for: the share of
``"BRICS-9"`` in 2015 is the 2015 share of the nine countries that joined by 2024.
"""

from __future__ import annotations

import functools
import numbers
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from newsfigures.core import paths
from newsfigures.core.errors import MissingValuesError, ReferenceDataError  # noqa: F401 (MissingValuesError is part of this API)
from newsfigures.reference.wdi import read_csv_strings

EXTRACT, MEMBERSHIP, COUNTRIES, CHECKS = "wdi_extract.csv", "brics_membership.csv", "countries.csv", "checks.csv"
WORLD = "WLD"
STATUSES = ("member", "invited", "partner")


@dataclass(frozen=True)
class Indicator:
    """A WDI indicator as the report uses it."""

    code: str
    name: str  #: the World Bank's name
    measure: str  #: what it measures, in the report's words
    unit: str


#: The indicators in the extract, in report order.
INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator("SP.POP.TOTL", "Population, total", "population", "people"),
        Indicator(
            "NY.GDP.MKTP.PP.CD",
            "GDP, PPP (current international $)",
            "GDP at purchasing power parity",
            "current international $",
        ),
        Indicator("NY.GDP.MKTP.CD", "GDP (current US$)", "GDP at market exchange rates", "current US$"),
        Indicator("MS.MIL.TOTL.P1", "Armed forces personnel, total", "armed forces personnel", "people"),
    )
}
SHARE_INDICATORS = ("SP.POP.TOTL", "NY.GDP.MKTP.PP.CD", "NY.GDP.MKTP.CD")

#: Named groups: (the date whose members they are, extra ISO3 codes).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "BRICS-5": ("2023-12-31", ()),
    "BRICS-9": ("2024-01-01", ()),
    "BRICS-9+SAU": ("2024-01-01", ("SAU",)),
}
GROUP_LABELS = {
    "BRICS-5": "BRICS-5 (members to 2023)",
    "BRICS-9": "BRICS-9 (members from 2024)",
    "BRICS-9+SAU": "BRICS-9 plus Saudi Arabia (invited)",
}


def folder(reference: str | Path | None = None) -> Path:
    """Return the reference folder: ``reference``, or ``data/reference/`` when None."""
    return Path(reference) if reference is not None else paths.REFERENCE_DIR


def _read(path: Path, what: str) -> pd.DataFrame:
    """Read a reference CSV as strings, empty cells missing; errors name the file."""
    return read_csv_strings(path, what, na_values=[""])


def _validate(frame: pd.DataFrame, schema, path: Path) -> pd.DataFrame:
    import pandera.errors

    missing = [c for c in schema.columns if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing column {missing[0]!r} (needs: {', '.join(schema.columns)})")
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.sort_values("index", na_position="first", kind="stable")
        case = next(iter(cases.itertuples(index=False)))
        where = path if pd.isna(case.index) else f"{path}, row {int(case.index) + 2}"
        check = str(case.check)
        if check.startswith("coerce_dtype"):
            problem = f"{case.failure_case!r} is not of type {check.split('(')[-1].rstrip(')')}"
        elif check == "not_nullable":
            problem = "is empty; a value is required"
        elif check in ("field_uniqueness", "multiple_fields_uniqueness"):
            problem = f"duplicate {case.failure_case!r}"
        else:
            problem = f"{case.failure_case!r} fails {check}"
        more = f" (and {len(cases) - 1} more problems)" if len(cases) > 1 else ""
        column = f", column '{case.column}'" if isinstance(case.column, str) and case.column in frame.columns else ""
        raise ReferenceDataError(f"{where}{column}: {problem}{more}") from None


def _extract_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "release": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"), nullable=True, coerce=True),
            "iso3": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{3}$"), coerce=True),
            "country": pa.Column("str", coerce=True),
            "indicator_code": pa.Column("str", pa.Check.str_matches(r"^[A-Z][A-Z0-9.]+$"), coerce=True),
            "year": pa.Column("int64", pa.Check.in_range(1960, 2100), coerce=True),
            "value": pa.Column("float64", pa.Check.ge(0), coerce=True),
            "method": pa.Column("str", pa.Check.isin(["published", "derived"]), coerce=True),
            "source": pa.Column("str", coerce=True),
        },
        strict=False,
        unique=["release", "iso3", "indicator_code", "year"],
    )


def _membership_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "iso3": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{3}$"), coerce=True),
            "country": pa.Column("str", coerce=True),
            "status": pa.Column("str", pa.Check.isin(list(STATUSES)), coerce=True),
            "from": pa.Column("datetime64[ns]", coerce=True),
            "to": pa.Column("datetime64[ns]", nullable=True, coerce=True),
            "source": pa.Column("str", coerce=True),
        },
        strict=False,
    )


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        hint = " (rebuild it with: python -m newsfigures reference --from DIR)" if path.name == EXTRACT else ""
        raise ReferenceDataError(f"{path}: no such file; the reference folder needs it{hint}") from None
    return str(path.resolve()), st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _load_extract_cached(stamp: tuple[str, int, int]) -> pd.DataFrame:
    path = Path(stamp[0])
    return _validate(_read(path, "the WDI extract"), _extract_schema(), path).reset_index(drop=True)


def load_extract(reference: str | Path | None = None) -> pd.DataFrame:
    """Load the WDI extract.

    Args:
        reference: the reference folder; default ``data/reference/``.

    Returns:
        One row per release, area, indicator and year: ``release`` (str, the WDI release
        date ``YYYY-MM-DD``; missing for MS.MIL.TOTL.P1, a single series without a
        release split), ``iso3`` (ISO 3166 alpha-3, ``WLD`` = World), ``country``,
        ``indicator_code`` (WDI code), ``method`` (``published`` or ``derived``),
        ``source`` (dataset@commit) all str; ``year`` int64; ``value`` float64 in the
        indicator's unit (:data:`INDICATORS`). Source: World Bank, World Development
        Indicators (CC BY 4.0), see ``data/reference/SOURCES.md``.

    Raises:
        ReferenceDataError: the file is missing or invalid (names the row and column).
    """
    # A shallow copy: under copy-on-write, a caller's edits never reach the cached frame.
    return _load_extract_cached(_stamp(folder(reference) / EXTRACT)).copy(deep=False)


@functools.lru_cache(maxsize=8)
def _load_membership_cached(stamp: tuple[str, int, int]) -> pd.DataFrame:
    path = Path(stamp[0])
    frame = _validate(_read(path, "BRICS membership"), _membership_schema(), path).reset_index(drop=True)
    backwards = frame["to"].notna() & (frame["to"] < frame["from"])
    if backwards.any():
        line = int(backwards.idxmax()) + 2
        raise ReferenceDataError(f"{path}, row {line}, column 'to': the period ends before it starts")
    return frame


def load_membership(reference: str | Path | None = None) -> pd.DataFrame:
    """Load BRICS membership by date.

    Returns:
        One row per country and status period: ``iso3, country, status`` (``member``,
        ``invited`` or ``partner``), ``source`` (str, what the dates rest on), ``from`` and
        ``to`` (datetime64[ns], inclusive; ``to`` missing while the status lasts).

    Raises:
        ReferenceDataError: the file is missing or invalid, or a period ends before it starts.
    """
    return _load_membership_cached(_stamp(folder(reference) / MEMBERSHIP)).copy(deep=False)


def load_countries(reference: str | Path | None = None) -> pd.DataFrame:
    """Load the areas of the extract: ``iso3, name`` (short English name), ``why`` (str).

    Raises:
        ReferenceDataError: the file is missing or lacks a column.
    """
    path = folder(reference) / COUNTRIES
    frame = _read(path, "the areas of the extract")
    for column in ("iso3", "name", "why"):
        if column not in frame.columns:
            raise ReferenceDataError(f"{path}: missing column {column!r}")
    return frame[["iso3", "name", "why"]].astype("str")


def short_names(reference: str | Path | None = None) -> dict[str, str]:
    """Return ``{iso3: short name}`` for the areas of the extract (``WLD`` is ``World``)."""
    countries = load_countries(reference)
    return dict(zip(countries["iso3"], countries["name"]))


def releases(reference: str | Path | None = None) -> list[str]:
    """Return the WDI releases in the extract, newest first (``YYYY-MM-DD`` strings)."""
    return sorted(load_extract(reference)["release"].dropna().unique(), reverse=True)


def brics_members(
    on: str | date, statuses: tuple[str, ...] = ("member",), reference: str | Path | None = None
) -> list[str]:
    """Return the ISO3 codes of countries holding a BRICS status on a date.

    Args:
        on: the date (``YYYY-MM-DD`` or a :class:`datetime.date`).
        statuses: which statuses count: ``member``, ``invited``, ``partner``.

    Returns:
        ISO3 codes in the membership file's order.

    Raises:
        ReferenceDataError: ``on`` is not a date or a status is unknown.
    """
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise ReferenceDataError(f"unknown BRICS status {unknown[0]!r} (expected one of: {', '.join(STATUSES)})")
    try:
        when = pd.Timestamp(on)
    except ValueError:
        raise ReferenceDataError(f"{on!r} is not a date (YYYY-MM-DD)") from None
    table = load_membership(reference)
    held = table["status"].isin(statuses) & (table["from"] <= when) & (table["to"].isna() | (table["to"] >= when))
    return list(dict.fromkeys(table.loc[held, "iso3"]))


def group_members(group: str | list[str] | tuple[str, ...], reference: str | Path | None = None) -> list[str]:
    """Resolve a group to ISO3 codes.

    Args:
        group: a name (``"BRICS-5"``, ``"BRICS-9"``, ``"BRICS-9+SAU"``, ``"BRICS@YYYY-MM-DD"``;
            see the module docstring), a list of ISO3 codes, or one string of ISO3 codes
            separated by spaces (``"PRK"``, ``"CHN IND"``).

    Returns:
        ISO3 codes, without duplicates, in the order given (named groups: membership order).

    Raises:
        ReferenceDataError: an unknown group name, a ``BRICS@`` date with no members (or
            not a date), an empty list, ``WLD`` among the members, a code that is not
            ISO3 or that the extract does not cover.
    """
    if isinstance(group, str):
        if group in GROUPS:
            on, extra = GROUPS[group]
            return list(dict.fromkeys(brics_members(on, reference=reference) + list(extra)))
        match = re.fullmatch(r"BRICS@(\d{4}-\d{2}-\d{2})", group)
        if match:
            members = brics_members(match.group(1), reference=reference)
            if not members:
                # A share of nobody would read as 0%, a figure rather than a mistake.
                first = load_membership(reference)["from"].min()
                raise ReferenceDataError(
                    f"BRICS had no members on {match.group(1)} (the membership data starts on {first:%Y-%m-%d})"
                )
            return members
        if re.fullmatch(r"[A-Z]{3}( [A-Z]{3})*", group):
            return group_members(group.split(), reference)
        raise ReferenceDataError(
            f"unknown group {group!r} (expected one of: {', '.join(GROUPS)}, BRICS@YYYY-MM-DD, or ISO3 codes)"
        )
    codes = list(group)
    if not codes:
        raise ReferenceDataError("no members given: pass a group name or a list of ISO3 codes")
    covered = set(_lookup(reference)["areas"])
    for code in codes:
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
            raise ReferenceDataError(f"{code!r} is not an ISO 3166 alpha-3 code (three capital letters)")
        if code == WORLD:
            raise ReferenceDataError(f"{WORLD} is the World aggregate, the denominator, not a member")
        if code not in covered:
            raise ReferenceDataError(
                f"unknown ISO3 code {code!r}: the reference extract does not cover it "
                f"(it covers: {', '.join(sorted(covered - {WORLD}))})"
            )
    return list(dict.fromkeys(codes))


@functools.lru_cache(maxsize=8)
def _lookup_cached(stamp: tuple[str, int, int]) -> dict:
    # Plain dicts keyed by (indicator, release) -> {year: {iso3: value}}: the fact check asks
    # for a few hundred shares, and boolean masks over the whole frame per share are slow.
    extract = _load_extract_cached(stamp)
    table: dict[tuple[str, str | None], dict[int, dict[str, float]]] = {}
    for release, code, year, iso3, value in zip(
        extract["release"], extract["indicator_code"], extract["year"], extract["iso3"], extract["value"]
    ):
        key = (code, None if pd.isna(release) else release)
        table.setdefault(key, {}).setdefault(int(year), {})[iso3] = float(value)
    return {
        "values": table,
        "indicators": sorted({code for code, _ in table}),
        "releases": sorted({r for _, r in table if r is not None}, reverse=True),
        "areas": sorted(set(extract["iso3"])),
    }


def _lookup(reference) -> dict:
    return _lookup_cached(_stamp(folder(reference) / EXTRACT))


def _series(indicator: str, release: str | None, reference) -> tuple[dict[int, dict[str, float]], str | None]:
    """Values of one indicator and release by year and ISO3; ``release=None`` means the
    latest (or the only) one."""
    lookup = _lookup(reference)
    if indicator not in lookup["indicators"]:
        raise ReferenceDataError(
            f"unknown indicator {indicator!r} (the extract has: {', '.join(lookup['indicators'])})"
        )
    available = sorted((r for code, r in lookup["values"] if code == indicator and r is not None), reverse=True)
    if release is None:
        release = available[0] if available else None
    elif release not in lookup["releases"]:
        raise ReferenceDataError(f"unknown release {release!r} (the extract has: {', '.join(lookup['releases'])})")
    elif not available:
        raise ReferenceDataError(f"{indicator} is one series without a release split; leave release=None")
    elif release not in available:
        raise ReferenceDataError(f"release {release} has no {indicator} (it is in: {', '.join(available)})")
    return lookup["values"][(indicator, release)], release


def _year(year) -> int:
    """``year`` as an int; a float or string would be truncated or mistyped silently."""
    if isinstance(year, numbers.Integral) and not isinstance(year, bool):
        return int(year)
    if isinstance(year, float) and year.is_integer():
        return int(year)
    raise ReferenceDataError(f"year {year!r} is not a whole number (a calendar year such as 2020)")


def _values(
    indicator: str, codes: list[str], year: int, release: str | None, reference
) -> tuple[dict[str, float], str | None]:
    year = _year(year)
    by_year, release = _series(indicator, release, reference)
    at = by_year.get(year, {})
    missing = [c for c in codes if c not in at]
    if missing:
        names = short_names(reference)
        which = f"release {release}" if release else "the single series"
        years = sorted(by_year)
        span = f"; it has {years[0]}-{years[-1]}" if years else ""
        listed = ", ".join(f"{names.get(c, c)} ({c})" for c in missing)
        raise MissingValuesError(f"no {indicator} value for {year} ({which}{span}) for: {listed}", missing)
    # A plain dict: the fact check and the share tables ask for hundreds of these, and a
    # pandas Series per call would cost more than the arithmetic.
    return {c: at[c] for c in codes}, release


def share_of_world(
    indicator: str, members, year: int, release: str | None = None, *, reference: str | Path | None = None
) -> float:
    """Return the members' combined share of the World total, in percent.

    Args:
        indicator: WDI code: ``SP.POP.TOTL``, ``NY.GDP.MKTP.PP.CD`` or ``NY.GDP.MKTP.CD``.
        members: a group name or a list of ISO3 codes (see :func:`group_members`).
        year: the year of the values.
        release: WDI release (``YYYY-MM-DD``); default the latest in the extract.
        reference: the reference folder; default ``data/reference/``.

    Returns:
        100 × (sum of the members' values) / (the World aggregate, WLD), a float in 0-100.
        The denominator is the World Bank's World aggregate, which includes its estimates
        for economies without data. Source: World Bank, World Development Indicators.

    Raises:
        ReferenceDataError: unknown indicator, release, group or ISO3 code; a group
            with no members (``BRICS@2008-01-01``); a year that is not a whole number.
        MissingValuesError: (a ReferenceDataError) a member or the World has no value for
            that year and release; the message names the countries missing.
    """
    return _share(indicator, group_members(members, reference), year, release, reference)


def _share(indicator: str, codes: list[str], year: int, release: str | None, reference) -> float:
    values, _ = _values(indicator, codes + [WORLD], year, release, reference)
    return sum(values[c] for c in codes) / values[WORLD] * 100


def group_total(
    indicator: str, members, year: int, release: str | None = None, *, reference: str | Path | None = None
) -> float:
    """Return the sum of the members' values (e.g. armed forces personnel), in the
    indicator's unit (:data:`INDICATORS`).

    Raises:
        ReferenceDataError, MissingValuesError: as :func:`share_of_world`.
    """
    codes = group_members(members, reference)
    values, _ = _values(indicator, codes, year, release, reference)
    return float(sum(values.values()))


def release_years(indicator: str, reference: str | Path | None = None) -> list[tuple[str | None, int]]:
    """Return the ``(release, year)`` pairs the extract has for an indicator.

    Returns:
        Pairs ordered by release, newest first (``None``, the series without a release
        split, last), then year ascending. A pair may still lack some countries' values.

    Raises:
        ReferenceDataError: the extract is missing or invalid.
    """
    keys = [(r, y) for (code, r), by_year in _lookup(reference)["values"].items() if code == indicator for y in by_year]
    # Python's sort is stable with reverse=True too: years stay ascending within a release.
    return sorted(sorted(keys, key=lambda k: k[1]), key=lambda k: k[0] or "", reverse=True)


def group_shares(
    groups: tuple[str, ...] = tuple(GROUPS),
    indicators: tuple[str, ...] = SHARE_INDICATORS,
    reference: str | Path | None = None,
) -> pd.DataFrame:
    """Return each group's share of world for every indicator, release and year with
    complete data.

    Returns:
        Tidy frame, one row per group, indicator, release and year, ordered that way
        (groups and indicators as given, releases newest first, years ascending):
        ``group, group_label, members`` (space-separated ISO3), ``indicator_code,
        measure, release`` (str), ``year`` (int64), ``share_pct`` (float64, percent of the
        World aggregate). Years in which any member or the World lacks a value are left
        out. Source: World Bank, World Development Indicators.

    Raises:
        ReferenceDataError: an unknown group or indicator.
    """
    rows = []
    for group in groups:
        codes = group_members(group, reference)
        for indicator in indicators:
            for release, year in release_years(indicator, reference):
                try:
                    share = _share(indicator, codes, year, release, reference)
                except MissingValuesError:
                    continue
                rows.append(
                    (
                        group,
                        GROUP_LABELS.get(group, group),
                        " ".join(codes),
                        indicator,
                        INDICATORS[indicator].measure if indicator in INDICATORS else indicator,
                        release,
                        year,
                        share,
                    )
                )
    columns = ["group", "group_label", "members", "indicator_code", "measure", "release", "year", "share_pct"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(dict.fromkeys(columns[:6], "str") | {"year": "int64", "share_pct": "float64"})


def member_shares(
    group: str = "BRICS-9+SAU", indicators: tuple[str, ...] = SHARE_INDICATORS, reference: str | Path | None = None
) -> pd.DataFrame:
    """Return each member's share of world: the breakdown of a group's share.

    Args:
        group: a group name or ISO3 list (see :func:`group_members`); default every member
            and invitee of 2024 (BRICS-9 plus Saudi Arabia).

    Returns:
        Tidy frame, one row per member, indicator, release and year in which every member
        and the World have a value: ``group, iso3, country`` (short name), ``status``
        (on 1 January 2024: ``member``, ``invited`` or ``not a member``), ``cohort`` (int64:
        1 members by 2023, 2 joined 1 January 2024, 3 any other), ``indicator_code,
        measure, unit, release`` (str), ``year`` (int64), ``value`` (float64, in ``unit``),
        ``share_pct`` (float64, percent of the World aggregate). Ordered by indicator,
        release (newest first), year, then cohort and, within it, the member's share
        in that year, largest first. Source: World Bank, World Development Indicators.

    Raises:
        ReferenceDataError: an unknown group or indicator.
    """
    codes = group_members(group, reference)
    names = short_names(reference)
    first = set(brics_members(GROUPS["BRICS-5"][0], reference=reference))
    second = set(brics_members(GROUPS["BRICS-9"][0], reference=reference))
    invited = set(brics_members(GROUPS["BRICS-9"][0], statuses=("invited",), reference=reference))
    cohort = {c: 1 if c in first else 2 if c in second else 3 for c in codes}
    status = {c: "member" if cohort[c] < 3 else "invited" if c in invited else "not a member" for c in codes}
    rows = []
    for indicator in indicators:
        for release, year in release_years(indicator, reference):
            try:
                values, _ = _values(indicator, codes + [WORLD], year, release, reference)
            except MissingValuesError:
                continue
            world = values[WORLD]
            for code in codes:
                rows.append(
                    (
                        group if isinstance(group, str) else " ".join(codes),
                        code,
                        names.get(code, code),
                        status[code],
                        cohort[code],
                        indicator,
                        INDICATORS[indicator].measure,
                        INDICATORS[indicator].unit,
                        release,
                        year,
                        values[code],
                        values[code] / world * 100,
                    )
                )
    columns = [
        "group",
        "iso3",
        "country",
        "status",
        "cohort",
        "indicator_code",
        "measure",
        "unit",
        "release",
        "year",
        "value",
        "share_pct",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype(
        dict.fromkeys(["group", "iso3", "country", "status", "indicator_code", "measure", "unit", "release"], "str")
        | {"cohort": "int64", "year": "int64"}
    )
    order = {code: i for i, code in enumerate(indicators)}
    frame = frame.assign(_i=frame["indicator_code"].map(order), _s=-frame["share_pct"])
    frame = frame.sort_values(
        ["_i", "release", "year", "cohort", "_s"], ascending=[True, False, True, True, True], kind="stable"
    )
    return frame.drop(columns=["_i", "_s"]).reset_index(drop=True)


def latest_complete_year(breakdown: pd.DataFrame, release: str | None = None) -> tuple[str, int]:
    """Return the release (default the newest) and the latest year in which a
    :func:`member_shares` breakdown has every indicator.

    Raises:
        ReferenceDataError: no year has every indicator.
    """
    if release is None:
        release = max(breakdown["release"].dropna())
    rows = breakdown[breakdown["release"] == release]
    counts = rows.groupby("year")["indicator_code"].nunique()
    complete = counts[counts == rows["indicator_code"].nunique()]
    if complete.empty:
        raise ReferenceDataError(f"release {release}: no year has every indicator for the whole group")
    return release, int(complete.index.max())


def armed_forces(countries: tuple[str, ...] | None = None, reference: str | Path | None = None) -> pd.DataFrame:
    """Return armed forces personnel (MS.MIL.TOTL.P1) by country and year.

    Args:
        countries: ISO3 codes; default every area in the extract with a value.

    Returns:
        Tidy frame: ``iso3, country`` (short name) str, ``year`` int64, ``personnel``
        float64 (people: active-duty military and paramilitary forces resembling them,
        reservists excluded), ``latest`` bool (the country's most recent year). Sorted by
        country then year. One series without a release split. Source: World Bank, World
        Development Indicators, from IISS, The Military Balance.

    Raises:
        ReferenceDataError: a code the extract does not cover, or no personnel data for it.
    """
    extract = load_extract(reference)
    rows = extract[extract["indicator_code"] == "MS.MIL.TOTL.P1"]
    if countries is not None:
        codes = group_members(list(countries), reference)
        lacking = [c for c in codes if c not in set(rows["iso3"])]
        if lacking:
            raise MissingValuesError(f"no MS.MIL.TOTL.P1 values for: {', '.join(lacking)}", lacking)
        rows = rows[rows["iso3"].isin(codes)]
    names = short_names(reference)
    frame = (
        pd.DataFrame(
            {
                "iso3": rows["iso3"],
                "country": rows["iso3"].map(names).fillna(rows["country"]),
                "year": rows["year"],
                "personnel": rows["value"],
            }
        )
        .sort_values(["iso3", "year"], kind="stable")
        .reset_index(drop=True)
    )
    frame["latest"] = frame["year"] == frame.groupby("iso3")["year"].transform("max")
    return frame.astype({"iso3": "str", "country": "str", "year": "int64", "personnel": "float64", "latest": "bool"})


def armed_forces_comparison(
    figures: pd.DataFrame,
    countries: list[str] | tuple[str, ...],
    figure_ids: list[str] | tuple[str, ...],
    reference: str | Path | None = None,
) -> pd.DataFrame:
    """Return the latest armed forces counts beside figures quoted in the articles, in chart order.

    Args:
        figures: a figure sheet (:func:`newsfigures.core.figures.load_figures`); the rows named
            in ``figure_ids`` are kept (absent ones are skipped).
        countries: ISO3 codes whose latest MS.MIL.TOTL.P1 count is shown (a story's
            choice, from its story file).
        figure_ids: the sheet's figures to show beside them (also the story's choice).

    Returns:
        One row per mark: first the countries, largest first, then the article's figures
        in ``figure_ids`` order. Columns: ``kind`` (``WDI`` or ``article``), ``measure``
        (what the row shows), ``iso3`` (WDI rows), ``qualifier`` (``exact`` for WDI rows),
        ``attribution``, ``surface``, ``unit`` (``people``), ``source`` (the figure's
        source key; article rows) str; ``year`` Int64 (WDI rows);
        ``value, lower, upper`` float64, people. Sources: World Bank, World Development Indicators (IISS); the
        article's figures as quoted.

    Raises:
        ReferenceDataError: a country without personnel data or not in the extract.
    """
    forces = armed_forces(countries, reference)
    latest = forces[forces["latest"]].sort_values("personnel", ascending=False, kind="stable")
    wdi = pd.DataFrame(
        {
            "kind": "WDI",
            "measure": latest["country"],
            "iso3": latest["iso3"],
            "qualifier": "exact",
            "attribution": pd.NA,
            "surface": pd.NA,
            "year": latest["year"],
            "value": latest["personnel"],
            "lower": latest["personnel"],
            "upper": latest["personnel"],
            "unit": "people",
            "source": pd.NA,
        }
    )
    quoted = figures.set_index("figure_id")
    keep = [f for f in figure_ids if f in quoted.index]
    article = quoted.loc[keep].reset_index()
    article = pd.DataFrame(
        {
            "kind": "article",
            "measure": article["measure"],
            "iso3": pd.NA,
            "qualifier": article["qualifier"],
            "attribution": article["attribution"],
            "surface": article["surface"],
            "year": pd.NA,
            "value": article["value"],
            "lower": article["lower"],
            "upper": article["upper"],
            "unit": article["unit"],
            "source": article["source"] if "source" in article.columns else pd.NA,
        }
    )
    frame = pd.concat([wdi, article], ignore_index=True)
    return frame.astype(
        {
            "kind": "str",
            "measure": "str",
            "iso3": "str",
            "qualifier": "str",
            "attribution": "str",
            "surface": "str",
            "year": "Int64",
            "value": "float64",
            "lower": "float64",
            "upper": "float64",
            "unit": "str",
            "source": "str",
        }
    )


def membership_table(reference: str | Path | None = None) -> pd.DataFrame:
    """Return a reader-facing table of BRICS membership by date, countries sharing a
    status and dates on one row.

    Returns:
        One row per status period (in order of first appearance in the file), all
        columns str: ``Status``, ``From``, ``To`` (``YYYY-MM-DD``; blank while the status
        lasts) and ``Countries`` (short names, comma-separated). What the dates rest on
        is in the membership file's ``source`` column.

    Raises:
        ReferenceDataError: the membership file is missing or invalid.
    """
    table = load_membership(reference)
    names = short_names(reference)
    table = table.assign(
        From=table["from"].dt.strftime("%Y-%m-%d"),
        To=table["to"].dt.strftime("%Y-%m-%d").fillna(""),
        name=table["iso3"].map(names).fillna(table["country"]),
    )
    rows = table.groupby(["status", "From", "To"], sort=False).agg(Countries=("name", ", ".join)).reset_index()
    return rows.rename(columns={"status": "Status"})[["Status", "From", "To", "Countries"]].astype("str")
