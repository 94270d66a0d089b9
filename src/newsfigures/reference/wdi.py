"""Read World Bank WDI downloads and build the compact reference extract.

``python -m newsfigures reference --from DIR`` calls :func:`refresh_extract`. It reads
the raw files listed in ``data/reference/raw_files.csv`` (paths relative to ``DIR``,
``*`` allowed) in the formats the World Bank and its republishers use:

``bulk``  the World Bank's bulk download, ``API_<code>_DS2_en_csv_v2_<n>.csv``: UTF-8 with
          a byte-order mark, four lines of header (``Data Source``, ``Last Updated Date``)
          before the column header, one column per year;
``long``  ``Country Name, Country Code, Year, Value``, one row per country and year;
``ddf``   open-numbers DDF datapoints, ``geo, time, <indicator code in lower case with
          underscores>``, ``geo`` a lower-case ISO3 code.

It keeps the areas listed in ``data/reference/countries.csv`` and the years from 2015,
derives NY.GDP.MKTP.PP.CD (GDP at PPP, total) where a release publishes only the per
capita series, and writes ``data/reference/wdi_extract.csv``, atomically: a failure
leaves the previous extract as it was. With ``--out DIR`` it writes ``DIR/wdi_extract.csv``
instead, reading the two lists from ``DIR`` where it has them, and copies the reference
files ``DIR`` lacks from ``data/reference/``, so that ``DIR`` is a complete reference folder.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsfigures.core import paths
from newsfigures.core.errors import ReferenceDataError
from newsfigures.core.fileio import write_atomic

#: Indicators kept in the extract (the per-capita series are only inputs to PPP totals).
EXTRACT_INDICATORS = ("SP.POP.TOTL", "NY.GDP.MKTP.PP.CD", "NY.GDP.MKTP.CD", "MS.MIL.TOTL.P1")
#: The derivation of total PPP GDP from per-capita series, as in ../shared/reference/SOURCES.md:
#: the World Bank's own per-capita denominator is GDP / GDP per capita, which differs from
#: SP.POP.TOTL for some countries (Russia, Ukraine, Cyprus, ...).
PPP_TOTAL, PPP_PER_CAPITA = "NY.GDP.MKTP.PP.CD", "NY.GDP.PCAP.PP.CD"
GDP, GDP_PER_CAPITA = "NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD"
WORLD = "WLD"
EXTRACT_COLUMNS = ["release", "iso3", "country", "indicator_code", "year", "value", "method", "source"]
FORMATS = ("bulk", "long", "ddf")
#: What the extract is built from (read from the output folder, else from data/reference/).
CONFIG_FILES = ("raw_files.csv", "countries.csv")
#: The other committed files a reference folder needs for a build, copied with the config.
COMPANION_FILES = ("brics_membership.csv", "checks.csv", "SOURCES.md")
#: Largest plausible year-on-year ratio of each series, either way (``value / previous``
#: or ``previous / value``): a change beyond it is far more likely a damaged file than
#: news. Population moves by a few per cent a year (war and mass migration: tens);
#: current-dollar series swing with exchange rates (Nigeria's GDP in US$ rose 58% in a
#: year); head counts of armed forces double in a mobilisation.
YEAR_ON_YEAR_BOUNDS = {
    "SP.POP.TOTL": 1.2,
    "MS.MIL.TOTL.P1": 2.0,
    "NY.GDP.MKTP.CD": 3.0,
    "NY.GDP.PCAP.CD": 3.0,
    "NY.GDP.MKTP.PP.CD": 2.0,
    "NY.GDP.PCAP.PP.CD": 2.0,
}
#: Series that add up across countries, so that the World's value is at least the sum of
#: its members' (per-person series do not add up).
ADDITIVE_INDICATORS = ("SP.POP.TOTL", "MS.MIL.TOTL.P1", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD")
#: Two values differing by less than this, relatively, differ by rounding only.
ROUNDING = 1e-9
#: Series the World Bank publishes for every area kept and every year the World has, in
#: every release: a gap there is a damaged file (one cut at a row boundary loses every
#: country after the cut). Other series have real gaps (no GDP for North Korea, none for
#: Cuba since 2021, the newest year not yet in for some), so a gap there is an error only
#: where an older release of the series has the value: a release does not lose values.
COMPLETE_INDICATORS = ("SP.POP.TOTL",)


@dataclass(frozen=True)
class RawFile:
    """One row of ``raw_files.csv``: which file holds which indicator of which release."""

    line: int
    release: str | None
    indicator_code: str
    format: str
    path: str
    source: str


def read_csv_strings(path: Path, what: str, **kwargs) -> pd.DataFrame:
    """Read a CSV file as strings (UTF-8, a byte-order mark allowed; empty cells are ``""``
    unless ``na_values`` says otherwise); ``kwargs`` go to :func:`pandas.read_csv`.

    Raises:
        ReferenceDataError: the file is missing, a directory, not UTF-8, empty or not CSV;
            the message names the file and says what it should hold (``what``).
    """
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: no such file ({what})") from None
    except IsADirectoryError:
        raise ReferenceDataError(f"{path}: is a directory, not a CSV file ({what})") from None
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    except pd.errors.EmptyDataError:
        raise ReferenceDataError(f"{path}: is empty") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).removeprefix("Error tokenizing data. C error: ").strip()
        raise ReferenceDataError(f"{path}: not valid CSV: {detail}") from None


def _require_columns(frame: pd.DataFrame, columns: list[str], path: Path, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing column {missing[0]!r} (a {what} has columns: {', '.join(columns)})")


def read_manifest(path: str | Path) -> list[RawFile]:
    """Read ``raw_files.csv``: the raw files the extract is built from.

    Columns: ``release`` (ISO date of the WDI release; empty for a series without a
    release split), ``indicator_code``, ``format`` (``bulk``, ``long`` or ``ddf``),
    ``path`` (relative to the raw folder; ``*`` matches within a path part) and
    ``source`` (the dataset and commit, copied into the extract's ``source`` column).

    Returns:
        One :class:`RawFile` per row, in file order.

    Raises:
        ReferenceDataError: the file is missing or malformed (names the row and column).
    """
    path = Path(path)
    frame = read_csv_strings(path, "the list of raw files")
    _require_columns(frame, ["release", "indicator_code", "format", "path", "source"], path, "list of raw files")
    rows = []
    for i, r in frame.iterrows():
        line = int(i) + 2
        if r["format"] not in FORMATS:
            raise ReferenceDataError(
                f"{path}, row {line}, column 'format': unknown format {r['format']!r} "
                f"(expected one of: {', '.join(FORMATS)})"
            )
        for column in ("indicator_code", "path", "source"):
            if not r[column].strip():
                raise ReferenceDataError(f"{path}, row {line}, column {column!r}: is empty; a value is required")
        release = r["release"].strip() or None
        if release is not None:
            try:
                pd.Timestamp(release)
            except ValueError:
                raise ReferenceDataError(
                    f"{path}, row {line}, column 'release': {release!r} is not a date (YYYY-MM-DD)"
                ) from None
        rows.append(
            RawFile(line, release, r["indicator_code"].strip(), r["format"], r["path"].strip(), r["source"].strip())
        )
    if not rows:
        raise ReferenceDataError(f"{path}: lists no raw files")
    return rows


def read_scope(path: str | Path) -> pd.DataFrame:
    """Read ``countries.csv``: the areas the extract keeps.

    Returns:
        Columns ``iso3, name, why`` (str), one row per area, ``WLD`` (World) among them;
        ``line`` (int) is the row's line number in the file.

    Raises:
        ReferenceDataError: missing file or column, a code that is not three capital
            letters, a duplicate code, or no ``WLD`` row.
    """
    path = Path(path)
    frame = read_csv_strings(path, "the list of areas the extract keeps")
    _require_columns(frame, ["iso3", "name"], path, "list of areas")
    frame = frame.assign(line=frame.index + 2)
    bad = frame[~frame["iso3"].str.fullmatch(r"[A-Z]{3}")]
    if not bad.empty:
        row = bad.iloc[0]
        raise ReferenceDataError(
            f"{path}, row {row['line']}, column 'iso3': {row['iso3']!r} is not an ISO 3166 "
            "alpha-3 code (three capital letters)"
        )
    duplicated = frame[frame["iso3"].duplicated()]
    if not duplicated.empty:
        row = duplicated.iloc[0]
        raise ReferenceDataError(f"{path}, row {row['line']}, column 'iso3': duplicate code {row['iso3']!r}")
    if WORLD not in set(frame["iso3"]):
        raise ReferenceDataError(f"{path}: has no {WORLD} (World) row, the denominator of every share")
    return frame


def _numbers(frame: pd.DataFrame, column: str, path: Path, lines: pd.Series, what: str) -> pd.Series:
    text = frame[column].str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = numbers.isna() & (text != "")
    if bad.any():
        first = bad.idxmax()
        raise ReferenceDataError(
            f"{path}, row {lines[first]}, column {column!r}: {frame.at[first, column]!r} is not {what}"
        )
    return numbers


def _long_frame(
    frame: pd.DataFrame, path: Path, lines: pd.Series, iso3: str, name: str | None, year: str, value: str
) -> pd.DataFrame:
    years = _numbers(frame, year, path, lines, "a year")
    if years.isna().any():
        first = years.isna().idxmax()
        raise ReferenceDataError(f"{path}, row {lines[first]}, column {year!r}: is empty; a year is required")
    if (years % 1 != 0).any():
        first = (years % 1 != 0).idxmax()
        raise ReferenceDataError(
            f"{path}, row {lines[first]}, column {year!r}: {frame.at[first, year]!r} is not a year"
        )
    values = _numbers(frame, value, path, lines, "a number")
    negative = values < 0
    if negative.any():
        # Every series read here (people, GDP, GDP per person) is a level that cannot be negative.
        first = negative.idxmax()
        raise ReferenceDataError(
            f"{path}, row {lines[first]}, column {value!r}: {frame.at[first, value]!r} is "
            "negative; a population, GDP or head count cannot be"
        )
    out = pd.DataFrame(
        {
            "iso3": frame[iso3].str.strip().str.upper(),
            "country": frame[name].str.strip() if name else pd.Series(pd.NA, index=frame.index, dtype="str"),
            "year": years.astype("int64"),
            "value": values,
            "line": lines,
        }
    )
    duplicated = out[out.duplicated(["iso3", "year"])]
    if not duplicated.empty:
        row = duplicated.iloc[0]
        raise ReferenceDataError(f"{path}, row {row['line']}: a second value for {row['iso3']} in {row['year']}")
    return out


def read_long(path: str | Path) -> pd.DataFrame:
    """Read a long WDI table (``Country Name, Country Code, Year, Value``), as republished
    by datasets/world-development-indicators and datasets/population.

    Returns:
        Columns ``iso3, country`` (str), ``year`` (int64), ``value`` (float64, NaN where the
        cell is empty), ``line`` (int64: the row's line number in the file).

    Raises:
        ReferenceDataError: the file is missing or not CSV, a column is missing, a year or
            value is not a number, a value is negative, or a country has two rows for one
            year (names the row).
    """
    path = Path(path)
    frame = read_csv_strings(path, "a long WDI table")
    columns = ["Country Name", "Country Code", "Year", "Value"]
    _require_columns(frame, columns, path, "long WDI table")
    return _long_frame(frame, path, frame.index.to_series() + 2, "Country Code", "Country Name", "Year", "Value")


def read_bulk(path: str | Path, indicator_code: str) -> tuple[pd.DataFrame, str]:
    """Read a World Bank bulk download file, ``API_<code>_DS2_*.csv``.

    Args:
        path: the file (UTF-8 with BOM; four header lines, then one column per year).
        indicator_code: the WDI code the file must hold in every row.

    Returns:
        ``(frame, last_updated)``: the frame as :func:`read_long` returns it (``line`` is the
        line in the file: the first data row is line 6); ``last_updated`` is the file's
        ``Last Updated Date`` (the WDI release, ``YYYY-MM-DD``).

    Raises:
        ReferenceDataError: the header lines are not those of a bulk file, a column is
            missing, a row holds another indicator, or a value is not a number or negative.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            head = [next(handle, "") for _ in range(4)]
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: no such file (a World Bank bulk download)") from None
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    meta = {cells[0]: cells[1] for cells in csv.reader(head) if len(cells) >= 2}
    if "Data Source" not in meta or "Last Updated Date" not in meta:
        raise ReferenceDataError(
            f"{path}, row 1: not a World Bank bulk download (expected 'Data Source' and "
            "'Last Updated Date' in its first four lines)"
        )
    last_updated = meta["Last Updated Date"].strip()
    frame = read_csv_strings(path, "a World Bank bulk download", skiprows=4)
    _require_columns(frame, ["Country Name", "Country Code", "Indicator Code"], path, "bulk download")
    lines = frame.index.to_series() + 6
    other = frame["Indicator Code"].str.strip() != indicator_code
    if other.any():
        first = other.idxmax()
        raise ReferenceDataError(
            f"{path}, row {lines[first]}, column 'Indicator Code': "
            f"{frame.at[first, 'Indicator Code']!r}, expected {indicator_code!r}"
        )
    years = [c for c in frame.columns if str(c).strip().isdigit()]
    if not years:
        raise ReferenceDataError(f"{path}: has no year columns")
    long = frame.assign(_line=lines).melt(
        id_vars=["Country Name", "Country Code", "_line"], value_vars=years, var_name="Year", value_name="Value"
    )
    return _long_frame(long, path, long["_line"], "Country Code", "Country Name", "Year", "Value"), last_updated


def read_ddf(path: str | Path, indicator_code: str) -> pd.DataFrame:
    """Read open-numbers DDF datapoints by ``geo`` and ``time`` for one indicator.

    Returns:
        The frame as :func:`read_long` returns it; ``country`` is missing (DDF keeps names
        elsewhere) and ``iso3`` is the upper-cased ``geo``.

    Raises:
        ReferenceDataError: the file is missing, lacks ``geo``, ``time`` or the indicator's
            column (``ms_mil_totl_p1`` for MS.MIL.TOTL.P1), or a value is not a number or negative.
    """
    path = Path(path)
    frame = read_csv_strings(path, "DDF datapoints")
    column = indicator_code.lower().replace(".", "_")
    _require_columns(frame, ["geo", "time", column], path, f"DDF datapoints file for {indicator_code}")
    return _long_frame(frame, path, frame.index.to_series() + 2, "geo", None, "time", column)


def check_row_boundary(path: str | Path) -> None:
    """Check that a raw file ends at a row boundary (its last byte is a line break).

    A download or copy cut short ends inside its last row, and a value cut inside its
    digits (``82`` for ``8200000000``) still parses as a number.

    Raises:
        ReferenceDataError: the file does not end with a line break (names its last row).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return  # reported, with the file's role, by the reader
    if data and not data.endswith(b"\n"):
        last = data.count(b"\n") + 1
        raise ReferenceDataError(
            f"{path}, row {last}: the file ends inside this row (no line break after "
            "its last value); it looks cut short"
        )


def _check_year_on_year(frame: pd.DataFrame, code: str, path: Path | str) -> None:
    bound = YEAR_ON_YEAR_BOUNDS.get(code)
    if bound is None or frame.empty:
        return
    ordered = frame.dropna(subset=["value"]).sort_values(["iso3", "year"])
    previous = ordered.groupby("iso3")[["year", "value"]].shift()
    following = ordered["year"] == previous["year"] + 1
    ratio = ordered["value"] / previous["value"]
    jump = following & ((ratio > bound) | (ratio < 1 / bound) | ((previous["value"] == 0) & (ordered["value"] > 0)))
    if jump.any():
        row = ordered[jump].iloc[0]
        before = previous.loc[jump[jump].index[0]]
        at = f", row {row['line']}" if "line" in ordered.columns else ""
        raise ReferenceDataError(
            f"{path}{at}: {code} for {row['iso3']} goes from {before['value']:.15g} in "
            f"{int(before['year'])} to {row['value']:.15g} in {int(row['year'])}, beyond the bound of a "
            f"{bound:g}-fold change in a year"
        )


def _check_world_total(frame: pd.DataFrame, code: str, members: set[str], where: str) -> None:
    if code not in ADDITIVE_INDICATORS or not members:
        return
    values = frame.dropna(subset=["value"])
    world = values[values["iso3"] == WORLD].set_index("year")
    parts = values[values["iso3"].isin(members)]
    counts = parts.groupby("year")["iso3"].nunique()
    totals = parts.groupby("year")["value"].sum()[counts == len(members)]  # only where every member has a value
    for year, total in totals.items():
        if year in world.index and world.at[year, "value"] < total * (1 - ROUNDING):
            row = world.loc[year]
            line = f", row {row['line']}" if "line" in world.columns else ""
            raise ReferenceDataError(
                f"{where}{line}: World (WLD) {code} in {year} is {row['value']:.15g}, less than the "
                f"{total:.15g} of the {len(members)} countries kept"
            )


def _year_spans(years) -> str:
    """``2015-2019, 2021`` for the years 2015 to 2019 and 2021."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def _check_complete(
    parts: dict[tuple[str | None, str], pd.DataFrame],
    areas: pd.DataFrame,
    where_from: dict[tuple[str | None, str], str],
) -> None:
    """Raise ReferenceDataError (naming the raw file) for the first area of the scope that
    lacks years the World has in a series; see :data:`COMPLETE_INDICATORS`."""
    releases = sorted({r for r, _ in parts if r is not None})
    names = areas.set_index("iso3")["name"]
    for (release, code), frame in parts.items():
        world = set(frame.loc[frame["iso3"] == WORLD, "year"])
        if not world:
            continue  # a series without World rows (DDF) has no years to be complete against
        older = [
            (r, set(zip(parts[(r, code)]["iso3"], parts[(r, code)]["year"], strict=True)))
            for r in releases
            if release is not None and r < release and (r, code) in parts
        ]
        have = frame.groupby("iso3")["year"].agg(set)
        for iso3 in areas["iso3"]:
            if iso3 == WORLD:
                continue
            gap = world - have.get(iso3, set())
            if code in COMPLETE_INDICATORS:
                by = "World has"
            else:
                held = [(r, {y for y in gap if (iso3, y) in values}) for r, values in older]
                held = [(r, years) for r, years in held if years]
                if not held:
                    continue
                gap = set().union(*(years for _, years in held))
                by = f"World and release {', '.join(r for r, _ in held)} have"
            if gap:
                label = f"release {release}" if release is not None else "the series without release"
                raise ReferenceDataError(
                    f"{where_from[(release, code)]}: {names[iso3]} ({iso3}) has no {code} values for "
                    f"{_year_spans(gap)} in {label}, which {by}"
                )


def _resolve(raw_dir: Path, raw: RawFile, manifest: Path) -> Path:
    matches = sorted(raw_dir.glob(raw.path))
    if len(matches) != 1:
        found = "no file matches" if not matches else f"{len(matches)} files match"
        raise ReferenceDataError(
            f"{raw_dir / raw.path}: {found} ({manifest}, row {raw.line}, "
            f"{raw.indicator_code} {raw.release or 'without release'})"
        )
    return matches[0]


def build_extract(
    raw_dir: str | Path, manifest: str | Path | None = None, scope: str | Path | None = None, since: int = 2015
) -> pd.DataFrame:
    """Build the tidy reference extract from raw World Bank files.

    Args:
        raw_dir: the folder the manifest's paths are relative to (``../shared/reference/raw``).
        manifest: ``raw_files.csv``; default ``data/reference/raw_files.csv``.
        scope: ``countries.csv`` (the areas kept); default ``data/reference/countries.csv``.
        since: first year kept.

    Returns:
        One row per release, area, indicator and year with a value, sorted by release
        (newest first; the series without a release last), indicator, area and year.
        Columns: ``release`` (str, ISO date; missing for MS.MIL.TOTL.P1, which has one
        series), ``iso3, country, indicator_code`` (str), ``year`` (int64), ``value``
        (float64: people for SP.POP.TOTL and MS.MIL.TOTL.P1, current international $ for
        NY.GDP.MKTP.PP.CD, current US$ for NY.GDP.MKTP.CD), ``method`` (``published`` or
        ``derived``: PPP totals = NY.GDP.PCAP.PP.CD × NY.GDP.MKTP.CD / NY.GDP.PCAP.CD),
        ``source`` (dataset@commit). Source: World Bank, World Development Indicators.

    Raises:
        ReferenceDataError: a listed file is missing or malformed (a value that is not a
            number, or negative: every indicator read is a level), a bulk file's release
            differs from the manifest's, a file lacks the World (WLD) rows, an area of
            the scope is in none of the files, or an area lacks years the World has in a
            series: any year of population (:data:`COMPLETE_INDICATORS`), or of another
            series a year an older release has. The message names the file (and row).
    """
    raw_dir = Path(raw_dir)
    manifest = Path(manifest) if manifest is not None else paths.REFERENCE_DIR / "raw_files.csv"
    scope_path = Path(scope) if scope is not None else paths.REFERENCE_DIR / "countries.csv"
    if not raw_dir.is_dir():
        raise ReferenceDataError(f"{raw_dir}: no such folder of raw World Bank files")
    areas = read_scope(scope_path)
    wanted = set(areas["iso3"])
    # The World's members among the areas kept: every area but the World and any other
    # aggregate (a scope row whose 'why' calls it one).
    why = areas["why"] if "why" in areas.columns else pd.Series("", index=areas.index)
    members = set(areas.loc[~why.str.contains("aggregate", case=False) & (areas["iso3"] != WORLD), "iso3"])
    where_from: dict[tuple[str | None, str], str] = {}
    parts: dict[tuple[str | None, str], pd.DataFrame] = {}
    sources: dict[tuple[str | None, str], str] = {}
    names: dict[str, str] = {}
    seen: set[str] = set()
    for raw in read_manifest(manifest):
        path = _resolve(raw_dir, raw, manifest)
        check_row_boundary(path)
        if raw.format == "bulk":
            frame, last_updated = read_bulk(path, raw.indicator_code)
            if raw.release is not None and last_updated != raw.release:
                raise ReferenceDataError(
                    f"{path}, row 3: Last Updated Date {last_updated!r} differs from release "
                    f"{raw.release!r} in {manifest}, row {raw.line}"
                )
        elif raw.format == "long":
            frame = read_long(path)
        else:
            frame = read_ddf(path, raw.indicator_code)
        if raw.format != "ddf" and WORLD not in set(frame["iso3"]):
            raise ReferenceDataError(f"{path}: has no {WORLD} (World) rows; shares of world need them")
        seen |= set(frame["iso3"]) & wanted
        frame = frame[frame["iso3"].isin(wanted)]
        for iso3, name in frame.dropna(subset=["country"]).groupby("iso3")["country"].first().items():
            names.setdefault(iso3, name)
        key = (raw.release, raw.indicator_code)
        if key in parts:
            raise ReferenceDataError(
                f"{manifest}, row {raw.line}: {raw.indicator_code} {raw.release or 'without release'} is listed twice"
            )
        parts[key] = frame[(frame["year"] >= since) & frame["value"].notna()]
        _check_year_on_year(parts[key], raw.indicator_code, path)
        _check_world_total(parts[key], raw.indicator_code, members, str(path))
        sources[key] = raw.source
        where_from[key] = str(path)
    unseen = areas[~areas["iso3"].isin(seen)]
    if not unseen.empty:
        row = unseen.iloc[0]
        raise ReferenceDataError(f"{scope_path}, row {row['line']}: {row['iso3']} is in none of the raw files")
    _check_complete(parts, areas, where_from)

    pieces = []
    for (release, code), frame in parts.items():
        if code in EXTRACT_INDICATORS:
            pieces.append(
                frame.assign(release=release, indicator_code=code, method="published", source=sources[(release, code)])
            )
    for release in dict.fromkeys(r for r, _ in parts):
        inputs = [(release, c) for c in (PPP_PER_CAPITA, GDP, GDP_PER_CAPITA)]
        if (release, PPP_TOTAL) in parts or not all(k in parts for k in inputs):
            continue
        wide = [parts[k].set_index(["iso3", "year"])["value"] for k in inputs]
        per_capita_ppp, gdp, gdp_per_capita = wide
        derived = (per_capita_ppp * (gdp / gdp_per_capita.where(gdp_per_capita > 0))).dropna()
        where = f"{PPP_TOTAL} {release} derived from {' and '.join(where_from[k] for k in inputs)}"
        _check_year_on_year(derived.rename("value").reset_index(), PPP_TOTAL, where)
        _check_world_total(derived.rename("value").reset_index(), PPP_TOTAL, members, where)
        source = "+".join(dict.fromkeys(sources[k] for k in inputs))
        pieces.append(
            derived.rename("value")
            .reset_index()
            .assign(release=release, indicator_code=PPP_TOTAL, method="derived", source=source)
        )
    extract = pd.concat(pieces, ignore_index=True)
    short = areas.set_index("iso3")["name"]
    extract["country"] = extract["iso3"].map(lambda c: names.get(c, short[c])).astype("str")
    extract["release"] = extract["release"].astype("str")
    order = {code: i for i, code in enumerate(EXTRACT_INDICATORS)}
    extract = extract.assign(
        _release=extract["release"].fillna(""),
        _indicator=extract["indicator_code"].map(order),
    ).sort_values(["_release", "_indicator", "iso3", "year"], ascending=[False, True, True, True], kind="stable")
    return extract[EXTRACT_COLUMNS].reset_index(drop=True)


def extract_csv_bytes(extract: pd.DataFrame) -> bytes:
    """Serialise an extract as UTF-8 CSV with stable formatting (15 significant digits)."""
    text = extract.to_csv(index=False, lineterminator="\n", float_format="%.15g")
    return text.encode("utf-8")


def missing_reference_files(out_dir: str | Path) -> list[str]:
    """Return the names of :data:`CONFIG_FILES` and :data:`COMPANION_FILES` that
    ``out_dir`` lacks (all of them for a folder that does not exist), in that order:
    the files :func:`refresh_extract` takes from ``data/reference/``."""
    out_dir = Path(out_dir)
    return [name for name in CONFIG_FILES + COMPANION_FILES if not (out_dir / name).exists()]


@dataclass(frozen=True)
class ExtractChanges:
    """How a new extract differs from the one it would replace.

    Attributes:
        changed: values (same release, area, indicator and year) that differ beyond rounding.
        added: values the old extract lacked.
        largest: the changed value with the largest relative change, as
            ``(release, iso3, indicator_code, year, old, new, relative change)``; None if none changed.
    """

    changed: int = 0
    added: int = 0
    largest: tuple | None = None

    def describe(self) -> str:
        """One line: counts and the largest relative change."""
        text = f"{self.changed} values changed, {self.added} added"
        if self.largest is not None:
            release, iso3, code, year, old, new, relative = self.largest
            text += (
                f"; largest change {relative:+.2%}: {iso3} {code} {year} (release {release or 'none'}) "
                f"{old:.15g} -> {new:.15g}"
            )
        return text


_KEY = ["release", "iso3", "indicator_code", "year"]


def compare_extracts(old_path: str | Path, new: pd.DataFrame) -> ExtractChanges:
    """Compare an extract with the committed one at ``old_path``.

    Returns:
        An :class:`ExtractChanges`; values equal to within :data:`ROUNDING` are unchanged.

    Raises:
        ReferenceDataError: the old extract cannot be read, or a value it holds (a
            release, area, indicator and year) is missing from the new one (names the
            old file's row): a new release revises values but does not drop them.
    """
    old_path = Path(old_path)
    old = read_csv_strings(old_path, "the committed extract")
    _require_columns(old, EXTRACT_COLUMNS, old_path, "reference extract")
    old_values = pd.to_numeric(old["value"], errors="coerce")
    old_years = pd.to_numeric(old["year"], errors="coerce")
    if old_values.isna().any() or old_years.isna().any():
        line = int((old_values.isna() | old_years.isna()).idxmax()) + 2
        raise ReferenceDataError(f"{old_path}, row {line}: not a number; pass --accept-changes to replace the file")
    old = old.assign(value=old_values, year=old_years.astype("int64"), line=old.index + 2)
    fresh = new.assign(release=new["release"].fillna("").astype(str).replace("nan", ""))
    merged = old.merge(fresh[[*_KEY, "value"]], on=_KEY, how="left", suffixes=("_old", ""), indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    if not missing.empty:
        row = missing.iloc[0]
        raise ReferenceDataError(
            f"{old_path}, row {row['line']}: {row['iso3']} {row['indicator_code']} {row['year']} "
            f"(release {row['release'] or 'none'}) is missing from the new extract, with {len(missing)} "
            "value(s) in all; raw files lose no values between releases"
        )
    relative = (merged["value"] - merged["value_old"]).abs() / merged["value_old"].abs().where(
        merged["value_old"] != 0, 1.0
    )
    changed = merged[relative > ROUNDING]
    largest = None
    if not changed.empty:
        at = relative[changed.index].idxmax()
        r = merged.loc[at]
        signed = (r["value"] - r["value_old"]) / (abs(r["value_old"]) or 1.0)
        largest = (r["release"], r["iso3"], r["indicator_code"], int(r["year"]), r["value_old"], r["value"], signed)
    return ExtractChanges(changed=len(changed), added=len(new) - len(old), largest=largest)


def refresh_extract(
    raw_dir: str | Path, out_dir: str | Path | None = None, since: int = 2015, accept_changes: bool = False
) -> tuple[Path, pd.DataFrame, bool, ExtractChanges | None]:
    """Rebuild ``<out_dir>/wdi_extract.csv`` from raw files, atomically, leaving
    ``out_dir`` a complete reference folder.

    The list of raw files and the areas kept are read from ``<out_dir>/raw_files.csv``
    and ``<out_dir>/countries.csv``, or, where ``out_dir`` lacks one (a new or empty
    folder), from ``data/reference/``. Once the extract is built, every file of
    :data:`CONFIG_FILES` and :data:`COMPANION_FILES` that ``out_dir`` lacks is copied
    there from ``data/reference/``, so ``build --reference out_dir`` can use it.

    An existing extract is replaced only if every value it holds is still there, and,
    when values changed beyond rounding, only with ``accept_changes``.

    Args:
        raw_dir: folder of raw files (paths in ``raw_files.csv`` are relative to it).
        out_dir: the reference folder to write; created if missing; default
            ``data/reference/``.
        since: first year kept.
        accept_changes: write even though values changed beyond rounding.

    Returns:
        ``(path, extract, written, changes)``: the extract's path, the extract (see
        :func:`build_extract`), whether the file changed, and how its values changed
        (:class:`ExtractChanges`; None when there was no extract before).

    Raises:
        ReferenceDataError: as :func:`build_extract` and :func:`compare_extracts`, values
            changed without ``accept_changes``, or ``out_dir`` is a file; nothing is
            written then, and an existing extract is left untouched.
    """
    out_dir = Path(out_dir) if out_dir is not None else paths.REFERENCE_DIR
    if out_dir.exists() and not out_dir.is_dir():
        raise ReferenceDataError(f"{out_dir}: is a file, not a reference folder")
    missing = missing_reference_files(out_dir)
    config = {name: (paths.REFERENCE_DIR if name in missing else out_dir) / name for name in CONFIG_FILES}
    extract = build_extract(raw_dir, config["raw_files.csv"], config["countries.csv"], since)
    target = out_dir / "wdi_extract.csv"
    changes = None
    if target.exists():
        changes = compare_extracts(target, extract)
        if changes.changed and not accept_changes:
            raise ReferenceDataError(
                f"{target}: {changes.describe()}; nothing written: pass --accept-changes to write them"
            )
    for name in missing:
        write_atomic(out_dir / name, (paths.REFERENCE_DIR / name).read_bytes())
    written = write_atomic(target, extract_csv_bytes(extract))
    return target, extract, written, changes
