"""newsfigures: the figures quoted in a news article as tidy, sourced dataframes.

Data flows one way: article text or figure sheet -> tidy dataframes
(:mod:`newsfigures.core.figures`, :mod:`newsfigures.reference`) -> charts
(:mod:`newsfigures.report.charts`) -> notebooks -> report (:mod:`newsfigures.report.build`).
Submodules are imported on demand so that ``python -m newsfigures`` starts fast; import
what you need, for example ``from newsfigures.core.figures import load_figures``.

The processed tables are available as ``newsfigures.load_<table>()`` (``load_figures``,
``load_force_sizes``, ``load_brics_shares``, ``load_wdi_extract``,
``load_brics_membership``, ``load_brics_group_shares``, ``load_brics_member_shares``,
``load_armed_forces``, ``load_fact_check``); they are resolved lazily, so importing the
package does not import pandas.
"""

__version__ = "0.1.0"

_LOADERS = (
    "figures",
    "force_sizes",
    "brics_shares",
    "wdi_extract",
    "brics_membership",
    "brics_group_shares",
    "brics_member_shares",
    "armed_forces",
    "fact_check",
)
__all__ = [f"load_{name}" for name in _LOADERS]


_FUNCTIONS = {"extract_figures": "newsfigures.extract", "share_of_world": "newsfigures.reference"}
__all__ += list(_FUNCTIONS)


def __getattr__(name: str):
    # Module-level __getattr__ (PEP 562): the loaders pull in pandas, so they are only
    # imported when first asked for.
    if name.startswith("load_") and name[5:] in _LOADERS:
        from newsfigures.report.processed import LOADERS

        return LOADERS[name[5:]]
    if name in _FUNCTIONS:
        import importlib

        return getattr(importlib.import_module(_FUNCTIONS[name]), name)
    raise AttributeError(f"module 'newsfigures' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
