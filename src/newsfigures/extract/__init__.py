"""Figures read from an article's text (:func:`extract_figures`), set beside a figure
sheet (:mod:`.reconcile`) and scored against labelled passages (:mod:`.evaluate`)."""

from newsfigures.extract.rules import MAX_SENTENCE, QUALIFIER_PHRASES, extract_figures

__all__ = ["MAX_SENTENCE", "QUALIFIER_PHRASES", "extract_figures"]
