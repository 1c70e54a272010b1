"""Two writers (two stores, as two server processes have) committing batches at once on one
PostgreSQL log: each decides on what it remembers and is refused whenever the other wrote
first (``events.log.pg_append``), so these races are the path a second worker takes all evening."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from events.errors import WrongExpectedVersion
from events.log import pg_append
from events.log.chain import verify
from events.log.envelope import NewEvent
from events.log.schema import SCHEMA_VERSION
from events.log.store import EventStore, asyncpg_dsn
from events.log.writer import AppendResult
from tests.conftest import reset_postgres
from tests.sample_events import note, test_codec

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def writers(postgres_url: str) -> AsyncIterator[tuple[EventStore, EventStore]]:
    await reset_postgres(postgres_url)
    async with (
        EventStore(postgres_url, codec=test_codec) as one,
        EventStore(postgres_url, codec=test_codec) as two,
    ):
        yield one, two


async def put(store: EventStore, name: str, i: int, events: list[NewEvent]) -> AppendResult:
    """Half the streams (and their meeting) are both writers', half one writer's own."""
    if i < 5:
        return await store.append(f"shared-{i}", events, meeting_id="shared", expected_version=None)
    return await store.append(f"{name}-{i}", events, meeting_id=name, expected_version=None)


async def flood(store: EventStore, name: str) -> list[tuple[list[str], AppendResult]]:
    """30 waves of ten appends (one to three events each) to ten streams, shared with the
    other writer or its own; each wave is queued at once: the writer commits it as one batch."""
    done: list[tuple[list[str], AppendResult]] = []
    for wave in range(30):
        appends = [
            [note(f"{name} {wave}.{i}.{k}", f"{name}-{wave}-{i}-{k}") for k in range(1 + i % 3)]
            for i in range(10)
        ]
        results = await asyncio.gather(
            *(put(store, name, i, events) for i, events in enumerate(appends))
        )
        done += [
            ([e.event_id for e in events], r) for events, r in zip(appends, results, strict=True)
        ]
    return done


async def test_batches_from_two_writers_make_one_gapless_log_each_append_whole(
    writers: tuple[EventStore, EventStore],
) -> None:
    one, two = writers
    floods = await asyncio.gather(flood(one, "one"), flood(two, "two"))
    log = [r async for r in one.read_all()]
    appended = sum(len(ids) for ids, _ in floods[0] + floods[1])
    assert [r.position for r in log] == list(range(1, 1 + appended))
    at = {r.position: r for r in log}
    for ids, result in floods[0] + floods[1]:
        first = result.positions[0]
        assert result.positions == tuple(range(first, first + len(ids)))
        assert [at[p].event_id for p in result.positions] == ids
        assert [at[p].version for p in result.positions] == list(
            range(result.version - len(ids) + 1, result.version + 1)
        )
    for stream in {r.stream_id for r in log}:
        versions = [r.version for r in log if r.stream_id == stream]
        assert versions == list(range(1, len(versions) + 1))
    writer_of = [r.event_id.split("-")[0] for r in log]
    assert sum(a != b for a, b in itertools.pairwise(writer_of)) > 1  # they took turns
    assert all(report.intact for report in (await verify(one.read_all())).values())


async def test_the_same_retry_through_both_writers_is_stored_once(
    writers: tuple[EventStore, EventStore],
) -> None:
    one, two = writers
    for i in range(30):
        ids = [f"retry-{i}-a", f"retry-{i}-b"]
        events = [note(f"retry {i} {k}", event_id=k) for k in ids]
        results = await asyncio.gather(
            *(s.append("retries", events, meeting_id="m", expected_version=None) for s in writers)
        )
        assert results[0].positions == results[1].positions
        assert sorted(r.duplicate for r in results) == [False, True]
    again = await one.append("again", [note("again", "again")], meeting_id="m", expected_version=0)
    await two.append("other", [note("other")], meeting_id="m", expected_version=0)  # catches up
    resent = await two.append("again", [note("again", "again")], meeting_id="m", expected_version=0)
    assert resent == AppendResult(again.positions, 1, duplicate=True)
    log = [r async for r in two.read_all()]
    assert [r.position for r in log] == list(range(1, 63))
    assert [r.event_id for r in log[:60]] == [f"retry-{i}-{k}" for i in range(30) for k in "ab"]
    assert await one.stream_version("retries") == 60


async def test_two_writers_racing_on_one_version_one_wins_each_round(
    writers: tuple[EventStore, EventStore],
) -> None:
    for version in range(30):
        outcomes = await asyncio.gather(
            *(
                s.append(
                    "race", [note(f"round {version}")], meeting_id="m", expected_version=version
                )
                for s in writers
            ),
            return_exceptions=True,
        )
        won = [o for o in outcomes if isinstance(o, AppendResult)]
        lost = [o for o in outcomes if isinstance(o, WrongExpectedVersion)]
        assert len(won) == 1, outcomes
        assert len(lost) == 1, outcomes
        assert won[0].version == version + 1
    assert await writers[1].stream_version("race") == 30


async def test_a_log_of_schema_version_1_is_given_the_append_function(postgres_url: str) -> None:
    """A log made before appends were one statement: opening it installs the function and
    records schema version 2, and appends go on from where the log was."""
    await reset_postgres(postgres_url)
    async with EventStore(postgres_url, codec=test_codec) as store:
        await store.append("s", [note("before")], meeting_id="m", expected_version=0)
    admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
    try:
        await admin.execute(f"DROP FUNCTION {pg_append.FUNCTION}")
        await admin.execute("UPDATE roundtable_meta SET value = '1' WHERE key = 'schema'")
        async with EventStore(postgres_url, codec=test_codec) as store:
            after = await store.append("s", [note("after")], meeting_id="m", expected_version=1)
        assert after.positions == (2,)
        schema = await admin.fetchval("SELECT value FROM roundtable_meta WHERE key = 'schema'")
        assert schema == str(SCHEMA_VERSION) == "2"
    finally:
        await admin.close()
