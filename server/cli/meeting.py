"""``roundtable meeting``: create meetings from templates, list, show, open and close them."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from events.instants import hhmm
from events.log.codec import canonical
from events.log.store import EventStore, now_micros
from events.meeting.commands import CloseMeeting, MeetingCommand, OpenMeeting, ScheduleMeeting
from events.meeting.errors import MeetingNotScheduled
from projections.meeting import render, status
from server import meetings, template
from server.cli.options import add_db_option, settings_from

ACTOR = "cli"

Action = Callable[[EventStore, argparse.Namespace], Awaitable[int]]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "meeting",
        help="create, list, show, open and close meetings",
        description="Create meetings from templates, and list, show, open or close them.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = _action(
        actions,
        "create",
        _run_create,
        help="create a meeting from a template; prints its id",
        description=(
            "Create a meeting from a JSON template in the shape of the Kamloops file "
            "(docs/meetings.md). Prints the new meeting's id."
        ),
        creates=True,
    )
    create.add_argument(
        "--template", required=True, type=Path, metavar="FILE", help="the JSON template"
    )
    create.add_argument("--id", help="the meeting's id (default: its date, made unique)")
    _action(actions, "list", functools.partial(_run, _list), help="list the meetings in the log")
    for name, handler, text in (
        ("show", _show, "print a meeting's view as JSON"),
        ("open", _open, "open a meeting: its clock starts running"),
        ("close", _close, "close a meeting for good"),
    ):
        run = functools.partial(_run, handler)
        _action(actions, name, run, help=text).add_argument("meeting_id", metavar="ID")


def _action(
    actions: Any,
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    creates: bool = False,
    **texts: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, **texts)
    add_db_option(parser, creates=creates)
    parser.set_defaults(run=run)
    return parser


def _run(handler: Action, args: argparse.Namespace) -> int:
    async def main() -> int:
        settings = settings_from(args)
        async with settings.store() as store:
            return await handler(store, args)

    return asyncio.run(main())


def _run_create(args: argparse.Namespace) -> int:
    """A template that cannot be used is refused before the log is opened (or made)."""
    schedule = template.schedule_command(template.read(args.template), "new")
    return _run(functools.partial(_create, schedule), args)


async def _create(command: ScheduleMeeting, store: EventStore, args: argparse.Namespace) -> int:
    meeting_id = args.id or await meetings.free_id(store, command.date)
    command = replace(command, meeting_id=meeting_id)
    await meetings.run(store, meeting_id, command, command_id=str(uuid.uuid4()), actor=ACTOR)
    print(meeting_id)
    return 0


async def _list(store: EventStore, args: argparse.Namespace) -> int:
    ids = await meetings.meeting_ids(store)
    if not ids:
        print("no meetings in this log")
    for meeting_id in ids:
        view = await meetings.load(store, meeting_id)
        plan = view.state.plan
        assert plan is not None
        roundtables = plan.roundtables
        starts = hhmm(roundtables.start, plan.timezone) if roundtables else "--:--"
        print(f"{meeting_id}\t{plan.date}\t{starts}\t{status(view.state)}\t{plan.title}")
    return 0


async def _show(store: EventStore, args: argparse.Namespace) -> int:
    view = await meetings.load(store, args.meeting_id)
    if view.state.plan is None:
        raise MeetingNotScheduled("meeting", f"there is no meeting {args.meeting_id!r}")
    sys.stdout.buffer.write(canonical(render(view)) + b"\n")
    return 0


async def _open(store: EventStore, args: argparse.Namespace) -> int:
    return await _lifecycle(store, args.meeting_id, OpenMeeting(at=now_micros()))


async def _close(store: EventStore, args: argparse.Namespace) -> int:
    return await _lifecycle(store, args.meeting_id, CloseMeeting(at=now_micros()))


async def _lifecycle(store: EventStore, meeting_id: str, command: MeetingCommand) -> int:
    await meetings.run(store, meeting_id, command, command_id=str(uuid.uuid4()), actor=ACTOR)
    print(f"{meeting_id}: {status((await meetings.load(store, meeting_id)).state)}")
    return 0
