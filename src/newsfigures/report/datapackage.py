"""What each processed table is: titles, field descriptions, units, sources and licences.

:func:`package_descriptor` turns this catalogue and the tables into a Frictionless Data
Package (``datapackage.json``) describing the CSV and Parquet files the build writes to
``data/processed/``; ``frictionless validate data/processed/datapackage.json`` checks
every file against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

WDI_SOURCE = {
    "title": "World Bank, World Development Indicators",
    "path": "https://datacatalog.worldbank.org/search/dataset/0037712/World-Development-Indicators",
}
#: Stands for the article's citation, read from ``data/article/article.json`` when the
#: package is described (the headline is the article's words, so it is not copied here).
ARTICLE_SOURCE = {"title": "the article"}
MEMBERSHIP_SOURCE = {
    "title": "BRICS summit declarations and announcements by the BRICS chair "
    "(dates in data/reference/brics_membership.csv)",
}
CC_BY = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
MIT = {
    "name": "MIT",
    "title": "MIT License (this repository's compilation)",
    "path": "https://opensource.org/license/mit",
}
ATTRIBUTION = "World Bank, World Development Indicators (CC BY 4.0), releases of 2024-06-28 and 2026-07-01"


@dataclass(frozen=True)
class Table:
    """Catalogue entry of one processed table."""

    title: str
    description: str
    fields: dict[str, tuple[str, str | None]]  #: name -> (description, unit or None)
    sources: tuple[dict, ...]
    licenses: tuple[dict, ...]
    primary_key: tuple[str, ...] = ()
    types: dict[str, str] = field(default_factory=dict)  #: overrides of the type read from the dtype


_SHEET_FIELDS = {
    "figure_id": ("Unique key of the figure (snake_case)", None),
    "topic": ("Section of the report that uses it: force_size or brics_share", None),
    "measure": ("What the figure measures, in this project's words", None),
    "value": ("The number as printed; empty for a vague magnitude", "as in the unit field"),
    "lower": ("Inclusive lower bound implied by the qualifier; empty where open", "as in the unit field"),
    "upper": ("Inclusive upper bound implied by the qualifier; empty where open", "as in the unit field"),
    "unit": ("Unit of value, lower and upper: people or percent", None),
    "qualifier": ("How the figure was printed: exact, approximate, at_least, magnitude, ...", None),
    "attribution": ("Whom the article credits; empty when the outlet states it", None),
    "surface": ("The few words as printed", None),
    "char_start": ("Offset of surface in the article text (code points)", "characters"),
    "char_end": ("End offset of surface in the article text, exclusive", "characters"),
    "as_of": ("Date the figure refers to (the publication date when none is given)", None),
    "source": ("Key of the article's citation in data/article/article.json", None),
}

_SHARE = ("Share of the World aggregate (WLD), 0-100", "percent")

TABLES: dict[str, Table] = {
    "figures": Table(
        "Figures quoted in the article",
        "One row per figure (claim) in the article, with its qualifier, bounds, attribution and position.",
        _SHEET_FIELDS,
        (ARTICLE_SOURCE,),
        (MIT,),
        ("figure_id",),
    ),
    "force_sizes": Table(
        "Force sizes quoted in the article",
        "The force-size figures (troops sent, North Korea's army, the war's dead), smallest first.",
        _SHEET_FIELDS,
        (ARTICLE_SOURCE,),
        (MIT,),
        ("figure_id",),
    ),
    "brics_shares": Table(
        "BRICS shares of the world quoted in the article",
        "The article's BRICS shares of world population and GDP.",
        _SHEET_FIELDS,
        (ARTICLE_SOURCE,),
        (MIT,),
        ("figure_id",),
    ),
    "wdi_extract": Table(
        "World Bank WDI extract",
        "Tidy WDI values for the countries the report uses and the World aggregate, from 2015, for two WDI "
        "releases (2024-06-28, current when the article ran, and 2026-07-01). Armed forces personnel is one "
        "series without a release split. Attribution: " + ATTRIBUTION + ".",
        {
            "release": ("WDI release date (YYYY-MM-DD); empty for MS.MIL.TOTL.P1, one series", None),
            "iso3": ("ISO 3166 alpha-3 code; WLD is the World aggregate", None),
            "country": ("Name as published by the World Bank", None),
            "indicator_code": ("WDI indicator code", None),
            "year": ("Year of the value", "year"),
            "value": (
                "The value: people (SP.POP.TOTL, MS.MIL.TOTL.P1), current international $ "
                "(NY.GDP.MKTP.PP.CD), current US$ (NY.GDP.MKTP.CD)",
                "as in the indicator",
            ),
            "method": ("published, or derived (PPP total = NY.GDP.PCAP.PP.CD x NY.GDP.MKTP.CD / NY.GDP.PCAP.CD)", None),
            "source": ("Dataset and commit the value was read from", None),
        },
        (WDI_SOURCE,),
        (CC_BY,),
    ),
    "brics_membership": Table(
        "BRICS membership by date",
        "Who was a BRICS member, invitee or partner, and from when to when (inclusive). Saudi Arabia, "
        "invited for 2024, never confirmed and is kept apart from the members.",
        {
            "iso3": ("ISO 3166 alpha-3 code", None),
            "country": ("Short English name", None),
            "status": ("member, invited or partner", None),
            "from": ("First day of the status", None),
            "to": ("Last day of the status; empty while it lasts", None),
            "source": ("What the dates rest on", None),
        },
        (MEMBERSHIP_SOURCE,),
        (MIT,),
    ),
    "brics_group_shares": Table(
        "BRICS groups' shares of the world",
        "Share of world population and GDP (PPP and market exchange rates) of BRICS-5, BRICS-9 and BRICS-9 "
        "plus Saudi Arabia, for every WDI release and year with complete data. Attribution: " + ATTRIBUTION + ".",
        {
            "group": ("Group name: BRICS-5, BRICS-9 or BRICS-9+SAU", None),
            "group_label": ("Group in words", None),
            "members": ("Members' ISO3 codes, space-separated", None),
            "indicator_code": ("WDI indicator code", None),
            "measure": ("What the indicator measures", None),
            "release": ("WDI release date", None),
            "year": ("Year", "year"),
            "share_pct": _SHARE,
        },
        (WDI_SOURCE, MEMBERSHIP_SOURCE),
        (CC_BY,),
        ("group", "indicator_code", "release", "year"),
    ),
    "brics_member_shares": Table(
        "BRICS members' shares of the world",
        "Each member's (and Saudi Arabia's) value and share of the world, per indicator, WDI release and year: "
        "the breakdown of the group shares. Attribution: " + ATTRIBUTION + ".",
        {
            "group": ("The group broken down", None),
            "iso3": ("ISO 3166 alpha-3 code", None),
            "country": ("Short English name", None),
            "status": ("Status on 1 January 2024: member, invited (never confirmed) or not a member", None),
            "cohort": ("1: members by 2023; 2: joined 1 January 2024; 3: others (Saudi Arabia, invited)", None),
            "indicator_code": ("WDI indicator code", None),
            "measure": ("What the indicator measures", None),
            "unit": ("Unit of value", None),
            "release": ("WDI release date", None),
            "year": ("Year", "year"),
            "value": ("The member's value", "as in the unit field"),
            "share_pct": _SHARE,
        },
        (WDI_SOURCE, MEMBERSHIP_SOURCE),
        (CC_BY,),
        ("iso3", "indicator_code", "release", "year"),
    ),
    "armed_forces": Table(
        "Armed forces personnel",
        "WDI MS.MIL.TOTL.P1 (from IISS, The Military Balance): active-duty military and paramilitary forces "
        "resembling them, reservists excluded. One series without a release split; WDI has no values after 2020. "
        "Attribution: World Bank, World Development Indicators (CC BY 4.0).",
        {
            "iso3": ("ISO 3166 alpha-3 code", None),
            "country": ("Short English name", None),
            "year": ("Year", "year"),
            "personnel": ("Armed forces personnel", "people"),
            "latest": ("Whether this is the country's most recent year", None),
        },
        (WDI_SOURCE,),
        (CC_BY,),
        ("iso3", "year"),
    ),
    "fact_check": Table(
        "Fact-check of the article's figures against World Bank data",
        "Each checkable figure recomputed under every plausible definition (group, measure, WDI release, "
        "year); closest marks the one row per figure nearest the article's number. Attribution: "
        + ATTRIBUTION
        + "; figures from the article.",
        {
            "figure_id": ("The figure checked (key of the figures table)", None),
            "figure_measure": ("What the figure measures", None),
            "indicator_code": ("WDI indicator used", None),
            "measure": ("What the indicator measures", None),
            "group": ("Group name or ISO3 code(s) of the definition", None),
            "group_label": ("The group in words", None),
            "members": ("ISO3 codes counted, space-separated", None),
            "release": ("WDI release; empty for MS.MIL.TOTL.P1, one series", None),
            "year": ("Year of the data", "year"),
            "unit": ("percent (share of world) or people", None),
            "recomputed": ("The figure recomputed under this definition", "as in the unit field"),
            "article_value": ("The article's number", "as in the unit field"),
            "difference": ("recomputed minus article_value", "as in the unit field"),
            "difference_pp": ("The difference in percentage points (percent figures only)", "percentage points"),
            "matches_as_printed": ("recomputed rounds to the article's number at the precision printed", None),
            "available_at_publication": ("The WDI release is dated on or before the article", None),
            "closest": ("The definition nearest the article's number (one row per figure)", None),
            "closest_at_publication": ("The nearest among data available at publication", None),
        },
        (WDI_SOURCE, ARTICLE_SOURCE),
        (CC_BY,),
    ),
}

_DATE_FIELDS = {"as_of", "from", "to"}


def field_type(name: str, dtype) -> str:
    """Return the Table Schema type of a column: string, number, integer, boolean or date."""
    if name in _DATE_FIELDS or pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


def schema(name: str, frame: pd.DataFrame) -> dict:
    """Return the Table Schema of one table: every column with type, description and unit.

    Raises:
        KeyError: the table or one of its columns is not in the catalogue.
    """
    entry = TABLES[name]
    fields = []
    for column in frame.columns:
        description, unit = entry.fields[column]
        spec = {
            "name": column,
            "type": entry.types.get(column, field_type(column, frame[column].dtype)),
            "description": description,
        }
        if unit:
            spec["unit"] = unit
        fields.append(spec)
    descriptor = {"fields": fields, "missingValues": [""]}
    if entry.primary_key:
        descriptor["primaryKey"] = list(entry.primary_key)
    return descriptor


def _article_source() -> dict:
    from newsfigures.core.article import load_article_metadata

    meta = load_article_metadata()
    return {"title": meta.citation(), "path": meta.url}


def package_descriptor(frames: dict[str, pd.DataFrame], formats: tuple[str, ...] = ("csv", "parquet")) -> dict:
    """Return the ``datapackage.json`` descriptor for the processed tables.

    Args:
        frames: ``{name: dataframe}`` as written (:func:`newsfigures.report.processed.tables`).
        formats: the file formats written for every table; each becomes a resource
            (``<name>`` for CSV, ``<name>-parquet`` for Parquet) with the same schema.

    Returns:
        A Data Package descriptor (dict), validated by the frictionless library: name,
        title, description, licences, sources and one resource per table and format
        with its path, format, title, description, sources, licences and schema.

    Raises:
        KeyError: a table is not in :data:`TABLES`.
    """
    from frictionless import Package, Resource, Schema

    article = _article_source()

    def sources(entries) -> list[dict]:
        return [dict(article if s is ARTICLE_SOURCE else s) for s in entries]

    resources = []
    for name, frame in frames.items():
        entry = TABLES[name]
        table_schema = Schema.from_descriptor(schema(name, frame))
        for fmt in formats:
            resources.append(
                Resource(
                    name=name if fmt == "csv" else f"{name}-{fmt}",
                    path=f"{name}.{fmt}",
                    format=fmt,
                    title=entry.title + ("" if fmt == "csv" else f" ({fmt.capitalize()})"),
                    description=entry.description,
                    schema=table_schema,
                    sources=sources(entry.sources),
                    licenses=[dict(x) for x in entry.licenses],
                    **({"encoding": "utf-8"} if fmt == "csv" else {}),
                )
            )
    package = Package(
        name="newsfigures-processed",
        title="newsfigures: the article's figures and their World Bank context as tidy tables",
        description="Tidy tables behind the newsfigures report on an NBC News article of 24 October 2024 "
        "(North Korean troops sent to Russia; the BRICS summit in Kazan): the figures as quoted, "
        "World Bank WDI reference data, BRICS membership and shares, and a fact-check. Each table "
        "is given as CSV and as Parquet. WDI data: " + ATTRIBUTION + ".",
        licenses=[dict(CC_BY), dict(MIT)],
        sources=sources([WDI_SOURCE, ARTICLE_SOURCE]),
        resources=resources,
    )
    return package.to_descriptor()
