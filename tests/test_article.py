"""The article: its sources row matches the text, and every sheet row points at its words."""

from __future__ import annotations

import pytest

from newsfigures.core import paths
from newsfigures.core.article import read_article, sha256_text
from newsfigures.core.errors import ArticleError
from newsfigures.core.figures import load_figures
from newsfigures.core.sources import citation, load_sources


def test_sources_row_identifies_the_article(article_text):
    (meta,) = load_sources(paths.SOURCES).itertuples(index=False)
    assert meta.outlet == "NBC News" and str(meta.published.date()) == "2024-10-24"
    assert sha256_text(article_text) == meta.sha256
    assert citation(meta).startswith("NBC News, \u201c") and citation(meta).endswith("24 October 2024")


def test_every_figure_is_at_its_offsets(article_text):
    for row in load_figures().itertuples():
        assert article_text[row.char_start : row.char_end] == row.surface, row.figure_id


def test_read_article_returns_the_text(article_path, article_text):
    assert read_article(article_path) == article_text


@pytest.mark.parametrize(
    "content, words",
    [(b"", "is empty"), (b"  \n\t", "is empty"), (b"\x00\x01\x02", "binary"), (b"caf\xe9", "not UTF-8")],
)
def test_read_article_rejects_bad_files(tmp_path, content, words):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=words) as info:
        read_article(path)
    assert str(path) in str(info.value)


def test_read_article_rejects_missing_and_huge(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "none.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300)
    with pytest.raises(ArticleError, match="larger than"):
        read_article(big, max_bytes=1000)
    with pytest.raises(ArticleError, match="directory"):
        read_article(tmp_path)
