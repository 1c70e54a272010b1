"""The lead decides which raw comments the projected wall quotes, in real Chromium against a
real server: two walls open, a tablet's comments, the lead's page (or the lead's protocol
client) choosing the rule, approving and taking off. Absence is checked once the wall has
drawn the position of the event in question (its ``data-position``), never after a sleep."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocketRoute

from client.live import LiveClient
from harness import patience
from harness.lead_page import open_lead
from harness.servers import Server, get, token
from harness.wall_page import open_wall, quotes, wait_no_quote, wait_quote, wait_wall
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

SIZES = [{"width": 1920, "height": 1080}, {"width": 1024, "height": 768}]
NAMES_SOMEONE = "Ask George at 42 Elm St about the break-ins"
HARMLESS = "More lighting along the riverfront path"
EDITED = "Ask about the break-ins on Elm St"


async def typed(server: Server, meeting_id: str, table: int, text: str) -> tuple[str, int]:
    """A comment typed at ``table`` (the tablet's protocol client): its id and position."""
    tablet = token(meeting_id, "facilitator", table, f"tablet-{table}")
    async with LiveClient(server.ws, tablet) as client:
        comment_id = f"c{table}-{uuid.uuid4().hex[:12]}"
        data = {"comment_id": comment_id, "question": "coordination", "text": text}
        ack = await client.command("add_comment", data)
    return comment_id, int(ack["position"])


async def walls(
    browser: Browser, server: Server, meeting_id: str
) -> list[tuple[BrowserContext, Page]]:
    return [await open_wall(browser, server, meeting_id, size) for size in SIZES]


async def test_approved_comments_show_and_taken_off_ones_leave_every_wall_but_nothing_else(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    lead_context, lead = await open_lead(browser, server, meeting_id)
    screens = await walls(browser, server, meeting_id)
    try:
        # The lead switches raw comments on, one approval at a time.
        await lead.locator("#wall-quotes-rule").click()
        await lead.get_by_label("each one I approve").check()
        await lead.locator("#wall-quotes-rule", has_text="each one you approve").wait_for()

        comment_id, position = await typed(server, meeting_id, 3, NAMES_SOMEONE)
        row = lead.locator(f'.wall-item[data-id="{comment_id}"]')
        await row.locator(".wall-item-state", has_text="waiting for you").wait_for()
        for _, wall in screens:
            await wait_wall(wall, position)  # the wall has the comment: it does not quote it
            assert await quotes(wall) == []
        await assert_accessible(screens[0][1], "the wall, a comment waiting for the lead")

        await row.get_by_role("button", name="Approve").click()
        for _, wall in screens:
            await wait_quote(wall, NAMES_SOMEONE)
        await assert_accessible(screens[0][1], "the wall quoting an approved comment")
        await row.locator(".wall-item-state", has_text="on the wall").wait_for()

        # Edited at its table, it leaves the walls until the lead approves the new words.
        tablet = token(meeting_id, "facilitator", 3, "tablet-3")
        async with LiveClient(server.ws, tablet) as client:
            edit = {"comment_id": comment_id, "text": EDITED}
            await client.command("edit_comment", edit)
        for _, wall in screens:
            await wait_no_quote(wall, NAMES_SOMEONE)
            assert await quotes(wall) == []
        await row.locator(".wall-item-state", has_text="waiting for you").wait_for()
        await row.get_by_role("button", name="Approve").click()
        for _, wall in screens:
            await wait_quote(wall, EDITED)

        await row.get_by_role("button", name="Take off").click()
        for _, wall in screens:
            await wait_no_quote(wall, EDITED)
            assert await wall.locator("#quotes").is_hidden()
        await row.locator(".wall-item-state", has_text="taken off").wait_for()

        # Still in the lead's page, the report and the log.
        comment = lead.locator("#comments", has_text=EDITED)
        assert await comment.count() == 1
        status, report = get(
            f"{server.base}/api/meetings/{meeting_id}/report", token(meeting_id, "lead")
        )
        assert status == 200
        assert EDITED in str(report)
        reader = token(meeting_id, "lead", device="reader")
        async with LiveClient(server.ws, reader) as client:
            table = client.state["views"]["tables"]["3"]
            texts = [c["text"] for q in table["questions"] for c in q["comments"]]
            assert EDITED in texts
            assert client.state["views"]["moderation"]["choices"][0][:3] == [3, comment_id, False]

        # A wall opened afterwards does not quote it either (the choice is in the log).
        await screens[1][0].close()
        screens[1] = await open_wall(browser, server, meeting_id, SIZES[1])
        assert await quotes(screens[1][1]) == []
    finally:
        for context, _ in screens:
            await context.close()
        await lead_context.close()


async def test_the_rule_the_lead_picked_stays_picked_while_its_command_is_on_the_way(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    """Other events reach the lead's page between the click and the server's answer (a busy
    evening: comments every few seconds); the radio the lead chose must not jump back."""
    server, meeting_id = evening_server
    held: list[str | bytes] = []
    sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []
    acked = asyncio.Event()

    def wifi(ws: WebSocketRoute) -> None:
        """The lead's commands to set the rule wait here until the test lets them through;
        so does the event they make on its way back (its ack goes first)."""
        server_side = ws.connect_to_server()
        sockets.append((ws, server_side))

        def upward(message: str | bytes) -> None:
            if "set_wall_rule" in str(message):
                held.append(message)
            else:
                server_side.send(message)

        def downward(message: str | bytes) -> None:
            if "WallRuleSet" in str(message):
                held.append(message)
                return
            if '"type":"ack"' in str(message).replace(" ", ""):
                acked.set()
            ws.send(message)

        ws.on_message(upward)
        server_side.on_message(downward)

    lead_context, lead = await open_lead(browser, server, meeting_id, wifi=wifi)
    try:
        await lead.locator("#wall-quotes-rule").click()
        await lead.get_by_label("each one I approve").check()
        assert len(held) == 1
        await typed(server, meeting_id, 2, HARMLESS)  # an event meanwhile: the page redraws
        await lead.locator(".wall-item", has_text=HARMLESS).wait_for()
        assert await lead.get_by_label("each one I approve").is_checked()
        assert await lead.locator("#wall-quotes-rule").inner_text() == "Comments on the wall: off"

        page_side, server_side = sockets[-1]
        acked.clear()
        server_side.send(held.pop())  # the command reaches the server; its ack comes back
        async with asyncio.timeout(patience.seconds(15)):
            await acked.wait()
        await typed(server, meeting_id, 4, EDITED)  # after the ack, so the page has read it
        await lead.locator(".wall-item", has_text=EDITED).wait_for()
        assert await lead.get_by_label("each one I approve").is_checked()
        assert await lead.locator("#wall-quotes-rule").inner_text() == "Comments on the wall: off"
        page_side.send(held.pop())  # and then the event
        await lead.locator("#wall-quotes-rule", has_text="each one you approve").wait_for()
        assert await lead.get_by_label("each one I approve").is_checked()
    finally:
        await lead_context.close()


async def test_after_n_minutes_a_comment_shows_unless_taken_off_first(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    screens = await walls(browser, server, meeting_id)
    lead_token = token(meeting_id, "lead", device="lead-laptop")
    try:
        async with LiveClient(server.ws, lead_token) as lead:
            await lead.command("set_wall_rule", {"rule": "after", "minutes": 1})
            caught, _ = await typed(server, meeting_id, 2, NAMES_SOMEONE)
            await lead.command("take_off_wall", {"table": 2, "comment_id": caught})
            _, position = await typed(server, meeting_id, 4, HARMLESS)
        for _, wall in screens:
            await wait_wall(wall, position)
            assert await quotes(wall) == []  # neither, before the minute is up
        for _, wall in screens:
            # a minute after it reached the server; the one taken off was due sooner
            await wait_quote(wall, HARMLESS, within_ms=150_000)
            assert await quotes(wall) == [HARMLESS]
    finally:
        for context, _ in screens:
            await context.close()
