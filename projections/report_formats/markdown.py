"""The report as Markdown (CommonMark): headings, bullets with nested sub-bullets, a footer.

Comment text is data: every ASCII punctuation character that Markdown could read as markup
(emphasis, links, HTML, entities, a list or heading at the start) is backslash-escaped, so a
Markdown reader shows exactly what was typed and nothing runs or renders as markup.
"""

from __future__ import annotations

import re
from typing import Any

from projections.report import APPENDIX
from projections.report_formats.text import (
    NO_COMMENTS,
    NO_KEY_THEMES,
    VOTE,
    details,
    edition_line,
    footer_lines,
    paragraphs,
    title,
    topic_lines,
    vote_groups,
    vote_summary,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~!#])")
_ENTITY = re.compile(r"&(?=[A-Za-z0-9#])")
_LIST_START = re.compile(r"^(\s*)([-+=])")
"""A bullet, or the underline of a heading, at the start of a line."""
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")


def escape(text: str) -> str:
    """``text`` as Markdown that renders as exactly ``text``."""
    escaped = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))
    escaped = _LIST_START.sub(r"\1\\\2", escaped)
    return _ORDERED_START.sub(r"\1\\\2", escaped)


def render(report: dict[str, Any]) -> bytes:
    lines = [f"# {escape(title(report))}", ""]
    lines += [f"**{escape(edition_line(report))}**", ""]
    lines += [f"- {escape(label)}: {escape(value)}" for label, value in details(report)]
    lines.append("")
    intro = report["front_matter"]["intro"]
    if intro:
        lines += ["## Introduction", "", *_paragraphs(intro)]
    lines += ["## Topics and Questions", ""]
    lines += [f"- {escape(line)}" for line in topic_lines(report)]
    lines.append("")
    lines += [f"{n}. {escape(q['prompt'])}" for n, q in enumerate(report["questions"], 1)]
    lines += ["", "## Key Themes", ""]
    for topic in report["key_themes"]:
        lines += [f"### {escape(topic['title'])}", ""]
        for question in topic["questions"]:
            lines += [f"#### {escape(question['prompt'])}", ""]
            if not question["themes"]:
                lines += [f"*{NO_KEY_THEMES}*", ""]
                continue
            lines += [f"- {escape(theme['text'])}" for theme in question["themes"]] + [""]
    if report["vote"]:
        lines += [f"## {escape(VOTE)}", "", escape(vote_summary(report)), ""]
        for topic, counted in vote_groups(report):
            lines += [f"### {escape(topic)}", "", *(f"- {escape(line)}" for line in counted), ""]
    steps = report["front_matter"]["next_steps"]
    if steps:
        lines += ["## Next Steps", "", *_paragraphs(steps)]
    lines += [f"## {APPENDIX}", ""]
    for table in report["appendix"]:
        lines += [f"### Table {table['table']}: {escape(table['title'])}", ""]
        for question in table["questions"]:
            lines += [f"#### {escape(question['prompt'])}", ""]
            if not question["comments"]:
                lines += [f"*{NO_COMMENTS}*", ""]
                continue
            for comment in question["comments"]:
                lines.append(f"- {escape(comment['text'])}")
                lines += [f"  - {escape(child['text'])}" for child in comment["children"]]
            lines.append("")
    lines += ["---", ""] + [f"{escape(line)}  " for line in footer_lines(report)]
    return ("\n".join(lines).rstrip() + "\n").encode()


def _paragraphs(text: str) -> list[str]:
    out = []
    for paragraph in paragraphs(text):
        out += [f"{escape(line)}  " for line in paragraph[:-1]]
        out += [escape(paragraph[-1]), ""]
    return out
