"""The theme wall and stars over the live protocol: a real server, real websocket clients."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import CommandRefused, LiveClient
from events.log.codec import canonical
from events.log.store import EventStore
from harness.servers import Server, evening, seed_evening, serve, token
from projections import theme_wall, topic
from projections.catalog import fold

pytestmark = pytest.mark.asyncio


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=tmp_path) as running:
        yield running, meeting_id


async def type_comments(url: str, meeting_id: str, table: int, *texts: str) -> None:
    async with LiveClient(url, token(meeting_id, "facilitator", table, f"t{table}")) as tablet:
        for i, text in enumerate(texts):
            data = {"comment_id": f"c{i}", "question": "advocacy", "text": text, "rotation": 2}
            await tablet.command("add_comment", data)


async def rebuilt(db: str, meeting_id: str) -> tuple[bytes, bytes]:
    """The wall and the topic views rebuilt from position 0, as canonical bytes."""
    async with EventStore(db) as store:
        records = [r async for r in store.read_all()]
    folded = fold(records)
    plan = folded.scene(meeting_id).meeting.state.plan
    assert plan is not None
    tables = {n: folded.table(meeting_id, n).state for n in (1, 2, 3, 4)}
    wall = folded.wall(meeting_id)
    return theme_wall.dumps(wall, plan, tables), canonical(
        topic.render_all(plan, tables, wall.state)
    )


def themes_of(wall: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for topic in wall["topics"] for q in topic["questions"] for t in q["themes"]}


async def test_a_facilitator_cannot_edit_themes_and_an_observer_cannot_star(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    await type_comments(running.ws, meeting_id, 1, "Detox beds")
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet:
        assert "wall" not in tablet.state["views"]  # it would go stale: no other table's events
        assert "topics" not in tablet.state["views"]
        with pytest.raises(CommandRefused) as refused:
            await tablet.command("create_theme", {"theme_id": "t1", "title": "Beds"})
        assert refused.value.code == "forbidden"
        with pytest.raises(CommandRefused) as refused:
            await tablet.command("star_comment", {"comment_id": "c0", "table": 2})
        assert refused.value.code == "forbidden"
        await tablet.command("star_comment", {"comment_id": "c0"})
    async with LiveClient(running.ws, token(meeting_id, "observer")) as observer:
        with pytest.raises(CommandRefused) as refused:
            await observer.command("star_comment", {"comment_id": "c0", "table": 1})
        assert refused.value.code == "forbidden"
        (comment,) = observer.state["views"]["tables"]["1"]["questions"][2]["comments"]
        assert comment["starred"] is True
    async with LiveClient(running.ws, token(meeting_id, "lead")) as lead:
        await lead.command("unstar_comment", {"comment_id": "c0", "table": 1})
        with pytest.raises(CommandRefused) as refused:
            await lead.command("star_comment", {"comment_id": "nope", "table": 1})
        assert refused.value.code == "unknown_comment"


async def test_the_lead_themes_and_the_tablets_get_the_message(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    await type_comments(running.ws, meeting_id, 1, "Detox beds", "Treatment beds", "Housing")
    await type_comments(running.ws, meeting_id, 2, "Sobering centre")
    async with (
        LiveClient(running.ws, token(meeting_id, "lead")) as lead,
        LiveClient(running.ws, token(meeting_id, "facilitator", 3, "t3")) as tablet,
    ):
        run = lead.command
        await run("create_theme", {"theme_id": "beds", "title": "Beds", "topic": "social-health"})
        await run("create_theme", {"theme_id": "detox", "title": "Detox", "topic": None})
        for cid in ("c0", "c1", "c2"):
            await run("add_to_theme", {"theme_id": "beds", "table": 1, "comment_id": cid})
        with pytest.raises(CommandRefused) as refused:
            await run("add_to_theme", {"theme_id": "beds", "table": 2, "comment_id": "c0"})
        assert refused.value.code == "wrong_topic"
        await run("add_to_theme", {"theme_id": "detox", "table": 2, "comment_id": "c0"})
        await run("merge_themes", {"theme_id": "beds", "into": "detox"})
        await run("undo_grouping", {})
        refs = [{"table": 1, "comment_id": "c2"}]
        await run(
            "split_theme",
            {"theme_id": "beds", "new_theme_id": "housing", "title": "Housing", "comments": refs},
        )
        await run("rename_theme", {"theme_id": "beds", "title": "Detox and treatment beds"})
        for tid in ("housing", "beds"):
            await run("set_key_theme", {"theme_id": tid, "key": True})
        order = {"topic": "social-health", "question": None, "theme_ids": ["beds", "housing"]}
        last = await run("order_key_themes", order)
        message = await run("send_message", {"text": "2 minutes left"})
        async with asyncio.timeout(10):
            await tablet.wait_for_position(message["position"])
        seen = [e["event_type"] for e in tablet.events]
        assert "KeyThemesOrdered" not in seen  # a tablet has no wall to keep up to date
        assert seen[-1] == "MessageSent"
        assert last["position"] < message["position"]
    async with LiveClient(running.ws, token(meeting_id, "lead")) as fresh:
        wall = fresh.state["views"]["wall"]
        topics = fresh.state["views"]["topics"]
    themes = themes_of(wall)
    assert sorted(themes) == ["beds", "detox", "housing"]
    assert [c["text"] for c in themes["beds"]["comments"]] == ["Detox beds", "Treatment beds"]
    assert themes["beds"]["title"] == "Detox and treatment beds"
    assert (themes["beds"]["key_rank"], themes["housing"]["key_rank"]) == (1, 2)
    assert themes["beds"]["tables"] == [{"table": 1, "comments": 2}]
    assert themes["detox"]["rotations"] == [{"rotation": 2, "comments": 1}]
    assert wall["undo"]["event_type"] == "ThemeSplit"
    advocacy = topics["social-health"]["questions"][2]
    assert [c["theme"] for c in advocacy["comments"]] == ["beds", "beds", "housing"]
    assert (canonical(wall), canonical(topics)) == await rebuilt(running.db, meeting_id)


async def test_two_lead_windows_editing_at_once_end_with_the_same_wall(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    await type_comments(running.ws, meeting_id, 1, *(f"point {i}" for i in range(8)))
    async with (
        LiveClient(running.ws, token(meeting_id, "lead", device="lead-a")) as a,
        LiveClient(running.ws, token(meeting_id, "lead", device="lead-b")) as b,
    ):
        for lead, tid in ((a, "ta"), (b, "tb")):
            await lead.command("create_theme", {"theme_id": tid, "title": tid.upper()})
        moves = [
            lead.command("add_to_theme", {"theme_id": tid, "table": 1, "comment_id": f"c{i}"})
            for i in range(8)
            for lead, tid in ((a, "ta"), (b, "tb"))
        ]
        acks = await asyncio.gather(*moves, a.command("undo_grouping", {}))
        last = max(p for ack in acks for p in ack["positions"])
        async with asyncio.timeout(10):
            await a.wait_for_position(last)
            await b.wait_for_position(last)
        stream = [
            [e["position"] for e in c.events if e["event_type"] != "CommentAdded"] for c in (a, b)
        ]
        assert stream[0] == stream[1]
    walls = []
    for device in ("lead-a", "lead-b"):
        async with LiveClient(running.ws, token(meeting_id, "lead", device=device)) as again:
            walls.append(canonical(again.state["views"]["wall"]))
    assert walls[0] == walls[1] == (await rebuilt(running.db, meeting_id))[0]
    placed = sum(len(t["comments"]) for t in themes_of(orjson.loads(walls[0])).values())
    assert placed in (7, 8)  # each comment in one theme; the undo took one out or moved one back


async def test_the_wall_after_a_restart_equals_the_wall_rebuilt_from_zero(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as first:
        await type_comments(first.ws, meeting_id, 1, "Detox beds", "Car 40")
        async with LiveClient(first.ws, token(meeting_id, "lead")) as lead:
            await lead.command("create_theme", {"theme_id": "t", "title": "Beds"})
            await lead.command("add_to_theme", {"theme_id": "t", "table": 1, "comment_id": "c0"})
            await lead.command("set_key_theme", {"theme_id": "t", "key": True})
    with serve(db, logs=tmp_path) as second:
        async with LiveClient(second.ws, token(meeting_id, "lead")) as lead:
            await lead.command("add_to_theme", {"theme_id": "t", "table": 1, "comment_id": "c1"})
            await lead.command("edit_comment", {"comment_id": "c0", "text": "Detox", "table": 1})
        async with LiveClient(second.ws, token(meeting_id, "observer")) as observer:
            views = observer.state["views"]
    wall, topics = await rebuilt(db, meeting_id)
    assert canonical(views["wall"]) == wall
    assert canonical(views["topics"]) == topics
    assert [c["text"] for c in themes_of(views["wall"])["t"]["comments"]] == ["Detox", "Car 40"]
