"""``roundtable join-sheets``: write a meeting's printable join sheets and table cards.

How the lead prints them before the lead's page exists, or without a browser signed in: one
HTML file per table's join sheet (for its facilitator only) and one file of table cards.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from events.meeting.plan import Plan
from server import access
from server.addresses import base_urls
from server.auth import Auth
from server.cli.options import add_db_option, add_public_url_option, settings_from
from server.cli.output import write_bytes
from server.failures import FileFailure, file_failure
from server.pages import sheets
from server.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "join-sheets",
        help="write a meeting's printable join sheets and table cards",
        description=(
            "Write join-sheet-table-N.html (one per table, with its QR code and join code: "
            "for that table's facilitator only) and table-cards.html (topic and questions, "
            "nothing secret) into DIR. Print them from a browser."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting's id")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write")
    add_public_url_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not settings.public_url:  # sheets are for a venue: use the LAN address, not loopback
        settings = settings.override(host="0.0.0.0")
    plan, codes = asyncio.run(load(settings, args.meeting))
    for path in write(plan, codes, base_urls(settings)[0], args.out):
        print(path)
    return 0


async def load(settings: Settings, meeting_id: str) -> tuple[Plan, dict[int, str]]:
    """The meeting's plan and its tables' current join codes."""
    async with settings.store() as store:
        auth = await Auth.open(store, settings)
        plan, _ = await access.load_plan(auth, meeting_id)
        return plan, access.current_codes(auth.secret, plan, await auth.devices(meeting_id))


def write(plan: Plan, codes: dict[int, str], base: str, out: Path) -> list[Path]:
    """Write the sheets and the cards into ``out``; the files written. On a failure nothing
    of this run is left: neither a file written nor the folder if it made it."""
    pages = {
        out / f"join-sheet-table-{table.number}.html": sheets.one_sheet(
            plan, table, codes[table.number], base
        )
        for table in plan.tables
    }
    pages[out / "table-cards.html"] = sheets.table_cards(plan)
    if out.exists() and not out.is_dir():
        raise FileFailure(f"cannot write into {out}: it is a file; give a folder (--out DIR)")
    made = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise file_failure("make the folder", out, error) from None
    written: list[Path] = []
    try:
        for path, page in pages.items():
            write_bytes(path, page.encode())
            written.append(path)
    except FileFailure:
        for path in written:
            path.unlink(missing_ok=True)
        if made:
            out.rmdir()
        raise
    return written
