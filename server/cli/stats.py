"""``roundtable stats``: how one meeting's comments came in, per table, rotation, question and
device; late comments, edits and retractions; each table's busiest and quietest minutes."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import orjson

from projections.stats import figures
from server.cli.options import add_db_option, settings_from
from server.cli.progress import Progress
from server.failures import Failure


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="figures about a meeting's comments",
        description=(
            "Comments per table, rotation, question and facilitator device; late comments; "
            "edits and retractions; the busiest and quietest minutes per table, in the "
            "meeting's local time (by when each comment was typed)."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = asyncio.run(_figures(args))
    if result is None:
        raise Failure(f"{args.meeting}: no such meeting in this log ('roundtable meeting list')")
    if args.format == "json":
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())
    else:
        print(text(result))
    return 0


async def _figures(args: argparse.Namespace) -> dict[str, Any] | None:
    settings = settings_from(args)
    async with settings.store() as store:
        records = []
        with Progress("reading", await store.last_position()) as bar:
            async for record in store.read_all(meeting_id=args.meeting, batch=5000):
                records.append(record)
                bar.update(record.position)
    return figures(args.meeting, records) if records else None


def text(result: dict[str, Any]) -> str:
    """The figures as plain text, one fact per line."""
    lines = [
        f"{result['title'] or result['meeting_id']} ({result['meeting_id']}); "
        f"times in {result['timezone']}",
        f"comments: {result['comments']} (late {result['late']}, edits {result['edits']}, "
        f"retractions {result['retractions']}, restorations {result['restorations']})",
        f"by table: {_pairs(result['by_table'])}",
        f"by rotation: {_pairs(result['by_rotation'])}",
        f"by question: {_pairs(result['by_question'])}",
        f"by device: {_pairs(result['by_device'])}",
    ]
    for table in result["tables"]:
        lines.append(
            f"table {table['table']}: {table['comments']} comments (late {table['late']}, "
            f"edits {table['edits']}, retractions {table['retractions']})"
        )
        lines.append(f"  by rotation: {_pairs(table['by_rotation'])}")
        lines.append(f"  by question: {_pairs(table['by_question'])}")
        lines.append(f"  busiest minutes: {_minutes(table['busiest'])}")
        lines.append(f"  quietest minutes: {_minutes(table['quietest'])}")
    return "\n".join(lines)


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"


def _minutes(minutes: list[dict[str, Any]]) -> str:
    return ", ".join(f"{m['minute']} ({m['comments']})" for m in minutes) or "none"
