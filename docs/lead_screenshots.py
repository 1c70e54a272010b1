"""Screenshots of the lead's page, from the real page in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.lead_screenshots``. It seeds the
Kamloops rehearsal into a temporary database with rotation 4 running, starts a real server,
types the evening's comments in and themes them as the lead (over the live protocol: the
published report's key themes, and one theme across three topics), joins the tablets of
tables 1 to 3, and opens ``/lead`` from a one-time sign-in link. It saves the page at 1366 by
768 (41 themes: the 40 key themes of the published report and one across topics) and 1920 by
1080, a theme found by typing, the keyboard's theme picker, and a tablet showing the lead's
message, as ``docs/lead-*.png``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from client.live import LiveClient
from client.simulation import comment_id, comments_of
from events.instants import MINUTE
from events.log.store import now_micros
from harness.browser import ARGS, CHROMIUM, join_tablet, page_url, post
from harness.key_themes import DATA, promote, seed_started, type_evening
from harness.servers import Server, serve, token

DOCS = Path(__file__).resolve().parent
DETOX = ("detox", "treatment", "sobering")


async def across_topics(server: Server, meeting_id: str) -> None:
    """The theme the Kamloops evening is known for: detox and treatment beds, three tables."""
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as lead:
        data = {"theme_id": "x-detox", "title": "Detox and treatment beds", "topic": None}
        await lead.command("create_theme", data)
        for table, typed in sorted(comments_of(DATA).items()):
            for item in typed:
                if item.parent is None and any(word in item.text.lower() for word in DETOX):
                    cid = comment_id(meeting_id, item.data_id)
                    ref = {"theme_id": "x-detox", "table": table, "comment_id": cid}
                    await lead.command("add_to_theme", ref)


async def open_lead(
    browser: Browser, server: Server, meeting_id: str, width: int, height: int
) -> tuple[BrowserContext, Page]:
    links = f"{server.base}/api/meetings/{meeting_id}/links"
    made = post(links, token(meeting_id, "lead"), {"role": "lead"})
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    await page.goto(page_url(server, "/lead" + made["url"].split("/lead", 1)[1]))
    await page.wait_for_selector('#status[data-state="live"]')
    await page.wait_for_selector("#themes .theme")
    await page.wait_for_selector('#health .health-row[data-online="1"]')
    return context, page


async def shoot(browser: Browser, server: Server, meeting_id: str) -> None:
    pads = [await join_tablet(browser, server, meeting_id, table) for table in (1, 2, 3)]
    context, lead = await open_lead(browser, server, meeting_id, 1366, 768)
    await lead.wait_for_selector('#health .health-row[data-online="1"] >> nth=2')
    await lead.wait_for_selector('#devices tr[data-status="online"] >> nth=2')
    await lead.screenshot(path=DOCS / "lead-1366x768.png")

    # The break: forty-one themes, one opened, and one found by typing part of its title.
    await lead.locator("#themes .theme-open >> nth=0").click()
    await lead.locator("#theme-find").fill("treatment")
    await lead.wait_for_selector("#theme-found:not(:empty)")
    await lead.screenshot(path=DOCS / "lead-find-theme-1366x768.png")
    await lead.locator("#theme-find").fill("")

    await lead.locator("#filter-topic").select_option("social-health")
    await lead.locator("#filter-question").select_option("advocacy")
    await lead.locator("#comments .lead-comment >> nth=3").focus()
    await lead.keyboard.press("t")
    await lead.wait_for_selector("#picker:not([hidden])")
    await lead.screenshot(path=DOCS / "lead-picker-1366x768.png")
    await lead.keyboard.press("Escape")

    await lead.locator("#message-text").fill("2 minutes left: please finish your last point")
    await lead.locator("#message-send").click()
    pad = pads[0][1]
    await pad.wait_for_selector("#announcement:not([hidden])")
    await pad.screenshot(path=DOCS / "lead-message-on-tablet.png")
    await context.close()

    wide, page = await open_lead(browser, server, meeting_id, 1920, 1080)
    await page.wait_for_selector('#devices tr[data-status="online"] >> nth=2')
    await page.screenshot(path=DOCS / "lead-1920x1080.png")
    await wide.close()
    for pad_context, _ in pads:
        await pad_context.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_started(db, now_micros() - 52 * MINUTE)  # rotation 4 runs
        with serve(db, logs=Path(tmp)) as server:
            await type_evening(server.ws, meeting_id)
            await promote(server.ws, meeting_id)
            await across_topics(server, meeting_id)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await shoot(browser, server, meeting_id)
                await browser.close()
    print("saved", *sorted(p.name for p in DOCS.glob("lead-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
