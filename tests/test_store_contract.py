"""One contract for the event store, run against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
import pytest
import pytest_asyncio
from sqlalchemy import text

from events.errors import (
    DuplicateEventId,
    InvalidAppend,
    UnknownEventType,
    UnknownSchemaVersion,
    WrongExpectedVersion,
)
from events.log.chain import GENESIS, verify
from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore
from tests.sample_events import Noted, note, test_codec

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def notes(store_url: str) -> AsyncIterator[EventStore]:
    async with EventStore(store_url, codec=test_codec) as opened:
        yield opened


async def test_append_assigns_versions_and_positions(notes: EventStore) -> None:
    first = await notes.append("a", [note("one"), note("two")], meeting_id="m", expected_version=0)
    second = await notes.append("b", [note("three")], meeting_id="m", expected_version=0)
    assert first.positions == (1, 2)
    assert first.version == 2
    assert second.positions == (3,)
    assert await notes.stream_version("a") == 2
    assert await notes.stream_version("nothing") == 0
    assert await notes.last_position() == 3
    stream = await notes.read_stream("a")
    assert [r.version for r in stream] == [1, 2]
    assert [r.decode(test_codec) for r in stream] == [
        Noted(text="one", lang="en"),
        Noted(text="two", lang="en"),
    ]


async def test_wrong_expected_version_names_stream_and_versions_and_writes_nothing(
    notes: EventStore,
) -> None:
    await notes.append("a", [note("one")], meeting_id="m", expected_version=0)
    with pytest.raises(WrongExpectedVersion) as caught:
        await notes.append("a", [note("two"), note("three")], meeting_id="m", expected_version=0)
    assert caught.value.stream_id == "a"
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert "'a'" in str(caught.value)
    assert await notes.last_position() == 1


async def test_any_version_appends_whatever_the_stream_holds(notes: EventStore) -> None:
    await notes.append("a", [note("one")], meeting_id="m", expected_version=None)
    result = await notes.append("a", [note("two")], meeting_id="m", expected_version=None)
    assert result.version == 2


async def test_resend_returns_original_positions_and_writes_nothing(notes: EventStore) -> None:
    batch = [note("one", "id-1"), note("two", "id-2")]
    first = await notes.append("a", batch, meeting_id="m", expected_version=0)
    await notes.append("a", [note("three")], meeting_id="m", expected_version=2)
    again = await notes.append("a", batch, meeting_id="m", expected_version=0)  # stale version
    assert again.positions == first.positions
    assert again.duplicate
    assert await notes.last_position() == 3


async def test_racing_resends_make_one_set_of_events(notes: EventStore) -> None:
    batch = [note("one", "id-1"), note("two", "id-2")]
    results = await asyncio.gather(
        *(notes.append("a", batch, meeting_id="m", expected_version=0) for _ in range(10))
    )
    assert {r.positions for r in results} == {(1, 2)}
    assert sum(not r.duplicate for r in results) == 1
    assert await notes.last_position() == 2


async def test_partly_stored_ids_are_refused_whole(notes: EventStore) -> None:
    await notes.append("a", [note("one", "id-1")], meeting_id="m", expected_version=0)
    with pytest.raises(DuplicateEventId) as caught:
        await notes.append(
            "a", [note("x", "id-1"), note("y", "id-9")], meeting_id="m", expected_version=1
        )
    assert caught.value.event_ids == ["id-1"]
    with pytest.raises(DuplicateEventId):
        await notes.append("b", [note("x", "id-1")], meeting_id="m", expected_version=0)
    assert await notes.last_position() == 1


async def test_an_append_is_all_or_nothing(notes: EventStore) -> None:
    class Unregistered(Noted):
        type = "Unregistered"

    bad = NewEvent(Unregistered(text="x", lang="en"), "id-bad")
    with pytest.raises(UnknownEventType):
        await notes.append("a", [note("ok"), bad], meeting_id="m", expected_version=0)
    with pytest.raises(InvalidAppend):
        await notes.append(
            "a", [note("x", "same"), note("y", "same")], meeting_id="m", expected_version=0
        )
    with pytest.raises(InvalidAppend):
        await notes.append("a", [], meeting_id="m", expected_version=0)
    assert await notes.last_position() == 0


async def test_a_stream_stays_in_its_meeting(notes: EventStore) -> None:
    await notes.append("a", [note("one")], meeting_id="m1", expected_version=0)
    with pytest.raises(InvalidAppend, match="belongs to meeting 'm1'"):
        await notes.append("a", [note("two")], meeting_id="m2", expected_version=1)


async def test_read_all_in_order_from_a_position_in_batches(notes: EventStore) -> None:
    for i in range(25):
        await notes.append(
            f"s{i % 4}", [note(str(i))], meeting_id=f"m{i % 2}", expected_version=None
        )
    everything = [r async for r in notes.read_all(batch=4)]
    assert [r.position for r in everything] == list(range(1, 26))
    later = [r.position async for r in notes.read_all(after=20, batch=4)]
    assert later == [21, 22, 23, 24, 25]
    m1 = [r async for r in notes.read_all(meeting_id="m1", batch=4)]
    assert [r.position for r in m1] == list(range(2, 26, 2))
    assert await notes.meeting_ids() == ["m0", "m1"]


async def test_metadata_and_recorded_time_are_kept(notes: EventStore) -> None:
    await notes.append("a", [note("one", actor="lead")], meeting_id="m", expected_version=0)
    (record,) = await notes.read_stream("a")
    assert record.metadata.actor == "lead"
    assert record.metadata.device_id == "tablet-1"
    assert record.metadata.correlation_id == "c-1"
    assert record.recorded_at > 1_700_000_000_000_000  # microseconds since the epoch
    assert record.recorded_at_datetime.year >= 2024


async def test_unicode_is_kept_exactly(notes: EventStore) -> None:
    words = "Kúkpi7 Tk'emlúps te Secwépemc → — 🙂 שלום 'catch & release'"
    await notes.append("a", [note(words)], meeting_id="m", expected_version=0)
    (record,) = await notes.read_stream("a")
    assert record.decode(test_codec) == Noted(text=words, lang="en")


async def test_older_schema_is_upcast_on_read(notes: EventStore) -> None:
    await notes.append("a", [note("new")], meeting_id="m", expected_version=0)
    async with notes.write_engine.begin() as conn:
        await conn.execute(
            text("UPDATE events SET schema = 1, data = :data WHERE position = 1"),
            {"data": orjson.dumps({"text": "old"})},
        )
    (record,) = await notes.read_stream("a")
    assert record.decode(test_codec) == Noted(text="old", lang="en")


async def test_unknown_type_or_version_is_a_clear_error(notes: EventStore) -> None:
    await notes.append("a", [note("x")], meeting_id="m", expected_version=0)
    async with notes.write_engine.begin() as conn:
        await conn.execute(text("UPDATE events SET schema = 7"))
    (record,) = await notes.read_stream("a")
    with pytest.raises(UnknownSchemaVersion, match="no schema version 7"):
        record.decode(test_codec)
    async with notes.write_engine.begin() as conn:
        await conn.execute(text("UPDATE events SET type = 'Vanished', schema = 1"))
    (record,) = await notes.read_stream("a")
    with pytest.raises(UnknownEventType, match="Vanished"):
        record.decode(test_codec)


async def test_each_meeting_has_its_own_hash_chain(notes: EventStore) -> None:
    for i in range(6):
        await notes.append(f"s{i}", [note(str(i))], meeting_id=f"m{i % 2}", expected_version=0)
    reports = await verify(notes.read_all())
    assert set(reports) == {"m0", "m1"}
    assert all(r.intact and r.events == 3 for r in reports.values())
    records = [r async for r in notes.read_all(meeting_id="m0")]
    assert reports["m0"].head == records[-1].hash
    assert records[0].hash != GENESIS


async def test_a_changed_byte_breaks_the_chain_at_that_position(notes: EventStore) -> None:
    for i in range(5):
        await notes.append("a", [note(f"text {i}")], meeting_id="m", expected_version=None)
    async with notes.write_engine.begin() as conn:
        await conn.execute(
            text("UPDATE events SET metadata = :m WHERE position = 3"),
            {"m": Metadata(actor="mallory", device_id="tablet-1", correlation_id="c-1").encode()},
        )
    report = (await verify(notes.read_all()))["m"]
    assert report.broken_at == 3
    assert "hash" in report.reason


async def test_an_erased_payload_still_verifies(notes: EventStore) -> None:
    for i in range(3):
        await notes.append("a", [note(f"text {i}")], meeting_id="m", expected_version=None)
    async with notes.write_engine.begin() as conn:
        await conn.execute(text("UPDATE events SET data = NULL WHERE position = 2"))
    assert (await verify(notes.read_all()))["m"].intact


async def test_an_erasing_append_in_a_batch_erases_only_its_own_ids(notes: EventStore) -> None:
    """Appends gathered into one batch, the erasing one among them: only the ids it names
    lose their payload, and only once it is in the log; the others are left whole."""
    for i in range(3):
        await notes.append(
            "said", [note(f"said {i}", f"said-{i}")], meeting_id="m", expected_version=i
        )
    await asyncio.gather(
        *(
            notes.append(f"other-{k}", [note(f"other {k}")], meeting_id="m", expected_version=0)
            for k in range(3)
        ),
        notes.append(
            "erasures", [note("erase said 1")], meeting_id="m", expected_version=0, erase=["said-1"]
        ),
        *(
            notes.append(f"later-{k}", [note(f"later {k}")], meeting_id="m", expected_version=0)
            for k in range(3)
        ),
    )
    erased = {r.event_id for r in await notes.read_stream("said") if r.data is None}
    assert erased == {"said-1"}
    others = [r async for r in notes.read_all() if r.stream_id != "said"]
    assert len(others) == 7
    assert all(r.data is not None for r in others)
    assert (await verify(notes.read_all()))["m"].intact
