"""The report as one self-contained HTML page that prints as a clean PDF.

No script, no external file: the styles are in the page, including the print styles (page
size and margins, the appendix on a new page, no heading left alone at a page end). Every
text is escaped, and the page's own content security policy forbids scripts, so a hostile
comment is shown as typed and nothing in it runs, whether the file is served or opened from a
disk. A draft carries a "DRAFT" mark on every printed page.
"""

from __future__ import annotations

from html import escape
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

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
"""The page's policy (also sent as a header when served): its own styles and nothing else."""

STYLE = """
:root { color: #1b1b1b; background: #fff; }
body { font: 11pt/1.45 "Liberation Serif", Georgia, "Times New Roman", serif;
  max-width: 46rem; margin: 2rem auto; padding: 0 1.25rem; }
h1, h2, h3, h4 { font-family: "Liberation Sans", Arial, Helvetica, sans-serif;
  line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 20pt; margin: 0 0 .4rem; }
h2 { font-size: 15pt; margin: 1.8rem 0 .6rem; border-bottom: 1px solid #999; }
h3 { font-size: 13pt; margin: 1.3rem 0 .4rem; }
h4 { font-size: 11pt; margin: 1rem 0 .3rem; font-style: italic; }
.edition { font-weight: bold; margin: 0 0 1rem; }
.edition.draft { color: #8a1c1c; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.details dt { font-weight: bold; }
dl.details dd { margin: 0; }
ul, ol { margin: .2rem 0 .6rem; padding-left: 1.4rem; }
li { margin: .1rem 0; break-inside: avoid; page-break-inside: avoid; }
li ul { list-style-type: circle; margin: .1rem 0; }
.none { color: #555; font-style: italic; }
.redacted { color: #555; }
footer { margin-top: 2rem; border-top: 1px solid #999; padding-top: .5rem; font-size: 9pt;
  overflow-wrap: anywhere; }
.mark { display: none; }
@page { size: letter; margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  #appendix { break-before: page; page-break-before: always; }
  .draft-mark { display: block; position: fixed; top: 45%; left: 0; right: 0;
    text-align: center; font: bold 72pt "Liberation Sans", Arial, sans-serif;
    color: rgba(138, 28, 28, .12); transform: rotate(-30deg); z-index: -1; }
}
"""


def render(report: dict[str, Any]) -> bytes:
    draft = report["edition"]["status"] == "draft"
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title(report))}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    if draft:
        parts.append('<div class="mark draft-mark" aria-hidden="true">DRAFT</div>')
    parts += _header(report, draft)
    intro = report["front_matter"]["intro"]
    if intro:
        parts += _section("introduction", "Introduction", _paragraphs(intro))
    parts += _section("topics", "Topics and Questions", _topics(report))
    parts += _section("key-themes", "Key Themes", _key_themes(report))
    if report["vote"]:
        parts += _section("vote", VOTE, _vote(report))
    steps = report["front_matter"]["next_steps"]
    if steps:
        parts += _section("next-steps", "Next Steps", _paragraphs(steps))
    parts += _section("appendix", APPENDIX, _appendix(report))
    parts.append('<footer id="record">')
    parts += [f"<p>{escape(line)}</p>" for line in footer_lines(report)]
    parts += ["</footer>", "</body>", "</html>", ""]
    return "\n".join(parts).encode()


def _header(report: dict[str, Any], draft: bool) -> list[str]:
    kind = "draft" if draft else "published"
    lines = [
        "<header>",
        f"<h1>{escape(title(report))}</h1>",
        f'<p class="edition {kind}">{escape(edition_line(report))}</p>',
        '<dl class="details">',
    ]
    for label, value in details(report):
        lines.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    return [*lines, "</dl>", "</header>"]


def _section(section_id: str, heading: str, body: list[str]) -> list[str]:
    return [f'<section id="{section_id}">', f"<h2>{escape(heading)}</h2>", *body, "</section>"]


def _paragraphs(text: str) -> list[str]:
    return [
        "<p>" + "<br>\n".join(escape(line) for line in block) + "</p>" for block in paragraphs(text)
    ]


def _topics(report: dict[str, Any]) -> list[str]:
    topics = [f"<li>{escape(line)}</li>" for line in topic_lines(report)]
    questions = [f"<li>{escape(q['prompt'])}</li>" for q in report["questions"]]
    return ["<ul>", *topics, "</ul>", "<ol>", *questions, "</ol>"]


def _vote(report: dict[str, Any]) -> list[str]:
    out = [f"<p>{escape(vote_summary(report))}</p>"]
    for topic, counted in vote_groups(report):
        out += [f"<h3>{escape(topic)}</h3>", "<ul>", *(f"<li>{escape(c)}</li>" for c in counted)]
        out.append("</ul>")
    return out


def _key_themes(report: dict[str, Any]) -> list[str]:
    out = []
    for topic in report["key_themes"]:
        out.append(f"<h3>{escape(topic['title'])}</h3>")
        for question in topic["questions"]:
            out.append(f"<h4>{escape(question['prompt'])}</h4>")
            if not question["themes"]:
                out.append(f'<p class="none">{NO_KEY_THEMES}</p>')
                continue
            out += ["<ul>", *(f"<li>{escape(t['text'])}</li>" for t in question["themes"])]
            out.append("</ul>")
    return out


def _appendix(report: dict[str, Any]) -> list[str]:
    out = []
    for table in report["appendix"]:
        out.append(f"<h3>Table {table['table']}: {escape(table['title'])}</h3>")
        for question in table["questions"]:
            out.append(f"<h4>{escape(question['prompt'])}</h4>")
            if not question["comments"]:
                out.append(f'<p class="none">{NO_COMMENTS}</p>')
                continue
            out.append("<ul>")
            for comment in question["comments"]:
                children = "".join(_item(child, "") for child in comment["children"])
                out.append(_item(comment, f"<ul>{children}</ul>" if children else ""))
            out.append("</ul>")
    return out


def _item(comment: dict[str, Any], inner: str) -> str:
    css = ' class="redacted"' if comment["redacted"] else ""
    return f"<li{css}>{escape(comment['text'])}{inner}</li>"
