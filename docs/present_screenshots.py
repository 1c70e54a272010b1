"""Screenshots of the report-back's presentation page, from the real page in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.present_screenshots``. It seeds the
Kamloops rehearsal into a temporary database with its roundtables over, starts a real server,
types the evening's comments in and promotes the published report's key themes as the lead
(over the live protocol), then opens ``/present`` as an observer and saves one topic's screen
at 1920 by 1080, 1280 by 720 and 1024 by 768 (there in parts: its first), and the overview
at 1920 by 1080, as ``docs/present-*.png``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from events.instants import MINUTE
from events.log.store import now_micros
from harness.browser import ARGS, CHROMIUM
from harness.key_themes import promote, seed_started, type_evening
from harness.present_page import open_present
from harness.servers import Server, serve

DOCS = Path(__file__).resolve().parent
TOPIC = "topic:social-health"
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "1024x768": (1024, 768)}


async def shoot(browser: Browser, server: Server, meeting_id: str) -> None:
    for name, (width, height) in SIZES.items():
        context, page = await open_present(
            browser, server, meeting_id, "observer", {"width": width, "height": height}, TOPIC
        )
        await page.screenshot(path=DOCS / f"present-topic-{name}.png")
        if name == "1920x1080":
            await page.keyboard.press("Home")
            await page.wait_for_selector('#present[data-screen="overview"]')
            await page.screenshot(path=DOCS / f"present-overview-{name}.png")
        await context.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_started(db, now_micros() - 66 * MINUTE)
        with serve(db, logs=Path(tmp)) as server:
            await type_evening(server.ws, meeting_id)
            await promote(server.ws, meeting_id)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await shoot(browser, server, meeting_id)
                await browser.close()
    print("saved", *sorted(p.name for p in DOCS.glob("present-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
