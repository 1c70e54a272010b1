"""The lead's page at the break, with forty themes: in real headless Chromium at 1366 by 768,
against a real server. The themes are made over the live protocol as the lead
(``harness/lead_page.py``); what is tested is done on the page, by mouse, finger and keyboard.

A dragged comment held at the themes pane's edge must scroll the pane without the wheel; the
theme form is a few Tab presses from the top, whatever the number of comments; a theme is
found by typing part of its title. Every wait is on the page's state, never a sleep.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page

from harness.lead_page import TIMEOUT, finger, lift, make_themes, open_lead, type_comments
from harness.servers import Server
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

TITLES = [f"Theme {n:02d}: {w}" for n, w in enumerate(["beds"] * 39 + ["youth at night"], 1)]
LAST = TITLES[-1]
TEXTS = ["Car 40 works", "Lighting in the underpass", *(f"Point {n}" for n in range(1, 31))]

PANE = (
    "() => { const p = document.getElementById('themes-scroll');"
    " const b = p.getBoundingClientRect();"
)
PANE_BOX = PANE + " return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; }"
AT_END = PANE + " return p.scrollTop > 0 && p.scrollTop >= p.scrollHeight - p.clientHeight - 1; }"
AT_TOP = "() => document.getElementById('themes-scroll').scrollTop === 0"
SMALLEST = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const sizes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent || parent.closest('[hidden], select')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (!box.width || box.bottom < 0 || box.top > innerHeight) continue;
    sizes.push([parseFloat(getComputedStyle(parent).fontSize), node.textContent.trim()]);
  }
  return sizes.sort((a, b) => a[0] - b[0])[0];
}"""


def card(title: str) -> str:
    return f'#themes .theme:has(.theme-title:text-is("{title}"))'


def comment(text: str) -> str:
    return f'#comments .lead-comment:has(.text:text-is("{text}"))'


async def members(page: Page, title: str) -> Any:
    return await page.locator(f"{card(title)} .member .text").all_text_contents()


async def centre(page: Page, selector: str) -> tuple[float, float]:
    box = await page.locator(selector).bounding_box()
    assert box
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def forty_themes(browser: Browser, server: Server, meeting_id: str) -> tuple[Any, Page]:
    await make_themes(server, meeting_id, TITLES)
    await type_comments(server, meeting_id, 1, TEXTS)
    context, lead = await open_lead(browser, server, meeting_id)
    await lead.locator("#themes .theme").nth(39).wait_for(timeout=TIMEOUT)
    await lead.locator(comment(TEXTS[-1])).wait_for(timeout=TIMEOUT)
    return context, lead


async def test_forty_themes_a_comment_dragged_to_the_last_by_mouse_and_by_touch(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await forty_themes(browser, server, meeting_id)
    touch_context = None
    try:
        # Cards show title and count: forty of them still need the pane to scroll, and the
        # last one is out of sight below.
        assert await lead.locator("#themes .theme[data-open='false']").count() == 40
        pane = await lead.evaluate(PANE_BOX)
        _, last_y = await centre(lead, card(LAST))
        assert last_y > pane["bottom"]
        await assert_accessible(lead, "the lead's page with forty themes")
        size, text = await lead.evaluate(SMALLEST)
        assert size >= 12, f"{text!r} is {size} px"  # the smallest text shown, legible

        # By mouse: pick the comment up, hold it at the pane's bottom edge without moving;
        # the pane scrolls by itself to its end, where the last theme is: let go there.
        x0, y0 = await centre(lead, comment(TEXTS[0]))
        await lead.mouse.move(x0, y0)
        await lead.mouse.down()
        edge_x = (pane["left"] + pane["right"]) / 2
        await lead.mouse.move(edge_x, pane["bottom"] - 8, steps=10)
        await lead.wait_for_function(AT_END, timeout=TIMEOUT)
        await lead.mouse.up()
        await lead.wait_for_selector(f"{card(LAST)} .theme-count:has-text('1 comment')")
        assert await members(lead, LAST) == [TEXTS[0]]

        # Back up, held at the top edge, by mouse again (the pane scrolls both ways).
        x1, y1 = await centre(lead, comment(TEXTS[1]))
        await lead.mouse.move(x1, y1)
        await lead.mouse.down()
        await lead.mouse.move(edge_x, pane["top"] + 6, steps=10)
        await lead.wait_for_function(AT_TOP, timeout=TIMEOUT)
        await lead.keyboard.press("Escape")  # dropped nowhere
        await lead.mouse.up()

        # By touch, on a touch laptop: the handle, held at the bottom edge, the same.
        touch_context, screen = await open_lead(browser, server, meeting_id, touch=True)
        await screen.locator("#themes .theme").nth(39).wait_for(timeout=TIMEOUT)
        cdp = await touch_context.new_cdp_session(screen)
        pane = await screen.evaluate(PANE_BOX)
        edge_x = (pane["left"] + pane["right"]) / 2
        tx, ty = await centre(screen, f"{comment(TEXTS[1])} .handle")
        await finger(cdp, "touchStart", tx, ty)
        for step in range(1, 11):
            x = tx + (edge_x - tx) * step / 10
            y = ty + (pane["bottom"] - 8 - ty) * step / 10
            await finger(cdp, "touchMove", x, y)
        await screen.wait_for_function(AT_END, timeout=TIMEOUT)
        await lift(cdp)
        for page in (screen, lead):
            await page.wait_for_selector(f"{card(LAST)} .theme-count:has-text('2 comments')")
        assert sorted(await members(lead, LAST)) == sorted(TEXTS[:2])
    finally:
        if touch_context:
            await touch_context.close()
        await context.close()


async def test_the_theme_form_is_a_few_tabs_from_the_top_and_a_theme_is_found_by_typing(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context, lead = await forty_themes(browser, server, meeting_id)
    try:
        # From the top of the page, with 32 comments listed before the themes pane.
        await lead.evaluate("() => document.activeElement && document.activeElement.blur()")
        presses = 0
        while presses < 5:
            await lead.keyboard.press("Tab")
            presses += 1
            label = await lead.evaluate("() => document.activeElement.textContent")
            if label == "Skip to the theme form":
                break
        assert label == "Skip to the theme form", label
        await lead.keyboard.press("Enter")
        assert await lead.evaluate("() => document.activeElement.id") == "new-theme-title"
        await lead.keyboard.type("Lighting and safety")
        await lead.keyboard.press("Enter")
        await lead.locator(card("Lighting and safety")).wait_for(timeout=TIMEOUT)

        # The comments are one Tab stop (the arrows move along them), not 32.
        tabbable = await lead.evaluate(
            "() => document.querySelectorAll('#comments .lead-comment[tabindex=\"0\"]').length"
        )
        assert tabbable == 1

        # The pane's jumps: to all the themes, past the suggestions and key themes.
        await lead.locator("#jump-themes").click()
        await lead.wait_for_function(
            """() => {
              const p = document.getElementById('themes-scroll');
              const to = Math.min(document.getElementById('themes').offsetTop,
                                  p.scrollHeight - p.clientHeight);
              return p.scrollTop > 0 && Math.abs(p.scrollTop - to) <= 1
                && document.activeElement.id === 'themes';
            }""",
            timeout=TIMEOUT,
        )

        # Find a theme by typing part of its title; Enter goes to it, Enter opens it.
        await lead.locator("#theme-find").fill("youth")
        await lead.wait_for_function(
            "() => document.querySelectorAll('#themes .theme').length === 1", timeout=TIMEOUT
        )
        assert await lead.locator("#themes .theme-title").all_text_contents() == [LAST]
        assert await lead.locator("#theme-found").text_content() == "1 of 41"
        await lead.locator("#theme-find").press("Enter")
        await lead.keyboard.press("Enter")
        await lead.wait_for_selector(f"{card(LAST)}[data-open='true'] .merge-into")
        await assert_accessible(lead, "the lead's page, a theme found and opened")
        await lead.locator("#theme-find").fill("BEDS")  # any case
        await lead.wait_for_function(
            "() => document.querySelectorAll('#themes .theme').length === 39", timeout=TIMEOUT
        )
        await lead.locator("#theme-find").press("Escape")
        await lead.wait_for_function(
            "() => document.querySelectorAll('#themes .theme').length === 41", timeout=TIMEOUT
        )

        # The keyboard's move: T on a comment, the picker, Enter: the card scrolls into view.
        await lead.locator(comment(TEXTS[2])).focus()
        await lead.keyboard.press("t")
        await lead.wait_for_selector("#picker:not([hidden])")
        await lead.locator("#picker-list").select_option(label=f"{LAST} — Across topics")
        await lead.keyboard.press("Enter")
        await lead.wait_for_selector(f"{card(LAST)} .theme-count:has-text('1 comment')")
        await lead.wait_for_function(
            """() => {
              const pane = document.getElementById('themes-scroll').getBoundingClientRect();
              const c = document.querySelector('[data-theme-id="theme-40"]')
                .getBoundingClientRect();
              return c.top >= pane.top && c.bottom <= pane.bottom;
            }""",
            timeout=TIMEOUT,
        )
    finally:
        await context.close()
