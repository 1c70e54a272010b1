"""The decider shell on a real SQLite log: deterministic ids, resends, refusals, races."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from events.decider import derived_id, event_ids, execute, fold
from events.log.envelope import NewEvent
from events.log.store import EventStore
from events.log.writer import AppendResult
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import rules as meeting
from events.meeting.commands import AddTopic, OpenMeeting, RenameTopic
from events.meeting.plan import Topic
from tests.meeting_fixtures import kamloops, local, scheduled

STREAM = meeting.stream_id("kamloops")


async def run(store: EventStore, command: Any, command_id: str) -> Any:
    return await execute(
        store,
        meeting,
        command,
        stream_id=STREAM,
        meeting_id="kamloops",
        command_id=command_id,
        natural_key=partial(meeting.natural_key, "kamloops"),
    )


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[EventStore]:
    async with EventStore(str(tmp_path / "decider.db")) as opened:
        await run(opened, kamloops(), "schedule")
        yield opened


def test_fold_starts_from_the_initial_state() -> None:
    assert fold(meeting, []) == meeting.initial_state
    assert fold(meeting, scheduled()).plan is not None


def test_event_ids_come_from_the_command_id_or_a_natural_key() -> None:
    lead = e.ClockPaused(at=1)
    clock = e.RotationStarted(rotation=2, due=5, by="clock")
    ids = event_ids("cmd-1", [clock, lead, lead], partial(meeting.natural_key, "m"))
    assert ids == [
        derived_id("m/RotationStarted/2/5"),
        derived_id("cmd-1/0"),
        derived_id("cmd-1/1"),
    ]
    assert ids == event_ids("cmd-1", [clock, lead, lead], partial(meeting.natural_key, "m"))


@pytest.mark.asyncio
async def test_a_command_appends_its_events_with_ids_from_its_command_id(
    store: EventStore,
) -> None:
    topic = Topic(topic_id="housing", title="Housing")
    outcome = await run(store, AddTopic(topic=topic), "add-housing")
    assert outcome.events == (e.TopicAdded(topic_id="housing", title="Housing"),)
    record = (await store.read_stream(STREAM))[-1]
    assert record.event_id == derived_id("add-housing/0")
    assert record.position == outcome.positions[0]
    assert outcome.state.plan.topic("housing") == topic


@pytest.mark.asyncio
async def test_a_resent_command_makes_no_second_event(store: EventStore) -> None:
    command = RenameTopic(topic_id="social-health", title="Health")
    first = await run(store, command, "rename-1")
    version = await store.stream_version(STREAM)
    again = await run(store, command, "rename-1")
    assert again.duplicate
    assert again.positions == first.positions
    assert again.events == ()  # a resend adds nothing
    assert await store.stream_version(STREAM) == version


@pytest.mark.asyncio
async def test_a_refused_command_writes_nothing(store: EventStore) -> None:
    version = await store.stream_version(STREAM)
    with pytest.raises(errors.UnknownTopic, match="there is no topic 'nope'"):
        await run(store, RenameTopic(topic_id="nope", title="X"), "rename-nope")
    assert await store.stream_version(STREAM) == version


@pytest.mark.asyncio
async def test_a_command_with_nothing_to_do_writes_nothing(store: EventStore) -> None:
    await run(store, OpenMeeting(at=local("17:00")), "open-1")
    version = await store.stream_version(STREAM)
    outcome = await run(store, OpenMeeting(at=local("17:01")), "open-2")
    assert outcome.events == ()
    assert await store.stream_version(STREAM) == version


class RacingStore(EventStore):
    """A real store where another writer adds ``rival`` just before our first append."""

    rival = "rival"
    raced = False

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        meeting_id: str,
        expected_version: int | None,
    ) -> AppendResult:
        if not self.raced:
            self.raced = True
            other = NewEvent(e.TopicAdded(topic_id=self.rival, title="Rival"), "rival-event")
            await super().append(stream_id, [other], meeting_id=meeting_id, expected_version=None)
        return await super().append(
            stream_id, events, meeting_id=meeting_id, expected_version=expected_version
        )


async def _race(path: Path, rival: str) -> Any:
    async with EventStore(str(path)) as plain:
        await run(plain, kamloops(), "schedule")
    async with RacingStore(str(path)) as racing:
        racing.rival = rival
        return await run(racing, AddTopic(topic=Topic(topic_id="mine", title="Mine")), "mine")


@pytest.mark.asyncio
async def test_a_conflict_is_retried_against_the_new_state(tmp_path: Path) -> None:
    outcome = await _race(tmp_path / "race.db", rival="rival")
    assert [t.topic_id for t in outcome.state.plan.topics][-2:] == ["rival", "mine"]


@pytest.mark.asyncio
async def test_a_retried_command_meets_the_rules_of_the_new_state(tmp_path: Path) -> None:
    with pytest.raises(errors.DuplicateId, match="topic id 'mine' is used twice"):
        await _race(tmp_path / "race.db", rival="mine")
