"""newsfigures: the figures quoted in a news article as tidy, sourced dataframes.

Data flows one way: article text or figure sheet -> tidy dataframes
(:mod:`newsfigures.core.figures`, :mod:`newsfigures.reference`) -> charts
(:mod:`newsfigures.report.charts`) -> notebooks -> report (:mod:`newsfigures.report.build`).
Submodules are imported on demand so that ``python -m newsfigures`` starts fast; import
what you need, for example ``from newsfigures.core.figures import load_figures``.

The processed tables are available as ``newsfigures.load_<table>()``, one per entry of
the registry :data:`newsfigures.report.catalog.TABLES` (``load_figures``, ``load_counts``,
``load_shares``, ``load_money``, ``load_series``, ``load_wdi_extract``, ``load_membership``,
``load_group_shares``, ``load_member_shares``, ``load_armed_forces``, ``load_fact_check``),
each for a story (default the example story); they are resolved lazily, so importing the
package does not import pandas.
"""

__version__ = "0.1.0"


def _tables() -> list[str]:
    from newsfigures.report.catalog import TABLES  # a light module: no pandas

    return list(TABLES)


__all__ = [f"load_{name}" for name in _tables()]


_FUNCTIONS = {"extract_figures": "newsfigures.extract", "share_of_world": "newsfigures.reference"}
__all__ += list(_FUNCTIONS)


def __getattr__(name: str):
    # Module-level __getattr__ (PEP 562): the loaders pull in pandas, so they are only
    # imported when first asked for.
    if name.startswith("load_") and name[5:] in _tables():
        from newsfigures.report.processed import LOADERS

        return LOADERS[name[5:]]
    if name in _FUNCTIONS:
        import importlib

        return getattr(importlib.import_module(_FUNCTIONS[name]), name)
    raise AttributeError(f"module 'newsfigures' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
