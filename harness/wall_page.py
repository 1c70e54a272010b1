"""The projected wall in Chromium: a screen signed in as an observer (or the lead), and what
it shows."""

from __future__ import annotations

from playwright.async_api import Browser, BrowserContext, Page

from harness import patience
from harness.browser import page_url
from harness.legibility import Legibility, measure
from harness.present_page import stored_session
from harness.servers import Server
from server.tokens import Role

THEMES = """() => [...document.querySelectorAll('#board .theme')].map((t) => [
  t.querySelector('.theme-name').textContent,
  t.querySelector('.theme-backing').textContent,
])"""

QUOTES = """() => [...document.querySelectorAll('#quotes:not([hidden]) .quote:not([hidden])')]
  .map((q) => q.querySelector('.quote-text').textContent)"""


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
    await page.wait_for_selector('#wall[data-state="live"][data-position]', timeout=patience.ms(20))
    if position is not None:
        await page.wait_for_function(
            f"() => Number(document.querySelector('#wall').dataset.position) >= {position}",
            timeout=patience.ms(15),
        )


async def themes(page: Page) -> list[list[str]]:
    """The themes on the page shown: ``[[title, "4 comments · table 2"], ...]``."""
    return list(await page.evaluate(THEMES))


async def show_topic(page: Page, topic: str) -> None:
    """Turn the pages (→, as the lead can at the projector) until ``topic``'s first is up."""
    pages = int(await page.locator("#board").get_attribute("data-pages") or 1)
    for _ in range(pages):
        if await page.locator("#board").get_attribute("data-topic") == topic:
            return
        await turn(page)
    raise AssertionError(f"no page of topic {topic} in the cycle")


async def turn(page: Page) -> None:
    """The next page of the cycle, by the → key; waits until it is shown."""
    board = page.locator("#board")
    pages = int(await board.get_attribute("data-pages") or 1)
    after = (int(await board.get_attribute("data-page") or 0) + 1) % pages
    await page.keyboard.press("ArrowRight")
    await page.wait_for_function(
        "(n) => document.querySelector('#board').dataset.page === String(n)", arg=after
    )


async def wait_theme(page: Page, theme_id: str, title: str, backing: str) -> None:
    """Until the page shown has the theme with this title and ``backing`` (its counts)."""
    await page.wait_for_function(
        """([id, title, backing]) => {
          const t = document.querySelector(`#board .theme[data-theme="${CSS.escape(id)}"]`);
          return t !== null && t.querySelector('.theme-name').textContent === title
            && t.querySelector('.theme-backing').textContent === backing;
        }""",
        arg=[theme_id, title, backing],
        timeout=patience.ms(15),
    )


async def wait_no_theme(page: Page, theme_id: str) -> None:
    await page.wait_for_function(
        '(id) => !document.querySelector(`#board .theme[data-theme="${CSS.escape(id)}"]`)',
        arg=theme_id,
        timeout=patience.ms(15),
    )


async def quotes(page: Page) -> list[str]:
    """The raw comments the wall quotes now, newest first."""
    return list(await page.evaluate(QUOTES))


async def wait_quote(page: Page, text: str, within_ms: float = 15_000) -> None:
    """Until the wall quotes ``text`` (a failure after ``within_ms``)."""
    quoted = f"(text) => ({QUOTES})().includes(text)"
    await page.wait_for_function(quoted, arg=text, timeout=within_ms)


async def wait_no_quote(page: Page, text: str) -> None:
    """Until the wall does not quote ``text``."""
    await page.wait_for_function(
        f"(text) => !({QUOTES})().includes(text)", arg=text, timeout=patience.ms(15)
    )


async def cycle(page: Page) -> list[tuple[list[list[str]], Legibility]]:
    """Every page of one cycle, turned by hand from the one shown: its themes and legibility."""
    pages = int(await page.locator("#board").get_attribute("data-pages") or 1)
    seen = []
    for _ in range(pages):
        seen.append((await themes(page), await measure(page)))
        await turn(page)
    return seen
