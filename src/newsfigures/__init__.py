"""newsfigures: the figures quoted in a news article as tidy, sourced dataframes.

Data flows one way: article text or figure sheet -> tidy dataframes
(:mod:`newsfigures.figures`) -> charts (:mod:`newsfigures.charts`) -> notebooks ->
report (:mod:`newsfigures.build`). Submodules are imported on demand so that
``python -m newsfigures`` starts fast; import what you need, for example
``from newsfigures.figures import load_figures``.
"""

__version__ = "0.1.0"
