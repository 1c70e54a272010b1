"""The projected wall read from the back of the room: the whole Kamloops evening typed in and
themed as the lead themes it, the wall opened at projector sizes in Chromium, every visible
character's size measured on every page of one cycle (``harness/legibility.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Browser

from client.live import LiveClient
from harness.key_themes import promote, served, type_evening
from harness.servers import Server, token
from harness.wall_page import cycle, open_wall
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

SIZES = [(1920, 1080), (1280, 720), (1024, 768)]


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, set[str]]]:
    """One server for the module: rotation 4 running, the whole evening typed in (204
    comments), the published report's 40 key themes made by the lead. Yields the server, the
    meeting and each theme as the room should read it: "title | its counts"."""
    with served(tmp_path_factory.mktemp("wall-room"), 52, _type_and_theme) as evening:
        yield evening


async def _type_and_theme(server: Server, meeting_id: str) -> set[str]:
    assert await type_evening(server.ws, meeting_id) == 204
    await promote(server.ws, meeting_id)
    async with LiveClient(server.ws, token(meeting_id, "lead", device="reader")) as reader:
        outline: dict[str, Any] = reader.state["views"]["themes"]
    assert len(outline["themes"]) == 40
    return {f"{t['title']} | {_counts(t['comments'])}" for t in outline["themes"]}


def _counts(members: list[list[Any]]) -> str:
    """How the room should read a theme's backing, from its members ``[table, comment id]``."""
    tables = sorted({table for table, _ in members})
    if not members:
        return "no comments yet"
    comments = f"{len(members)} comment{'s' if len(members) > 1 else ''}"
    where = f"table {tables[0]}" if len(tables) == 1 else f"{len(tables)} tables"
    return f"{comments} · {where}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_back_of_the_room_reads_every_theme_with_its_counts_within_one_cycle(
    browser: Browser, themed: tuple[Server, str, set[str]], size: tuple[int, int]
) -> None:
    server, meeting_id, expected = themed
    width, height = size
    context, page = await open_wall(browser, server, meeting_id, {"width": width, "height": height})
    try:
        await page.locator("#board .theme").first.wait_for()
        await assert_accessible(page, f"the wall at {width}x{height}")
        pages = await cycle(page)
        seen = [f"{title} | {backing}" for themes, _ in pages for title, backing in themes]
        assert set(seen) == expected  # every theme of every topic, with its counts
        assert len(seen) == len(expected)  # each once a cycle
        for _, legible in pages:
            assert legible.large_share >= 0.9, legible.line()
            assert legible.cut == [], legible.cut
            assert legible.broken == [], legible.broken
        # no page shrinks its type: one size for each kind of text, on every page
        sizes = await page.evaluate(
            """() => ['.page-title', '.theme-name', '.theme-backing', '.group-title']
                 .map((s) => getComputedStyle(document.querySelector(s)).fontSize)"""
        )
        scale = height / 1080
        assert [round(float(s.removesuffix("px")) / scale) for s in sizes] == [52, 34, 28, 30]
        if width == 1920:  # and the pages turn by themselves, calmly (every 15 s)
            shown = await page.locator("#board").get_attribute("data-page")
            await page.wait_for_function(
                "(shown) => document.querySelector('#board').dataset.page !== shown",
                arg=shown,
                timeout=45_000,
            )
    finally:
        await context.close()
