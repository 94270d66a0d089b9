"""Curly apostrophes and quotes in generated text, and the tables' typography."""

from __future__ import annotations

import pandas as pd
import pytest

from newsfigures.core.typography import curly, curly_html
from newsfigures.report.display import table_html


@pytest.mark.parametrize(
    ("plain", "set"),
    [
        ("Size of North Korea's army", "Size of North Korea\u2019s army"),
        ("the members' share", "the members\u2019 share"),
        ('quoted as "at least 3,000" troops', "quoted as \u201cat least 3,000\u201d troops"),
        ("a 'vague' magnitude", "a \u2018vague\u2019 magnitude"),
        ("('in brackets')", "(\u2018in brackets\u2019)"),
        ("the '90s", "the \u201990s"),
        ("a soldier 5'11\" tall", "a soldier 5\u203211\u2033 tall"),
        ('It\'s "done," they said.', "It\u2019s \u201cdone,\u201d they said."),
        ("no quotes at all", "no quotes at all"),
    ],
)
def test_curly_sets_quotes_as_a_typesetter_would(plain, set):
    assert curly(plain) == set


def test_curly_leaves_urls_alone():
    text = "see https://example.org/it's-a-path?q=\"x\" for 'more'"
    assert curly(text) == 'see https://example.org/it\'s-a-path?q="x" for \u2018more\u2019'


def test_curly_html_changes_text_but_not_markup_or_code():
    page = (
        "<p title=\"it's\">Korea&#39;s &quot;army&quot; <code>x = 'a'</code></p>"
        "<pre>print('b')</pre><style>q::before { content: '\"'; }</style>"
    )
    assert curly_html(page) == (
        "<p title=\"it's\">Korea\u2019s \u201carmy\u201d <code>x = 'a'</code></p>"
        "<pre>print('b')</pre><style>q::before { content: '\"'; }</style>"
    )


def test_tables_right_align_numbers_and_keep_dates_whole():
    frame = pd.DataFrame(
        {"Measure": ["North Korea's army", "Share"], "Value": ["1,000,000", "41.1%"], "As of": ["2024-10-24", None]}
    )
    html = table_html(frame, caption="Figures' sources")
    assert "<caption>Figures\u2019 sources</caption>" in html
    assert '<th class="nf-num">Value</th>' in html and '<td class="nf-num">41.1%</td>' in html
    assert '<td class="nf-nowrap">2024-10-24</td>' in html and '<td class="nf-nowrap"></td>' in html
    assert "<td>North Korea\u2019s army</td>" in html
    assert "<script>" not in table_html(pd.DataFrame({"a": ["<script>x</script>"]}))
