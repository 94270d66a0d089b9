"""Report tables: a number or date in a cell of text is never broken across lines."""

from __future__ import annotations

import pandas as pd

from newsfigures.report.display import table_html


def test_numbers_said_with_a_space_or_hyphen_stay_whole_in_text_cells():
    frame = pd.DataFrame(
        {
            "Figure": [
                "hundreds of thousands (200,000 to 1 million)",
                "up to USD 1.5 billion <b>, published 24 October 2024",
            ],
            "Release": ["2020, WDI 2026-07-01", "any release, 0.21 pp off"],
            "Gap": ["+0.21 pp", "\u22120.05 pp"],
        }
    )
    page = table_html(frame)
    for whole in ("1 million", "USD 1.5 billion", "2026-07-01", "24 October 2024", "0.21 pp"):
        assert f'<span class="nf-nowrap">{whole}</span>' in page, whole
    assert "&lt;b&gt;" in page and "<b>" not in page  # the rest of the text is still escaped
    # A column of numbers is unbroken as a whole (nf-num), without spans inside.
    assert '<td class="nf-num">+0.21 pp</td>' in page


def test_a_column_of_text_with_dates_in_it_wraps_keeping_each_date_whole():
    # "Source" cells name an outlet and a date: the column must wrap (a scaffolded story's
    # table ran off the PDF's page when it did not), the date inside staying on one line.
    frame = pd.DataFrame(
        {
            "As of": ["2024-11-05", "2024-12-10"],
            "Source": ["The Pacific Dispatch, 5 November 2024", "Monitor, 10 December 2024"],
        }
    )
    page = table_html(frame)
    assert '<td class="nf-nowrap">2024-11-05</td>' in page
    assert '<td>The Pacific Dispatch, <span class="nf-nowrap">5 November 2024</span></td>' in page


def test_dates_in_the_pages_text_stay_whole_but_not_in_code_or_the_head():
    from newsfigures.report.render import _unbroken_dates

    page = _unbroken_dates(
        "<html><head><title>Released 1 July 2026</title></head><body>"
        "<p>the release of 1 July 2026 (June 2024), not <code>2026-07-01</code>; also 2026-07-01.</p></body></html>"
    )
    assert "<title>Released 1 July 2026</title>" in page  # a tab's title shows no markup
    for whole in ("1 July 2026", "June 2024", "2026-07-01"):
        assert f'<span class="nf-nowrap">{whole}</span>' in page, whole
    assert "<code>2026-07-01</code>" in page


def test_only_a_table_too_wide_for_a_phone_says_to_scroll_it():
    from newsfigures.report.display import SCROLL_CUE_COLUMNS

    cue = "Scroll the table sideways for more columns"
    narrow = pd.DataFrame({f"c{i}": ["x"] for i in range(SCROLL_CUE_COLUMNS - 1)})
    wide = pd.DataFrame({f"c{i}": ["x"] for i in range(SCROLL_CUE_COLUMNS)})
    assert cue not in table_html(narrow)
    assert table_html(wide).count(cue) == 1
