"""Where the project's inputs and outputs live.

The package is installed editable from the repository (``make setup``), so data,
notebooks and reports are found relative to the repository root. Set
``NEWSFIGURES_ROOT`` to point at another checkout, ``NEWSFIGURES_CACHE`` to keep the
build cache elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("NEWSFIGURES_ROOT") or Path(__file__).resolve().parents[3])
DATA_DIR = ROOT / "data"
#: The example story (the flagship article): its story file, sheet and sources.
STORY = DATA_DIR / "story.toml"
SHEET = DATA_DIR / "article" / "figures.csv"
SOURCES = DATA_DIR / "article" / "sources.csv"
REFERENCE_DIR = DATA_DIR / "reference"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
CACHE_DIR = Path(os.environ.get("NEWSFIGURES_CACHE") or ROOT / ".cache" / "newsfigures")
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: Set by the build for its kernels: the processed tables' folder as the report names it.
PROCESSED_SHOWN_ENV = "NEWSFIGURES_PROCESSED_SHOWN"


def article_text_path() -> Path:
    """Return the path of the article text used by tests and ``extract``/``check`` examples.

    ``NEWSFIGURES_ARTICLE`` wins; otherwise ``../shared/seeds/article.txt`` beside the
    repository root. The file is an input that is never committed; the path may not exist.
    """
    env = os.environ.get("NEWSFIGURES_ARTICLE")
    return Path(env) if env else ROOT.parent / "shared" / "seeds" / "article.txt"
