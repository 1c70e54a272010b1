"""The report as a Word document (python-docx), for staff to go on editing in Word.

Real Word structure, not look-alike formatting: the title in the Title style, sections in
Heading 1 to 3, comments in List Bullet with sub-bullets in List Bullet 2, the log record in
the page footer. The same report gives the same bytes: the document's dates are the
report's own (its publication, or the draft's last event), never the time of export, and
every part of the zip file carries that same fixed time.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.text.paragraph import Paragraph

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

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def xml_text(text: str) -> str:
    """``text`` with any character XML cannot hold (a non-character) shown as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


class _Writer:
    """Paragraphs appended in O(1) each, styled by id.

    python-docx's ``add_paragraph`` finds the end of the body by scanning it, and its style
    setter looks the style up by name among all styles: each is fine for a page, but made a
    10,000-comment report take 12 s. Inserting before a marker paragraph, and setting the
    style id once looked up, is the same document in a fraction of the time.
    """

    def __init__(self, doc: WordDocument) -> None:
        self.doc = doc
        self._end = doc.add_paragraph()
        self._ids: dict[str, str] = {}

    def add(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph = self._end.insert_paragraph_before(xml_text(text) if text else None)
        if style is not None:
            if style not in self._ids:
                self._ids[style] = self.doc.styles[style].style_id
            paragraph._p.style = self._ids[style]
        return paragraph

    def italic(self, text: str) -> None:
        self.add().add_run(text).italic = True

    def finish(self) -> None:
        self._end._p.getparent().remove(self._end._p)


def render(report: dict[str, Any]) -> bytes:
    doc = Document()
    when = _moment(report)
    _properties(doc, report, when)
    out = _Writer(doc)
    out.add(title(report), "Title")
    out.add().add_run(xml_text(edition_line(report))).bold = True
    for label, value in details(report):
        line = out.add()
        line.add_run(f"{label}: ").bold = True
        line.add_run(xml_text(value))
    intro = report["front_matter"]["intro"]
    if intro:
        out.add("Introduction", "Heading 1")
        _paragraphs(out, intro)
    out.add("Topics and Questions", "Heading 1")
    for topic_line in topic_lines(report):
        out.add(topic_line, "List Bullet")
    for question in report["questions"]:
        out.add(question["prompt"], "List Number")
    out.add("Key Themes", "Heading 1")
    for topic in report["key_themes"]:
        out.add(topic["title"], "Heading 2")
        for question in topic["questions"]:
            out.add(question["prompt"], "Heading 3")
            if not question["themes"]:
                out.italic(NO_KEY_THEMES)
            for theme in question["themes"]:
                out.add(theme["text"], "List Bullet")
    if report["vote"]:
        out.add(VOTE, "Heading 1")
        out.add(vote_summary(report))
        for topic, counted in vote_groups(report):
            out.add(topic, "Heading 2")
            for tally in counted:
                out.add(tally, "List Bullet")
    steps = report["front_matter"]["next_steps"]
    if steps:
        out.add("Next Steps", "Heading 1")
        _paragraphs(out, steps)
    out.add().add_run().add_break(WD_BREAK.PAGE)
    out.add(APPENDIX, "Heading 1")
    for table in report["appendix"]:
        out.add(f"Table {table['table']}: {table['title']}", "Heading 2")
        for question in table["questions"]:
            out.add(question["prompt"], "Heading 3")
            if not question["comments"]:
                out.italic(NO_COMMENTS)
            for comment in question["comments"]:
                out.add(comment["text"], "List Bullet")
                for child in comment["children"]:
                    out.add(child["text"], "List Bullet 2")
    out.finish()
    _margins(doc, report)
    data = io.BytesIO()
    doc.save(data)
    return _fixed_zip(data.getvalue(), when)


def _paragraphs(out: _Writer, text: str) -> None:
    for block in paragraphs(text):
        paragraph = out.add()
        for index, line in enumerate(block):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(xml_text(line))


def _margins(doc: WordDocument, report: dict[str, Any]) -> None:
    """The footer with the log record on every page; "DRAFT" in the header of a draft."""
    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    footer.text = xml_text("\n".join(footer_lines(report)))
    if report["edition"]["status"] == "draft":
        section.header.paragraphs[0].text = "DRAFT"


def _moment(report: dict[str, Any]) -> datetime:
    """The report's own time (naive UTC, as Word's properties want it)."""
    as_of = report["edition"]["as_of"]
    if as_of is None:
        return datetime(*ZIP_EPOCH)
    return datetime.fromisoformat(as_of).astimezone(UTC).replace(tzinfo=None)


def _properties(doc: WordDocument, report: dict[str, Any], when: datetime) -> None:
    props = doc.core_properties
    props.title = xml_text(title(report))
    props.subject = "Summary report"
    props.author = "Roundtable"
    props.last_modified_by = "Roundtable"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.identifier = report["record"]["head"]
    props.revision = report["edition"]["version"] or 1
    props.created = when
    props.modified = when
    props.last_printed = when


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated ``when`` (python-docx dates them "now")."""
    stamp = max((when.year, when.month, when.day, when.hour, when.minute, when.second), ZIP_EPOCH)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
