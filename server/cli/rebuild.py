"""``roundtable rebuild``: fold every view from position 0 and say how fast, and what came out.

No view or checkpoint is stored yet (the server folds its views in memory at start), so there
is nothing to replace: the command computes every view and prints, per view, the events it
took and the SHA-256 of its canonical JSON, which is what the live server shows a client at
the same position. When views are stored, this is where they will be swapped atomically.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import orjson

from projections.catalog import Rendered
from server.cli.fold import fold
from server.cli.options import add_db_option, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rebuild",
        help="rebuild every view from the log and print events/s",
        description=(
            "Fold every meeting, table and theme-wall view from position 0. Prints the events "
            "per second and, per view, its events, last position and the SHA-256 of its "
            "canonical JSON."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_rebuild(args))


async def _rebuild(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    async with settings.store() as store:
        started = time.perf_counter()
        folded = await fold(store, label="rebuilding")
        views = folded.rendered()
        seconds = time.perf_counter() - started
    events = folded.events
    rate = events / seconds if seconds > 0 else 0.0
    if args.format == "json":
        print(
            orjson.dumps(_json(events, seconds, rate, views), option=orjson.OPT_INDENT_2).decode()
        )
        return 0
    print(
        f"rebuilt {len(views)} views from {events} events in {seconds:.2f} s: {rate:,.0f} events/s"
    )
    for view in views:
        print(f"{view.name}: {view.events} events, position {view.position}, sha256 {view.sha256}")
    print("no views or checkpoints are stored yet: nothing to replace")
    return 0


def _json(events: int, seconds: float, rate: float, views: list[Rendered]) -> dict[str, Any]:
    return {
        "events": events,
        "seconds": round(seconds, 6),
        "events_per_second": round(rate),
        "views": [
            {"name": v.name, "events": v.events, "position": v.position, "sha256": v.sha256}
            for v in views
        ],
        "stored_views_replaced": 0,
    }
