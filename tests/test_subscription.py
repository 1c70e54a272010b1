"""Subscriptions: catch-up then live, exactly once, in order; slow ones are told and resume."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from events.errors import SubscriptionFellBehind
from events.log.envelope import Recorded
from events.log.store import EventStore
from events.log.writer import AppendResult
from tests.conftest import reset_postgres
from tests.model import ModelLog
from tests.sample_events import note, test_codec


@pytest_asyncio.fixture
async def notes(store_url: str) -> AsyncIterator[EventStore]:
    async with EventStore(store_url, codec=test_codec) as opened:
        yield opened


async def take(subscription: AsyncIterator[Recorded], count: int) -> list[int]:
    positions = []
    async for record in subscription:
        positions.append(record.position)
        if len(positions) == count:
            break
    return positions


@pytest.mark.asyncio
async def test_catch_up_then_live_with_no_gap_at_the_seam(notes: EventStore) -> None:
    for i in range(1200):  # more than two pages of catch-up
        await notes.append(f"s{i % 5}", [note(str(i))], meeting_id="m", expected_version=None)
    subscription = notes.subscribe(after=100)
    reader = asyncio.create_task(take(subscription, 1300))
    for i in range(200):  # appended while the subscriber is still catching up
        await notes.append("live", [note(str(i))], meeting_id="m", expected_version=None)
    assert await asyncio.wait_for(reader, 20) == list(range(101, 1401))


@pytest.mark.asyncio
async def test_many_subscribers_each_see_everything_once(notes: EventStore) -> None:
    subscriptions = [notes.subscribe(after=0) for _ in range(50)]
    readers = [asyncio.create_task(take(s, 60)) for s in subscriptions]
    await asyncio.gather(
        *(
            notes.append(f"s{i}", [note(str(i))], meeting_id="m", expected_version=0)
            for i in range(60)
        )
    )
    results = await asyncio.wait_for(asyncio.gather(*readers), 10)
    assert all(r == list(range(1, 61)) for r in results)


@pytest.mark.asyncio
async def test_a_slow_subscriber_is_told_and_resumes_without_slowing_appends(
    notes: EventStore,
) -> None:
    slow = notes.subscribe(after=0, buffer=10)
    fast = notes.subscribe(after=0)
    first = await notes.append("s", [note("0")], meeting_id="m", expected_version=None)
    assert [r.position async for r in _first(slow)] == list(first.positions)
    for i in range(50):  # the slow one reads nothing meanwhile
        await notes.append("s", [note(str(i))], meeting_id="m", expected_version=None)
    assert await asyncio.wait_for(take(fast, 51), 5) == list(range(1, 52))
    with pytest.raises(SubscriptionFellBehind) as told:
        async for _ in slow:
            pass
    assert told.value.position == 1
    resumed = notes.subscribe(after=told.value.position)
    assert await asyncio.wait_for(take(resumed, 50), 5) == list(range(2, 52))


async def _first(subscription: AsyncIterator[Recorded]) -> AsyncIterator[Recorded]:
    async for record in subscription:
        yield record
        return


@pytest.mark.asyncio
async def test_closing_the_store_ends_subscriptions(store_url: str) -> None:
    store = EventStore(store_url, codec=test_codec)
    await store.open()
    subscription = store.subscribe()
    reader = asyncio.create_task(take(subscription, 10))
    await store.append("s", [note("x")], meeting_id="m", expected_version=0)
    await store.close()
    assert await asyncio.wait_for(reader, 5) == [1]


Step = tuple[str, int]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.integers(1, 30)),
        st.tuples(st.just("subscribe"), st.integers(0, 100)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.slow
@given(steps=STEPS)
def test_interleaved_appends_and_subscriber_starts(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Step]
) -> None:
    path = tmp_path_factory.mktemp("sub") / "log.db"
    asyncio.run(_interleave(str(path), steps))


@pytest.mark.slow
@given(steps=STEPS)
def test_interleaved_appends_and_subscriber_starts_on_postgres(
    postgres_url: str, steps: list[Step]
) -> None:
    asyncio.run(reset_postgres(postgres_url))
    asyncio.run(_interleave(postgres_url, steps))


async def _interleave(url: str, steps: list[Step]) -> None:
    """Concurrent bursts (with resends and expected versions) and subscribers from arbitrary
    positions; the in-memory model, applied in submission order, is the oracle."""
    model = ModelLog()
    sent: list[tuple[str, list[str]]] = []
    async with EventStore(url, codec=test_codec) as store:
        readers: list[tuple[int, list[Recorded], asyncio.Task[None]]] = []
        pending: list[tuple[asyncio.Task[AppendResult], tuple[int, ...] | str]] = []
        last: list[int] = []  # set once every append is in
        for kind, n in steps:
            if kind == "append":
                for _ in range(n):
                    k = len(sent)
                    stream, ids = f"s{k % 4}", [f"e{k}"]
                    if k % 5 == 4:
                        stream, ids = sent[k - 3]  # a tablet resending after a lost ack
                    expected = model.streams.get(stream, 0) if k % 3 == 0 else None
                    sent.append((stream, ids))
                    want = model.append(stream, "m", ids, expected)
                    task = asyncio.create_task(
                        store.append(
                            stream,
                            [note(i, i) for i in ids],
                            meeting_id="m",
                            expected_version=expected,
                        )
                    )
                    pending.append((task, want))
            else:
                start = min(n, await store.last_position())
                seen: list[Recorded] = []
                subscription = store.subscribe(after=start)
                readers.append((start, seen, asyncio.create_task(_into(subscription, seen, last))))
            await asyncio.sleep(0)
        for task, want in pending:
            assert (await task).positions == want
        total = len(model.events)
        last.append(total)
        try:
            for start, seen, reader in readers:
                if len(seen) < total - start:
                    await asyncio.wait_for(reader, 10)
                assert [(r.event_id, r.stream_id, r.version) for r in seen] == model.events[start:]
                assert [r.position for r in seen] == list(range(start + 1, total + 1))
        finally:
            for *_, reader in readers:
                reader.cancel()
            await asyncio.gather(*(reader for *_, reader in readers), return_exceptions=True)


async def _into(
    subscription: AsyncIterator[Recorded], seen: list[Recorded], last: list[int]
) -> None:
    async for record in subscription:
        seen.append(record)
        if last and record.position >= last[0]:
            return


def test_page_size_is_smaller_than_the_catch_up_in_the_seam_test(tmp_path: Path) -> None:
    from events.log.subscription import PAGE

    assert PAGE * 2 < 1200
