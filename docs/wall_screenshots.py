"""Screenshots of the projected wall, from the real page in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.wall_screenshots``. It seeds the
Kamloops rehearsal into a temporary database with rotation 4 running, starts a real server,
types the evening's comments in over the live protocol, and themes them as the lead would
have by then: the published report's key themes for three topics (the fourth not grouped yet)
and a theme across topics. Two more comments arrive just before each picture (highlighted).
It saves the wall at 1920 by 1080 and 1024 by 768 and the hold screen at 1920 by 1080, as
``docs/wall-*.png``.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from client.live import LiveClient
from client.simulation import comment_id, comments_of
from events.instants import MINUTE
from events.store import now_micros
from tests.browser import ARGS, CHROMIUM
from tests.key_themes import DATA, key_themes, promote, seed_started, type_evening
from tests.servers import Server, serve, token
from tests.wall_page import open_wall, wait_feed, wait_wall

DOCS = Path(__file__).resolve().parent
SIZES = {"1920x1080": (1920, 1080), "1024x768": (1024, 768)}
NOT_YET = "enforcement-justice"
LATE = [
    [
        (2, "coordination", "One intake line for detox and treatment beds"),
        (4, "advocacy", "Bail reform: ask the province for a clear position"),
    ],
    [
        (1, "advocacy", "Funding for a sobering centre that stays open at night"),
        (3, "working-well", "Downtown ambassadors walking the riverfront"),
    ],
]


async def theme_across_topics(server: Server, meeting_id: str) -> None:
    """As the lead: a theme gathering every table's comments on detox and treatment."""
    words = re.compile(r"detox|treatment", re.IGNORECASE)
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as lead:
        data = {"theme_id": "x-detox", "title": "Detox and treatment beds", "topic": None}
        await lead.command("create_theme", data)
        for table, typed in sorted(comments_of(DATA).items()):
            for item in typed:
                if words.search(item.text):
                    ref = {"theme_id": "x-detox", "table": table}
                    cid = comment_id(meeting_id, item.data_id)
                    await lead.command("add_to_theme", {**ref, "comment_id": cid})


async def type_late(server: Server, meeting_id: str, round_: int) -> None:
    """Two comments typed at the tables just now (they show highlighted)."""
    for table, question, text in LATE[round_]:
        tablet = token(meeting_id, "facilitator", table, f"tablet-{table}")
        async with LiveClient(server.ws, tablet) as client:
            data = {"comment_id": f"late-{round_}-{table}", "question": question, "text": text}
            await client.command("add_comment", data)


async def shoot(browser: Browser, server: Server, meeting_id: str) -> None:
    for round_, (name, (width, height)) in enumerate(SIZES.items()):
        viewport = {"width": width, "height": height}
        context, page = await open_wall(browser, server, meeting_id, viewport)
        await type_late(server, meeting_id, round_)
        await wait_feed(page, LATE[round_][-1][2])
        await page.wait_for_timeout(600)  # the highlight at its brightest, as the room sees it
        await page.screenshot(path=DOCS / f"wall-{name}.png")
        if name == "1920x1080":
            lead_token = token(meeting_id, "lead", device="lead-laptop")
            async with LiveClient(server.ws, lead_token) as lead:
                await lead.command("hold_wall", {"held": True})
                await page.wait_for_selector('#wall[data-held="true"]')
                await page.screenshot(path=DOCS / "wall-hold.png")
                await lead.command("hold_wall", {"held": False})
                await page.wait_for_selector('#wall[data-held="false"]')
            await wait_wall(page)
        await context.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_started(db, now_micros() - 52 * MINUTE)
        with serve(db, logs=Path(tmp)) as server:
            await type_evening(server.ws, meeting_id)
            skip = {scope for scope in key_themes() if scope[0] == NOT_YET}
            await promote(server.ws, meeting_id, skip=skip)
            await theme_across_topics(server, meeting_id)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await shoot(browser, server, meeting_id)
                await browser.close()
    print("saved", *sorted(p.name for p in DOCS.glob("wall-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
