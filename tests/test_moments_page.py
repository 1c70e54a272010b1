"""The evening's moments in Chromium, on the real clock: the bell on a tablet and the projected
wall, a point typed just after it counted late in the rotation that ended, a message that ends
with its rotation, and a point typed in the break.

The bell is rung by the lead's own command (``end_rotation``) once every screen is open, not by
waiting for a seeded rotation to run out; it is announced for a minute
(``events.tables.placement.BELL``),
so the first test waits that long for the moment to leave, on the page's own state, never by
sleeping.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from playwright.async_api import Browser, Page

from client.live import LiveClient
from events.instants import MINUTE
from events.log.store import EventStore, now_micros
from harness.browser import join_tablet, type_comment
from harness.lead_page import open_lead
from harness.servers import Server, get, serve, start_evening, token
from harness.wall_page import open_wall
from tests.axe import assert_accessible

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}
WARNING = "2 minutes left — please wrap up"
MOVE = "Rotation 1 over — please move to your next table"


async def shown(page: Page, selector: str) -> str:
    await page.wait_for_selector(f"{selector}:not([hidden])", timeout=60_000)
    return str(await page.locator(selector).text_content())


async def replayed_message(server: Server, meeting_id: str, position: int) -> object:
    status, body = get(
        f"{server.base}/api/meetings/{meeting_id}/replay/views?position={position}",
        token(meeting_id, "staff"),
    )
    assert status == 200, body
    return body["views"]["announcements"]["message"]


async def lead_row(page: Page, text: str) -> str:
    row = page.locator(".lead-comment", has_text=text)
    await row.wait_for(timeout=15_000)
    return " ".join((await row.inner_text()).split())


async def test_the_bell_a_late_point_and_a_message_that_ends_with_its_rotation(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "moments.db")
    meeting_id = await start_evening(db, now_micros() - 5 * MINUTE)  # rotation 1 is on
    with serve(db, logs=tmp_path) as server:
        tablet_context, tablet = await join_tablet(browser, server, meeting_id, 1)
        wall_context, wall = await open_wall(browser, server, meeting_id, PROJECTOR)
        lead_context, lead = await open_lead(browser, server, meeting_id)
        try:
            async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-2")) as lead2:
                ack = await lead2.command("send_message", {"text": WARNING, "ends": "phase"})
                sent = ack["position"]
                assert await shown(tablet, "#announcement-text") == WARNING
                assert await shown(wall, "#message") == WARNING
                assert "until this rotation or phase ends" in await shown(lead, "#message-last")

                await lead2.command("end_rotation", {"rotation": 1})  # the bell, rung early
                assert await shown(tablet, "#moment") == MOVE
                assert await shown(wall, "#moment") == MOVE
                await assert_accessible(tablet, "the tablet at the bell")
                await assert_accessible(wall, "the wall at the bell")
                await tablet.wait_for_selector("#announcement", state="hidden", timeout=15_000)
                await wall.wait_for_selector("#message", state="hidden", timeout=15_000)
                await lead.wait_for_selector("#message-clear", state="hidden", timeout=15_000)

                await type_comment(tablet, "Typed as the groups moved")
                assert "T1 · R1" in (row := await lead_row(lead, "Typed as the groups moved"))
                assert "late" in row.split()

                await tablet.wait_for_selector("#moment", state="hidden", timeout=90_000)
                await wall.wait_for_selector("#moment", state="hidden", timeout=15_000)
                assert "Rotation 2 of 4" in str(await tablet.locator("#rotation").text_content())

                async with EventStore(db) as store:
                    records = [r async for r in store.read_all(meeting_id=meeting_id)]
                ended = next(r for r in records if r.type == "MessageEnded")
                assert orjson.loads(ended.data or b"{}")["reason"] == "phase"
                message = await replayed_message(server, meeting_id, sent)
                assert isinstance(message, dict)
                assert message["text"] == WARNING
                assert await replayed_message(server, meeting_id, ended.position) is None

            status, report = get(
                f"{server.base}/api/meetings/{meeting_id}/report", token(meeting_id, "staff")
            )
            assert status == 200
            late = [
                c
                for table in report["report"]["appendix"]
                for question in table["questions"]
                for c in question["comments"]
                if c["text"] == "Typed as the groups moved"
            ]
            assert [(c["rotation"], c["late"]) for c in late] == [(1, True)]
        finally:
            for context in (tablet_context, wall_context, lead_context):
                await context.close()


async def test_a_point_typed_in_the_break_is_marked_in_the_break(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "break.db")
    meeting_id = await start_evening(db, now_micros() - 62 * MINUTE)  # the break began 2 min ago
    with serve(db, logs=tmp_path) as server:
        tablet_context, tablet = await join_tablet(browser, server, meeting_id, 1)
        lead_context, lead = await open_lead(browser, server, meeting_id)
        try:
            assert await tablet.locator("#rotation").text_content() == "Stretch Break"
            await type_comment(tablet, "Typed during the break")
            row = await lead_row(lead, "Typed during the break")
            assert "T1 · in the break" in row
            assert "late" not in row.split()
        finally:
            for context in (tablet_context, lead_context):
                await context.close()
