"""Two writers (two stores, as two server processes have) committing batches at once on one
PostgreSQL log: each decides on what it remembers of its streams, and the append statement
places each append in the log, refusing only those whose own stream or ids moved on
(``events.log.pg_append``); these races are the path a second worker takes all evening."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from events.errors import WrongExpectedVersion
from events.log import chain, pg_append
from events.log.chain import verify
from events.log.envelope import Metadata, NewEvent
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


async def put(
    store: EventStore, name: str, i: int, events: list[NewEvent], wave: int
) -> AppendResult:
    """Half the streams (and their meeting) are both writers', appended to at any version;
    half one writer's own, at the version it knows they are at (so never refused: appends to
    other streams do not refuse each other)."""
    if i < 5:
        return await store.append(f"shared-{i}", events, meeting_id="shared", expected_version=None)
    own = f"{name}-{i}"
    expected = sum(1 + i % 3 for _ in range(wave))
    return await store.append(own, events, meeting_id=name, expected_version=expected)


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
            *(put(store, name, i, events, wave) for i, events in enumerate(appends))
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


async def test_roundtable_verify_passes_on_a_log_two_writers_chained_in_postgresql(
    writers: tuple[EventStore, EventStore], postgres_url: str
) -> None:
    await asyncio.gather(flood(writers[0], "one"), flood(writers[1], "two"))
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "server", "verify", "--db", postgres_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for meeting in ("shared", "one", "two"):
        assert f"{meeting}: intact:" in result.stdout


async def test_the_statement_refuses_only_appends_whose_own_stream_moved_on(
    writers: tuple[EventStore, EventStore], postgres_url: str
) -> None:
    """Called as a writer calls it, on what that writer knew before the other wrote: an
    append to another stream is placed after the other's; one to the moved stream is
    refused with what the stream holds, and so is what follows it in the call, in order."""
    one, _ = writers
    await one.append("a", [note("a1", "a1")], meeting_id="m", expected_version=0)
    await one.append("b", [note("b1", "b1")], meeting_id="n", expected_version=0)
    conn = await asyncpg.connect(asyncpg_dsn(postgres_url))
    try:
        placed = await _call(conn, [("c", "c1", 1, "m"), ("d", "d1", 1, "n")])
        assert [(r["item"], r["at"]) for r in placed] == [(1, 3), (2, 4)]
        assert placed[0]["chain_hash"] != placed[1]["chain_hash"]
        refused = await _call(conn, [("e", "e1", 1, "m"), ("a", "a2", 1, "m"), ("f", "f1", 1, "m")])
        assert [(r["item"], r["at"]) for r in refused[:1]] == [(1, 5)]
        assert [(r["stream"], r["stream_version"], r["meeting"]) for r in refused[1:]] == [
            ("a", 1, "m"),
            ("f", 0, None),
        ]
        resent = await _call(conn, [("g", "b1", 1, "n")])
        assert [(r["id"], r["stream"], r["at"]) for r in resent if r["id"]] == [("b1", "b", 2)]
    finally:
        await conn.close()
    log = [r async for r in one.read_all()]
    assert [(r.position, r.event_id) for r in log] == [
        (1, "a1"),
        (2, "b1"),
        (3, "c1"),
        (4, "d1"),
        (5, "e1"),
    ]
    assert all(report.intact for report in (await verify(one.read_all())).values())


async def _call(conn: asyncpg.Connection, appends: list[tuple[str, str, int, str]]) -> list[Any]:
    """``pg_append.FUNCTION`` with one comment-sized event per append."""
    data = b'{"text":"x","lang":"en"}'
    columns = [
        list(range(len(appends))),
        [event_id for _, event_id, _, _ in appends],
        [stream for stream, _, _, _ in appends],
        [version for _, _, version, _ in appends],
        [meeting for _, _, _, meeting in appends],
        ["Noted"] * len(appends),
        [1] * len(appends),
        [data] * len(appends),
        [chain.digest(data)] * len(appends),
        [Metadata().encode()] * len(appends),
        [1] * len(appends),
    ]
    marks = ", ".join(f"${i}" for i in range(1, 17))
    return list(
        await conn.fetch(
            f"SELECT * FROM {pg_append.FUNCTION}({marks})", *columns, [], [], [], [], []
        )
    )


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


@pytest.mark.parametrize("stored", ["1", "2", "3"])
async def test_an_older_log_is_given_the_append_function(postgres_url: str, stored: str) -> None:
    """A log made before appends were one statement (1), before the statement placed them
    (2) or before it was made cheaper (3): opening it installs the function and records
    schema version 4, appends go on from where the log was, and an older version's function
    is left for a process of that version."""
    await reset_postgres(postgres_url)
    async with EventStore(postgres_url, codec=test_codec) as store:
        await store.append("s", [note("before")], meeting_id="m", expected_version=0)
    admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
    try:
        await admin.execute(f"DROP FUNCTION {pg_append.FUNCTION}")
        await admin.execute(f"DROP FUNCTION {pg_append.LINK}")
        await admin.execute(  # a stand-in for version 2's function, kept as it is found
            "CREATE FUNCTION roundtable_append_v2() RETURNS int AS 'SELECT 2' LANGUAGE sql"
        )
        await admin.execute("UPDATE roundtable_meta SET value = $1 WHERE key = 'schema'", stored)
        async with EventStore(postgres_url, codec=test_codec) as store:
            after = await store.append("s", [note("after")], meeting_id="m", expected_version=1)
            assert all(report.intact for report in (await verify(store.read_all())).values())
        assert after.positions == (2,)
        schema = await admin.fetchval("SELECT value FROM roundtable_meta WHERE key = 'schema'")
        assert schema == str(SCHEMA_VERSION) == "4"
        assert await admin.fetchval("SELECT roundtable_append_v2()") == 2
    finally:
        await admin.execute("DROP FUNCTION IF EXISTS roundtable_append_v2()")
        await admin.close()
