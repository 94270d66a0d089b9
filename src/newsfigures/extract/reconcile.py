"""Reconcile a figure sheet with an article's text: which rows still stand where they say.

:func:`compare_with_sheet` sets each sheet row beside the figure extracted from the text
at its offsets (:func:`newsfigures.extract.extract_figures`), so a changed article, or a
sheet typed with a slip, shows up row by row; ``python -m newsfigures check`` prints it.
:func:`draft_sheet` goes the other way: the extracted figures as a valid figure sheet to
edit (``python -m newsfigures extract --draft-sheet``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from newsfigures.core.errors import FigureSheetError
from newsfigures.core.figures import COLUMNS as SHEET_COLUMNS
from newsfigures.core.figures import figure_label, same_figure, validate_figures

#: What each status in :func:`compare_with_sheet` means.
STATUSES: dict[str, str] = {
    "ok": "the sheet's surface stands at its offsets and reads as the same figure",
    "differs": "the figure stands at its offsets, but its attribution, unit or kind is not the sheet's (see differs)",
    "moved": "the same figure stands elsewhere in the text (its offsets are out of date)",
    "changed": "a different figure stands where the sheet's figure was",
    "missing": "the figure is no longer in the text",
    "new": "a figure in the text that no sheet row records",
}

_COLUMNS = {
    "figure_id": "str",
    "measure": "str",
    "status": "str",
    "surface": "str",
    "char_start": "Int64",
    "char_end": "Int64",
    "found_surface": "str",
    "found_start": "Int64",
    "found_end": "Int64",
    "sheet_figure": "str",
    "found_figure": "str",
    "sheet_attribution": "str",
    "found_attribution": "str",
    "sheet_unit": "str",
    "found_unit": "str",
    "differs": "str",
}


def unit_kind(unit) -> str:
    """The kind of figure a sheet's unit implies (the ``kind`` column of an extraction):
    ``percent`` for percent, percentage or basis points, ``currency`` for an ISO 4217 code
    or a minor unit, ``fraction``, ``count`` for people and counts, ``duration``, else ``measure``."""
    if not isinstance(unit, str):
        return "count"
    if unit in ("percent", "percentage_points", "basis_points"):
        return "percent"
    if unit in ("people", "count"):
        return "count"
    if unit == "fraction":
        return "fraction"
    if unit in _DURATIONS:
        return "duration"
    if (len(unit) == 3 and unit.isupper()) or unit in ("cents", "pence"):
        return "currency"
    return "measure"


_DURATIONS = {"years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades", "centuries"}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _differences(sheet_row, match) -> list[str]:
    """What a sheet row and the figure found for it disagree on, each as ``name: sheet's -> text's``
    for ``attribution``, ``unit`` and ``kind``."""
    pairs = {
        "attribution": (_text(sheet_row.attribution), _text(match["attribution"])),
        "unit": (_text(sheet_row.unit), _text(match["unit"])),
        "kind": (unit_kind(sheet_row.unit), match["kind"]),
    }
    return [f"{name}: {a or '(none)'} -> {b or '(none)'}" for name, (a, b) in pairs.items() if a != b]


def _claim(sheet_row, found: pd.DataFrame, free: set) -> tuple[str, int | None]:
    """The status of one sheet row and the index of the extracted figure it claims."""
    start, end = sheet_row.char_start, sheet_row.char_end
    candidates = [
        i for i in free if found.at[i, "surface"] == sheet_row.surface and same_figure(sheet_row, found.loc[i])
    ]
    if pd.notna(start):
        exact = [i for i in candidates if found.at[i, "char_start"] == start and found.at[i, "char_end"] == end]
        if exact:
            return "ok", exact[0]
        if candidates:
            return "moved", min(candidates, key=lambda i: abs(int(found.at[i, "char_start"]) - int(start)))
        overlapping = [i for i in free if found.at[i, "char_start"] < end and start < found.at[i, "char_end"]]
        if overlapping:
            return "changed", overlapping[0]
        return "missing", None
    # A row without offsets only says that the figure is somewhere in the text.
    return ("ok", candidates[0]) if candidates else ("missing", None)


def compare_with_sheet(found: pd.DataFrame, sheet: pd.DataFrame) -> pd.DataFrame:
    """Set each sheet row beside the figure extracted at its place in the text.

    Args:
        found: figures extracted from the text, from :func:`newsfigures.extract.extract_figures`.
        sheet: a figure sheet, from :func:`newsfigures.core.figures.load_figures`.

    Returns:
        One row per sheet row (sheet order), then one per extracted figure that no sheet
        row claims (text order), columns:
        ``figure_id, measure`` str (the sheet's; missing for new figures); ``status`` str (one of
        :data:`STATUSES`); ``surface, char_start, char_end`` the sheet's surface and
        offsets (str, Int64; for a new figure, the text's); ``found_surface, found_start,
        found_end`` the extracted figure the row was matched with (missing when none);
        ``sheet_figure, found_figure`` each figure in words (e.g. ``at least 3,000``,
        from :func:`newsfigures.core.figures.figure_label`); ``sheet_attribution,
        found_attribution, sheet_unit, found_unit`` str, missing when none; ``differs``
        str: what the sheet and the text disagree on among ``attribution``, ``unit`` and
        ``kind`` (the sheet's implied by its unit, :func:`unit_kind`), e.g. ``unit: people ->
        count; kind: count -> measure`` (missing when they agree). Surface, offsets, value,
        bounds and qualifier decide ``ok``, ``moved``, ``changed`` or ``missing``; a figure
        that stands as recorded but differs in attribution, unit or kind is ``differs``
        (a moved one stays ``moved``, with ``differs`` filled).
    """
    free = set(found.index)
    rows = []
    for row in sheet.itertuples(index=False):
        status, i = _claim(row, found, free)
        match = found.loc[i] if i is not None else None
        if i is not None:
            free.discard(i)
        differs = _differences(row, match) if match is not None and status in ("ok", "moved") else []
        if differs and status == "ok":
            status = "differs"
        rows.append(
            {
                "figure_id": row.figure_id,
                "measure": row.measure,
                "status": status,
                "surface": row.surface,
                "char_start": row.char_start,
                "char_end": row.char_end,
                "found_surface": None if match is None else match["surface"],
                "found_start": None if match is None else match["char_start"],
                "found_end": None if match is None else match["char_end"],
                "sheet_figure": figure_label(row),
                "found_figure": None if match is None else figure_label(match),
                "sheet_attribution": row.attribution,
                "found_attribution": None if match is None else match["attribution"],
                "sheet_unit": row.unit,
                "found_unit": None if match is None else match["unit"],
                "differs": "; ".join(differs) or None,
            }
        )
    for i in sorted(free, key=lambda i: found.at[i, "char_start"]):
        match = found.loc[i]
        rows.append(
            {
                "figure_id": None,
                "measure": None,
                "status": "new",
                "surface": match["surface"],
                "char_start": match["char_start"],
                "char_end": match["char_end"],
                "found_surface": match["surface"],
                "found_start": match["char_start"],
                "found_end": match["char_end"],
                "sheet_figure": None,
                "found_figure": figure_label(match),
                "sheet_attribution": None,
                "found_attribution": match["attribution"],
                "sheet_unit": None,
                "found_unit": match["unit"],
                "differs": None,
            }
        )
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    return frame.astype(_COLUMNS)


def agree(comparison: pd.DataFrame) -> bool:
    """Whether a :func:`compare_with_sheet` result finds sheet and text in agreement
    (every row ``ok``, no new figure)."""
    return bool((comparison["status"] == "ok").all())


def summary(comparison: pd.DataFrame) -> str:
    """One sentence saying how far the sheet and the text agree, e.g. ``All 5 figures in
    the sheet stand in the text as recorded, and the text has no other figures.``"""
    counts = comparison["status"].value_counts()
    in_sheet = int(comparison["figure_id"].notna().sum())
    new = int(counts.get("new", 0))
    others = "no other figures" if not new else f"{new} figure{'s' if new != 1 else ''} not in the sheet"
    if counts.get("ok", 0) == in_sheet:
        return f"All {in_sheet} figures in the sheet stand in the text as recorded, and the text has {others}."
    parts = [f"{int(counts[s])} {s}" for s in STATUSES if s != "new" and counts.get(s, 0)]
    return f"Of {in_sheet} figures in the sheet: {', '.join(parts)}; the text has {others}."


#: How :func:`draft_sheet` words a figure's measure, by ``kind``: a placeholder to rewrite.
_MEASURES = {
    "percent": "difference in {unit}",
    "currency": "amount in {unit}",
    "fraction": "fraction",
    "duration": "duration in {unit}",
    "measure": "quantity in {unit}",
}
#: The topic of every drafted row: a person sorts them into the report's topics.
DRAFT_TOPIC = "other"


def _draft_measure(row) -> str:
    if row.kind == "count":
        measure = "number of people" if row.unit == "people" else "count"
    elif row.unit == "percent":
        measure = "percentage"
    else:
        measure = _MEASURES.get(row.kind, "{unit}").format(unit=row.unit.replace("_", " "))
    return f"{measure}, according to {row.attribution}" if isinstance(row.attribution, str) else measure


def draft_sheet(found: pd.DataFrame, source: str, as_of: str) -> pd.DataFrame:
    """Turn extracted figures into a figure sheet to edit: every column a sheet needs.

    Args:
        found: figures from :func:`newsfigures.extract.extract_figures`.
        source: the article's key (``source`` column), a key of the story's sources file.
        as_of: the date the figures refer to, ``YYYY-MM-DD`` (usually the publication date).

    Returns:
        A validated sheet (columns and dtypes of :data:`newsfigures.core.figures.COLUMNS`), one
        row per figure in text order: ``figure_id`` ``figure_01``, ``figure_02``, ...;
        ``topic`` ``other``; ``measure`` a placeholder in words from the figure's kind,
        unit and attribution (``number of people, according to the U.S.``), to be
        rewritten; ``value, lower, upper, unit, qualifier, attribution, surface,
        char_start, char_end`` as extracted; ``as_of`` and ``source`` as given. The
        extraction's ``sentence`` and ``kind`` are left out.

    Raises:
        FigureSheetError: ``as_of`` is not a date, ``source`` is empty, or the text gave
            no figures (a sheet needs at least one row).
    """
    problems = []
    try:
        date.fromisoformat(str(as_of))
    except ValueError:
        problems.append((None, "as_of", f"{as_of!r} is not a date (YYYY-MM-DD)"))
    if not str(source or "").strip():
        problems.append((None, "source", "is empty; give the article's key"))
    if found.empty:
        problems.append((None, None, "the text has no figures to draft a sheet from"))
    if problems:
        raise FigureSheetError("<draft sheet>", problems)
    width = max(2, len(str(len(found))))
    frame = pd.DataFrame(
        {
            "figure_id": [f"figure_{i:0{width}d}" for i in range(1, len(found) + 1)],
            "topic": DRAFT_TOPIC,
            "measure": [_draft_measure(row) for row in found.itertuples(index=False)],
            **{
                c: found[c].reset_index(drop=True)
                for c in (
                    "value",
                    "lower",
                    "upper",
                    "unit",
                    "qualifier",
                    "attribution",
                    "surface",
                    "char_start",
                    "char_end",
                )
            },
            "as_of": as_of,
            "source": source,
        },
        columns=list(SHEET_COLUMNS),
    )
    return validate_figures(frame, "<draft sheet>")
