"""Printable pages: a join sheet per table (for its facilitator) and a card per table.

The join sheet holds the table's secret (QR code and join code) and stays with the
facilitator; the card stands on the table, where anyone may photograph it, so it holds only
the topic and the questions. Everything is escaped; the QR code is inline SVG made by segno,
so printing needs no network.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import segno

from events.meeting.plan import Plan, Table
from server.addresses import is_loopback

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #111; }
section { padding: 2cm; page-break-after: always; break-after: page; }
h1 { font-size: 28pt; margin: 0 0 .3em; } h2 { font-size: 18pt; font-weight: normal; }
.code { font: bold 32pt ui-monospace, monospace; letter-spacing: .1em; }
.url { font: 11pt ui-monospace, monospace; word-break: break-all; }
.warning { border: 2px solid #a00; padding: .5em; color: #a00; }
.card h1 { font-size: 40pt; } .card li { font-size: 20pt; margin: .5em 0; }
"""


def join_url(base: str, meeting_id: str, code: str) -> str:
    return f"{base}/join#meeting={meeting_id}&code={code}"


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=5, title=url)


def _page(title: str, sections: Iterable[str]) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )


def _topic(plan: Plan, table: Table) -> str:
    topic = plan.topic(table.topic_id)
    return topic.title if topic else table.topic_id


def _questions(plan: Plan) -> str:
    return "".join(f"<li>{escape(q.prompt)}</li>" for q in plan.questions)


def join_sheet(plan: Plan, table: Table, code: str, base: str) -> str:
    """One table's join sheet, as a ``<section>`` (one printed page)."""
    url = join_url(base, plan.meeting_id, code)
    warning = (
        '<p class="warning">This address only works on the server itself: start Roundtable '
        "with <code>--public-url</code> (or <code>--host 0.0.0.0</code>) and print again.</p>"
        if is_loopback(base)
        else ""
    )
    return (
        f'<section class="sheet"><p>{escape(plan.title)} — join sheet, for the facilitator only'
        f"</p><h1>Table {table.number}</h1><h2>{escape(_topic(plan, table))}</h2>{warning}"
        f"{qr_svg(url)}"
        f'<p>Join code: <span class="code">{escape(code)}</span></p>'
        f'<p class="url">{escape(url)}</p>'
        "<ol><li>Connect the tablet to the venue Wi-Fi.</li>"
        "<li>Scan the QR code with its camera, or open the address above and type the code.</li>"
        f"<li>Check that the tablet shows table {table.number}, its topic, and “live”.</li>"
        "<li>A spare tablet can join the same way at any time.</li>"
        "<li>Keep this sheet with you: anyone holding it can write to your table. If it is "
        "lost, tell the lead, who can replace the code.</li></ol>"
        f"<p>Questions at this table:</p><ol>{_questions(plan)}</ol></section>"
    )


def join_sheets(plan: Plan, codes: dict[int, str], base: str) -> str:
    """Every table's join sheet, one per printed page."""
    sheets = (join_sheet(plan, t, codes[t.number], base) for t in plan.tables)
    return _page(f"Join sheets — {plan.title}", sheets)


def table_card(plan: Plan, table: Table) -> str:
    """The card that stands on a table: number, topic and questions; nothing secret."""
    return (
        f'<section class="card"><h1>Table {table.number}</h1>'
        f"<h2>{escape(_topic(plan, table))}</h2><ol>{_questions(plan)}</ol></section>"
    )


def table_cards(plan: Plan) -> str:
    return _page(f"Table cards — {plan.title}", (table_card(plan, t) for t in plan.tables))


def one_sheet(plan: Plan, table: Table, code: str, base: str) -> str:
    return _page(
        f"Join sheet, table {table.number} — {plan.title}", [join_sheet(plan, table, code, base)]
    )
