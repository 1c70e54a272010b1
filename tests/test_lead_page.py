"""The lead's page in real headless Chromium, beside real tablets, against a real server.

Each person has their own browser context (their own storage); the lead signs in with a
one-time sign-in link, as from ``roundtable link``. Every wait is on the page's state, never a
sleep. Hostile comments must stay text: a dialog opening fails the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocketRoute

from harness.browser import (
    LANDSCAPE,
    join_link,
    join_tablet,
    type_comment,
    wait_live,
)
from harness.lead_page import TIMEOUT, finger, lift, no_dialogs, open_lead
from harness.servers import Server
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")


THEMES = """() => [...document.querySelectorAll('#themes .theme')].map((t) => [
  t.querySelector('.theme-title').textContent,
  [...t.querySelectorAll('.member .text')].map((m) => m.textContent).sort(),
])"""
KEY_ORDER = """() => [...document.querySelectorAll('#key-themes .key-row .title')]
  .map((t) => t.textContent)"""
TEXTS = """() => [...document.querySelectorAll('#comments .lead-comment .text')]
  .map((t) => t.textContent)"""


async def wait_js(pages: list[Page], script: str, expected: Any) -> None:
    """Until ``script`` gives ``expected`` on every page."""
    wanted = json.dumps(json.dumps(expected, separators=(",", ":"), ensure_ascii=False))
    for page in pages:
        await page.wait_for_function(
            f"() => JSON.stringify(({script})()) === {wanted}", timeout=TIMEOUT
        )


async def drag(page: Page, source: str, target: str) -> None:
    """Drag with the mouse, in small steps, as a hand would."""
    start = await page.locator(source).bounding_box()
    end = await page.locator(target).bounding_box()
    assert start
    assert end
    await page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 12, steps=8)
    await page.mouse.up()


def comment(text: str) -> str:
    return f'#comments .lead-comment:has(.text:text-is("{text}"))'


def theme(title: str) -> str:
    return f'#themes .theme:has(.theme-title:text-is("{title}"))'


@contextlib.asynccontextmanager
async def tablets(
    browser: Browser, server: Server, meeting_id: str, count: int
) -> AsyncIterator[list[Page]]:
    contexts: list[BrowserContext] = []
    pages: list[Page] = []
    try:
        for table in range(1, count + 1):
            context, page = await join_tablet(browser, server, meeting_id, table)
            contexts.append(context)
            pages.append(page)
        yield pages
    finally:
        for context in contexts:
            await context.close()


async def test_four_tablets_comments_themed_by_mouse_and_keyboard_and_a_second_lead_sees_all(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    typed = [
        "Detox beds at RIH",
        "More treatment beds",
        "Sobering centre downtown",
        "Block watch works",
    ]
    first, lead = await open_lead(browser, server, meeting_id)
    second, other = await open_lead(browser, server, meeting_id)
    dialogs: list[str] = []
    for page in (lead, other):
        no_dialogs(page, dialogs)
    try:
        async with tablets(browser, server, meeting_id, 4) as pads:
            for pad, text in zip(pads, typed, strict=True):
                await type_comment(pad, text)
            for pad in pads:
                await wait_live(pad, waiting=0)
            await lead.wait_for_selector(
                f"{comment(typed[3])}.fresh", timeout=TIMEOUT
            )  # arrives highlighted
            assert sorted(await lead.evaluate(TEXTS)) == sorted(typed)
            await lead.wait_for_selector(
                "#comments .lead-comment.fresh", state="detached", timeout=TIMEOUT
            )
            rows = lead.locator('#health .health-row[data-online="1"]')
            await rows.nth(3).wait_for(timeout=TIMEOUT)
            assert await lead.locator('#health .health-row[data-now="1"]').count() == 4

            # A theme across topics, then a comment dragged into it with the mouse.
            await lead.locator("#new-theme-title").fill("Detox and treatment beds")
            await lead.locator("#new-theme-scope").select_option("|")
            await lead.locator("#new-theme-create").click()
            await lead.wait_for_selector(theme("Detox and treatment beds"), timeout=TIMEOUT)
            await drag(lead, comment(typed[0]), theme("Detox and treatment beds"))
            await wait_js([lead, other], THEMES, [["Detox and treatment beds", [typed[0]]]])

            # The keyboard way: focus a comment, T, pick the theme, Enter.
            await lead.locator(comment(typed[1])).focus()
            await lead.keyboard.press("t")
            await lead.wait_for_selector("#picker:not([hidden])")
            await lead.keyboard.press("Enter")
            await wait_js([lead, other], THEMES, [["Detox and treatment beds", sorted(typed[:2])]])

            # N makes a new theme from a comment (its topic and question), then merge it in.
            await lead.locator(comment(typed[2])).focus()
            await lead.keyboard.press("n")
            both = [["Detox and treatment beds", sorted(typed[:2])], [typed[2], [typed[2]]]]
            await wait_js([lead, other], THEMES, both)
            await lead.locator(f"{theme(typed[2])} .theme-open").click()  # cards open on demand
            await lead.locator(f"{theme(typed[2])} .merge-into").select_option(
                label="Detox and treatment beds"
            )
            await lead.locator(f"{theme(typed[2])} button:text-is('Merge')").click()
            await wait_js([lead, other], THEMES, [["Detox and treatment beds", sorted(typed[:3])]])
            await lead.wait_for_selector(  # the undo line names the themes, never their ids
                "#undo-what:text-is('undoes merging “Sobering centre downtown”"
                " into “Detox and treatment beds”')",
                timeout=TIMEOUT,
            )

            # Undo the merge (the outline's undo names it; a stale one is refused plainly).
            action = await lead.locator("#undo").get_attribute("data-action")
            await lead.locator("#undo").click()
            await wait_js([lead, other], THEMES, both)
            undo_line = f"undoes putting “{typed[2]}” in “{typed[2]}”"  # what N did, next back
            assert await lead.locator("#undo-what").text_content() == undo_line
            await lead.evaluate(
                "(a) => roundtable.socket.send({type: 'command', id: 'stale-undo',"
                " name: 'undo_grouping',"
                " data: {action: Number(a)}})",
                action,
            )
            await lead.wait_for_selector(
                '#notice[data-code="stale_undo"]:not([hidden])', timeout=TIMEOUT
            )
            assert "another lead" in (await lead.locator("#notice-text").text_content() or "")

            # Key themes: mark two of one scope, then order them by button and by keyboard.
            await lead.locator("#new-theme-title").fill("Sobering centre")
            await lead.locator("#new-theme-create").click()
            await lead.wait_for_selector(theme("Sobering centre"), timeout=TIMEOUT)
            await lead.locator(f"{theme('Detox and treatment beds')} .key-toggle").click()
            await wait_js([lead, other], KEY_ORDER, ["Detox and treatment beds"])
            await lead.locator(f"{theme('Sobering centre')} .key-toggle").click()
            await wait_js([lead, other], KEY_ORDER, ["Detox and treatment beds", "Sobering centre"])
            await lead.locator(
                '#key-themes .key-row:has-text("Sobering centre") button[title="Move up"]'
            ).click()
            await wait_js([lead, other], KEY_ORDER, ["Sobering centre", "Detox and treatment beds"])
            await lead.locator('#key-themes .key-row:has-text("Sobering centre")').focus()
            await lead.keyboard.press("Alt+ArrowDown")
            await wait_js([lead, other], KEY_ORDER, ["Detox and treatment beds", "Sobering centre"])
            final = await lead.evaluate(THEMES)
            assert final == [*both, ["Sobering centre", []]]
            await assert_accessible(lead, "the lead's page: comments, themes, key themes")

            # A reload shows everything as it was; the other window agrees.
            await lead.reload()
            await lead.wait_for_selector('#status[data-state="live"]', timeout=TIMEOUT)
            await wait_js([lead, other], THEMES, final)
            await wait_js([lead, other], KEY_ORDER, ["Detox and treatment beds", "Sobering centre"])
            assert sorted(await lead.evaluate(TEXTS)) == sorted(typed)
            assert (
                await lead.locator(f'{comment(typed[2])} .in-theme:text-is("{typed[2]}")').count()
                == 1
            )
        assert dialogs == []
    finally:
        await first.close()
        await second.close()


async def test_a_facilitator_star_and_filters_show_on_the_lead_page(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    try:
        async with tablets(browser, server, meeting_id, 2) as (one, two):
            await type_comment(one, "Navigators who know every service")
            await type_comment(one, "Peer support in shelters")
            await type_comment(two, "Bail conditions are not enforced")
            await wait_live(one, waiting=0)
            star = one.locator('.comment:has-text("Navigators") > .star')
            await star.click()  # the facilitator's own star button on the tablet
            await one.wait_for_selector(
                '.comment[data-starred="true"]:has-text("Navigators") > .star[aria-pressed="true"]',
                timeout=TIMEOUT,
            )
            await lead.wait_for_selector(
                f'{comment("Navigators who know every service")}[data-starred="true"] .star',
                timeout=TIMEOUT,
            )
            await lead.locator("#filter-starred").check()
            await wait_js([lead], TEXTS, ["Navigators who know every service"])
            await lead.locator("#filter-starred").uncheck()
            await lead.locator("#filter-table").select_option("2")
            await wait_js([lead], TEXTS, ["Bail conditions are not enforced"])
            await lead.locator("#filter-table").select_option("")
            await lead.locator("#filter-text").fill("shelter")
            await wait_js([lead], TEXTS, ["Peer support in shelters"])
            await lead.locator("#filter-text").fill("")
            await lead.locator("#filter-rotation").select_option("1")
            await wait_js([lead], TEXTS, [])
            await lead.locator("#filter-rotation").select_option("2")
            await wait_js(
                [lead], "() => document.querySelectorAll('#comments .lead-comment').length", 3
            )
    finally:
        await context.close()


async def test_a_tablet_gone_offline_shows_offline_with_its_waiting_comments(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    pad_context = await browser.new_context(viewport=LANDSCAPE)  # type: ignore[arg-type]
    wifi = {"eats_commands": False}

    def route(ws: WebSocketRoute) -> None:
        """The venue's Wi-Fi: while it is bad, the tablet's commands never reach the server."""
        upstream = ws.connect_to_server()

        def upward(message: str | bytes) -> None:
            if wifi["eats_commands"] and '"type":"command"' in str(message).replace(" ", ""):
                return
            upstream.send(message)

        ws.on_message(upward)
        upstream.on_message(lambda message: ws.send(message))

    await pad_context.route_web_socket("**/ws", route)
    pad = await pad_context.new_page()
    try:
        await pad.goto(join_link(server, meeting_id, 3))
        await pad.wait_for_url("**/table?meeting=*")
        await wait_live(pad)
        row = '#health .health-row[data-table="3"]'
        await lead.wait_for_selector(f'{row}[data-online="1"][data-waiting="0"]', timeout=TIMEOUT)
        wifi["eats_commands"] = True
        for text in (
            "Lighting in the underpass",
            "CPTED review of the park",
            "More garbage pickups",
        ):
            await type_comment(pad, text)
        await lead.wait_for_selector(f'{row}[data-waiting="3"]', timeout=TIMEOUT)  # the tablet told
        await pad_context.set_offline(True)
        await pad.evaluate("() => roundtable.socket.drop()")
        await lead.wait_for_selector(
            f'{row}[data-offline="true"][data-waiting="3"]', timeout=TIMEOUT
        )
        assert await lead.locator(f"{row} .flag.offline").is_visible()
        wifi["eats_commands"] = False
        await pad_context.set_offline(False)
        await wait_live(pad, waiting=0)
        await lead.wait_for_selector(
            f'{row}[data-offline="false"][data-waiting="0"][data-now="3"]', timeout=TIMEOUT
        )
    finally:
        await pad_context.close()
        await context.close()


async def test_a_message_from_the_lead_shows_on_every_tablet_until_dismissed(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    try:
        async with tablets(browser, server, meeting_id, 4) as pads:
            await lead.locator("#message-text").fill("2 minutes left")
            await lead.locator("#message-send").click()
            for pad in pads:
                await pad.wait_for_selector("#announcement:not([hidden])", timeout=TIMEOUT)
                assert await pad.locator("#announcement-text").text_content() == "2 minutes left"
            await pads[0].locator("#announcement-dismiss").click()
            await pads[0].wait_for_selector("#announcement", state="hidden")
            await pads[0].reload()
            await wait_live(pads[0])
            assert await pads[0].locator("#announcement").is_hidden()  # dismissed stays dismissed
            await pads[1].reload()
            await wait_live(pads[1])
            await pads[1].wait_for_selector("#announcement:not([hidden])")  # from its state
            await lead.locator("#message-text").fill("Please move to your next table")
            await lead.locator("#message-send").click()
            await pads[0].wait_for_selector("#announcement:not([hidden])", timeout=TIMEOUT)
            assert (
                await pads[0].locator("#announcement-text").text_content()
                == "Please move to your next table"
            )
            await lead.wait_for_selector('#message-last:has-text("Please move")')
    finally:
        await context.close()


async def test_the_lead_runs_the_clock_and_holds_the_wall(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    dialogs: list[str] = []
    no_dialogs(lead, dialogs)
    try:
        await lead.wait_for_selector('#clock[data-state="running"]', timeout=TIMEOUT)
        assert (await lead.locator("#rotation").text_content()) == "Rotation 2 of 4"
        await lead.locator("#pause").click()
        await lead.wait_for_selector('#clock[data-state="paused"]', timeout=TIMEOUT)
        await lead.locator("#resume").click()
        await lead.wait_for_selector('#clock[data-state="running"]', timeout=TIMEOUT)
        before = await lead.evaluate("() => roundtable.state.model.meeting.clock.ends")
        await lead.locator("#extend-minutes").fill("3")
        await lead.locator("#extend").click()
        await lead.wait_for_function(
            f"() => roundtable.state.model.meeting.clock.ends === {before} + 3 * 60 * 1e6",
            timeout=TIMEOUT,
        )
        await lead.locator("#end-rotation").click()  # asks first
        await lead.wait_for_selector("#confirm:not([hidden])")
        await lead.locator("#confirm-no").click()
        assert await lead.locator("#rotation").text_content() == "Rotation 2 of 4"
        await lead.locator("#end-rotation").click()
        await lead.locator("#confirm-yes").click()
        await lead.wait_for_selector('#rotation:text-is("Rotation 3 of 4")', timeout=TIMEOUT)
        await lead.locator("#hold").click()
        await lead.wait_for_selector('#hold[aria-pressed="true"]', timeout=TIMEOUT)
        await lead.locator("#hold").click()
        await lead.wait_for_selector('#hold[aria-pressed="false"]', timeout=TIMEOUT)
        await lead.locator("#freeze").click()
        await lead.wait_for_selector('#freeze[aria-pressed="true"]', timeout=TIMEOUT)
        await lead.reload()  # the freeze is an event: the page finds it again
        await lead.wait_for_selector('#freeze[aria-pressed="true"]', timeout=TIMEOUT)
        await lead.locator("#freeze").click()
        await lead.wait_for_selector('#freeze[aria-pressed="false"]', timeout=TIMEOUT)
        await lead.locator("#to-report").click()
        await lead.locator("#confirm-yes").click()
        offer = lead.locator('#present-offer [data-offer="present"]')
        await offer.wait_for(timeout=TIMEOUT)  # the report-back began: open the presentation?
        async with lead.expect_popup() as opened:
            await offer.get_by_role("button", name="Open the presentation").click()
        presentation = await opened.value
        assert "/present?meeting=" in presentation.url
        await presentation.close()
        await lead.locator("#close-meeting").click()
        await lead.locator("#confirm-yes").click()
        await lead.wait_for_selector('#clock[data-state="closed"]', timeout=TIMEOUT)
        assert await lead.locator("#pause").is_disabled()
        assert dialogs == []
    finally:
        await context.close()


HOSTILE = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "<a href=\"javascript:alert('link')\">click me</a>",
    "\u202eevil reversed text, then normal",
    "W" * 2000,
]


async def test_hostile_comments_are_plain_text_on_the_tablet_and_the_lead_page(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    dialogs: list[str] = []
    no_dialogs(lead, dialogs)
    try:
        async with tablets(browser, server, meeting_id, 1) as (pad,):
            no_dialogs(pad, dialogs)
            for text in HOSTILE:
                await type_comment(pad, text)
            await wait_live(pad, waiting=0)
            shown = await pad.evaluate(
                "() => [...document.querySelectorAll('.comment .text')].map((t) => t.textContent)"
            )
            assert shown == HOSTILE
            await wait_js([lead], TEXTS, HOSTILE)
            # Into a theme (titled by the hostile text itself) and onto the key list.
            await lead.locator(comment(HOSTILE[1])).focus()
            await lead.keyboard.press("n")
            await lead.wait_for_selector(theme(HOSTILE[1]), timeout=TIMEOUT)
            await lead.locator(f"{theme(HOSTILE[1])} .key-toggle").click()
            await wait_js([lead], KEY_ORDER, [HOSTILE[1]])
            await lead.locator(comment(HOSTILE[4])).focus()
            await lead.keyboard.press("t")
            await lead.keyboard.press("Enter")
            await wait_js([lead], THEMES, [[HOSTILE[1], sorted([HOSTILE[1], HOSTILE[4]])]])
            for page in (pad, lead):
                assert (
                    await page.locator(
                        "main script, #comments img, #themes img, #comments a, #themes a"
                    ).count()
                    == 0
                )
                assert await page.evaluate(
                    "() => document.documentElement.scrollWidth <= innerWidth"
                )
            assert await lead.evaluate(
                "() => [...document.querySelectorAll('.pane')]"
                ".every((p) => p.scrollWidth <= p.clientWidth + 1)"
            )
        assert dialogs == []
    finally:
        await context.close()


async def test_a_comment_is_dragged_into_a_theme_by_touch(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    touch_context = None
    try:
        async with tablets(browser, server, meeting_id, 1) as (pad,):
            await type_comment(pad, "Car 40 works")
            await lead.locator("#new-theme-title").fill("Police and nurses together")
            await lead.locator("#new-theme-create").click()
            await lead.wait_for_selector(theme("Police and nurses together"), timeout=TIMEOUT)
        touch_context, tablet_lead = await open_lead(browser, server, meeting_id, touch=True)
        await tablet_lead.wait_for_selector(f"{comment('Car 40 works')} .handle", timeout=TIMEOUT)
        start = await tablet_lead.locator(f"{comment('Car 40 works')} .handle").bounding_box()
        end = await tablet_lead.locator(theme("Police and nurses together")).bounding_box()
        assert start
        assert end
        cdp = await touch_context.new_cdp_session(tablet_lead)
        x0, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        x1, y1 = end["x"] + end["width"] / 2, end["y"] + 12
        await finger(cdp, "touchStart", x0, y0)
        for step in range(1, 9):
            await finger(cdp, "touchMove", x0 + (x1 - x0) * step / 8, y0 + (y1 - y0) * step / 8)
        await lift(cdp)
        expected = [["Police and nurses together", ["Car 40 works"]]]
        await wait_js([tablet_lead, lead], THEMES, expected)
    finally:
        if touch_context:
            await touch_context.close()
        await context.close()


async def test_the_lead_saves_the_join_sheets_to_print(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await open_lead(browser, server, meeting_id)
    try:
        async with lead.expect_download() as waiting:
            await lead.click("#join-sheets")
        downloaded = await waiting.value
        assert downloaded.suggested_filename == f"join-sheets-{meeting_id}.html"
        sheets = await asyncio.to_thread((await downloaded.path()).read_text)
        assert sheets.count('class="sheet"') == 4
    finally:
        await context.close()
