"""Group commit: many concurrent callers, each with exactly its own outcome, durably."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio
from sqlalchemy import text

from events.errors import CommitFailed, StoreError, WriterClosed, WrongExpectedVersion
from events.log.chain import verify
from events.log.envelope import Metadata, NewEvent, Recorded
from events.log.store import EventStore, asyncpg_dsn
from events.log.writer import AppendResult
from tests.conftest import reset_postgres
from tests.model import ModelLog
from tests.sample_events import Noted, note, test_codec

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def notes(store_url: str) -> AsyncIterator[EventStore]:
    async with EventStore(store_url, codec=test_codec) as opened:
        yield opened


def burst(size: int) -> list[tuple[str, str, list[str], int | None]]:
    """Callers with overlapping ids (resends) and some stale expected versions."""
    calls: list[tuple[str, str, list[str], int | None]] = []
    for i in range(size):
        stream = f"table-{i % 20}"
        if i % 10 == 3 and i >= 20:
            ids = calls[i - 20][2]  # the same comment again, from a reconnecting tablet
            stream = calls[i - 20][0]
        else:
            ids = [f"c{i}-a", f"c{i}-b"] if i % 7 == 0 else [f"c{i}"]
        expected = 99 if i % 13 == 5 else None
        calls.append((stream, "m", ids, expected))
    return calls


async def collect(subscription: AsyncIterator[Recorded], until: int) -> list[Recorded]:
    seen = []
    async for record in subscription:
        seen.append(record)
        if record.position >= until:
            break
    return seen


async def test_two_hundred_concurrent_callers_each_get_their_own_outcome(
    notes: EventStore,
) -> None:
    await notes.append("warm", [note("before")], meeting_id="m", expected_version=0)
    calls = burst(200)
    model = ModelLog()
    model.append("warm", "m", [notes_id := (await notes.read_stream("warm"))[0].event_id], 0)
    expected = [model.append(s, m, ids, v) for s, m, ids, v in calls]
    total = len(model.events)

    before = notes.subscribe(after=0)
    tasks = [
        asyncio.create_task(
            notes.append(s, [note(i, i) for i in ids], meeting_id=m, expected_version=v)
        )
        for s, m, ids, v in calls[:100]
    ]
    await asyncio.sleep(0)
    during_from = await notes.last_position()
    during = notes.subscribe(after=during_from)
    tasks += [
        asyncio.create_task(
            notes.append(s, [note(i, i) for i in ids], meeting_id=m, expected_version=v)
        )
        for s, m, ids, v in calls[100:]
    ]
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    after = notes.subscribe(after=0)

    got = [o.positions if not isinstance(o, BaseException) else type(o).__name__ for o in outcomes]
    assert got == expected
    assert "WrongExpectedVersion" in got
    assert len([o for o in outcomes if not isinstance(o, BaseException) and o.duplicate]) >= 9

    records = [r async for r in notes.read_all()]
    assert len(records) == total
    assert len({r.event_id for r in records}) == total
    assert notes_id in {r.event_id for r in records}
    for name, subscription, start in [
        ("before", before, 0),
        ("during", during, during_from),
        ("after", after, 0),
    ]:
        seen = await asyncio.wait_for(collect(subscription, total), 10)
        assert [r.position for r in seen] == list(range(start + 1, total + 1)), name
        assert seen == records[start:], name
    assert all(r.intact for r in (await verify(notes.read_all())).values())


async def refuse_stream_boom(notes: EventStore) -> None:
    """A trigger that fails any insert into the stream ``boom``, as a full disk would."""
    async with notes.write_engine.begin() as conn:
        if notes.is_sqlite:
            await conn.execute(
                text(
                    "CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.stream_id = 'boom' "
                    "BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END"
                )
            )
        else:
            await conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql "
                    "AS $$ BEGIN IF NEW.stream_id = 'boom' THEN "
                    "RAISE EXCEPTION 'disk full (simulated)'; END IF; RETURN NEW; END $$"
                )
            )
            await conn.execute(
                text(
                    "CREATE TRIGGER boom BEFORE INSERT ON events "
                    "FOR EACH ROW EXECUTE FUNCTION boom()"
                )
            )


async def test_a_failed_commit_fails_its_batch_only_and_the_writer_goes_on(
    notes: EventStore,
) -> None:
    await notes.append("a", [note("kept")], meeting_id="m", expected_version=0)
    await refuse_stream_boom(notes)
    batch = [
        notes.append(f"s{i}", [note(str(i))], meeting_id="m", expected_version=0) for i in range(10)
    ]
    batch.insert(5, notes.append("boom", [note("x")], meeting_id="m", expected_version=0))
    outcomes = await asyncio.gather(*batch, return_exceptions=True)
    assert all(isinstance(o, CommitFailed) for o in outcomes)
    assert "disk full (simulated)" in str(outcomes[5])
    assert await notes.last_position() == 1

    later = await notes.append("s1", [note("later")], meeting_id="m", expected_version=0)
    assert later.positions == (2,)
    assert all(r.intact for r in (await verify(notes.read_all())).values())


async def test_a_batch_handed_over_behind_a_failing_one_is_decided_afresh(
    notes: EventStore,
) -> None:
    """The next batch goes to the database while one commits; when that one fails, the next
    must not build on what it would have written: no gap in positions, the chain intact."""
    await notes.append("a", [note("kept")], meeting_id="m", expected_version=0)
    await refuse_stream_boom(notes)
    failing = [
        asyncio.ensure_future(
            notes.append(f"f{i}", [note(f"f{i}")], meeting_id="m", expected_version=0)
        )
        for i in range(5)
    ]
    failing.append(
        asyncio.ensure_future(notes.append("boom", [note("x")], meeting_id="m", expected_version=0))
    )
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the first batch is with the database now
    behind = [
        notes.append(f"b{i}", [note(f"b{i}")], meeting_id="m", expected_version=0) for i in range(5)
    ]
    outcomes = await asyncio.gather(*failing, *behind, return_exceptions=True)
    assert all(isinstance(o, CommitFailed) for o in outcomes[:6])
    kept = [o.positions for o in outcomes[6:]]  # type: ignore[union-attr]
    assert kept == [(2,), (3,), (4,), (5,), (6,)]
    assert [r.position async for r in notes.read_all()] == [1, 2, 3, 4, 5, 6]
    assert all(r.intact for r in (await verify(notes.read_all())).values())


async def test_a_refused_caller_does_not_fail_its_batch(notes: EventStore) -> None:
    await notes.append("a", [note("one")], meeting_id="m", expected_version=0)
    outcomes = await asyncio.gather(
        notes.append("a", [note("stale")], meeting_id="m", expected_version=0),
        notes.append("b", [note("fine")], meeting_id="m", expected_version=0),
        notes.append("a", [note("right")], meeting_id="m", expected_version=1),
        return_exceptions=True,
    )
    assert type(outcomes[0]).__name__ == "WrongExpectedVersion"
    assert [o.positions for o in outcomes[1:]] == [(2,), (3,)]  # type: ignore[union-attr]


async def test_a_resend_with_any_version_beside_new_appends_is_acknowledged_in_its_batch(
    notes: EventStore,
) -> None:
    """A resend that passes every check but its ids' (any version, its stream unmoved) is told
    its first positions, and the appends decided beside it in one batch go in as asked."""
    first = await notes.append("a", [note("one", "id-1")], meeting_id="m", expected_version=None)
    outcomes = await asyncio.gather(
        notes.append("b", [note("two", "id-2")], meeting_id="m", expected_version=None),
        notes.append("a", [note("one", "id-1")], meeting_id="m", expected_version=None),
        notes.append("c", [note("three", "id-3")], meeting_id="m", expected_version=0),
    )
    assert outcomes[1] == AppendResult(first.positions, 1, duplicate=True)
    assert [outcomes[0].positions, outcomes[2].positions] == [(2,), (3,)]
    assert [r.event_id async for r in notes.read_all()] == ["id-1", "id-2", "id-3"]
    assert all(r.intact for r in (await verify(notes.read_all())).values())


async def test_closing_finishes_every_waiting_caller(store_url: str) -> None:
    store = EventStore(store_url, codec=test_codec)
    await store.open()
    tasks = [
        asyncio.create_task(
            store.append(f"s{i}", [note(str(i))], meeting_id="m", expected_version=0)
        )
        for i in range(300)
    ]
    await asyncio.sleep(0)
    await store.close()
    outcomes = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
    committed = [o for o in outcomes if not isinstance(o, BaseException)]
    assert all(
        isinstance(o, (WriterClosed, StoreError)) for o in outcomes if isinstance(o, BaseException)
    )
    with pytest.raises(RuntimeError, match="not open"):
        await store.append("late", [note("x")], meeting_id="m", expected_version=0)
    async with EventStore(store_url, codec=test_codec) as reopened:
        assert await reopened.last_position() == sum(len(o.positions) for o in committed)


async def test_a_lost_connection_fails_its_batch_and_the_writer_reconnects(
    postgres_url: str,
) -> None:
    await reset_postgres(postgres_url)
    async with EventStore(postgres_url, codec=test_codec) as notes:
        await notes.append("a", [note("kept")], meeting_id="m", expected_version=0)
        admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        assert killed >= 1
        with pytest.raises(CommitFailed):
            await notes.append("a", [note("lost")], meeting_id="m", expected_version=1)
        later = await notes.append("a", [note("later")], meeting_id="m", expected_version=1)
        assert later.positions == (2,)
        assert [r.position async for r in notes.read_all()] == [1, 2]


async def test_two_writers_on_one_log_keep_versions_and_chains_right(store_url: str) -> None:
    """Each writer remembers what the log held after its own last commit; when the other one
    wrote meanwhile it must notice and read again."""
    async with (
        EventStore(store_url, codec=test_codec) as one,
        EventStore(store_url, codec=test_codec) as two,
    ):
        for i in range(6):
            writer = one if i % 2 == 0 else two
            result = await writer.append(
                "shared", [note(str(i))], meeting_id="m", expected_version=i
            )
            assert result.version == i + 1
        with pytest.raises(WrongExpectedVersion):
            await one.append("shared", [note("stale")], meeting_id="m", expected_version=5)
        assert [r.version async for r in one.read_all()] == [1, 2, 3, 4, 5, 6]
        assert all(r.intact for r in (await verify(two.read_all())).values())


async def test_events_sharing_one_metadata_are_stored_and_published_each_with_it(
    notes: EventStore,
) -> None:
    """The writer encodes a metadata object once for the events of one append that share it;
    each event must still be stored, chained and published with its own metadata."""
    shared = Metadata(actor="lead", device_id="tablet-7", correlation_id="c-7")
    events = [
        NewEvent(Noted(text="first", lang="en"), "s-1", shared),
        NewEvent(Noted(text="second", lang="en"), "s-2", shared),
        note("third", "s-3", actor="other"),
        NewEvent(Noted(text="fourth", lang="en"), "s-4", shared),
    ]
    published = notes.subscribe(after=0)
    await notes.append("table-7", events, meeting_id="m", expected_version=0)

    stored = await notes.read_stream("table-7")
    assert [r.metadata for r in stored] == [e.metadata for e in events]
    assert await asyncio.wait_for(collect(published, 4), 10) == stored
    assert all(r.intact for r in (await verify(notes.read_all())).values())
