"""The projected wall in Chromium: a screen signed in as an observer (or the lead), and what
it shows."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from server.tokens import Role
from tests.browser import page_url
from tests.present_page import stored_session
from tests.servers import Server

THEMES = """() => [...document.querySelectorAll('#board .theme')].map((t) => [
  t.querySelector('.theme-title').textContent,
  Number(t.dataset.count),
])"""

QUOTES = """(id) => [...document.querySelectorAll(
  `#board .theme[data-theme="${CSS.escape(id)}"] .quote`)].map((q) => q.textContent)"""

FEED = """() => [...document.querySelectorAll('#feed .feed-item:not([hidden]) .feed-text')]
  .map((t) => t.textContent)"""


async def open_wall(
    browser: Browser,
    server: Server,
    meeting_id: str,
    viewport: dict[str, int],
    role: Role = "observer",
) -> tuple[BrowserContext, Page]:
    """A new screen (its own context) signed in as ``role``, on ``/wall``, live and drawn."""
    context = await browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    await context.add_init_script(stored_session(meeting_id, role, f"{role}-wall"))
    page = await context.new_page()
    await page.goto(page_url(server, f"/wall?meeting={meeting_id}"))
    await wait_wall(page)
    return context, page


async def wait_wall(page: Page, position: int | None = None) -> None:
    """Until the wall is live and drawn (at ``position`` or later, if given)."""
    await page.wait_for_selector('#wall[data-state="live"][data-position]', timeout=20_000)
    if position is not None:
        await page.wait_for_function(
            f"() => Number(document.querySelector('#wall').dataset.position) >= {position}",
            timeout=15_000,
        )


async def themes(page: Page) -> list[list[Any]]:
    """Every theme drawn on the board: ``[[title, count], ...]``."""
    return list(await page.evaluate(THEMES))


async def wait_theme(page: Page, theme_id: str, title: str, count: int) -> None:
    """Until the board shows the theme with this title and count."""
    await page.wait_for_function(
        """([id, title, count]) => {
          const t = document.querySelector(`#board .theme[data-theme="${CSS.escape(id)}"]`);
          return t !== null && t.querySelector('.theme-title').textContent === title
            && Number(t.dataset.count) === count;
        }""",
        arg=[theme_id, title, count],
        timeout=15_000,
    )


async def wait_no_theme(page: Page, theme_id: str) -> None:
    await page.wait_for_function(
        '(id) => !document.querySelector(`#board .theme[data-theme="${CSS.escape(id)}"]`)',
        arg=theme_id,
        timeout=15_000,
    )


async def quotes(page: Page, theme_id: str) -> list[str]:
    return list(await page.evaluate(QUOTES, theme_id))


async def wait_feed(page: Page, text: str) -> None:
    """Until the newest comments on the side include ``text``."""
    await page.wait_for_function(f"(text) => ({FEED})().includes(text)", arg=text, timeout=15_000)


async def feed(page: Page) -> list[str]:
    return list(await page.evaluate(FEED))


def as_js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
