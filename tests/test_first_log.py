"""A log written by the first version of Roundtable stays readable by the current code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from events.decider import fold
from events.devices import rules as devices
from events.log.chain import verify
from events.log.store import EventStore
from events.meeting import rules as meeting
from events.tables import rules as comments
from projections import catalog
from projections import table as table_view

FIRST_LOG = Path(__file__).parent / "data" / "first-log.db"
MEETING = "kamloops-2023-06-15"


@pytest.mark.asyncio
async def test_every_event_of_the_first_log_decodes_and_its_chain_verifies(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "first-log.db"
    shutil.copy(FIRST_LOG, copy)  # the original stays byte for byte as it was written
    async with EventStore(str(copy)) as store:
        records = [r async for r in store.read_all()]
        reports = await verify(store.read_all())
    assert len(records) == 55
    assert reports[MEETING].intact
    events = [r.decode() for r in records]  # every type known, every shape upcast if needed
    by_stream: dict[str, list[object]] = {}
    for record, event in zip(records, events, strict=True):
        by_stream.setdefault(record.stream_id, []).append(event)

    state = fold(meeting, by_stream[meeting.stream_id(MEETING)])  # type: ignore[arg-type]
    assert state.plan is not None
    assert [t.number for t in state.plan.tables] == [1, 2, 3, 4]
    assert state.clock.closed_at is not None
    assert "tablet-1" in fold(devices, by_stream[devices.stream_id(MEETING)]).revoked  # type: ignore[arg-type]

    view = catalog.fold(records).table(MEETING, 1)
    rendered = table_view.render(view, ["working-well", "coordination", "advocacy"])
    working, coordination, _ = rendered["questions"]
    assert [c["text"] for c in working["comments"]] == [
        "Kúkpi7 and Tk'emlúps te Secwépemc → partners — 'catch & release' 🙂"
    ]
    (beds,) = coordination["comments"]
    assert beds["text"] == "Treatment and recovery beds"
    assert [c["text"] for c in beds["children"]] == ["Dry (sober) housing"]
    assert fold(comments, by_stream[comments.stream_id(MEETING, 1)]).comments["c4"].retracted  # type: ignore[arg-type]
