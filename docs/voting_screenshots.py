"""Screenshots of the room's vote, from the real pages in Chromium.

Run from the repository root: ``.venv/bin/python -m docs.voting_screenshots``. It seeds the
Kamloops rehearsal into a temporary database, starts a real server, and as the lead promotes
the published report's key themes of Crime Prevention and opens a vote on them (3 dots a
phone, counts live). Fourteen phones vote over HTTP and one more in Chromium at a phone's
size on the wall's short link (plain http on a LAN name); the lead types 6 dots counted on
paper. It saves the phone page (``docs/vote-phone.png``), the wall and the presentation
while voting is open (``docs/vote-wall.png``, ``docs/vote-present.png``), the lead's
controls (``docs/vote-lead.png``) and the presentation once voting is closed
(``docs/vote-present-closed.png``).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

from client.live import LiveClient
from harness.browser import ARGS, CHROMIUM
from harness.key_themes import DATA, title
from harness.lead_page import open_lead
from harness.present_page import open_present
from harness.servers import Server, seed_evening, serve, token
from harness.voting_evening import Phone, voting_code
from harness.wall_page import open_wall

DOCS = Path(__file__).resolve().parent
TOPIC = "crime-prevention"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


async def open_vote(server: Server, meeting_id: str) -> list[str]:
    """As the lead: the topic's key themes on the wall, and a vote on them; their ids."""
    ids = []
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as lead:
        for n, item in enumerate(k for k in DATA["key_themes"] if k["topic"] == TOPIC):
            theme_id = f"k-{n}"
            data = {"theme_id": theme_id, "title": title(item["text"]), "topic": TOPIC}
            await lead.command("create_theme", {**data, "question": item["question"]})
            await lead.command("set_key_theme", {"theme_id": theme_id, "key": True})
            ids.append(theme_id)
        await lead.command("open_voting", {"topic": TOPIC, "dots": 3, "shown": "live"})
    return ids


async def phones_vote(server: Server, meeting_id: str, ids: list[str]) -> None:
    """Fourteen phones, three dots each, leaning to the first themes (a seeded draw)."""
    draw = random.Random(15)
    code = voting_code(server, meeting_id)
    for _ in range(14):
        phone = Phone(server, code)
        await phone.start()
        for theme in draw.choices(ids, weights=range(len(ids), 0, -1), k=3):
            status, answer = await phone.dot(theme)
            assert status == 200, answer


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "evening.db")
        meeting_id = await seed_evening(db, minutes_ago=64)
        with serve(db, logs=Path(folder)) as server:
            ids = await open_vote(server, meeting_id)
            await phones_vote(server, meeting_id, ids)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                wall_context, wall = await open_wall(browser, server, meeting_id, PROJECTOR)
                await wall.wait_for_selector("#voting:not([hidden]) .vote-qr")
                url = await wall.locator("#voting .vote-url").text_content()
                phone_context = await browser.new_context(
                    viewport=PHONE,  # type: ignore[arg-type]
                    has_touch=True,
                    is_mobile=True,
                    device_scale_factor=2,
                )
                phone = await phone_context.new_page()
                await phone.goto(f"http://{url}")
                await phone.wait_for_selector('#vote[data-state="open"]')
                for theme, left in ((ids[1], 2), (ids[1], 1)):
                    await phone.locator(f"#place-{theme}").tap()
                    await phone.wait_for_selector(f'#vote[data-left="{left}"]')
                await phone.screenshot(path=DOCS / "vote-phone.png")
                async with LiveClient(server.ws, token(meeting_id, "lead")) as lead:
                    await lead.command("count_paper_dots", {"theme_id": ids[0], "dots": 6})
                present_context, present = await open_present(
                    browser, server, meeting_id, "observer", PROJECTOR
                )
                await present.wait_for_selector(
                    f'#voting[data-open="true"] .vote-count[data-theme="{ids[0]}"]'
                )
                await wall.wait_for_selector('#voting[data-open="true"] .vote-heading')
                await wall.screenshot(path=DOCS / "vote-wall.png")
                await present.screenshot(path=DOCS / "vote-present.png")
                lead_context, lead_page = await open_lead(browser, server, meeting_id)
                await lead_page.locator("#voting-summary").click()
                await lead_page.wait_for_selector(f'.voting-count[data-theme="{ids[0]}"]')
                await lead_page.locator(".lead-voting").screenshot(path=DOCS / "vote-lead.png")
                await lead_page.locator("#voting-close").click()
                await present.wait_for_selector('#voting[data-open="false"]')
                await present.screenshot(path=DOCS / "vote-present-closed.png")
                for context in (wall_context, phone_context, present_context, lead_context):
                    await context.close()
                await browser.close()
    print("saved docs/vote-phone.png, vote-wall.png, vote-present.png, vote-lead.png, ")
    print("      vote-present-closed.png")


if __name__ == "__main__":
    asyncio.run(main())
