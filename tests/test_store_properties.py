"""Random sequences of appends against the real store, checked against the in-memory model."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.errors import StoreError
from events.log.store import EventStore
from tests.conftest import reset_postgres
from tests.model import ModelLog
from tests.sample_events import note, test_codec

STREAMS = {"s1": "m1", "s2": "m1", "s3": "m2"}


@st.composite
def appends(draw: st.DrawFn) -> list[tuple[str, str, list[str], int | None]]:
    """Appends to a few streams, reusing earlier ids and guessing versions wrong at times."""
    fresh = itertools.count(1)
    used: list[list[str]] = []
    versions = dict.fromkeys(STREAMS, 0)
    ops = []
    for _ in range(draw(st.integers(1, 25))):
        stream = draw(st.sampled_from(sorted(STREAMS)))
        meeting = STREAMS[stream] if draw(st.integers(0, 19)) else "elsewhere"
        kind = draw(st.sampled_from(["new", "new", "new", "resend", "mixed"]))
        if kind == "resend" and used:
            ids = draw(st.sampled_from(used))
        elif kind == "mixed" and used:
            ids = [*draw(st.sampled_from(used))[:1], f"e{next(fresh)}"]
        else:
            ids = [f"e{next(fresh)}" for _ in range(draw(st.integers(1, 3)))]
        used.append(ids)
        guess = draw(st.sampled_from(["right", "right", "stale", "any"]))
        expected = {
            "right": versions[stream],
            "stale": max(versions[stream] - 1, 0) + 7,
            "any": None,
        }[guess]
        ops.append((stream, meeting, ids, expected))
        versions[stream] += len(ids)  # a guess, like a client's; the model decides
    return ops


async def play(url: str, ops: list[tuple[str, str, list[str], int | None]]) -> None:
    model = ModelLog()
    async with EventStore(url, codec=test_codec) as store:
        for stream, meeting, ids, expected in ops:
            want = model.append(stream, meeting, ids, expected)
            before = await store.last_position()
            try:
                got: tuple[int, ...] | str = (
                    await store.append(
                        stream,
                        [note(i, i) for i in ids],
                        meeting_id=meeting,
                        expected_version=expected,
                    )
                ).positions
            except StoreError as error:
                got = type(error).__name__
                assert await store.last_position() == before, "a refused append wrote"
            assert got == want, (stream, ids, expected)
        records = [r async for r in store.read_all()]
    assert [r.position for r in records] == list(range(1, len(model.events) + 1))
    assert [(r.event_id, r.stream_id, r.version) for r in records] == model.events
    assert len({r.event_id for r in records}) == len(records)
    for stream in STREAMS:
        versions = [r.version for r in records if r.stream_id == stream]
        assert versions == list(range(1, len(versions) + 1))


@pytest.mark.slow
@given(ops=appends())
def test_random_appends_match_the_model_on_sqlite(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, str, list[str], int | None]]
) -> None:
    path = tmp_path_factory.mktemp("prop") / "log.db"
    asyncio.run(play(str(path), ops))


@pytest.mark.slow
@given(ops=appends())
def test_random_appends_match_the_model_on_postgres(
    postgres_url: str, ops: list[tuple[str, str, list[str], int | None]]
) -> None:
    asyncio.run(reset_postgres(postgres_url))
    asyncio.run(play(postgres_url, ops))


def test_model_refuses_like_the_store_names_it() -> None:
    model = ModelLog()
    assert model.append("s1", "m1", ["a", "b"], 0) == (1, 2)
    assert model.append("s1", "m1", ["a", "b"], 5) == (1, 2)
    assert model.append("s1", "m1", ["c"], 0) == "WrongExpectedVersion"
    assert model.append("s2", "m1", ["a", "c"], 0) == "DuplicateEventId"
    assert model.append("s1", "m2", ["d"], None) == "InvalidAppend"
