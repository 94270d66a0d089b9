"""The one registry of processed tables: name -> builder, title, description, columns.

The writer and the loaders (:mod:`newsfigures.report.processed`), the data package
(:mod:`newsfigures.report.datapackage`) and ``newsfigures.load_<name>`` all read
:data:`TABLES`; adding a table means adding one entry here. This module imports nothing
heavy: builders import what they need when called.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WDI_SOURCE = {
    "title": "World Bank, World Development Indicators",
    "path": "https://datacatalog.worldbank.org/search/dataset/0037712/World-Development-Indicators",
}
#: Stands for the story's articles, cited from its sources file when the package is described.
ARTICLES = {"title": "the articles"}
MEMBERSHIP_SOURCE = {
    "title": "BRICS summit declarations and announcements by the BRICS chair "
    "(dates in the reference folder's brics_membership.csv)",
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
#: ``fields`` of a table with the figure sheet's columns (described in :data:`newsfigures.core.figures.FIELDS`).
SHEET_FIELDS = "sheet"
#: Columns a view of the sheet adds to the sheet's own.
VIEW_FIELDS = {"series": ("The measure the estimates share: the series' name", None)}


@dataclass(frozen=True)
class Inputs:
    """What the tables are computed from: one story's validated data.

    Attributes:
        figures: the validated figure sheet.
        sources: the story's sources (:func:`newsfigures.core.sources.load_sources`), or None.
        reference: the reference folder, or None when the story uses no reference data.
        checks: the checks file (which figures the reference data checks), or None.
        context: the story's ``[context]`` settings (groups, compared countries, ...).
    """

    figures: Any
    sources: Any = None
    reference: Path | None = None
    checks: Path | None = None
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """Registry entry of one processed table.

    Attributes:
        build: function of :class:`Inputs` returning the table (a DataFrame).
        needs: what the table needs besides the sheet: ``()``, ``("reference",)`` or
            ``("reference", "checks")``; a story without it does not get the table.
        fields: column -> (description, unit or None), or :data:`SHEET_FIELDS`.
    """

    build: Callable[[Inputs], Any]
    title: str
    description: str
    fields: dict[str, tuple[str, str | None]] | str
    sources: tuple[dict, ...]
    licenses: tuple[dict, ...]
    primary_key: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def _view(name: str):
    def build(inputs: Inputs):
        from newsfigures.core import figures

        return getattr(figures, name)(inputs.figures)

    return build


def _series(inputs: Inputs):
    from newsfigures.core.figures import estimate_series

    return estimate_series(inputs.figures)


def _wdi_extract(inputs: Inputs):
    from newsfigures.reference.shares import load_extract

    return load_extract(inputs.reference)


def _membership(inputs: Inputs):
    from newsfigures.reference.shares import load_membership

    return load_membership(inputs.reference)


def _group_shares(inputs: Inputs):
    from newsfigures.reference.shares import GROUPS, group_shares

    return group_shares(tuple(inputs.context.get("groups", GROUPS)), reference=inputs.reference)


def _member_shares(inputs: Inputs):
    from newsfigures.reference.shares import member_shares

    group = inputs.context.get("breakdown_group")
    return member_shares(group, reference=inputs.reference) if group else member_shares(reference=inputs.reference)


def _armed_forces(inputs: Inputs):
    from newsfigures.reference.shares import armed_forces

    return armed_forces(reference=inputs.reference)


def _fact_check(inputs: Inputs):
    from newsfigures.reference.factcheck import fact_check

    return fact_check(inputs.figures, inputs.reference, checks=inputs.checks, sources=inputs.sources)


_SHARE = ("Share of the World aggregate (WLD), 0-100", "percent")

#: Table name -> entry, in writing order.
TABLES: dict[str, Table] = {
    "figures": Table(
        lambda inputs: inputs.figures,
        "Figures quoted in the articles",
        "One row per figure (claim) in the story's articles, with its qualifier, bounds, attribution, "
        "position and source.",
        SHEET_FIELDS,
        (ARTICLES,),
        (MIT,),
        ("figure_id",),
    ),
    "counts": Table(
        _view("counts"),
        "Counts quoted in the articles",
        "The figures counted in people or things (unit people or count), smallest first.",
        SHEET_FIELDS,
        (ARTICLES,),
        (MIT,),
        ("figure_id",),
    ),
    "shares": Table(
        _view("shares"),
        "Shares quoted in the articles",
        "The figures in percent: shares of a whole, 0-100.",
        SHEET_FIELDS,
        (ARTICLES,),
        (MIT,),
        ("figure_id",),
    ),
    "money": Table(
        _view("money"),
        "Amounts of money quoted in the articles",
        "The figures in a currency (unit an ISO 4217 code), in currency units, smallest first.",
        SHEET_FIELDS,
        (ARTICLES,),
        (MIT,),
        ("figure_id",),
    ),
    "series": Table(
        _series,
        "Estimates over time",
        "Figures that estimate the same measure at different dates or from different sources, one row per "
        "estimate, ordered by series and date.",
        SHEET_FIELDS,
        (ARTICLES,),
        (MIT,),
        ("figure_id",),
    ),
    "wdi_extract": Table(
        _wdi_extract,
        "World Bank WDI extract",
        "Tidy WDI values for the countries the report uses and the World aggregate, from 2015, for two WDI "
        "releases (2024-06-28 and 2026-07-01). Armed forces personnel is one series without a release split. "
        "Attribution: " + ATTRIBUTION + ".",
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
        needs=("reference",),
    ),
    "membership": Table(
        _membership,
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
        needs=("reference",),
    ),
    "group_shares": Table(
        _group_shares,
        "Groups' shares of the world",
        "Share of world population and GDP (PPP and market exchange rates) of each group of countries the "
        "story compares, for every WDI release and year with complete data. Attribution: " + ATTRIBUTION + ".",
        {
            "group": ("Group name (BRICS-5) or ISO3 codes", None),
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
        needs=("reference",),
    ),
    "member_shares": Table(
        _member_shares,
        "Members' shares of the world",
        "Each member's value and share of the world, per indicator, WDI release and year: the breakdown of "
        "a group's share. Attribution: " + ATTRIBUTION + ".",
        {
            "group": ("The group broken down", None),
            "iso3": ("ISO 3166 alpha-3 code", None),
            "country": ("Short English name", None),
            "status": ("Status on 1 January 2024: member, invited (never confirmed) or not a member", None),
            "cohort": ("1: members by 2023; 2: joined 1 January 2024; 3: others (invited)", None),
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
        needs=("reference",),
    ),
    "armed_forces": Table(
        _armed_forces,
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
        needs=("reference",),
    ),
    "fact_check": Table(
        _fact_check,
        "Fact-check of the figures against World Bank data",
        "Each checkable figure recomputed under every plausible definition (group, measure, WDI release, "
        "year); closest marks the one row per figure nearest the article's number. Attribution: "
        + ATTRIBUTION
        + "; figures from the articles.",
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
            "available_at_publication": ("The WDI release is dated on or before the figure's article", None),
            "closest": ("The definition nearest the article's number (one row per figure)", None),
            "closest_at_publication": ("The nearest among data available at publication", None),
        },
        (WDI_SOURCE, ARTICLES),
        (CC_BY,),
        needs=("reference", "checks"),
    ),
}


def table_names(inputs: Inputs | None = None) -> list[str]:
    """The tables a story gets: every table whose needs its inputs meet (all when None)."""
    if inputs is None:
        return list(TABLES)
    have = {"reference": inputs.reference is not None, "checks": inputs.checks is not None}
    return [name for name, table in TABLES.items() if all(have[n] for n in table.needs)]
