"""The meeting view: rebuilt from position 0 it equals the live one, byte for byte."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest

from events.log.codec import canonical
from events.log.store import EventStore
from events.meeting.commands import (
    JumpToReportBack,
    MeetingCommand,
    OpenMeeting,
    PauseClock,
    StartRoundtables,
)
from projections import meeting as meeting_view
from projections.catalog import fold
from projections.meeting import MeetingView, dumps, render
from server import meetings
from server.clock import MeetingClock
from tests.meeting_fixtures import FakeTime, kamloops, local

MEETING = "kamloops"


class Live:
    """A view kept up to date as the log grows, as a live runner would."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.view = MeetingView()

    async def catch_up(self) -> MeetingView:
        async for record in self.store.read_all(after=self.view.position):
            if record.stream_id == "meeting-kamloops":
                self.view = meeting_view.evolve(self.view, record)
        return self.view


async def lead(store: EventStore, command: MeetingCommand) -> None:
    await meetings.run(store, MEETING, command, command_id=str(uuid.uuid4()), actor="lead")


def by_status(view: MeetingView) -> dict[str, list[Any]]:
    schedule = render(view)["schedule"]
    return {
        s: [
            (x["rotation"] or x["phase"], x["start"], x["end"])
            for x in schedule
            if x["status"] == s
        ]
        for s in ("planned", "done", "skipped", "current", "upcoming")
    }


@pytest.mark.asyncio
async def test_the_view_rebuilt_from_zero_equals_the_live_view(tmp_path: Path) -> None:
    time = FakeTime(local("17:00"))
    async with EventStore(str(tmp_path / "view.db"), now=time.now) as store:
        live = Live(store)
        clock = MeetingClock(store, now=time.now)
        await meetings.run(store, MEETING, kamloops(MEETING), command_id="schedule")
        await lead(store, OpenMeeting(at=time.now()))
        planned = by_status(await live.catch_up())["planned"]
        assert planned[0] == (1, local("18:50"), local("19:05"))
        assert planned[-1] == ("wrap-up", local("20:25"), local("20:30"))

        time.set("18:52")
        await clock.tick()
        await lead(store, StartRoundtables(at=time.now()))
        time.set("19:10")
        await clock.tick()
        await lead(store, PauseClock(at=time.now()))
        paused = await live.catch_up()
        clock_view = render(paused)["clock"]
        assert (clock_view["rotation"], clock_view["ends"]) == (2, None)
        assert clock_view["remaining"] == local("19:22") - local("19:10")
        statuses = by_status(paused)
        assert statuses["done"] == [(1, local("18:52"), local("19:07"))]
        assert statuses["current"] == [(2, local("19:07"), None)]
        assert statuses["upcoming"][0] == (3, None, None)

        time.set("19:15")
        await lead(store, JumpToReportBack(at=time.now()))
        time.set("19:30")
        await clock.tick()
        jumped = await live.catch_up()
        statuses = by_status(jumped)
        assert statuses["done"][-1] == (2, local("19:07"), local("19:15"))
        assert [s[0] for s in statuses["skipped"]] == [3, 4, "break-2"]
        assert statuses["current"] == [("report-back", local("19:15"), local("19:40"))]
        assert statuses["upcoming"] == [("wrap-up", local("19:40"), local("19:45"))]

        rebuilt = fold(await store.read_stream("meeting-kamloops")).meeting(MEETING)
        assert rebuilt is not None
        assert dumps(rebuilt) == dumps(jumped)
        whole = fold([r async for r in store.read_all()]).meeting(MEETING)
        assert whole is not None
        assert dumps(whole) == dumps(jumped)


@pytest.mark.asyncio
async def test_the_view_records_each_clock_event_with_its_due_and_recorded_instants(
    tmp_path: Path,
) -> None:
    time = FakeTime(local("18:00"))
    async with EventStore(str(tmp_path / "view.db"), now=time.now) as store:
        await meetings.run(store, MEETING, kamloops(MEETING), command_id="schedule")
        await lead(store, OpenMeeting(at=time.now()))
        await lead(store, StartRoundtables(at=local("18:50")))
        time.set("19:12")
        await MeetingClock(store, now=time.now).tick()
        view = render(await meetings.load(store, MEETING))
    ended = next(h for h in view["history"] if h["type"] == "RotationEnded")
    assert (ended["rotation"], ended["due"], ended["recorded_at"], ended["by"]) == (
        1,
        local("19:05"),
        local("19:12"),
        "clock",
    )
    assert view["status"] == "open"
    assert view["clock"]["next_due"] == local("19:20")


def test_the_view_serialises_canonically_without_floats() -> None:
    view = MeetingView()
    assert dumps(view) == canonical(render(view))
    assert orjson.loads(dumps(view)) == {"meeting_id": None, "position": 0, "version": 0}
