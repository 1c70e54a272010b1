"""``roundtable export``: the summary report as a file (Markdown, HTML, Word, CSV or JSON)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from projections.report_formats import FORMATS, export
from server import reports
from server.cli.options import add_db_option, settings_from
from server.cli.output import check_target, write_bytes


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the meeting's summary report (a published version, or the draft)",
        description=(
            "Write the summary report of a meeting: key themes by topic and question and every "
            "comment verbatim (docs/report.md). Without --version it is the draft as the log "
            "stands, marked as a draft; with --version N it is published version N, the same "
            "bytes every time."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting")
    parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="the file format")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file to write")
    parser.add_argument(
        "--version", type=int, metavar="N", help="a published version (default: the draft)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_export(args))


async def _export(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    check_target(args.out)
    async with settings.store() as store:
        loaded = await reports.load(store, args.meeting, args.version)
    data = export(loaded.report, args.format)
    write_bytes(args.out, data)  # a reader never sees half a report under the final name
    edition = f"version {args.version}" if args.version else "draft"
    record = loaded.report["record"]
    print(f"wrote {args.out} ({edition}, {len(data)} bytes)")
    print(f"{args.meeting}: head {record['head']} after {record['events']} events")
    return 0
