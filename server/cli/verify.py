"""``roundtable verify``: check every meeting's hash chain in the log."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from events.log.chain import verify
from server.cli.options import add_db_option, settings_from
from server.failures import UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check that no stored event was altered",
        description=(
            "Check every meeting's hash chain. Prints 'intact: N events, head HASH, E payloads "
            "erased' or the first broken position per meeting; exits 1 when anything is broken."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", help="check only this meeting")
    parser.add_argument(
        "--expect-head",
        metavar="HASH",
        help="also require the meeting's chain to end at HASH (as printed in a published report)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_verify(args))


async def _verify(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    async with settings.store() as store:
        reports = await verify(store.read_all(meeting_id=args.meeting))
    if args.meeting and args.meeting not in reports:
        print(f"{args.meeting}: no events in this log")
        return 1
    if args.expect_head and len(reports) != 1:
        raise UsageError("--expect-head needs exactly one meeting: name it with --meeting")
    ok = True
    for report in reports.values():
        print(report.describe())
        ok = ok and report.intact
        if args.expect_head and report.intact and report.head != args.expect_head:
            print(f"{report.meeting_id}: head {report.head} is not the expected {args.expect_head}")
            ok = False
    if not reports:
        print("the log is empty")
    return 0 if ok else 1
