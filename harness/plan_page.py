"""The planning page in the page tests and the docs' screenshots: an organiser signed in from
the link ``serve`` printed, and a meeting that is not Kamloops planned from its template."""

from __future__ import annotations

import re

from playwright.async_api import Browser, BrowserContext, Page

from harness.access_client import printed_link
from harness.browser import page_url
from harness.servers import Server

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1024, "height": 768}
TIMEOUT = 15_000
TOPICS = ("Housing and homelessness", "Parks and public spaces", "Getting around")
QUESTIONS = ("What is working well here?", "What should the city do first?")
DETAILS = {
    "#title": "Riverside Neighbourhood Forum",
    "#date": "2027-03-10",
    "#venue": "Riverside Community Hall",
    "#timezone": "America/Toronto",
}


def organiser_link(server: Server) -> str:
    """The organiser's link ``serve`` printed, at the address the browser tests use."""
    link = printed_link(server, "/#signin=")
    return page_url(server, "/" + link.split("/", 3)[3])


async def open_front(
    browser: Browser, server: Server, *, viewport: dict[str, int] = LAPTOP, touch: bool = False
) -> tuple[BrowserContext, Page]:
    """A browser that opened the organiser's link: the front page, signed in."""
    context = await browser.new_context(viewport=viewport, has_touch=touch)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(organiser_link(server))
    await page.wait_for_selector('#front[data-state="signed-in"]', timeout=TIMEOUT)
    return context, page


async def new_plan(page: Page) -> None:
    """From the front page to a new plan, started from the shipped Kamloops template."""
    await page.click("#plan-new")
    await page.wait_for_selector('#planner[data-state="new"]', timeout=TIMEOUT)


async def remove_rows(page: Page, list_id: str, keep: int) -> None:
    """Remove the last rows of a list until ``keep`` are left, with their Remove buttons."""
    rows = page.locator(f"#{list_id} > li")
    while await rows.count() > keep:
        await rows.last.locator('button[data-action="remove"]').click()


async def plan_riverside(page: Page, *, title: str, count: int) -> None:
    """Make the Kamloops template the Riverside forum: its details, no presentations, three
    topics, two questions, six tables, ``count`` rotations of 20 minutes."""
    for selector, value in DETAILS.items():
        await page.fill(selector, value)
    await page.fill("#title", title)
    for _ in range(3):
        row = page.locator("#agenda > li").filter(
            has=page.locator('option[value="presentation"]:checked')
        )
        await row.first.locator('button[data-action="remove"]').click()
    for kind, text in (("welcome", "Welcome"), ("roundtables", "Table conversations")):
        row = page.locator("#agenda > li").filter(
            has=page.locator(f'option[value="{kind}"]:checked')
        )
        await row.locator('[data-role="title"]').fill(text)
    await remove_rows(page, "topics", 3)
    for index, text in enumerate(TOPICS):
        topic = page.locator(f'#topics > li:nth-child({index + 1}) [data-role="title"]')
        await topic.fill(text)
        await topic.dispatch_event("change")
    await remove_rows(page, "questions", 2)
    for index, text in enumerate(QUESTIONS):
        await page.fill(f'#questions > li:nth-child({index + 1}) [data-role="prompt"]', text)
    for _ in range(2):
        await page.click("#add-table")
    for index in range(6):
        select = page.locator(f'#tables > li:nth-child({index + 1}) [data-role="topic"]')
        await select.select_option(label=TOPICS[index % 3])
    await page.fill("#minutes", "20")
    await page.fill("#count", str(count))


async def save(page: Page) -> None:
    await page.click("#save")


async def field_error(page: Page, field: str) -> str:
    """The message shown beside ``field`` (waits for it)."""
    error = page.locator(f"#error-{re.sub(r'[^a-z0-9]+', '-', field, flags=re.I)}")
    await error.wait_for(timeout=TIMEOUT)
    return await error.inner_text()
