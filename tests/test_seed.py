"""The demo evening: the Kamloops meeting as a rehearsal on today's date, seeded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.instants import MINUTE, SECOND, hhmm, to_datetime
from events.log.store import EventStore
from events.meeting import events as e
from server import meetings, seed
from tests.meeting_fixtures import kamloops, local

NOW = local("14:03:20")


def test_the_rehearsal_starts_its_roundtables_a_minute_or_two_from_now() -> None:
    command = seed.rehearsal(NOW)
    roundtables = next(i for i in command.agenda if i.kind == "roundtables")
    assert hhmm(roundtables.start, command.timezone) == "14:05"
    assert (command.meeting_id, command.date) == ("demo-2023-06-15", "2023-06-15")
    original = kamloops()
    shift = roundtables.start - local("18:50")
    assert [i.start - shift for i in command.agenda] == [i.start for i in original.agenda]
    assert command.tables == original.tables
    assert command.questions == original.questions


@pytest.mark.parametrize(("now", "starts"), [("14:04:00", "14:05"), ("14:04:00.000001", "14:06")])
def test_the_rehearsal_starts_on_a_whole_minute(now: str, starts: str) -> None:
    command = seed.rehearsal(local(now))
    roundtables = next(i for i in command.agenda if i.kind == "roundtables")
    assert hhmm(roundtables.start, command.timezone) == starts
    assert roundtables.start - local(now) >= MINUTE
    assert roundtables.start % MINUTE == 0


def test_the_rehearsal_takes_the_date_of_its_roundtables() -> None:
    late = local("23:59:30")
    command = seed.rehearsal(late)
    assert command.date == to_datetime(late + 2 * MINUTE, command.timezone).date().isoformat()
    assert command.meeting_id == f"demo-{command.date}"


@pytest.mark.asyncio
async def test_seeding_twice_adds_nothing(tmp_path: Path) -> None:
    async with EventStore(str(tmp_path / "demo.db")) as store:
        meeting_id = await seed.seed_demo(store, now=NOW)
        first = await store.last_position()
        assert await seed.seed_demo(store, now=NOW + 10 * SECOND) == meeting_id
        assert await store.last_position() == first
        view = await meetings.load(store, meeting_id)
        records = await store.read_stream(f"meeting-{meeting_id}")
    events = [r.decode() for r in records]
    assert sum(isinstance(x, e.TopicAdded) for x in events) == 4
    assert sum(isinstance(x, e.QuestionAdded) for x in events) == 3
    assert sum(isinstance(x, e.TableAdded) for x in events) == 4
    assert view.state.clock.opened_at == NOW
    assert view.state.clock.auto_start
    assert view.state.clock.phase == "break-1"


@pytest.mark.asyncio
async def test_the_demo_prints_the_links_to_open(tmp_path: Path) -> None:
    async with EventStore(str(tmp_path / "demo.db")) as store:
        meeting_id = await seed.seed_demo(store, now=NOW)
        text = seed.links(await meetings.load(store, meeting_id), "http://127.0.0.1:8000")
    base = "http://127.0.0.1:8000"
    assert f"{base}/table?meeting={meeting_id}" in text
    for table in (1, 2, 3, 4):
        assert f"table {table}" in text
    assert f"{base}/api/meetings/{meeting_id}" in text
    assert "start by themselves at 14:05 (America/Vancouver)" in text
