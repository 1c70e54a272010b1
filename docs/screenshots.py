"""Screenshots of the tablet page, from the real page in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.screenshots``. It seeds the
Kamloops rehearsal into a temporary database, starts a real server, joins table 1 with the
join sheet's link, types a few points, and saves the page live and offline (with points
waiting), in landscape (1024 by 768) and portrait (768 by 1024), as ``docs/tablet-*.png``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from tests.browser import ARGS, CHROMIUM, LANDSCAPE, PORTRAIT, join_tablet, type_comment
from tests.servers import Server, seed_evening, serve

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


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_evening(db, minutes_ago=19)
        with serve(db, logs=Path(tmp)) as server:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await shoot(browser, server, meeting_id, 1)
                await browser.close()
    print("saved", *sorted(p.name for p in DOCS.glob("tablet-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
