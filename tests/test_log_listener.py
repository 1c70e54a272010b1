"""Several processes on one PostgreSQL log: each one's subscribers get every process's commits
live, exactly once and in order, also after the listening connection is lost."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import pytest

from events.log.envelope import Recorded
from events.log.store import EventStore, asyncpg_dsn
from tests.conftest import reset_postgres
from tests.sample_events import note, test_codec

pytestmark = pytest.mark.asyncio


async def take(subscription: AsyncIterator[Recorded], count: int) -> list[Recorded]:
    seen: list[Recorded] = []
    async with asyncio.timeout(15):
        async for record in subscription:
            seen.append(record)
            if len(seen) == count:
                return seen
    return seen


@contextlib.asynccontextmanager
async def two_processes(url: str) -> AsyncIterator[tuple[EventStore, EventStore]]:
    """Two stores on one emptied log, as two server processes have."""
    await reset_postgres(url)
    async with (
        EventStore(url, codec=test_codec) as here,
        EventStore(url, codec=test_codec) as there,
    ):
        yield here, there


async def test_a_subscriber_gets_the_commits_of_another_process_live(postgres_url: str) -> None:
    async with two_processes(postgres_url) as (here, there):
        watching = here.subscribe(after=0)
        taken = asyncio.create_task(take(watching, 45))
        for i in range(20):  # both write, turn about, to streams of their own
            await there.append("there", [note(f"t{i}")], meeting_id="m", expected_version=i)
            await here.append("here", [note(f"h{i}")], meeting_id="m", expected_version=i)
        for i in range(20, 25):  # then only the other process: nothing of ours to follow
            await there.append("there", [note(f"t{i}")], meeting_id="m", expected_version=i)
        seen = await taken
        assert [r.position for r in seen] == list(range(1, 46))
        assert [r.stream_id for r in seen] == ["there", "here"] * 20 + ["there"] * 5


async def test_the_listener_comes_back_after_losing_its_connection(postgres_url: str) -> None:
    async with two_processes(postgres_url) as (here, there):
        await there.append("there", [note("before")], meeting_id="m", expected_version=0)
        watching = here.subscribe(after=0)
        assert [r.position for r in await take(watching, 1)] == [1]
        admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
        listening = (
            "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
        )
        try:
            for _ in range(1200):  # the other store's listener may still be starting (60 s)
                if await admin.fetchval(f"SELECT count(*) {listening}") == 2:
                    break
                await asyncio.sleep(0.05)
            killed = await admin.fetchval(f"SELECT count(pg_terminate_backend(pid)) {listening}")
        finally:
            await admin.close()
        assert killed == 2  # both stores' listeners
        for i in range(1, 4):
            await there.append("there", [note(f"after {i}")], meeting_id="m", expected_version=i)
        assert [r.position for r in await take(watching, 3)] == [2, 3, 4]


async def test_what_another_process_commits_arrives_as_the_log_holds_it(postgres_url: str) -> None:
    """Small appends come in the notification itself, a big one as its last position only
    (``events.log.notice``): either way the subscriber gets exactly the stored events."""
    async with two_processes(postgres_url) as (here, there):
        watching = here.subscribe(after=0)
        taken = asyncio.create_task(take(watching, 45))
        for i in range(5):
            await there.append("small", [note(f"small {i}")], meeting_id="m", expected_version=i)
        big = [note(f"{i}: " + "a long point made at length " * 10) for i in range(40)]
        await there.append("big", big, meeting_id="m", expected_version=0)
        seen = await taken
        assert seen == [r async for r in here.read_all()]
        assert [r.stream_id for r in seen] == ["small"] * 5 + ["big"] * 40
