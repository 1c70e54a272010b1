"""``roundtable erase``: erase a comment's words from the log for good (docs/privacy.md)."""

from __future__ import annotations

import argparse
import asyncio
import uuid
from typing import Any

from events.log.envelope import Metadata
from server import erasure
from server.cli.options import add_db_option, settings_from

ACTOR = "cli"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "erase",
        help="erase a comment's words from the log for good (privacy law)",
        description=(
            "Erase the words of one comment (its text as added and every edit), and the theme "
            "titles and key-theme sentences named that quote it: their payloads are set to "
            "null in the log, with an erasure event saying who, when, why and which events. "
            "The hash chain still verifies. It cannot be undone (docs/privacy.md)."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting")
    parser.add_argument("--comment", required=True, metavar="ID", help="the comment's id")
    parser.add_argument("--reason", required=True, metavar="TEXT", help="why, in one line")
    parser.add_argument("--table", type=int, metavar="N", help="its table (default: found)")
    parser.add_argument(
        "--show-reason",
        action="store_true",
        help="show the reason beside the date where the words were",
    )
    parser.add_argument(
        "--theme",
        action="append",
        default=[],
        metavar="ID",
        help="also erase this theme's titles (it quotes the comment); repeatable",
    )
    parser.add_argument(
        "--key-theme",
        action="append",
        default=[],
        metavar="ID",
        help="also erase this key-theme sentence of the report; repeatable",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_erase(args))


async def _erase(args: argparse.Namespace) -> int:
    async with settings_from(args).store() as store:
        table = args.table or await erasure.table_of(store, args.meeting, args.comment)
        data = erasure.check(
            {
                "table": table,
                "comment_id": args.comment,
                "reason": args.reason,
                "show_reason": args.show_reason,
                "themes": args.theme,
                "key_themes": args.key_theme,
            }
        )
        done = await erasure.erase(
            store,
            args.meeting,
            data,
            command_id=str(uuid.uuid4()),
            metadata=Metadata(actor=ACTOR),
        )
    plural = "" if done.payloads == 1 else "s"
    print(
        f"erased comment {args.comment} of table {table}: {done.payloads} payload{plural} "
        f"set to null, the erasure at position {done.position}"
    )
    return 0
