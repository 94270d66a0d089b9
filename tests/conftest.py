"""Shared fixtures: the project's real data, the article (where present), a built report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfigures.core import paths

ROOT = paths.ROOT


@pytest.fixture(scope="session")
def article_path() -> Path:
    """The article text: ../shared/seeds/article.txt or $NEWSFIGURES_ARTICLE.

    The text is never committed. Where it is absent the test is skipped, except under
    CI=true, where its absence is a failure.
    """
    path = paths.article_text_path()
    if not path.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"article text not found at {path} (required under CI=true)")
        pytest.skip(f"article text not found at {path}; set NEWSFIGURES_ARTICLE to run this test")
    return path


@pytest.fixture(scope="session")
def article_text(article_path) -> str:
    return article_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One cold build of the real report into a temporary folder, with a fresh cache."""
    from newsfigures.report.build import build

    base = tmp_path_factory.mktemp("build")
    result = build(out=base / "reports", data_out=base / "processed", cache_dir=base / "cache", quiet=True)
    return result


def write_sheet(tmp_path: Path, edit) -> Path:
    """Copy the real figure sheet with ``edit(text) -> text`` applied; return its path."""
    text = paths.SHEET.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text, "the edit must change the sheet"
    path = tmp_path / "figures.csv"
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw World Bank files: ../shared/reference/raw or $NEWSFIGURES_RAW.

    They are never committed. Where they are absent the test is skipped, except under
    CI=true, where their absence is a failure.
    """
    path = Path(os.environ.get("NEWSFIGURES_RAW") or ROOT.parent / "shared" / "reference" / "raw")
    if not path.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"raw World Bank files not found at {path} (required under CI=true)")
        pytest.skip(f"raw World Bank files not found at {path}; set NEWSFIGURES_RAW to run this test")
    return path
