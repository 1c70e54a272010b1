"""``roundtable replay``: one meeting's views as they were at a moment of the evening.

The moment is a wall-clock time of the meeting's day in its own time zone (``--at 19:35``),
an ISO 8601 timestamp, or a position in the log. The log is folded up to that moment
(``server.cli.fold``, as ``rebuild`` folds it) and rendered by the views' own renderers
(``projections.screens``, as the websocket renders them), so in ``--format json`` each view
is, byte for byte, the one a lead's device connecting at that position was sent (and the
report-back the one the presentation page fetched).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from events.errors import RoundtableError
from events.instants import from_datetime, local_instant, zone
from events.log.codec import canonical
from events.meeting.plan import Plan
from projections import screens
from server import meetings
from server.cli.fold import fold
from server.cli.options import add_db_option, settings_from
from server.cli.replay_markdown import markdown


class ReplayRefused(RoundtableError):
    """The moment asked for cannot be replayed (no such meeting, time or position)."""


@dataclass(frozen=True, slots=True)
class Replayed:
    views: dict[str, Any]
    position: int
    """The log position the views stand at."""
    at: int | None
    """The moment (µs, UTC): the ``--at`` asked for, else when the last event folded was
    recorded."""

    def document(self) -> dict[str, Any]:
        """What ``--format json`` prints: the position and every view, by name."""
        return {"position": self.position, "views": self.views}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="a meeting's views as they were at a moment",
        description=(
            "Show one meeting's views (the clock, each table, the theme wall, the report-back) "
            "as they were at a moment: a time of the meeting's day in its time zone (19:35 or "
            "19:35:20), an ISO 8601 timestamp, or --position N. In JSON (canonical) each view "
            "is the one a lead's device was sent at that position."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting")
    moment = parser.add_mutually_exclusive_group(required=True)
    moment.add_argument("--at", metavar="TIME", help="HH:MM[:SS] local, or an ISO 8601 timestamp")
    moment.add_argument("--position", type=int, metavar="N", help="every event up to position N")
    parser.add_argument("--format", choices=("md", "json"), default="md")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    replayed = asyncio.run(replayed_at(args))
    if args.format == "json":
        sys.stdout.buffer.write(canonical(replayed.document()) + b"\n")
    else:
        print(markdown(replayed.views, position=replayed.position, at=replayed.at), end="")
    return 0


async def replayed_at(args: argparse.Namespace) -> Replayed:
    """What ``run`` prints, before it is printed: callers that replay many moments of one log
    (the tests compare every sampled position with what was live) do it in one process."""
    settings = settings_from(args)
    meeting_id = args.meeting
    async with settings.store() as store:
        planned = (await meetings.load(store, meeting_id)).state.plan
        if planned is None:
            raise ReplayRefused(f"{meeting_id}: no such meeting in this log")
        last = await store.last_position()
        position, instant = args.position, None
        if position is not None and not 1 <= position <= last:
            raise ReplayRefused(f"position {position} is not in the log (1 to {last})")
        if args.at is not None:
            instant = parse_moment(args.at, planned)
        folded = await fold(
            store, meeting_id=meeting_id, position=position, instant=instant, label="replaying"
        )
    scene = folded.catalog.scene(meeting_id)
    if scene.meeting.state.plan is None:
        raise ReplayRefused(f"{meeting_id} was not scheduled yet at {args.at or position}")
    views = screens.render(scene, views=screens.VIEWS)
    at = instant if instant is not None else folded.at
    return Replayed(views, position if position is not None else folded.position, at)


def parse_moment(text: str, plan: Plan) -> int:
    """The instant of ``--at``: ``HH:MM[:SS]`` on the meeting's date in its time zone, or an
    ISO 8601 timestamp (in the meeting's time zone if it has no offset)."""
    try:
        if len(text) <= len("00:00:00"):
            instant = local_instant(
                date.fromisoformat(plan.date), time.fromisoformat(text), plan.timezone
            )
            if instant is None:
                raise ReplayRefused(f"{text} does not exist on {plan.date} in {plan.timezone}")
            return instant
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ReplayRefused(
            f"--at {text!r}: give HH:MM, HH:MM:SS or an ISO 8601 timestamp"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(plan.timezone))
    return from_datetime(moment)
