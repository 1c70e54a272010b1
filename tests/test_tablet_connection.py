"""The tablet tells the truth about its connection, survives a reload, and is one device.

Real headless Chromium against one real server for the module (each case has its own table
or its own devices, so they do not disturb each other). Over ``http://tablet.test`` the page
runs in an insecure context, as over plain http on a venue's LAN; over ``http://localhost``
in a secure one, where its service worker keeps its files. A silent server is the server
process stopped with SIGSTOP (its sockets stay open, nothing answers); one tablet's silent
connection is a loopback proxy between it and the server that the test pauses.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import signal
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from playwright.async_api import Browser, BrowserContext, Dialog, Page

from events.log.store import EventStore
from harness.browser import LANDSCAPE, PORTRAIT, join_link, page_url, post, type_comment, wait_live
from harness.lead_page import TIMEOUT, open_lead
from harness.servers import Server, get, token
from tests.axe import assert_accessible
from tests.pausable_proxy import PausableProxy
from tests.test_ws_lead import command, device

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOT_CONNECTED_MS = 10_000
"""What the issue promises: a silent server or connection shows within 10 s."""


@contextlib.contextmanager
def stopped(server: Server) -> Iterator[None]:
    """The server process stopped: its sockets stay open and nothing answers."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


async def texts_at(server: Server, meeting_id: str, table: int) -> list[str]:
    """Every point ever added at ``table``, in log order (retracted ones too)."""
    async with EventStore(server.db) as store:
        return [
            r.decode().text  # type: ignore[attr-defined]
            async for r in store.read_all()
            if r.stream_id == f"table-{meeting_id}-{table}" and r.type == "CommentAdded"
        ]


async def join_at(
    browser: Browser, url: str, viewport: dict[str, int] = LANDSCAPE
) -> tuple[BrowserContext, Page]:
    """A new tablet that opened the join link ``url``, live on the tablet page."""
    context = await browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_url("**/table?meeting=*")
    await wait_live(page)
    return context, page


async def wait_not_connected(page: Page, waiting: int) -> None:
    await page.wait_for_selector(
        f'#status[data-state="offline"][data-waiting="{waiting}"]', timeout=NOT_CONNECTED_MS
    )
    text = await page.locator("#status-text").text_content()
    assert text == f"Not connected — {waiting} waiting"


async def reload_asked(page: Page) -> Dialog:
    """Reload the page as the browser's button does; return the dialog that asked first
    (dismissed: the page stays, with what it holds)."""
    asked: asyncio.Future[Dialog] = asyncio.get_running_loop().create_future()

    async def opened(dialog: Dialog) -> None:
        if not asked.done():
            asked.set_result(dialog)
        await dialog.dismiss()

    page.on("dialog", opened)
    try:
        await page.evaluate("() => setTimeout(() => location.reload(), 0)")
        async with asyncio.timeout(15):
            return await asked
    finally:
        page.remove_listener("dialog", opened)


async def test_a_silent_server_shows_not_connected_and_a_reload_with_points_waiting_asks(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_at(browser, join_link(server, meeting_id, 2))
    texts = ["Before the access point stalled", "Typed into silence", "And another"]
    try:
        assert await page.evaluate("isSecureContext") is False
        assert await page.evaluate("'serviceWorker' in navigator") is False
        # No pull-to-refresh: overscrolling the page does not reload it.
        assert (
            await page.evaluate("getComputedStyle(document.documentElement).overscrollBehaviorY")
            == "none"
        )
        await type_comment(page, texts[0])
        await wait_live(page, waiting=0)
        with stopped(server):
            for text in texts[1:]:
                await type_comment(page, text)
            await wait_not_connected(page, 2)
            assert (await reload_asked(page)).type == "beforeunload"
            assert await page.locator('.comment[data-waiting="true"]').count() == 2  # kept
        await wait_live(page, waiting=0)
    finally:
        await context.close()
    assert [t for t in await texts_at(server, meeting_id, 2) if t in texts] == texts


async def test_the_lead_sees_a_tablet_whose_own_connection_went_silent_and_it_catches_up(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    lead_context, lead = await open_lead(browser, server, meeting_id)
    port = int(server.base.rsplit(":", 1)[1])
    texts = ["Said while the access point hung", "And one more"]
    session = f"roundtable:session:{meeting_id}"
    async with PausableProxy(port).running() as proxy:
        through = join_link(server, meeting_id, 3).replace(f":{port}/", f":{proxy.port}/")
        context, page = await join_at(browser, through)
        row = '#health .health-row[data-table="3"]'
        try:
            await lead.wait_for_selector(f'{row}[data-online="1"]', timeout=TIMEOUT)
            proxy.pause()
            for text in texts:
                await type_comment(page, text)
            # Both within 10 s of the pause, each seen from its own side.
            await asyncio.gather(
                wait_not_connected(page, 2),
                lead.wait_for_selector(f'{row}[data-offline="true"]', timeout=NOT_CONNECTED_MS),
            )
            # The device list names it by its table, not by the browser's platform.
            device = await page.evaluate(
                f"() => JSON.parse(localStorage.getItem({session!r})).device_id"
            )
            listed = lead.locator(f'#devices tr[data-device="{device}"]')
            assert await listed.get_attribute("data-status") == "offline"
            assert await listed.locator(".label").text_content() == "Table 3 tablet"
            assert await listed.locator(".device-status").text_content() == "not connected"
            proxy.resume()
            await wait_live(page, waiting=0)
            await lead.wait_for_selector(
                f'{row}[data-online="1"][data-waiting="0"]', timeout=TIMEOUT
            )
        finally:
            await context.close()
            await lead_context.close()
    assert [t for t in await texts_at(server, meeting_id, 3) if t in texts] == texts


async def test_on_a_secure_origin_the_page_reloads_with_the_server_stopped_and_takes_points(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    local = join_link(server, meeting_id, 4).replace("tablet.test", "localhost")
    context, page = await join_at(browser, local)
    text = "Typed on a page the service worker kept"
    try:
        assert await page.evaluate("isSecureContext") is True
        await page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        with stopped(server):
            await page.reload()
            assert await page.locator("#table-name").text_content() == "Table 4"
            await type_comment(page, text)
            await page.wait_for_selector('#status[data-state="offline"][data-waiting="1"]')
        await wait_live(page, waiting=0)
    finally:
        await context.close()
    assert (await texts_at(server, meeting_id, 4)).count(text) == 1


async def test_joining_again_in_the_same_browser_is_the_same_device_named_for_its_table(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_at(browser, join_link(server, meeting_id, 1))
    session = f"() => JSON.parse(localStorage.getItem('roundtable:session:' + {meeting_id!r}))"
    try:
        first = await page.evaluate(session)
        await type_comment(page, "Before the sheet was scanned again")
        await wait_live(page, waiting=0)
        await page.goto(join_link(server, meeting_id, 1))  # the join sheet, scanned again
        await page.wait_for_url("**/table?meeting=*")
        await wait_live(page, waiting=0)
        again = await page.evaluate(session)
        assert again["device_id"] == first["device_id"]
        # a token issued again for the same device: it expires no earlier (within the same
        # second the server signs the very same token, so the bytes may be equal)
        assert _claims(again["token"])["device_id"] == first["device_id"]
        assert _claims(again["token"])["expires"] >= _claims(first["token"])["expires"]
    finally:
        await context.close()
    _, listed = get(f"{server.base}/api/meetings/{meeting_id}/devices", token(meeting_id, "lead"))
    at_one = [(d["label"], d["revoked_at"]) for d in listed["devices"] if d["table"] == 1]
    assert at_one == [("Table 1 tablet", None)]


async def test_the_comment_box_can_be_left_by_keyboard_and_every_control_shows_focus(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context, page = await join_at(browser, join_link(server, meeting_id, 1), viewport=PORTRAIT)
    try:
        await type_comment(page, "A point the table has saved")
        await wait_live(page, waiting=0)
        await page.reload()
        await wait_live(page, waiting=0)
        # Opened over a table that has points: it says so, not "nothing saved".
        saved = await page.locator("#last-ack").text_content() or ""
        assert saved.endswith("saved"), saved
        assert int(saved.split()[0]) >= 1, saved
        # What ☆ does is on the page itself, not in a tooltip touch screens never show.
        hint = page.locator("#star-hint")
        assert await hint.is_visible()
        assert "☆" in (await hint.text_content() or "")
        await page.locator("#draft").focus()
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.id") == "add"
        await page.keyboard.press("Shift+Tab")
        await page.keyboard.press("Shift+Tab")
        assert await page.evaluate("document.activeElement.id") != "draft"
        assert await page.get_attribute("#page", "data-level") != "sub"  # Tab nested nothing
        # Round the whole page by Tab: each control it reaches shows a focus outline.
        reached = []
        for _ in range(40):
            await page.keyboard.press("Tab")
            focused = await page.evaluate(FOCUSED)
            if focused is None:
                continue
            assert focused["outline"] != "none", focused
            assert focused["width"] >= 2, focused
            reached.append(focused["what"])
        assert {"draft", "add", "nest", "unnest"} <= set(reached), reached
        assert any(what.startswith("tab") for what in reached), reached
        # The join page's fields and button too.
        await page.goto(page_url(server, "/join"))
        reached = []
        for _ in range(4):
            await page.keyboard.press("Tab")
            focused = await page.evaluate(FOCUSED)
            assert focused is not None
            assert focused["outline"] != "none", focused
            reached.append(focused["what"])
        assert reached[:3] == ["meeting", "code", "name"], reached
    finally:
        await context.close()


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    what: el.id || el.className || el.tagName,
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
  };
}"""


async def test_a_spent_sign_in_link_tells_the_person_holding_it(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    made = post(
        f"{server.base}/api/meetings/{meeting_id}/links",
        token(meeting_id, "lead"),
        {"role": "lead"},
    )
    link = made["url"].split("signin=", 1)[1]
    post(f"{server.base}/api/signin", token(meeting_id, "lead"), {"token": link})  # spent
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(page_url(server, "/lead" + made["url"].split("/lead", 1)[1]))
        await page.wait_for_selector('#lead[data-state="not-signed-in"]')
        assert await page.locator("#status-text").text_content() == "Not signed in"
        said = await page.locator("body").text_content() or ""
        assert "already used" in said
        assert "make a new link" in said
        assert "ask the lead" not in said
    finally:
        await context.close()


async def test_the_join_and_tablet_pages_pass_axe_in_each_state(
    browser: Browser, module_evening: tuple[Server, str]
) -> None:
    server, meeting_id = module_evening
    context = await browser.new_context(viewport=PORTRAIT)  # type: ignore[arg-type]
    try:
        page = await context.new_page()
        await page.goto(page_url(server, "/table"))
        await page.wait_for_selector('#page[data-state="not-joined"]')
        assert await page.locator("#status-text").text_content() == "Not joined"
        await assert_accessible(page, "tablet page, not joined")
        await page.goto(page_url(server, "/join"))
        await assert_accessible(page, "join page")
        await page.locator("#meeting").fill(meeting_id)
        await page.locator("#code").fill("WRONG-CODE")
        await page.locator("button[type=submit]").click()
        await page.wait_for_selector('#message[data-state="error"]')
        await assert_accessible(page, "join page, code refused")

        await page.close()
        page = await context.new_page()  # a fresh load: only the fragment differs
        await page.goto(join_link(server, meeting_id, 2))
        await page.wait_for_url("**/table?meeting=*")
        await wait_live(page)
        await assert_accessible(page, "tablet page, live")
        async with device(server.ws, token(meeting_id, "lead")) as (lead, _):
            sent = await command(lead, "send_message", {"text": "Two minutes left"})
            assert sent["type"] == "ack"
        await page.wait_for_selector("#announcement:not([hidden])")
        await assert_accessible(page, "tablet page, a message from the lead")

        await context.set_offline(True)
        await type_comment(page, "Typed with the Wi-Fi off")
        await wait_not_connected(page, 1)
        await assert_accessible(page, "tablet page, not connected")

        device_id = await page.evaluate(
            f"() => JSON.parse(localStorage.getItem('roundtable:session:' + {meeting_id!r}))"
            ".device_id"
        )
        revoke = f"{server.base}/api/meetings/{meeting_id}/devices/{device_id}/revoke"
        post(revoke, token(meeting_id, "lead"))
        await context.set_offline(False)
        await page.wait_for_selector('#status[data-state="refused"]')
        await assert_accessible(page, "tablet page, signed out")
    finally:
        await context.close()


def _claims(token: str) -> dict[str, Any]:
    """What a signed token says (its first part: base64url JSON)."""
    body = token.split(".", 1)[0]
    return dict(orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))
