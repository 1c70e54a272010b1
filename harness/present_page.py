"""The presentation page in Chromium: a screen signed in as the lead or an observer, and what
it shows."""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from harness import patience
from harness.browser import page_url
from harness.servers import Server, token
from server.tokens import Role

SHOWN = """() => [...document.querySelectorAll('#stage .question')].map((q) => [
  q.dataset.question,
  [...q.querySelectorAll('.key-title')].map((t) => t.textContent),
])"""


def stored_session(meeting_id: str, role: Role, device: str) -> str:
    """A script that keeps a device session in localStorage, as the sign-in would have."""
    session = {
        "token": token(meeting_id, role, device=device),
        "meeting_id": meeting_id,
        "device_id": device,
        "role": role,
        "table": None,
        "expires": int(time.time()) + 86_400,
    }
    return (
        f"localStorage.setItem({json.dumps('roundtable:session:' + meeting_id)}, "
        f"{json.dumps(json.dumps(session))});"
        f"localStorage.setItem('roundtable:last-meeting', {json.dumps(meeting_id)});"
    )


async def open_present(
    browser: Browser,
    server: Server,
    meeting_id: str,
    role: Role,
    viewport: dict[str, int],
    screen: str = "overview",
) -> tuple[BrowserContext, Page]:
    """A new screen (its own context) signed in as ``role``, on ``/present`` at ``screen``,
    live and drawn."""
    context = await browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    await context.add_init_script(stored_session(meeting_id, role, f"{role}-screen"))
    page = await context.new_page()
    await page.goto(page_url(server, f"/present?meeting={meeting_id}#screen={screen}"))
    await page.wait_for_selector(f'#present[data-state="live"][data-screen="{screen}"]')
    return context, page


async def shown(page: Page) -> list[list[Any]]:
    """The screen's sections: ``[[question, [key theme titles in order]], ...]``."""
    return list(await page.evaluate(SHOWN))


async def wait_shown(page: Page, expected: list[list[Any]]) -> None:
    wanted = json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    await page.wait_for_function(
        f"() => JSON.stringify(({SHOWN})()) === {json.dumps(wanted)}", timeout=patience.ms(15)
    )
