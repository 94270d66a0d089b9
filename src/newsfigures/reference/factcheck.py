"""Fact-check: the article's figures recomputed from World Bank data under each plausible definition.

Which figure can be checked, against which indicator and which groups of countries, is
data: ``data/reference/checks.csv`` (``figure_id, indicator_code, groups``, groups
separated by ``;``). A figure in percent is recomputed as a share of world
(:func:`newsfigures.reference.share_of_world`); a figure in people as the group's total
(:func:`newsfigures.reference.group_total`). Every release and year with complete
data is tried; the row nearest the article's number is marked ``closest``.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd

from newsfigures.core.errors import ReferenceDataError
from newsfigures.core.figures import format_number
from newsfigures.core.typography import curly
from newsfigures.reference import shares as ref
from newsfigures.reference.wdi import read_csv_strings

COLUMNS: dict[str, str] = {
    "figure_id": "str",
    "figure_measure": "str",
    "indicator_code": "str",
    "measure": "str",
    "group": "str",
    "group_label": "str",
    "members": "str",
    "release": "str",
    "year": "int64",
    "unit": "str",
    "recomputed": "float64",
    "article_value": "float64",
    "difference": "float64",
    "difference_pp": "float64",
    "matches_as_printed": "bool",
    "available_at_publication": "bool",
    "closest": "bool",
    "closest_at_publication": "bool",
}


def load_checks(reference: str | Path | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Load a checks file: which of a story's figures the reference data can check.

    Args:
        reference: the reference folder, whose ``checks.csv`` is read when ``path`` is None.
        path: the checks file itself (a story file's ``checks``).

    Returns:
        One row per figure and indicator: ``figure_id, indicator_code`` (str), ``groups``
        (list of group names or ISO3 codes, see :func:`newsfigures.reference.group_members`).

    Raises:
        ReferenceDataError: the file is missing, lacks a column, or a row has no groups.
    """
    path = Path(path) if path is not None else ref.folder(reference) / ref.CHECKS
    frame = read_csv_strings(path, "which figures the reference data checks", na_values=[""])
    for column in ("figure_id", "indicator_code", "groups"):
        if column not in frame.columns:
            raise ReferenceDataError(f"{path}: missing column {column!r}")
    empty = frame["groups"].isna() | frame["indicator_code"].isna() | frame["figure_id"].isna()
    if empty.any():
        raise ReferenceDataError(
            f"{path}, row {int(empty.idxmax()) + 2}: figure_id, indicator_code and groups are all required"
        )
    groups = [[g.strip() for g in cell.split(";") if g.strip()] for cell in frame["groups"]]
    return pd.DataFrame(
        {
            "figure_id": frame["figure_id"].astype("str"),
            "indicator_code": frame["indicator_code"].astype("str"),
            "groups": groups,
        }
    )


def _precision(value: float) -> float:
    """The step a number was printed to: 41.1 -> 0.1, 3000 -> 1000, 1000000 -> 1000000."""
    if float(value).is_integer():
        if value == 0:
            return 1.0
        step = 1.0
        while value % (step * 10) == 0:
            step *= 10
        return step
    decimals = len(repr(float(value)).split(".")[1])
    return 10.0**-decimals


def _rounds_to(recomputed: float, printed: float) -> bool:
    step = _precision(printed)
    return math.isclose(math.floor(recomputed / step + 0.5) * step, printed, rel_tol=1e-9, abs_tol=1e-12)


def fact_check(
    figures: pd.DataFrame,
    reference: str | Path | None = None,
    published: date | None = None,
    *,
    checks: str | Path | pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Recompute each checkable figure under every plausible definition.

    Args:
        figures: a figure sheet from :func:`newsfigures.core.figures.load_figures`; figures
            without a ``value`` or without a row in ``checks.csv`` are not checked.
        reference: the reference folder; default ``data/reference/``.
        published: one publication date for every figure, to mark what data existed then;
            default each figure's article's date from ``sources``, else its ``as_of``.
        checks: which figures to check: a frame from :func:`load_checks` or a checks file;
            default the reference folder's ``checks.csv``.
        sources: the story's sources (:func:`newsfigures.core.sources.load_sources`), for
            each figure's publication date.

    Returns:
        One row per figure, indicator, group, release and year with complete data, in
        that order (figures as in the sheet, releases newest first, years ascending);
        columns and dtypes as in :data:`COLUMNS`:
        ``figure_measure`` the sheet's measure; ``measure`` the indicator's;
        ``group``/``group_label``/``members`` the definition (space-separated ISO3);
        ``release`` the WDI release (missing for MS.MIL.TOTL.P1, one series);
        ``recomputed`` percent of world for ``unit == "percent"``, else the group's total
        in ``unit``; ``difference`` = recomputed − article_value in ``unit``;
        ``difference_pp`` the same in percentage points (percent figures only, else NaN);
        ``matches_as_printed`` the recomputed value rounds to the article's number at
        the precision it was printed with (41.1 to a tenth, 1,000,000 to a million);
        ``available_at_publication`` the release is dated on or before ``published``
        (the armed-forces series, IISS counts for 2015-2020, was public well before 2024);
        ``closest`` true on exactly one row per figure: the smallest absolute difference,
        ties going to the earlier row in this order; ``closest_at_publication`` the same
        among rows available at publication (all false if there are none).
        Source: World Bank, World Development Indicators; the article's figures.

    Raises:
        ReferenceDataError: the reference data is missing or invalid, or ``checks.csv``
            names an unknown indicator or group.
    """
    if not isinstance(checks, pd.DataFrame):
        checks = load_checks(reference, checks)
    dates = dict(zip(sources["key"], sources["published"])) if sources is not None else {}
    names = ref.short_names(reference)
    # Only figures with a value and a row in checks.csv are checked: select them first,
    # so that a sheet of thousands of other figures costs one lookup, not one per row.
    checked = figures[figures["figure_id"].isin(checks["figure_id"]) & figures["value"].notna()]
    by_figure = checked.set_index("figure_id")
    rows = []
    for figure_id in checked["figure_id"]:
        figure = by_figure.loc[figure_id]
        cutoff = pd.Timestamp(published if published is not None else dates.get(figure["source"], figure["as_of"]))
        for check in checks[checks["figure_id"] == figure_id].itertuples(index=False):
            indicator = check.indicator_code
            if indicator not in ref.INDICATORS:
                raise ReferenceDataError(
                    f"checks.csv: unknown indicator {indicator!r} for {figure_id} "
                    f"(expected one of: {', '.join(ref.INDICATORS)})"
                )
            percent = figure["unit"] == "percent"
            for group in check.groups:
                codes = ref.group_members(group, reference)
                measure = ref.share_of_world if percent else ref.group_total
                for release, year in ref.release_years(indicator, reference):
                    try:
                        recomputed = measure(indicator, codes, year, release, reference=reference)
                    except ref.MissingValuesError:
                        continue
                    difference = recomputed - figure["value"]
                    rows.append(
                        {
                            "figure_id": figure_id,
                            "figure_measure": figure["measure"],
                            "indicator_code": indicator,
                            "measure": ref.INDICATORS[indicator].measure,
                            "group": group,
                            "group_label": ref.GROUP_LABELS.get(group, names.get(group, group)),
                            "members": " ".join(codes),
                            "release": release,
                            "year": year,
                            "unit": figure["unit"],
                            "recomputed": recomputed,
                            "article_value": figure["value"],
                            "difference": difference,
                            "difference_pp": difference if percent else math.nan,
                            "matches_as_printed": _rounds_to(recomputed, figure["value"]),
                            "available_at_publication": release is None or pd.Timestamp(release) <= cutoff,
                        }
                    )
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if not c.startswith("closest")])
    gap = frame["difference"].abs().round(9)
    frame["closest"] = False
    frame["closest_at_publication"] = False
    for _, index in frame.groupby("figure_id", sort=False).groups.items():
        frame.loc[gap.loc[index].idxmin(), "closest"] = True
        then = [i for i in index if frame.at[i, "available_at_publication"]]
        if then:
            frame.loc[gap.loc[then].idxmin(), "closest_at_publication"] = True
    return frame.astype(COLUMNS)


#: How the sentences of :func:`findings` name the groups.
GROUP_PHRASES = {
    "BRICS-5": "the five members to 2023 (BRICS-5)",
    "BRICS-9": "the nine members from 2024 (BRICS-9)",
    "BRICS-9+SAU": "the nine plus Saudi Arabia (BRICS-9+SAU)",
}


def _points(difference: float) -> str:
    if abs(difference) < 0.005:
        return "less than 0.01 points off"
    return f"{abs(difference):.2f} points {'above' if difference > 0 else 'below'}"


def _off(row) -> str:
    if row.unit == "percent":
        return _points(row.difference)
    return f"{format_number(abs(round(row.difference)), row.unit)} {'more' if row.difference > 0 else 'fewer'}"


#: How the armed forces series (MS.MIL.TOTL.P1, IISS counts, no release split) is labelled.
SINGLE_SERIES = "IISS series, one release"
MINUS = "\u2212"


def _release_label(release, words: bool = False) -> str:
    """``WDI 2026-07-01`` (``WDI release 2026-07-01`` in sentences), or, for the series
    without a release split, ``WDI (IISS series, one release)``."""
    if isinstance(release, str):
        return f"WDI release {release}" if words else f"WDI {release}"
    return f"WDI, {SINGLE_SERIES}" if words else f"WDI ({SINGLE_SERIES})"


def _signed(text: str, difference: float) -> str:
    """``text`` (the absolute difference as printed) with a plus or a true minus sign;
    none when it prints as zero."""
    if not any(c in "123456789" for c in text):
        return text
    return ("+" if difference > 0 else MINUS) + text


def _phrase(row) -> str:
    who = GROUP_PHRASES.get(row.group, row.group_label)
    release = _release_label(row.release, words=True)
    if row.unit != "percent":
        return f"{who}'s {row.measure} in {row.year} ({release})"
    if row.indicator_code == "SP.POP.TOTL":
        return f"{who} in {row.year} ({release})"
    return f"{who}, {row.measure}, in {row.year} ({release})"


def _share_name(row) -> str:
    if row.indicator_code == "SP.POP.TOTL":
        return "population share"
    if row.measure.startswith("GDP at "):
        return f"GDP share at {row.measure.removeprefix('GDP at ')}"
    return f"{row.measure} share"


def _value(row, value: float) -> str:
    return f"{value:.2f}%" if row.unit == "percent" else format_number(round(value), row.unit)


def findings(check: pd.DataFrame, reference: str | Path | None = None) -> list[str]:
    """Say in plain words what the fact-check found.

    Args:
        check: a frame from :func:`fact_check`.
        reference: the reference folder (for the shares recomputed under another group).

    Returns:
        Sentences (str, with curly quotes): per figure, the closest definition and how far
        off it is, the most recent year of the same series, a note when the closest year
        is the earliest checked, the closest with data published before the article, and, for a share checked under
        several measures, the best the other measures can do; then, when the shares'
        closest definitions use different groups, a sentence saying so, with what each
        share would be under the other's group.
    """
    sentences = []
    best_by_figure = {}
    for figure_id, rows in check.groupby("figure_id", sort=False):
        best = rows[rows["closest"]].iloc[0]
        best_by_figure[figure_id] = best
        printed = format_number(best.article_value, best.unit)
        if best.matches_as_printed:
            step = _precision(best.article_value)
            exact = (
                f"it rounds to the printed {printed}"
                if best.unit == "percent"
                else f"rounded to the nearest {format_number(step, best.unit)}, as printed, it matches"
            )
        else:
            exact = f"no definition tried rounds to the printed {printed}"
        text = (
            f"{best.figure_measure}, {printed} in the article: closest is {_phrase(best)}, "
            f"at {_value(best, best.recomputed)}, {_off(best)}; {exact}."
        )
        same = rows[
            (rows["group"] == best.group)
            & (rows["indicator_code"] == best.indicator_code)
            & (rows["release"].fillna("") == (best.release if isinstance(best.release, str) else ""))
        ]
        latest = same.loc[same["year"].idxmax()]
        if latest.year != best.year:
            # Said before any other release is named, and naming its own, so that "there"
            # cannot be read as the release of the sentence before.
            where = f"the {latest.release} release" if isinstance(latest.release, str) else "that series"
            text += f" The most recent year in {where}, {latest.year}, gives {_value(latest, latest.recomputed)}."
        if best.year == rows["year"].min() and len(same) > 1:
            text += (
                f" {best.year} is the earliest year checked, so a closer year may lie before it: "
                f"every later year is further from {printed}."
            )
        then = rows[rows["closest_at_publication"]]
        if not then.empty and not then.iloc[0].closest:
            t = then.iloc[0]
            text += (
                f" With data published before the article, closest is {_phrase(t)}, at "
                f"{_value(t, t.recomputed)}, {_off(t)}."
            )
        sentences.append(text)
        for indicator, by_measure in rows.groupby("indicator_code", sort=False):
            if indicator == best.indicator_code:
                continue
            near = by_measure.loc[by_measure["difference"].abs().idxmin()]
            far = abs(near.difference) > (1.0 if near.unit == "percent" else 0.1 * abs(near.article_value))
            lead = "nothing comes close: the nearest is" if far else "the nearest is"
            sentences.append(
                f"Measured as {near.measure}, {lead} {_phrase(near)}, at {_value(near, near.recomputed)}, {_off(near)}."
            )
    shares = [v for v in best_by_figure.values() if v.unit == "percent"]
    if len({v.group for v in shares}) > 1:
        parts = [f"the {_share_name(v)} fits {GROUP_PHRASES.get(v.group, v.group_label)}" for v in shares]
        # Only World Bank data is tried, so the finding is about that data, not the article's source.
        sentence = "In World Bank data, the two shares fit different memberships: " + "; ".join(parts) + "."
        for v in shares:
            for other in shares:
                if other.group == v.group:
                    continue
                try:
                    swapped = ref.share_of_world(
                        v.indicator_code, other.group, int(other.year), other.release, reference=reference
                    )
                except ReferenceDataError:
                    continue
                sentence += (
                    f" Counting {other.group} in {other.year}, the {_share_name(v)} would be "
                    f"{swapped:.1f}%, not {format_number(v.article_value, 'percent')}."
                )
        sentences.append(sentence)
    return [curly(s) for s in sentences]


def article_marks(
    figures: pd.DataFrame, reference: str | Path | None = None, *, checks: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the article's figures beside the indicators that check them, for charts.

    Returns:
        One row per checked figure and indicator (``checks.csv`` order), for figures in
        ``figures`` with a value: ``figure_id, indicator_code, unit, label`` (str, e.g.
        ``41.1%``) and ``value`` (float64, in ``unit``).

    Args:
        checks: as for :func:`fact_check`.

    Raises:
        ReferenceDataError: the checks file is missing or malformed.
    """
    if not isinstance(checks, pd.DataFrame):
        checks = load_checks(reference, checks)
    values = figures.set_index("figure_id")
    rows = [
        (
            c.figure_id,
            c.indicator_code,
            values.at[c.figure_id, "unit"],
            format_number(values.at[c.figure_id, "value"], values.at[c.figure_id, "unit"]),
            float(values.at[c.figure_id, "value"]),
        )
        for c in checks.itertuples(index=False)
        if c.figure_id in values.index and pd.notna(values.at[c.figure_id, "value"])
    ]
    return pd.DataFrame(rows, columns=["figure_id", "indicator_code", "unit", "label", "value"]).astype(
        {"figure_id": "str", "indicator_code": "str", "unit": "str", "label": "str", "value": "float64"}
    )


def summary_table(check: pd.DataFrame) -> pd.DataFrame:
    """Return a reader-facing table of the closest definitions.

    Returns:
        Up to two rows per figure (the closest overall; the closest with data published
        before the article, when different), all columns str: ``Figure``, ``Article``,
        ``Closest definition`` (group and measure), ``Year, release`` (``2020, WDI
        2026-07-01``; ``2015, WDI (IISS series, one release)`` for armed forces
        personnel), ``Recomputed``, ``Gap`` (recomputed minus the article, signed with
        ``+`` or a true minus sign, U+2212, and unsigned when it prints as zero:
        ``+0.21 pp``, ``\u22120.05 pp``, ``+379,000``; percentage points for shares) and
        ``Data`` (``any release`` or ``before the article``). The ``fact_check`` frame
        keeps the plain numbers.
    """
    rows = []
    for _, group in check.groupby("figure_id", sort=False):
        picks = [("any release", group[group["closest"]])]
        then = group[group["closest_at_publication"]]
        if not then.empty and not then.iloc[0].closest:
            picks.append(("before the article", then))
        for basis, pick in picks:
            r = pick.iloc[0]
            if r.unit == "percent":
                difference = _signed(f"{abs(r.difference_pp):.2f}", r.difference_pp) + " pp"
            else:
                difference = _signed(format_number(abs(round(r.difference)), r.unit), r.difference)
            release = _release_label(r.release)
            rows.append(
                {
                    "Figure": r.figure_measure,
                    "Article": format_number(r.article_value, r.unit),
                    "Closest definition": f"{r.group if r.group in ref.GROUPS else r.group_label}, {r.measure}",
                    "Year, release": f"{r.year}, {release}",
                    "Recomputed": _value(r, r.recomputed),
                    "Gap": difference,
                    "Data": basis,
                }
            )
    columns = ["Figure", "Article", "Closest definition", "Year, release", "Recomputed", "Gap", "Data"]
    return pd.DataFrame(rows, columns=columns).astype("str")
