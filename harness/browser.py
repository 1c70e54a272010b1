"""Real headless Chromium (Debian's) for page tests, and the tablet page's helpers.

Pages are opened at ``http://tablet.test:PORT``: Chromium maps that name to 127.0.0.1, so the
page runs in an insecure context, as over plain http on a venue's LAN.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import orjson
from playwright.async_api import Browser, BrowserContext, Page

from harness import patience
from harness.servers import BROWSER_HOST, SECRET, Server
from server.access import join_code

CHROMIUM = "/usr/bin/chromium"
HOST = BROWSER_HOST
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
]
LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}

STRUCTURE = """() => [...document.querySelectorAll('.comment-list > .comment')].map((li) => [
  li.querySelector(':scope > .comment-body .text').textContent,
  [...li.querySelectorAll('.children .text')].map((t) => t.textContent),
])"""


def page_url(server: Server, path: str) -> str:
    port = server.base.rsplit(":", 1)[1]
    return f"http://{HOST}:{port}{path}"


def join_link(server: Server, meeting_id: str, table: int) -> str:
    code = join_code(SECRET.encode(), meeting_id, table)
    return page_url(server, f"/join#meeting={meeting_id}&code={code}")


async def join_tablet(
    browser: Browser,
    server: Server,
    meeting_id: str,
    table: int,
    viewport: dict[str, int] | None = None,
    init_script: str | None = None,
) -> tuple[BrowserContext, Page]:
    """A new tablet (its own context and storage) that joined ``table`` with the sheet's
    link, on the tablet page and live."""
    context = await browser.new_context(viewport=viewport or LANDSCAPE)  # type: ignore[arg-type]
    if init_script:
        await context.add_init_script(init_script)
    page = await context.new_page()
    await page.goto(join_link(server, meeting_id, table))
    await page.wait_for_url("**/table?meeting=*")
    await wait_live(page)
    return context, page


async def wait_live(page: Page, waiting: int | None = None) -> None:
    """Until the status line says live (and, if given, this many commands wait)."""
    selector = '#status[data-state="live"]'
    if waiting is not None:
        selector += f'[data-waiting="{waiting}"]'
    await page.wait_for_selector(selector, timeout=patience.ms(20))


async def structure(page: Page) -> list[list[Any]]:
    """The shown question's comments: ``[[text, [sub-bullet texts]], ...]``."""
    return list(await page.evaluate(STRUCTURE))


async def wait_structure(page: Page, expected: list[list[Any]]) -> None:
    """Until the page shows exactly ``expected``."""
    wanted = json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    await page.wait_for_function(
        f"() => JSON.stringify(({STRUCTURE})()) === {json.dumps(wanted)}", timeout=patience.ms(15)
    )


async def type_comment(page: Page, text: str) -> None:
    """Type a point into the large input and press Enter, as a facilitator would."""
    await page.locator("#draft").fill(text)
    await page.locator("#draft").press("Enter")


def post(url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(url, data=orjson.dumps(body or {}), method="POST")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=patience.seconds(5)) as response:
        return orjson.loads(response.read())
