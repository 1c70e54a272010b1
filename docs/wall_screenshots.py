"""Screenshots and legibility figures of the projected wall, from the real page in Chromium.

Run from the repository root: ``.venv/bin/python -m docs.wall_screenshots``. It seeds the
Kamloops rehearsal into a temporary database with rotation 4 running, starts a real server,
types the whole evening in over the live protocol (204 comments) and themes it as the lead
would: the published report's 40 key themes and a theme across topics. The lead lets comments
on the wall one by one and approves two. At 1920x1080, 1280x720 and 1024x768 it turns the
wall through one cycle of pages, measures every visible character's font size on each
(``harness/legibility.py``), saves the first page (``docs/wall-WxH.png``) and the hold screen
(``docs/wall-hold.png``), and writes the figures into docs/wall.md between its figure marks.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from bench.figures import machine
from client.live import LiveClient
from client.simulation import comment_id, comments_of
from events.instants import MINUTE
from events.log.store import now_micros
from harness.browser import ARGS, CHROMIUM
from harness.key_themes import DATA, promote, seed_started, type_evening
from harness.legibility import ROOM_PX, Legibility
from harness.servers import Server, serve, token
from harness.wall_page import cycle, open_wall, wait_quote

DOCS = Path(__file__).resolve().parent
SIZES = ((1920, 1080), (1280, 720), (1024, 768))
APPROVED = [(2, 5), (4, 12)]
"""The lead approves these comments for the wall: (table, its n-th comment)."""
MARKS = ("<!-- wall figures -->", "<!-- /wall figures -->")


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


async def approve_two(server: Server, meeting_id: str) -> list[str]:
    """As the lead: comments on the wall when approved, and two approved; their texts."""
    typed = comments_of(DATA)
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as lead:
        await lead.command("set_wall_rule", {"rule": "approve"})
        for table, n in APPROVED:
            cid = comment_id(meeting_id, typed[table][n].data_id)
            await lead.command("approve_comment", {"table": table, "comment_id": cid})
    return [typed[table][n].text for table, n in APPROVED]


async def shoot(browser: Browser, server: Server, meeting_id: str, quoted: list[str]) -> list[str]:
    """The figures of each size, one line each; the screenshots."""
    lines = []
    for width, height in SIZES:
        context, page = await open_wall(
            browser, server, meeting_id, {"width": width, "height": height}
        )
        await wait_quote(page, quoted[-1])
        await page.screenshot(path=DOCS / f"wall-{width}x{height}.png")
        pages = await cycle(page)
        whole = Legibility(
            width,
            height,
            _sum([m.sizes for _, m in pages]),
            [c for _, m in pages for c in m.cut],
            [b for _, m in pages for b in m.broken],
        )
        themes = sum(len(t) for t, _ in pages)
        lines.append(f"- {whole.line()}; {len(pages)} pages a cycle, {themes} themes shown")
        if width == 1920:
            async with LiveClient(
                server.ws, token(meeting_id, "lead", device="lead-laptop")
            ) as lead:
                await lead.command("hold_wall", {"held": True})
                await page.wait_for_selector('#wall[data-held="true"]')
                await page.screenshot(path=DOCS / "wall-hold.png")
                await lead.command("hold_wall", {"held": False})
        await context.close()
    return lines


def _sum(all_sizes: list[dict[float, int]]) -> dict[float, int]:
    total: dict[float, int] = {}
    for sizes in all_sizes:
        for size, n in sizes.items():
            total[size] = total.get(size, 0) + n
    return total


def write_figures(lines: list[str]) -> None:
    """The figures into docs/wall.md, between its marks."""
    path = DOCS / "wall.md"
    text = path.read_text()
    start, end = text.index(MARKS[0]) + len(MARKS[0]), text.index(MARKS[1])
    body = "\n".join(
        [
            "",
            f"Measured over one cycle of pages, the whole Kamloops evening on the wall "
            f"(the room's size: {ROOM_PX} px per 1080 lines); {machine()}:",
            "",
            *lines,
            "",
        ]
    )
    path.write_text(text[:start] + body + text[end:])


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "evening.db")
        meeting_id = await seed_started(db, now_micros() - 52 * MINUTE)
        with serve(db, logs=Path(tmp)) as server:
            await type_evening(server.ws, meeting_id)
            await promote(server.ws, meeting_id)
            await theme_across_topics(server, meeting_id)
            quoted = await approve_two(server, meeting_id)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                lines = await shoot(browser, server, meeting_id, quoted)
                await browser.close()
    print("\n".join(lines))
    write_figures(lines)
    print("saved", *sorted(p.name for p in DOCS.glob("wall-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
