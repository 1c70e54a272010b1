"""Theme suggestions on the lead's page, in real headless Chromium against a real server, with
the Kamloops comments typed in through the protocol (client/simulation.py)."""

from __future__ import annotations

import orjson
import pytest
from playwright.async_api import Browser, Page, WebSocketRoute
from playwright.async_api import TimeoutError as PlaywrightTimeout

from client.live import LiveClient
from client.simulation import simulate
from harness.lead_page import open_lead
from harness.servers import Server, token
from server.seed import KAMLOOPS

pytestmark = pytest.mark.asyncio(loop_scope="session")

DATA = KAMLOOPS
TIMEOUT = 20_000
DETOX = (
    "Bringing more detox levels (e.g. socialized)",
    "Treatment and recovery beds",
    "Diverse pathway to recovery",
    "Sobering centre",
    "Detox centre",
    "Detox/treatment/wraparound care beds/housing/recovery",
)
"""The texts of the detox and treatment comments of tables 1, 2 and 3 (one is typed twice)."""
CARD = "#suggestions .suggestion"
DETOX_CARD = f"{CARD}:has(.sugg-text:text-is('Sobering centre'))"


async def texts(page: Page, selector: str) -> list[str]:
    return sorted(await page.locator(f"{selector} .sugg-text").all_text_contents())


async def test_the_lead_accepts_one_suggestion_and_dismisses_another_for_good(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    running, meeting_id = evening_server
    meeting = orjson.loads(DATA.read_bytes())
    sim = token(meeting_id, "lead", device="sim")
    assert await simulate(running.ws, sim, meeting, meeting_id, None, 0) == len(meeting["comments"])
    context, page = await open_lead(browser, running, meeting_id)
    try:
        card = page.locator(DETOX_CARD)
        await card.wait_for(timeout=TIMEOUT)
        assert set(await texts(page, DETOX_CARD)) == set(DETOX)
        assert await card.locator(".sugg-tables").text_content() == "Tables 1, 2, 3"
        title_box = card.locator(".sugg-title")
        await title_box.evaluate("(box) => { window.titleBox = box; }")
        await title_box.fill("Detox and treatment beds")
        # What a comment arriving anywhere does (the texts may have changed): the box being
        # typed in stays the same element, so no keystroke lands in a replaced one.
        await page.evaluate("() => roundtable.suggestions.redraw()")
        assert await title_box.evaluate("(box) => box === window.titleBox")
        assert await title_box.input_value() == "Detox and treatment beds"
        await card.locator(".sugg-accept").click()
        theme = page.locator("#themes .theme:has(.theme-title:text-is('Detox and treatment beds'))")
        try:
            await theme.wait_for(timeout=TIMEOUT)
        except PlaywrightTimeout as timeout:  # say what the page showed instead
            notice = await page.locator("#notice-text").text_content()
            titles = await page.locator("#themes .theme-title").all_text_contents()
            raise AssertionError(f"no such theme; notice {notice!r}, themes {titles}") from timeout
        await page.wait_for_function(
            "() => document.querySelectorAll('#themes .theme .member').length === 7",
            timeout=TIMEOUT,
        )
        await card.wait_for(state="detached", timeout=TIMEOUT)

        await page.reload()
        await page.wait_for_selector('#status[data-state="live"]', timeout=TIMEOUT)
        await theme.wait_for(timeout=TIMEOUT)
        await page.locator(CARD).first.wait_for(timeout=TIMEOUT)
        assert await page.locator(DETOX_CARD).count() == 0

        other = page.locator(CARD).first
        dismissed = await other.get_attribute("data-suggestion-id")
        assert dismissed
        gone = f"{CARD}[data-suggestion-id='{dismissed}']"
        first_text = (await texts(page, gone))[0]
        await page.locator(gone).locator(".sugg-dismiss").click()  # that one, even if redrawn
        await page.locator(gone).wait_for(state="detached", timeout=TIMEOUT)
        # the same words again at another table: the idea stays dismissed
        async with LiveClient(running.ws, token(meeting_id, "lead", device="again")) as lead:
            data = {"table": 4, "comment_id": "c-again", "question": "advocacy", "text": first_text}
            await lead.command("add_comment", data)
        await (
            page.locator(f"#comments .lead-comment:has(.text:text-is('{first_text}'))")
            .nth(1)
            .wait_for(timeout=TIMEOUT)
        )
        await page.reload()
        await page.wait_for_selector('#status[data-state="live"]', timeout=TIMEOUT)
        await page.locator(CARD).first.wait_for(timeout=TIMEOUT)
        assert await page.locator(gone).count() == 0
        assert "1 dismissed" in str(await page.locator(".sugg-summary").text_content())

        await page.locator("#suggestions-on").uncheck()
        await page.locator(CARD).first.wait_for(state="detached", timeout=TIMEOUT)
        assert "off" in str(await page.locator(".sugg-summary").text_content())
    finally:
        await context.close()


async def test_the_switch_stays_as_flipped_while_its_command_is_on_the_way(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    """A comment arriving between the lead's flip and the server's answer redraws the panel:
    the switch must not flip back; a refusal puts it back to the meeting's setting."""
    running, meeting_id = evening_server
    held: list[str | bytes] = []
    sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    def wifi(ws: WebSocketRoute) -> None:
        """The lead's commands to switch suggestions wait here until the test lets them on."""
        server_side = ws.connect_to_server()
        sockets.append((ws, server_side))
        ws.on_message(
            lambda m: held.append(m) if "set_suggestions" in str(m) else server_side.send(m)
        )
        server_side.on_message(ws.send)

    context, page = await open_lead(browser, running, meeting_id, wifi=wifi)
    switch = page.locator("#suggestions-on")
    summary = page.locator(".sugg-summary")
    try:
        await summary.wait_for()
        await switch.uncheck()
        assert len(held) == 1
        await page.evaluate("() => roundtable.suggestions.redraw()")  # a comment arrived
        assert not await switch.is_checked()

        page_side, server_side = sockets[-1]
        refused = {"type": "error", "id": orjson.loads(held.pop())["id"]}
        refused |= {"code": "meeting_closed", "message": "The meeting is closed."}
        page_side.send(orjson.dumps(refused).decode())  # as if the server refused it
        await page.wait_for_function("() => document.querySelector('#suggestions-on').checked")

        await switch.uncheck()
        server_side.send(held.pop())
        await page.wait_for_function("() => !document.querySelector('#suggestions-on').checked")
        await summary.filter(has_text="Suggestions are off").wait_for(timeout=TIMEOUT)
        await page.evaluate("() => roundtable.suggestions.redraw()")
        assert not await switch.is_checked()
    finally:
        await context.close()


async def test_the_lead_edits_the_glossary_on_the_page(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    running, meeting_id = evening_server
    async with LiveClient(running.ws, token(meeting_id, "lead", device="typist")) as lead:
        for i, text in enumerate(("Empathy and understanding", "Reduce stigma")):
            data = {"table": 1 + i, "comment_id": f"c{i}", "question": "advocacy", "text": text}
            await lead.command("add_comment", data)
    context, page = await open_lead(browser, running, meeting_id)
    try:
        await page.wait_for_function(
            "() => /Nothing to suggest/.test(document.querySelector('.sugg-summary').textContent)",
            timeout=TIMEOUT,
        )
        await page.locator(".glossary summary").click()
        form = page.locator(".gloss-form")
        await form.locator("input[name=id]").fill("stigma")
        await form.locator("input[name=phrases]").fill("stigma, empathy and understanding")
        await form.locator("button[type=submit]").click()
        await page.locator(".gloss-concept[data-concept='stigma']").wait_for(timeout=TIMEOUT)
        await page.locator(CARD).first.wait_for(timeout=TIMEOUT)
        assert await texts(page, CARD) == ["Empathy and understanding", "Reduce stigma"]
        concept = page.locator(".gloss-concept[data-concept='stigma']")
        await concept.locator("button:text-is('Remove')").click()
        await concept.locator("button:text-is('Really remove?')").click()
        await concept.wait_for(state="detached", timeout=TIMEOUT)
        await page.locator(CARD).first.wait_for(state="detached", timeout=TIMEOUT)
    finally:
        await context.close()
