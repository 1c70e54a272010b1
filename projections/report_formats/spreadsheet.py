"""The appendix as CSV: one row per comment, for sorting and counting in a spreadsheet.

Rows follow the appendix (table, question, then each table's order, a sub-bullet right after
its parent). UTF-8 with a byte-order mark, so that Excel reads the en dashes and arrows as
typed. A text a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``
or a tab) gets a leading apostrophe, as OWASP advises: it is shown, never run. The room's vote,
if there was one, follows the comments after an empty row, under its own header.
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    "table",
    "topic",
    "question",
    "comment_id",
    "parent_id",
    "rotation",
    "group",
    "text",
    "redacted",
    "created",
    "last_edited",
    "themes",
    "late",
)
VOTE_COLUMNS = (
    "vote_topic",
    "key_theme",
    "dots_from_phones",
    "dots_on_paper",
    "dots",
    "phones_voted",
)
"""The room's vote, after the comments and an empty row: one row per theme voted on."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates."""
    return f"'{text}" if text.startswith(_FORMULA) else text


def render(report: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for table in report["appendix"]:
        for question in table["questions"]:
            for comment in question["comments"]:
                writer.writerow(_row(table, question, comment, None))
                for child in comment["children"]:
                    writer.writerow(_row(table, question, child, comment["id"]))
    if report["vote"]:
        writer.writerow([])
        writer.writerow(VOTE_COLUMNS)
        phones = str(report["vote"]["phones"])
        for theme in report["vote"]["themes"]:
            counts = (theme["from_phones"], theme["on_paper"], theme["dots"])
            where = cell(theme["topic_title"] or "")
            writer.writerow([where, cell(theme["title"]), *map(str, counts), phones])
    return ("\ufeff" + out.getvalue()).encode()


def _row(
    table: dict[str, Any], question: dict[str, Any], comment: dict[str, Any], parent: str | None
) -> list[str]:
    return [
        str(table["table"]),
        cell(table["title"]),
        cell(question["prompt"]),
        cell(comment["id"]),
        cell(parent or ""),
        "" if comment["rotation"] is None else str(comment["rotation"]),
        cell(comment["group"] or ""),
        cell(comment["text"]),
        "yes" if comment["redacted"] else "",
        comment["created"],
        comment["edited"] or "",
        cell("; ".join(comment["themes"])),
        "yes" if comment["late"] else "",
    ]
