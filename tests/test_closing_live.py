"""Close means closed, against a live server: what a closed meeting refuses, what it still takes
(a table's waiting points for a minute after the close, marked late), and what the tablet shows.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from playwright.async_api import Browser

from client.live import CommandRefused, LiveClient
from events.log.store import EventStore, now_micros
from events.meeting.closing import GRACE
from events.meeting.commands import CloseMeeting
from harness.access_client import call
from harness.browser import PORTRAIT, page_url
from harness.servers import SECRET, Server, evening, seed_evening, serve, token
from server import meetings
from server.access import join_code
from tests.axe import assert_accessible

TABLE_WRITES: list[tuple[str, dict[str, Any]]] = [
    ("add_comment", {"comment_id": "after", "question": "coordination", "text": "Too late"}),
    ("edit_comment", {"comment_id": "c-1", "text": "Changed after the close"}),
    ("retract_comment", {"comment_id": "c-1"}),
    ("restore_comment", {"comment_id": "c-gone"}),
    ("move_comment", {"comment_id": "c-1", "question": "advocacy"}),
    ("reorder_comment", {"comment_id": "c-2", "after": None}),
    ("nest_comment", {"comment_id": "c-2", "parent": "c-1"}),
    ("unnest_comment", {"comment_id": "c-sub"}),
    ("star_comment", {"comment_id": "c-1"}),
    ("unstar_comment", {"comment_id": "c-starred"}),
]
LEAD_WRITES: list[tuple[str, dict[str, Any]]] = [
    ("add_comment", {"table": 2, "comment_id": "lead-late", "question": "advocacy", "text": "x"}),
    ("create_theme", {"theme_id": "th-late", "title": "After the close"}),
    ("rename_theme", {"theme_id": "th-1", "title": "Renamed after the close"}),
    ("add_to_theme", {"theme_id": "th-1", "table": 1, "comment_id": "c-2"}),
    ("set_key_theme", {"theme_id": "th-1", "key": True}),
    ("undo_grouping", {}),
    ("set_suggestions", {"enabled": False}),
    ("send_message", {"text": "One more thing"}),
    ("hold_wall", {"held": True}),
    ("freeze_report_back", {}),
    ("open_meeting", {}),
    ("choose_auto_start", {"enabled": True}),
    ("pause_clock", {}),
    ("jump_to_report_back", {}),
]


async def _before_the_close(server: Server, meeting_id: str) -> None:
    """The evening as it stood: comments of every kind at table 1, a theme on the wall."""
    tablet_token = token(meeting_id, "facilitator", 1)
    async with (
        LiveClient(server.ws, tablet_token) as tablet,
        LiveClient(server.ws, token(meeting_id, "lead")) as lead,
    ):
        for cid, text in (("c-1", "Detox beds"), ("c-2", "Outreach"), ("c-gone", "Oops")):
            await tablet.command(
                "add_comment", {"comment_id": cid, "question": "coordination", "text": text}
            )
        sub = {"comment_id": "c-sub", "question": "coordination", "text": "Dry", "parent": "c-1"}
        await tablet.command("add_comment", sub)
        starred = {"comment_id": "c-starred", "question": "advocacy", "text": "Shelter"}
        await tablet.command("add_comment", starred)
        await tablet.command("star_comment", {"comment_id": "c-starred"})
        await tablet.command("retract_comment", {"comment_id": "c-gone"})
        await lead.command("create_theme", {"theme_id": "th-1", "title": "Detox"})


async def _close(db: str, meeting_id: str, at: int) -> None:
    async with EventStore(db) as store:
        await meetings.run(store, meeting_id, CloseMeeting(at=at), command_id="closed-earlier")


async def _last_position(db: str) -> int:
    async with EventStore(db) as store:
        return await store.last_position()


@pytest.fixture(scope="module")
def closed_long_ago(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A meeting the lead closed two grace windows ago (written to the log while the server
    was stopped, as a restart after the evening would find it)."""
    logs = tmp_path_factory.mktemp("closed")
    db = str(logs / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=logs) as running:
        asyncio.run(_before_the_close(running, meeting_id))
    asyncio.run(_close(db, meeting_id, now_micros() - 2 * GRACE))
    with serve(db, logs=logs) as running:
        yield running, meeting_id


@pytest.mark.asyncio
async def test_after_the_close_every_write_is_refused_and_nothing_reaches_the_log(
    closed_long_ago: tuple[Server, str],
) -> None:
    running, meeting_id = closed_long_ago
    before = await _last_position(running.db)
    async with (
        LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet,
        LiveClient(running.ws, token(meeting_id, "lead")) as lead,
    ):
        refused = []
        for client, writes in ((tablet, TABLE_WRITES), (lead, LEAD_WRITES)):
            for name, data in writes:
                with pytest.raises(CommandRefused) as refusal:
                    await client.command(name, data)
                refused.append((name, refusal.value.code))
                assert "closed" in str(refusal.value)
        assert refused == [(name, "meeting_closed") for name, _ in TABLE_WRITES + LEAD_WRITES]
        again = await lead.command("close_meeting", {})  # closing twice changes nothing
        assert again["positions"] == []
    assert await _last_position(running.db) == before

    code = join_code(SECRET.encode(), meeting_id, 3)
    status, refusal = await asyncio.to_thread(
        call, f"{running.base}/api/join", body={"meeting": meeting_id, "code": code}
    )
    assert (status, refusal["code"]) == (409, "meeting_closed")
    staff = token(meeting_id, "staff")
    status, report = await asyncio.to_thread(
        call, f"{running.base}/api/meetings/{meeting_id}/report", staff
    )
    assert status == 200  # staff's report work goes on
    assert "Too late" not in orjson.dumps(report).decode()


@pytest.mark.asyncio
async def test_a_point_waiting_on_a_tablet_is_taken_late_in_the_minute_after_the_close(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as running:
        async with (
            LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet,
            LiveClient(running.ws, token(meeting_id, "lead")) as lead,
        ):
            first = {"comment_id": "before", "question": "coordination", "text": "Typed before"}
            await tablet.command("add_comment", {**first, "rotation": 2})
            closed = await lead.command("close_meeting", {})
            assert len(closed["positions"]) >= 1
            await tablet.wait_for_position(closed["position"])
            waiting = {"comment_id": "waiting", "question": "coordination", "text": "Just typed"}
            ack = await tablet.command("add_comment", waiting)  # late by the close alone
            await tablet.wait_for_position(ack["position"])
            added = [e for e in tablet.events if e["event_type"] == "CommentAdded"]
            assert [(e["data"]["comment_id"], e["data"]["late"]) for e in added] == [
                ("before", False),
                ("waiting", True),
            ]
            with pytest.raises(CommandRefused) as refusal:  # the lead saw the close
                await lead.command("create_theme", {"theme_id": "th-x", "title": "Too late"})
            assert refusal.value.code == "meeting_closed"


@pytest.mark.asyncio(loop_scope="session")
async def test_the_tablet_says_the_meeting_is_closed_and_offers_what_it_could_not_send(
    browser: Browser, closed_long_ago: tuple[Server, str]
) -> None:
    """A tablet that was offline since before the close is opened again: its waiting point
    is refused, and it says so and keeps the text for copying."""
    running, meeting_id = closed_long_ago
    session = {
        "token": token(meeting_id, "facilitator", 4, "tablet-of-table-4"),
        "meeting_id": meeting_id,
        "device_id": "tablet-of-table-4",
        "role": "facilitator",
        "table": 4,
        "expires": 2_000_000_000,
    }
    waiting = {
        "type": "command",
        "id": str(uuid.uuid4()),
        "name": "add_comment",
        "data": {"comment_id": "kept", "question": "advocacy", "text": "Bring <b>back</b> beds"},
        "queued_at": 0,
    }
    stored = {"session": session, "outbox": [waiting]}
    as_text = {key: orjson.dumps(value).decode() for key, value in stored.items()}
    left_by_the_last_visit = f"""
        if (!localStorage.getItem("roundtable:session:{meeting_id}")) {{
          const stored = {orjson.dumps(as_text).decode()};
          localStorage.setItem("roundtable:session:{meeting_id}", stored.session);
          localStorage.setItem("roundtable:outbox:{meeting_id}", stored.outbox);
        }}
    """
    context = await browser.new_context(viewport=PORTRAIT, has_touch=True)  # type: ignore[arg-type]
    await context.add_init_script(left_by_the_last_visit)
    page = await context.new_page()
    await page.goto(page_url(running, f"/table?meeting={meeting_id}"))
    await page.wait_for_selector('#page[data-state="closed"] #copy:not([hidden])', timeout=20_000)
    assert await page.locator("#signed-out-text").text_content() == (
        "The meeting is closed — thank you"
    )
    assert await page.locator("#waiting-text").input_value() == "- Bring <b>back</b> beds"
    assert await page.locator("#draft").is_disabled()
    assert await page.evaluate("() => window.roundtable.outbox.size") == 0
    await page.screenshot(path=str(Path(running.db).parent / "tablet-closed.png"))
    await assert_accessible(page, "tablet: the meeting is closed, a point offered for copying")
    await context.close()
