"""The lead's page in the page tests: a lead's laptop signed in with a one-time link."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from playwright.async_api import Browser, BrowserContext, CDPSession, Dialog, Page, WebSocketRoute

from client.live import LiveClient
from harness import patience
from harness.browser import page_url, post
from harness.servers import Server, token

LAPTOP = {"width": 1366, "height": 768}
TIMEOUT = patience.ms(15)


def no_dialogs(page: Page, seen: list[str]) -> None:
    """Any alert, confirm or prompt is a failure (hostile text ran, or the page used one)."""

    async def opened(dialog: Dialog) -> None:
        seen.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", opened)


async def open_lead(
    browser: Browser,
    server: Server,
    meeting_id: str,
    *,
    touch: bool = False,
    wifi: Callable[[WebSocketRoute], Any] | None = None,
) -> tuple[BrowserContext, Page]:
    """A lead's laptop (``touch``: with a touch screen) that opened a one-time sign-in link,
    live on the lead's page; ``wifi``, when given, carries its socket (a route that can
    hold messages back)."""
    made = post(
        f"{server.base}/api/meetings/{meeting_id}/links",
        token(meeting_id, "lead"),
        {"role": "lead"},
    )
    path = made["url"].split("/lead", 1)[1]
    context = await browser.new_context(viewport=LAPTOP, has_touch=touch)  # type: ignore[arg-type]
    if wifi is not None:
        await context.route_web_socket("**/ws", wifi)
    page = await context.new_page()
    await page.goto(page_url(server, f"/lead{path}"))
    await page.wait_for_selector('#status[data-state="live"]', timeout=TIMEOUT)
    assert "signin" not in page.url  # the spent link is not left in the address
    return context, page


async def make_themes(server: Server, meeting_id: str, titles: list[str]) -> list[str]:
    """As the lead, over the live protocol (far quicker than typing each in the page): one
    cross-topic theme per title, in order. Their ids, ``theme-1`` and on."""
    ids = [f"theme-{n}" for n in range(1, len(titles) + 1)]
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-setup")) as lead:
        made = [
            lead.submit("create_theme", {"theme_id": tid, "title": title, "topic": None})
            for tid, title in zip(ids, titles, strict=True)
        ]
        await asyncio.gather(*made)
    return ids


async def type_comments(server: Server, meeting_id: str, table: int, texts: list[str]) -> None:
    """A facilitator's tablet at ``table`` adds ``texts``, over the live protocol."""
    device = f"tablet-{table}"
    async with LiveClient(server.ws, token(meeting_id, "facilitator", table, device)) as tablet:
        for n, text in enumerate(texts, 1):
            data = {"comment_id": f"c-{table}-{n}", "question": "working-well", "text": text}
            await tablet.command("add_comment", data)


async def finger(cdp: CDPSession, kind: str, x: float, y: float) -> None:
    """One touch event ("touchStart", "touchMove") of one finger at (x, y), as a screen sends."""
    await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})


async def lift(cdp: CDPSession) -> None:
    """The finger leaves the screen."""
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
