"""The summary report's export formats: each renders ``projections.report.document`` to bytes.

Every renderer is a pure function of the document, so one version of the report always
exports to the same bytes in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from projections.report_formats import html, markdown, spreadsheet


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str
    media_type: str
    render: Callable[[dict[str, Any]], bytes]


def _word(report: dict[str, Any]) -> bytes:
    """The Word document, its module imported on the first export: python-docx and the lxml
    it stands on take 7 MiB of every server process that never exports one
    (``bench/memory.py``)."""
    from projections.report_formats import word

    return word.render(report)


def _json(report: dict[str, Any]) -> bytes:
    return orjson.dumps(report, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "md", "text/markdown; charset=utf-8", markdown.render),
        Format("html", "html", "text/html; charset=utf-8", html.render),
        Format(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _word,
        ),
        Format("csv", "csv", "text/csv; charset=utf-8", spreadsheet.render),
        Format("json", "json", "application/json", _json),
    )
}
"""By the name the command line and the download links use."""


def export(report: dict[str, Any], name: str) -> bytes:
    """``report`` in format ``name`` (one of ``FORMATS``)."""
    return FORMATS[name].render(report)


def filename(report: dict[str, Any], name: str) -> str:
    """``kamloops-report-v2.md`` or ``kamloops-report-draft.md``."""
    version = report["edition"]["version"]
    label = f"v{version}" if version is not None else "draft"
    return f"{report['record']['meeting_id']}-report-{label}.{FORMATS[name].extension}"
