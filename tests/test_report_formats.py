"""The export formats keep text as data: what a reader shows is exactly what was typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from projections.report_formats import markdown, spreadsheet, word

ONE_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80)


def shown(text: str) -> str:
    """What a CommonMark reader shows for escaped text (its backslash escapes undone)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@given(ONE_LINE)
def test_markdown_escaping_shows_the_text_as_typed(text: str) -> None:
    assert shown(markdown.escape(text)) == text


def test_markdown_escapes_what_would_become_markup() -> None:
    cases = {
        "<script>alert(1)</script>": "\\<script\\>alert(1)\\</script\\>",
        "[x](javascript:alert(1))": "\\[x\\](javascript:alert(1))",
        "*bold* _it_ `code`": "\\*bold\\* \\_it\\_ \\`code\\`",
        "- not a sub-bullet": "\\- not a sub-bullet",
        "1. not a list": "1\\. not a list",
        "# not a heading": "\\# not a heading",
        "&amp; stays": "\\&amp; stays",
        "'catch & release' → CSO's": "'catch & release' → CSO's",
    }
    for text, escaped in cases.items():
        assert markdown.escape(text) == escaped


def test_a_csv_cell_never_starts_a_formula() -> None:
    for text in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx"):
        assert spreadsheet.cell(text) == "'" + text
    assert spreadsheet.cell("Treatment beds \N{EN DASH} more") == "Treatment beds \N{EN DASH} more"


def test_word_text_holds_only_what_xml_can() -> None:
    assert word.xml_text("a\ufffeb\uffff → c") == "a\ufffdb\ufffd → c"
    assert word.xml_text("Dry \N{EN DASH} “second-stage”") == "Dry \N{EN DASH} “second-stage”"
