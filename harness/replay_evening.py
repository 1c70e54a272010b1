"""A Kamloops evening for the replay page: typed through the live protocol into a real server
whose clock shows 15 June 2023 from 18:50 (Vancouver time) and runs 120 times faster
(``harness.evening_clock``), so the evening's hour of roundtables takes half a minute.

How the instants were made, honestly: every instant in the log is the server's own clock, as on
the night; that clock was started at 18:50 on the meeting's date and ran fast. The lead starts
the roundtables when the server is up (about 18:52 to 18:55 by that clock); the meeting clock
ends and starts the four 15-minute rotations on schedule; the four facilitators type their
tables' comments from the data file at an even pace across the hour (about one a minute each),
each in the rotation the server says is running. Meanwhile a comment is edited, one is
retracted, the lead groups themes and merges one into another (each move waits for its
rotation to start and its comments to be typed, never for a span of time); afterwards the lead
makes a key theme, goes to the report-back, freezes it and closes the meeting.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import date
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import orjson

from client.live import LiveClient, Message
from client.simulation import comment_id, comments_of, type_table
from events.instants import local_instant
from events.log.store import EventStore
from events.meeting.commands import OpenMeeting
from harness.servers import Server, serve, token
from server import meetings, seed
from server.seed import KAMLOOPS

DATA = orjson.loads(KAMLOOPS.read_bytes())
ZONE = "America/Vancouver"
DAY = date(2023, 6, 15)
SPEED = 120.0
ROUNDTABLE_MINUTES = 58
"""The facilitators type across this many (fast) minutes: the four rotations, nearly."""
EDITED = "Edited: more police foot patrols downtown"


def at(hour: int, minute: int, second: int = 0) -> int:
    """An instant of the evening (µs, UTC) from its local time."""
    instant = local_instant(DAY, clock_time(hour, minute, second), ZONE)
    assert instant is not None
    return instant


async def schedule(db: str) -> str:
    """The Kamloops evening (roundtables planned at 18:50), scheduled and opened at 18:48."""
    before = at(18, 48, 30)
    command = seed.rehearsal(before)
    async with EventStore(db, now=lambda: before) as store:
        await meetings.run(store, command.meeting_id, command, command_id="schedule")
        await meetings.run(store, command.meeting_id, OpenMeeting(at=before), command_id="open")
    return command.meeting_id


@contextlib.contextmanager
def serve_evening(db: str, logs: Path) -> Iterator[Server]:
    """``roundtable serve`` on the evening's fast clock."""
    launcher = ("-m", "harness.evening_clock", str(at(18, 50)), str(SPEED))
    with serve(db, logs=logs, launcher=launcher) as running:
        yield running


async def _facilitator(url: str, meeting_id: str, table: int, name: str, data: Any) -> None:
    async with LiveClient(url, token(meeting_id, "facilitator", table, f"tablet-{table}")) as c:
        await c.command(name, data)


class Seen:
    """What the lead has been pushed so far: the rotations started and the comments added.
    The lead's moves wait on these, so they land where the story says under any load."""

    def __init__(self) -> None:
        self.rotations: set[int] = set()
        self.comments: set[str] = set()
        self.ended = asyncio.Event()
        self.changed = asyncio.Condition()

    def see(self, message: Message) -> None:
        if message.get("type") != "event":
            return
        kind, data = message.get("event_type"), message["data"]
        if kind == "RotationStarted":
            self.rotations.add(data["rotation"])
        elif kind == "CommentAdded":
            self.comments.add(data["comment_id"])
        elif kind == "RotationEnded" and data["rotation"] == 4:
            self.ended.set()
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def until(self, rotation: int, *comments: str) -> None:
        """Until ``rotation`` has started and ``comments`` have been typed."""
        async with self.changed:
            await self.changed.wait_for(
                lambda: rotation in self.rotations and self.comments.issuperset(comments)
            )


async def _lead_meanwhile(url: str, lead: LiveClient, meeting_id: str, seen: Seen) -> None:
    """What happens during the roundtables besides typing, each move in its rotation."""
    by_table = comments_of(DATA)
    ids = {n: [comment_id(meeting_id, c.data_id) for c in typed] for n, typed in by_table.items()}
    await seen.until(1, *ids[1][:2])
    await _facilitator(
        url, meeting_id, 1, "edit_comment", {"comment_id": ids[1][0], "text": EDITED}
    )
    await lead.command(
        "create_theme",
        {"theme_id": "patrols", "title": "Visible patrols", "topic": None, "question": None},
    )
    for cid in ids[1][:2]:
        await lead.command("add_to_theme", {"theme_id": "patrols", "table": 1, "comment_id": cid})
    await seen.until(2, ids[3][1], *ids[2][:2])
    await _facilitator(url, meeting_id, 3, "retract_comment", {"comment_id": ids[3][1]})
    await lead.command(
        "create_theme",
        {"theme_id": "presence", "title": "Police presence", "topic": None, "question": None},
    )
    for cid in ids[2][:2]:
        await lead.command("add_to_theme", {"theme_id": "presence", "table": 2, "comment_id": cid})
    await seen.until(3)
    await lead.command("merge_themes", {"theme_id": "presence", "into": "patrols"})


async def run_evening(server: Server, meeting_id: str) -> None:
    """The roundtables, typed and run as on the night (see the module's docstring)."""
    seen = Seen()
    async with LiveClient(server.ws, token(meeting_id, "lead"), on_message=seen.see) as lead:
        await lead.command("start_roundtables", {})
        pace = ROUNDTABLE_MINUTES * 60 / SPEED
        typing = [
            type_table(
                server.ws,
                token(meeting_id, "facilitator", n, f"tablet-{n}"),
                meeting_id,
                n,
                typed,
                len(typed) / pace,
            )
            for n, typed in sorted(comments_of(DATA).items())
        ]
        acked, _ = await asyncio.gather(
            asyncio.gather(*typing), _lead_meanwhile(server.ws, lead, meeting_id, seen)
        )
        assert acked == [len(t) for _, t in sorted(comments_of(DATA).items())]
        await seen.ended.wait()  # the meeting clock ends rotation 4
        await lead.command("set_key_theme", {"theme_id": "patrols", "key": True})
        await lead.command("jump_to_report_back", {})
        await lead.command("freeze_report_back", {})
        await lead.command("close_meeting", {})
