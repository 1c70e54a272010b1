"""Screenshots of the tablet page, from the real page in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.screenshots``. It seeds the
Kamloops rehearsal into a temporary database, starts a real server, joins table 1 with the
join sheet's link, types a few points, and saves the page live and offline (with points
waiting), in landscape (1024 by 768) and portrait (768 by 1024), as ``docs/tablet-*.png``;
then the states a facilitator meets besides: the server gone silent (its process stopped),
the keyboard's focus leaving the comment box, a reopened page over a table's saved points,
signed out with points to copy, and the join page.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from harness.browser import (
    ARGS,
    CHROMIUM,
    LANDSCAPE,
    PORTRAIT,
    join_tablet,
    page_url,
    post,
    type_comment,
)
from harness.servers import Server, seed_evening, serve, token

DOCS = Path(__file__).resolve().parent

POINTS = [
    ("Interagency situation table meets weekly", None),
    ("Fast referrals between outreach and housing", "sub"),
    ("Same-day appointments at the clinic", "sub"),
    ("Car 40 (RCMP with a mental health nurse)", "top"),
    ("Navigators who know every service", "top"),
]
OFFLINE = ["Peer support workers in the shelters", "Weekend hours for the detox line"]


async def shoot(browser: Browser, server: Server, meeting_id: str, table: int) -> None:
    for name, viewport in (("landscape", LANDSCAPE), ("portrait", PORTRAIT)):
        context, page = await join_tablet(browser, server, meeting_id, table, viewport=viewport)
        draft = page.locator("#draft")
        for text, level in POINTS:
            if level == "sub":
                await draft.press("Control+BracketRight")
            elif level == "top":
                await draft.press("Control+BracketLeft")
            await type_comment(page, text)
        await page.wait_for_selector('#status[data-state="live"][data-waiting="0"]')
        await draft.fill("Youth outreach after school")
        await page.screenshot(path=DOCS / f"tablet-{name}-live.png")
        await context.set_offline(True)
        await page.evaluate("() => roundtable.socket.drop()")
        await draft.fill("")
        for text in OFFLINE:
            await type_comment(page, text)
        await page.wait_for_selector('#status[data-state="offline"]')
        await page.screenshot(path=DOCS / f"tablet-{name}-offline.png")
        await context.close()
        table += 1  # a fresh table for each orientation


async def shoot_states(browser: Browser, server: Server, meeting_id: str) -> None:
    """The new states, in portrait, at table 3."""
    context, page = await join_tablet(browser, server, meeting_id, 3, viewport=PORTRAIT)
    for text, _ in POINTS[:3]:
        await type_comment(page, text)
    await page.wait_for_selector('#status[data-state="live"][data-waiting="0"]')
    await page.reload()  # opened again: the table's saved points are counted
    await page.wait_for_selector('#status[data-state="live"][data-waiting="0"]')
    await page.locator("#draft").focus()
    await page.keyboard.press("Tab")  # the keyboard leaves the box, and shows where it is
    await page.screenshot(path=DOCS / "tablet-reopened-focus.png")

    os.kill(server.process.pid, signal.SIGSTOP)  # the server stops answering
    try:
        for text in OFFLINE:
            await type_comment(page, text)
        await page.wait_for_selector('#status[data-state="offline"][data-waiting="2"]')
        await page.screenshot(path=DOCS / "tablet-silent-server.png")
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    await page.wait_for_selector('#status[data-state="live"][data-waiting="0"]')

    await context.set_offline(True)
    await type_comment(page, "Typed after the lead signed this tablet out")
    session = f"roundtable:session:{meeting_id}"
    device = await page.evaluate(f"() => JSON.parse(localStorage.getItem({session!r})).device_id")
    lead = token(meeting_id, "lead")
    post(f"{server.base}/api/meetings/{meeting_id}/devices/{device}/revoke", lead)
    await context.set_offline(False)
    await page.wait_for_selector('#status[data-state="refused"]')
    await page.screenshot(path=DOCS / "tablet-signed-out.png")
    await context.close()

    context = await browser.new_context(viewport=PORTRAIT)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(page_url(server, "/join"))
    await page.locator("#meeting").fill(meeting_id)
    await page.locator("#code").fill("7Q4K-PX2M")
    await page.locator("#name").fill("Anna's iPad")
    await page.locator("button[type=submit]").click()
    await page.wait_for_selector('#message[data-state="error"]')
    await page.screenshot(path=DOCS / "join-refused.png")
    await context.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_evening(db, minutes_ago=19)
        with serve(db, logs=Path(tmp)) as server:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await shoot(browser, server, meeting_id, 1)
                await shoot_states(browser, server, meeting_id)
                await browser.close()
    print("saved", *sorted(p.name for p in [*DOCS.glob("tablet-*.png"), DOCS / "join-refused.png"]))


if __name__ == "__main__":
    asyncio.run(main())
