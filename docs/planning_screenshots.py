"""Screenshots of the front page and the planning page, from the real pages: a server started
on an empty database, its first organiser signed in from the printed link, the Riverside forum
planned from the Kamloops template (``harness/plan_page.py``) with a refusal shown beside its
field, then saved; at a laptop's size (1366x768) and a tablet's (1024x768).

    .venv/bin/python docs/planning_screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Page, async_playwright

from harness.browser import ARGS, CHROMIUM, page_url
from harness.plan_page import (
    LAPTOP,
    TABLET,
    TIMEOUT,
    field_error,
    new_plan,
    open_front,
    plan_riverside,
    save,
)
from harness.servers import serve

DOCS = Path(__file__).resolve().parent


async def shot(page: Page, name: str, *, full: bool = False) -> None:
    await page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full)
    print(f"docs/{name}.png")


async def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        serve(Path(folder) / "new.db", logs=Path(folder)) as server,
    ):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context, page = await open_front(browser, server)
            await new_plan(page)
            await plan_riverside(page, title="Riverside Neighbourhood Forum", count=4)
            await save(page)
            await field_error(page, "rotation")
            await page.locator("#error-rotation").scroll_into_view_if_needed()
            await shot(page, "planning-error-1366x768")
            await page.fill("#count", "3")
            await page.locator("#timeline").scroll_into_view_if_needed()
            await shot(page, "planning-timeline-1366x768")
            await save(page)
            await page.wait_for_selector('#planner[data-state="editing"]', timeout=TIMEOUT)
            await page.evaluate("window.scrollTo(0, 0)")
            await shot(page, "planning-saved-1366x768")
            await page.goto(page_url(server, "/"))
            await page.wait_for_selector('#front[data-state="signed-in"]', timeout=TIMEOUT)
            await shot(page, "front-organiser")
            signed_in = await context.storage_state()  # the link worked once: keep its token
            await context.close()
            tablet = await browser.new_context(
                viewport=TABLET,  # type: ignore[arg-type]
                has_touch=True,
                storage_state=signed_in,  # type: ignore[arg-type]
            )
            pad = await tablet.new_page()
            await pad.goto(page_url(server, "/plan?meeting=2027-03-10"))
            await pad.wait_for_selector('#planner[data-state="editing"]', timeout=TIMEOUT)
            await pad.locator("#tables").scroll_into_view_if_needed()
            await shot(pad, "planning-tables-1024x768")
            await tablet.close()
            visitor = await browser.new_context(viewport=LAPTOP)  # type: ignore[arg-type]
            page = await visitor.new_page()
            await page.goto(page_url(server, "/"))
            await page.wait_for_selector('#front[data-state="visitor"]', timeout=TIMEOUT)
            await shot(page, "front-visitor")
            await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
