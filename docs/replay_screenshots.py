"""Screenshots of the replay page mid-evening, from the real page: a Kamloops evening typed
through the protocol on the evening's fast clock (``harness/replay_evening.py``), then the page
at 19:20 (late in rotation 2) showing the theme wall, table 2 with a comment's history, and
the report-back; and the history panel of a theme, in words, at the end of the evening.

    .venv/bin/python docs/replay_screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright

from harness.browser import ARGS, CHROMIUM, page_url
from harness.present_page import stored_session
from harness.replay_evening import run_evening, schedule, serve_evening

DOCS = Path(__file__).resolve().parent
SHOTS = (("wall", "wall"), ("table:2", "table"), ("report", "report-back"))


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "evening.db")
        meeting_id = await schedule(db)
        with serve_evening(db, Path(folder)) as server:
            await run_evening(server, meeting_id)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = await browser.new_context(viewport={"width": 1440, "height": 1100})
                await context.add_init_script(stored_session(meeting_id, "staff", "staff-shots"))
                page = await context.new_page()
                base = page_url(server, f"/replay?meeting={meeting_id}&at=19:20")
                for view, name in SHOTS:
                    await page.goto(f"{base}&view={view}")
                    await page.wait_for_selector(f'#replay[data-state="ready"][data-view="{view}"]')
                    if view == "table:2":
                        await page.locator("#table-box button.rc-text").nth(1).click()
                        await page.wait_for_selector('#history[data-state="ready"]')
                    await page.screenshot(path=str(DOCS / f"replay-{name}.png"), full_page=True)
                    print(f"docs/replay-{name}.png")
                await page.goto(f"{base}&view=wall&at=20:10")  # a theme's whole history
                await page.wait_for_selector('#replay[data-state="ready"][data-view="wall"]')
                await page.locator("#board .theme-title button", has_text="Visible patrols").click()
                await page.wait_for_selector('#history[data-state="ready"]')
                await page.locator("#history").screenshot(path=str(DOCS / "replay-history.png"))
                print("docs/replay-history.png")
                await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
