"""The Frictionless Data Package (``datapackage.json``) describing a story's processed tables.

:func:`package_descriptor` turns the registry of tables (:data:`newsfigures.report.catalog.TABLES`:
titles, field descriptions, units, sources, licences) and the tables themselves into the
descriptor of the CSV and Parquet files the build writes; ``frictionless validate
datapackage.json`` checks every file against it.
"""

from __future__ import annotations

import pandas as pd

from newsfigures.report.catalog import ARTICLES, ATTRIBUTION, CC_BY, MIT, SHEET_FIELDS, TABLES, VIEW_FIELDS, WDI_SOURCE

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
    described = entry.fields
    if described == SHEET_FIELDS:
        from newsfigures.core.figures import FIELDS

        described = {**FIELDS, **VIEW_FIELDS}
    fields = []
    for column in frame.columns:
        description, unit = described[column]
        spec = {
            "name": column,
            "type": field_type(column, frame[column].dtype),
            "description": description,
        }
        if unit:
            spec["unit"] = unit
        fields.append(spec)
    descriptor = {"fields": fields, "missingValues": [""]}
    if entry.primary_key:
        descriptor["primaryKey"] = list(entry.primary_key)
    return descriptor


def _article_sources(sources: pd.DataFrame | None) -> list[dict]:
    from newsfigures.core.sources import citation

    if sources is None:
        return [dict(ARTICLES)]
    return [{"title": citation(r), **({"path": r.url} if r.url else {})} for r in sources.itertuples(index=False)]


def package_descriptor(
    frames: dict[str, pd.DataFrame],
    formats: tuple[str, ...] = ("csv", "parquet"),
    *,
    story=None,
    sources: pd.DataFrame | None = None,
) -> dict:
    """Return the ``datapackage.json`` descriptor for the processed tables.

    Args:
        frames: ``{name: dataframe}`` as written (:func:`newsfigures.report.processed.tables`).
        formats: the file formats written for every table; each becomes a resource
            (``<name>`` for CSV, ``<name>-parquet`` for Parquet) with the same schema.
        story: the :class:`newsfigures.core.stories.Story` (its title and description).
        sources: the story's sources, cited as the articles' figures' sources.

    Returns:
        A Data Package descriptor (dict), validated by the frictionless library: name,
        title, description, licences, sources and one resource per table and format
        with its path, format, title, description, sources, licences and schema.

    Raises:
        KeyError: a table is not in the registry.
    """
    from frictionless import Package, Resource, Schema

    articles = _article_sources(sources)

    def cite(entries) -> list[dict]:
        return [dict(a) for s in entries for a in (articles if s is ARTICLES else [s])]

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
                    sources=cite(entry.sources),
                    licenses=[dict(x) for x in entry.licenses],
                    **({"encoding": "utf-8"} if fmt == "csv" else {}),
                )
            )
    uses_wdi = any(WDI_SOURCE in TABLES[name].sources for name in frames)
    title = story.title if story is not None else "newsfigures tables"
    description = story.description if story is not None and story.description else f"Tidy tables behind {title}."
    package = Package(
        name="newsfigures-processed",
        title=f"newsfigures: {title}",
        description=description
        + " Each table is given as CSV and as Parquet."
        + (" WDI data: " + ATTRIBUTION + "." if uses_wdi else ""),
        licenses=[dict(CC_BY), dict(MIT)] if uses_wdi else [dict(MIT)],
        sources=cite([WDI_SOURCE, ARTICLES] if uses_wdi else [ARTICLES]),
        resources=resources,
    )
    return package.to_descriptor()
