"""The server's clock on a real log (a SQLite file, then PostgreSQL): the evening, restarts.

Time is a ``FakeTime`` that both the store (``recorded_at``) and the clock read, and that the
tests move: nothing here sleeps.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from events.instants import SECOND, hhmm, to_datetime
from events.log.envelope import NewEvent, Recorded
from events.log.store import EventStore
from events.meeting import events as e
from events.meeting.commands import (
    ChooseAutoStart,
    EndRotation,
    ExtendRotation,
    MeetingCommand,
    OpenMeeting,
    PauseClock,
    ResumeClock,
    StartRoundtables,
)
from harness import patience
from server import meetings
from server.clock import MeetingClock
from tests.meeting_fixtures import TZ, FakeTime, kamloops, local

MEETING = "kamloops"


class Evening:
    """A Kamloops evening on a real store, with a clock and a time the test moves."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.time = FakeTime(local("17:00"))
        self.store: EventStore | None = None
        self.clock: MeetingClock | None = None

    async def start_server(self) -> None:
        self.store = EventStore(self.url, now=self.time.now)
        await self.store.open()
        self.clock = MeetingClock(self.store, now=self.time.now, sleep=self.time.sleep)

    async def stop_server(self) -> None:
        assert self.store is not None
        await self.store.close()
        self.store = self.clock = None

    async def lead(self, command: MeetingCommand) -> None:
        assert self.store is not None
        await meetings.run(self.store, MEETING, command, command_id=str(uuid.uuid4()), actor="lead")

    async def run_until(self, clock: str) -> None:
        """Tick once a minute up to and including ``clock`` (the server running)."""
        assert self.clock is not None
        end = local(clock)
        while self.time.instant < end:
            self.time.instant = min(end, self.time.instant + 60 * SECOND)
            await self.clock.tick()

    async def log(self) -> list[Recorded]:
        assert self.store is not None
        return await self.store.read_stream(f"meeting-{MEETING}")


@pytest_asyncio.fixture
async def evening(store_url: str) -> AsyncIterator[Evening]:
    """Kamloops scheduled from its template and opened at 17:00 (on each back end)."""
    evening = Evening(store_url)
    await evening.start_server()
    assert evening.store is not None
    await meetings.run(evening.store, MEETING, kamloops(MEETING), command_id="schedule")
    await evening.lead(OpenMeeting(at=evening.time.now()))
    yield evening
    if evening.store is not None:
        await evening.stop_server()


def transitions(log: list[Recorded]) -> list[tuple[str, object, str, str]]:
    """Each clock transition: what, which, when it was due, when it was recorded (local)."""
    rows = []
    for record in log:
        event = record.decode()
        if isinstance(event, e.RotationStarted | e.RotationEnded):
            rows.append((event.type, event.rotation, hhmm(event.due, TZ), _seconds(record)))
        elif isinstance(event, e.PhaseChanged):
            rows.append((event.type, event.phase, hhmm(event.due, TZ), _seconds(record)))
    return rows


def _seconds(record: Recorded) -> str:
    return to_datetime(record.recorded_at, TZ).strftime("%H:%M:%S")


def starts_and_ends(log: list[Recorded]) -> dict[str, list[str]]:
    rows = transitions(log)
    return {
        "started": [due for kind, _, due, _ in rows if kind == "RotationStarted"],
        "ended": [due for kind, _, due, _ in rows if kind == "RotationEnded"],
        "phases": [f"{which} {due}" for kind, which, due, _ in rows if kind == "PhaseChanged"],
    }


@pytest.mark.asyncio
async def test_the_kamloops_evening_runs_on_the_server_clock(evening: Evening) -> None:
    await evening.run_until("18:50")
    await evening.lead(StartRoundtables(at=evening.time.now()))
    await evening.run_until("20:40")
    timeline = starts_and_ends(await evening.log())
    assert timeline["started"] == ["18:50", "19:05", "19:20", "19:35"]
    assert timeline["ended"] == ["19:05", "19:20", "19:35", "19:50"]
    assert timeline["phases"] == [
        "arrival 17:30",
        "welcome 17:35",
        "meal 17:45",
        "presentation-1 18:00",
        "presentation-2 18:15",
        "presentation-3 18:25",
        "break-1 18:40",
        "roundtables 18:50",
        "break-2 19:50",
        "report-back 20:00",
        "wrap-up 20:25",
    ]
    for _, _, due, recorded in transitions(await evening.log()):
        assert recorded == f"{due}:00"  # a server that was up emitted each on time


@pytest.mark.asyncio
async def test_a_restart_emits_what_fell_due_while_down_once_with_both_instants(
    evening: Evening,
) -> None:
    await evening.run_until("18:50")
    await evening.lead(StartRoundtables(at=evening.time.now()))
    await evening.run_until("19:00")
    await evening.stop_server()  # the laptop's lid closes at 19:00...

    evening.time.set("19:12")  # ...and opens at 19:12
    await evening.start_server()
    assert evening.clock is not None
    await evening.clock.tick()
    await evening.clock.tick()
    caught_up = [row for row in transitions(await evening.log()) if row[2] == "19:05"]
    assert caught_up == [
        ("RotationEnded", 1, "19:05", "19:12:00"),
        ("RotationStarted", 2, "19:05", "19:12:00"),
    ]
    await evening.run_until("20:40")
    timeline = starts_and_ends(await evening.log())
    assert timeline["started"] == ["18:50", "19:05", "19:20", "19:35"]
    assert timeline["ended"] == ["19:05", "19:20", "19:35", "19:50"]


@pytest.mark.asyncio
async def test_two_clocks_racing_emit_each_transition_once(evening: Evening) -> None:
    assert evening.store is not None
    await evening.run_until("18:50")
    await evening.lead(StartRoundtables(at=evening.time.now()))
    rival = MeetingClock(evening.store, now=evening.time.now)
    for clock in ("19:05", "19:21", "19:50", "20:30"):
        evening.time.set(clock)
        assert evening.clock is not None
        await asyncio.gather(evening.clock.tick(), rival.tick(), evening.clock.tick())
    rows = [row[:3] for row in transitions(await evening.log())]
    assert len(rows) == len(set(rows))
    assert starts_and_ends(await evening.log())["ended"] == ["19:05", "19:20", "19:35", "19:50"]


@pytest.mark.asyncio
async def test_pause_extend_and_early_advance_shift_the_later_rotations(evening: Evening) -> None:
    await evening.run_until("18:50")
    await evening.lead(StartRoundtables(at=evening.time.now()))
    await evening.run_until("19:10")
    await evening.lead(PauseClock(at=evening.time.now()))
    await evening.run_until("19:13")
    await evening.lead(ResumeClock(at=evening.time.now()))  # +3: rotation 2 ends 19:23
    await evening.run_until("19:30")
    await evening.lead(ExtendRotation(rotation=3, minutes=5, at=evening.time.now()))  # +5
    await evening.run_until("19:50")
    await evening.lead(EndRotation(rotation=4, at=evening.time.now()))  # 8 minutes early
    await evening.run_until("20:40")
    timeline = starts_and_ends(await evening.log())
    assert timeline["started"] == ["18:50", "19:05", "19:23", "19:43"]
    assert timeline["ended"] == ["19:05", "19:23", "19:43", "19:50"]
    assert timeline["phases"][-3:] == ["break-2 19:50", "report-back 20:00", "wrap-up 20:25"]


@pytest.mark.asyncio
async def test_the_clock_loop_sleeps_exactly_until_each_due_instant(evening: Evening) -> None:
    assert evening.store is not None
    await evening.lead(ChooseAutoStart(enabled=True, at=evening.time.now()))
    clock = MeetingClock(
        evening.store, now=evening.time.now, sleep=evening.time.sleep, longest_sleep=3600
    )
    evening.time.until = local("20:40")
    task = asyncio.create_task(clock.run())
    async with asyncio.timeout(30):
        await evening.time.reached.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rows = transitions(await evening.log())
    assert [row[2] for row in rows if row[0] == "RotationStarted"] == [
        "18:50",
        "19:05",
        "19:20",
        "19:35",
    ]
    assert all(recorded == f"{due}:00" for _, _, due, recorded in rows)
    assert evening.time.sleeps[:3] == [30 * 60.0, 5 * 60.0, 10 * 60.0]


@pytest.mark.asyncio
async def test_a_lead_action_wakes_the_sleeping_clock(evening: Evening) -> None:
    assert evening.store is not None
    evening.time.set("18:50")
    asked: asyncio.Queue[float] = asyncio.Queue()

    async def sleep_until_woken(seconds: float) -> None:
        await asked.put(seconds)
        await asyncio.Event().wait()

    clock = MeetingClock(
        evening.store, now=evening.time.now, sleep=sleep_until_woken, longest_sleep=3600
    )
    clock.start()
    try:
        async with asyncio.timeout(patience.seconds(10)):
            assert await asked.get() == 3600.0  # nothing due: the longest sleep
            await evening.lead(StartRoundtables(at=evening.time.now()))
            assert await asked.get() == 15 * 60.0  # woken: rotation 1 ends in 15 minutes
    finally:
        await clock.stop()


@pytest.mark.asyncio
async def test_a_lead_action_while_the_clock_starts_is_not_missed(
    evening: Evening, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lead starts the roundtables while the clock's watcher is still reading where the log
    ends: the clock must tick with the rotation started, not sleep an hour past it."""
    assert evening.store is not None
    evening.time.set("18:50")
    asked: asyncio.Queue[float] = asyncio.Queue()
    reading, acted = asyncio.Event(), asyncio.Event()
    last_position = evening.store.last_position

    async def last_position_after_the_lead() -> int:
        reading.set()
        await acted.wait()
        return await last_position()

    async def sleep_until_woken(seconds: float) -> None:
        await asked.put(seconds)
        await asyncio.Event().wait()

    monkeypatch.setattr(evening.store, "last_position", last_position_after_the_lead)
    clock = MeetingClock(
        evening.store, now=evening.time.now, sleep=sleep_until_woken, longest_sleep=3600
    )
    clock.start()
    try:
        async with asyncio.timeout(patience.seconds(10)):
            await reading.wait()
            await evening.lead(StartRoundtables(at=evening.time.now()))
            acted.set()
            while (seconds := await asked.get()) != 15 * 60.0:
                assert seconds == 3600.0  # a tick before the lead acted; it must be woken
    finally:
        await clock.stop()


@pytest.mark.asyncio
async def test_a_meeting_id_without_a_meeting_stream_is_skipped(tmp_path: Path) -> None:
    time = FakeTime(local("19:00"))
    async with EventStore(str(tmp_path / "other.db"), now=time.now) as store:
        note = NewEvent(e.ClockPaused(at=time.now()), "note-1")
        await store.append("table-elsewhere-1", [note], meeting_id="elsewhere", expected_version=0)
        assert await MeetingClock(store, now=time.now).tick() is None
