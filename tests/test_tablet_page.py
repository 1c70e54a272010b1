"""The tablet page in real headless Chromium, over plain http under a LAN-like name.

One browser for the whole session; one browser context per tablet (its own localStorage); one
server for the module, each case on a table of its own (one restarts its own server).
Every wait is on the page's state (the status line, the shown comments), never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest
from playwright.async_api import Browser

from events.log.store import EventStore
from harness.browser import (
    join_tablet,
    page_url,
    post,
    structure,
    type_comment,
    wait_live,
    wait_structure,
)
from harness.servers import Server, free_port, get, seed_evening, serve, token

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def stored(db: str, meeting_id: str, table: int, event_type: str, field: str) -> list[str]:
    """``field`` of every ``event_type`` event at ``table``, in log order."""
    stream = f"table-{meeting_id}-{table}"
    async with EventStore(db) as store:
        return [
            getattr(r.decode(), field)
            async for r in store.read_all()
            if r.stream_id == stream and r.type == event_type
        ]


async def stored_comments(db: str, meeting_id: str, table: int) -> list[str]:
    """The texts of every CommentAdded at ``table``, in log order."""
    return await stored(db, meeting_id, table, "CommentAdded", "text")


async def test_the_page_runs_in_an_insecure_context_and_joins_from_the_sheet_link(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_tablet(browser, server, meeting_id, 4)
    try:
        assert await page.evaluate("isSecureContext") is False
        assert await page.evaluate("typeof crypto.randomUUID") == "undefined"
        assert "#" not in page.url  # the join code is not kept in the address or history
        assert "code=" not in page.url
        assert await page.locator("#table-name").text_content() == "Table 4"
        assert await page.locator("#topic").text_content() == "Crime Prevention"
        assert await page.locator(".tab").count() == 3
    finally:
        await context.close()


async def test_typed_points_appear_nested_on_a_second_tablet_without_reload(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    first, a = await join_tablet(browser, server, meeting_id, 1)
    second, b = await join_tablet(browser, server, meeting_id, 1)
    try:
        draft = a.locator("#draft")
        await type_comment(a, "Detox and treatment beds")
        await draft.press("Control+BracketRight")
        await type_comment(a, "Dry housing")
        await type_comment(a, "One phone number")
        await draft.press("Control+BracketLeft")
        await type_comment(a, "Outreach works")
        # The same with the on-screen buttons, as on a touch keyboard.
        await draft.fill("Navigators at the hospital")
        await a.locator("#add").click()
        await a.locator("#nest").click()
        await draft.fill("Weekends too")
        await a.locator("#add").click()
        await a.locator("#unnest").click()
        await draft.fill("Shared case plans")
        await a.locator("#add").click()
        expected = [
            ["Detox and treatment beds", ["Dry housing", "One phone number"]],
            ["Outreach works", []],
            ["Navigators at the hospital", ["Weekends too"]],
            ["Shared case plans", []],
        ]
        await wait_structure(b, expected)
        await wait_live(a, waiting=0)

        # Up edits the last point; the edit reaches the other tablet.
        await draft.press("ArrowUp")
        assert await draft.input_value() == "Shared case plans"
        await draft.fill("Shared case plans across agencies")
        await draft.press("Enter")
        expected[-1][0] = "Shared case plans across agencies"
        await wait_structure(b, expected)

        # Retract with the button, then undo.
        await a.locator("#retract").click()
        await wait_structure(b, expected[:-1])
        await a.locator("#undo-button").click()
        await wait_structure(b, expected)
        assert await structure(a) == expected
    finally:
        await first.close()
        await second.close()
    assert await stored_comments(server.db, meeting_id, 1) == [
        "Detox and treatment beds",
        "Dry housing",
        "One phone number",
        "Outreach works",
        "Navigators at the hospital",
        "Weekends too",
        "Shared case plans",
    ]


async def test_a_point_moved_to_another_question_takes_its_sub_point_along(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    first, a = await join_tablet(browser, server, meeting_id, 2)
    second, b = await join_tablet(browser, server, meeting_id, 2)
    try:
        tabs = a.locator(".tab")
        q3 = await tabs.nth(2).get_attribute("data-question")
        await tabs.nth(1).click()
        draft = a.locator("#draft")
        await type_comment(a, "Stays under Q2")
        await type_comment(a, "Belongs to Q3")
        await draft.press("Control+BracketRight")
        await type_comment(a, "Its sub-point")
        await wait_live(a, waiting=0)
        move = a.locator("#move")

        # A sub-point being edited cannot move on its own; its main point, tapped, can.
        await draft.press("ArrowUp")
        assert await draft.input_value() == "Its sub-point"
        assert await move.is_hidden()
        await draft.press("Escape")
        await a.locator(".comment-body", has_text="Belongs to Q3").click()
        assert await move.locator("button").all_text_contents() == ["Move to Q1", "Move to Q3"]
        await move.get_by_role("button", name="Move to Q3").click()

        await wait_structure(a, [["Stays under Q2", []]])
        assert await draft.input_value() == ""
        assert await move.is_hidden()
        await wait_live(a, waiting=0)
        await b.locator(f'.tab[data-question="{q3}"]').click()
        await wait_structure(b, [["Belongs to Q3", ["Its sub-point"]]])
        assert await b.locator(".tab-count").all_text_contents() == ["0", "1", "2"]
    finally:
        await first.close()
        await second.close()
    assert await stored(server.db, meeting_id, 2, "CommentMoved", "question") == [q3]


async def test_comments_typed_while_the_server_is_down_go_out_once_after_the_tab_reopens(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    port = free_port()
    texts = [f"Point {i} typed as the server went down" for i in range(1, 11)]
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(serve(db, logs=tmp_path, port=port))
        context, page = await join_tablet(browser, server, meeting_id, 1)
        for text in texts[:3]:
            await type_comment(page, text)
        stopping = asyncio.create_task(asyncio.to_thread(stack.close))
        for text in texts[3:7]:
            await type_comment(page, text)  # while the server shuts down
        await stopping
    for text in texts[7:]:
        await type_comment(page, text)  # while it is down
    await page.wait_for_selector('#status[data-state="offline"]')
    waiting = int(await page.locator("#status").get_attribute("data-waiting") or 0)
    assert 3 <= waiting <= 10
    assert await page.locator('.comment[data-waiting="true"]').count() == waiting
    assert "waiting" in (await page.locator("#status-text").text_content() or "")
    await page.close()  # the tab is closed while offline

    with serve(db, logs=tmp_path, port=port) as server:
        page = await context.new_page()
        await page.goto(page_url(server, f"/table?meeting={meeting_id}"))
        await wait_live(page, waiting=0)
        await wait_structure(page, [[text, []] for text in texts])
        await context.close()
    assert await stored_comments(db, meeting_id, 1) == texts


async def test_fifty_points_survive_a_connection_cut_again_and_again(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_tablet(browser, server, meeting_id, 3)
    texts = [f"Point {i:02d}" for i in range(1, 51)]
    try:
        for i, text in enumerate(texts):
            if i % 7 == 3:
                await context.set_offline(True)
                # and the socket dies, as when a tablet roams between access points
                await page.evaluate("() => roundtable.socket.ws && roundtable.socket.ws.close()")
            if i % 7 == 5:
                await context.set_offline(False)
            await type_comment(page, text)
        await context.set_offline(False)
        await wait_live(page, waiting=0)
        await wait_structure(page, [[text, []] for text in texts])
        assert await page.evaluate("roundtable.socket.connections") >= 4  # it did reconnect
    finally:
        await context.close()
    assert await stored_comments(server.db, meeting_id, 3) == texts


async def test_the_countdown_follows_the_server_when_the_tablet_clock_is_5_minutes_off(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    skew = "const real = Date.now.bind(Date); Date.now = () => real() + 5 * 60 * 1000;"
    context, page = await join_tablet(browser, server, meeting_id, 4, init_script=skew)
    try:
        assert await page.evaluate("Date.now() - performance.timeOrigin - performance.now()") > 60e3
        await page.wait_for_function("() => roundtable.clock.bestDelayMs < 1000")
        await page.wait_for_selector('#clock[data-state="running"]')
        _, view = get(f"{server.base}/api/meetings/{meeting_id}", token(meeting_id, "lead"))
        ends_ms = view["clock"]["ends"] / 1000
        shown = float(await page.locator("#clock").get_attribute("data-remaining-ms") or 0)
        expected = ends_ms - time.time() * 1000
        assert abs(shown - expected) < 1500, (shown, expected)
        text = await page.locator("#countdown").text_content() or ""
        minutes, seconds = text.split(" ")[0].split(":")
        assert abs(int(minutes) * 60 + int(seconds) - expected / 1000) < 2.5
        rotation = view["clock"]["rotation"]
        group = view["tables"][3]["groups"][rotation - 1]
        label = await page.locator("#rotation").text_content()
        assert label == f"Rotation {rotation} of 4 · Group {group}"
    finally:
        await context.close()


async def test_a_signed_out_tablet_says_so_and_its_waiting_comments_can_be_copied(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_tablet(browser, server, meeting_id, 4)
    try:
        device = await page.evaluate(
            "() => JSON.parse(localStorage.getItem('roundtable:session:' + "
            f"{meeting_id!r})).device_id"
        )
        await context.set_offline(True)
        await page.evaluate("() => roundtable.socket.drop()")
        await type_comment(page, "Typed in the dead zone")
        await type_comment(page, "And this one")
        lead = token(meeting_id, "lead")
        post(f"{server.base}/api/meetings/{meeting_id}/devices/{device}/revoke", lead)
        await context.set_offline(False)
        await page.wait_for_selector('#status[data-state="refused"]')
        assert "signed out" in (await page.locator("#signed-out-text").text_content() or "")
        copied = await page.locator("#waiting-text").input_value()
        assert copied == "- Typed in the dead zone\n- And this one"
        await page.locator("#copy").click()
    finally:
        await context.close()
    assert await stored_comments(server.db, meeting_id, 4) == []
