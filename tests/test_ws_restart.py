"""Across a server restart: resume with no gap and no duplicate; views equal their rebuild."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson
import pytest

from client.live import LiveClient
from events.log.codec import canonical
from events.log.store import EventStore
from harness.servers import seed_evening, serve, token
from projections import table as table_view
from projections.catalog import fold
from server import meetings
from server.seed import KAMLOOPS

pytestmark = pytest.mark.asyncio

QUESTIONS = ["working-well", "coordination", "advocacy"]
KAMLOOPS_DATA = orjson.loads(KAMLOOPS.read_bytes())


async def type_some(url: str, meeting_id: str, table: int, start: int, count: int) -> int:
    async with LiveClient(url, token(meeting_id, "facilitator", table, f"t{table}")) as client:
        acks = await asyncio.gather(
            *(
                client.submit(
                    "add_comment",
                    {
                        "comment_id": f"t{table}-{i}",
                        "question": QUESTIONS[(i - (i % 4 == 1)) % 3],
                        "text": f"point {i} at table {table}",
                        "parent": f"t{table}-{i - 1}" if i % 4 == 1 else None,
                    },
                )
                for i in range(start, start + count)
            )
        )
        if table == 1:
            await client.command("edit_comment", {"comment_id": f"t1-{start}", "text": "edited"})
            await client.command("retract_comment", {"comment_id": f"t1-{start + 2}"})
            await client.command(
                "move_comment", {"comment_id": f"t1-{start + 4}", "question": "advocacy"}
            )
        return int(max(a["position"] for a in acks))


async def test_resume_across_a_restart_and_views_equal_their_rebuild(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as first:
        observer = LiveClient(first.ws, token(meeting_id, "observer"))
        await observer.start()
        for table in (1, 2):
            await type_some(first.ws, meeting_id, table, 0, 12)
        seen = observer.position
        await observer.close()
    assert seen is not None
    with serve(db, logs=tmp_path) as second:
        last = max([await type_some(second.ws, meeting_id, t, 12, 12) for t in (1, 2, 3)])
        async with LiveClient(second.ws, token(meeting_id, "observer"), resume=seen) as resumed:
            await asyncio.wait_for(resumed.wait_for_position(last), 10)
            assert resumed.state == {}  # resumed: no state, only what came after
        async with LiveClient(second.ws, token(meeting_id, "lead")) as fresh:
            live_tables = fresh.state["views"]["tables"]
    positions = [e["position"] for e in resumed.events]
    assert positions == sorted(set(positions))
    async with EventStore(db) as store:
        expected = [
            r.position async for r in store.read_all(after=seen) if r.meeting_id == meeting_id
        ]
        records = [r async for r in store.read_all()]
    assert positions == expected
    for number in (1, 2, 3, 4):
        rebuilt = fold(records).table(meeting_id, number)
        assert canonical(live_tables[str(number)]) == table_view.dumps(rebuilt, QUESTIONS)
    table1 = orjson.loads(table_view.dumps(fold(records).table(meeting_id, 1), QUESTIONS))
    texts = [c["text"] for q in table1["questions"] for c in q["comments"]]
    assert "edited" in texts
    assert "point 2 at table 1" not in texts


async def test_simulate_types_the_kamloops_evening_into_serve_demo(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    with serve(db, "--demo", logs=tmp_path) as running:
        async with EventStore(db) as store:
            (meeting_id,) = await meetings.meeting_ids(store)  # not the organisers' stream
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server",
            "simulate",
            "--url",
            running.ws,
            "--token",
            token(meeting_id, "lead"),
            "--rate",
            "0",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, err.decode()
        assert f"typed 204 of 204 comments into meeting {meeting_id}" in out.decode()
        async with LiveClient(running.ws, token(meeting_id, "lead")) as lead:
            tables = lead.state["views"]["tables"]
    data = KAMLOOPS_DATA
    for number in (1, 2, 3, 4):
        for question in tables[str(number)]["questions"]:
            want = [
                c
                for c in data["comments"]
                if c["table"] == number and c["question"] == question["question"]
            ]
            top = [c["text"] for c in question["comments"]]
            assert top == [c["text"] for c in want if c["parent"] is None]
            for parent in question["comments"]:
                (source,) = [c for c in want if c["parent"] is None and c["text"] == parent["text"]]
                assert [child["text"] for child in parent["children"]] == [
                    c["text"] for c in want if c["parent"] == source["id"]
                ]
    subs = sum(
        len(c["children"]) for v in tables.values() for q in v["questions"] for c in q["comments"]
    )
    total = sum(
        1 + len(c["children"])
        for v in tables.values()
        for q in v["questions"]
        for c in q["comments"]
    )
    assert (total, subs) == (204, 15)
