"""The Erase… button in real headless Chromium. After the meeting, on the staff page: the
confirmation names the comment, Cancel changes nothing, Erase for good takes the comment's
words and the quotes staff tick out of the log, and the page shows the marker. During it, the
lead erases on the report page and the tablet that typed the comment shows the marker at once.
Axe on each state."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from playwright.async_api import Browser

from client.live import LiveClient
from harness.browser import STRUCTURE, join_tablet, page_url, type_comment, wait_structure
from harness.lead_page import open_lead
from harness.present_page import stored_session
from harness.report_evening import DATA, close_meeting, fetch, ok
from harness.servers import Server, evening_server, token
from harness.wall_page import open_wall, show_topic
from tests.axe import assert_accessible
from tests.test_report_page import ready, staff_link

pytestmark = pytest.mark.asyncio(loop_scope="session")

WORDS = "Ms Brisketova says the 7 bus never comes"
PROJECTOR = {"width": 1920, "height": 1080}
SHOWN = "(text) => document.body.innerText.includes(text)"
"""Whether a page shows ``text`` (visible text only)."""
TOPIC = DATA["tables"][0]["topic"]
"""Table 1's topic: its key-theme sentences under the comment's question are offered."""


async def type_and_theme(url: str, meeting_id: str) -> None:
    """One comment to erase and one beside it at table 1, in a theme whose title quotes it."""
    async with LiveClient(url, token(meeting_id, "facilitator", 1, "t1")) as tablet:
        for cid, text in (("bus", WORDS), ("outreach", "Outreach works")):
            data = {"comment_id": cid, "question": "working-well", "text": text}
            await tablet.command("add_comment", data)
    async with LiveClient(url, token(meeting_id, "lead")) as lead:
        theme = {"theme_id": "th-bus", "title": "Brisketova: buses", "topic": None}
        await lead.command("create_theme", theme)
        await lead.command("add_to_theme", {"theme_id": "th-bus", "table": 1, "comment_id": "bus"})


@pytest.fixture(scope="module")
def closed_evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("erasure-page")) as (server, meeting_id):
        with contextlib.closing(asyncio.new_event_loop()) as loop:
            loop.run_until_complete(type_and_theme(server.ws, meeting_id))
            loop.run_until_complete(close_meeting(server.ws, meeting_id))
        data = {"key_theme_id": "kt-bus", "topic": TOPIC, "question": "working-well"}
        ok(server, meeting_id, "write_key_theme", {**data, "text": "Buses, as Brisketova said"})
        ok(server, meeting_id, "write_key_theme", {**data, "key_theme_id": "kt-2", "text": "Beds"})
        yield server, meeting_id


def stored(db: str) -> bytes:
    with sqlite3.connect(db) as raw:
        return b"\n".join(data or b"" for (data,) in raw.execute("SELECT data FROM events"))


async def test_staff_erase_a_comment_after_confirming_it_by_name(
    browser: Browser, closed_evening: tuple[Server, str], tmp_path: Path
) -> None:
    server, meeting_id = closed_evening
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(staff_link(server, meeting_id))
        await ready(page)
        bus = page.locator("li.comment[data-id='bus']")
        dialog = page.get_by_role("dialog", name="Erase these words for good?")

        await bus.get_by_role("button", name="Erase…").click()
        await dialog.wait_for()
        assert await page.locator("#erase-what").text_content() == (
            f"Table 1, {DATA['questions'][0]['prompt']} — “{WORDS}”"
        )
        quotes = await dialog.locator("#erase-quote-list label").all_text_contents()
        assert quotes == [
            " The lead's theme: “Brisketova: buses”",
            " Key-theme sentence: “Buses, as Brisketova said”",
            " Key-theme sentence: “Beds”",
        ]
        await assert_accessible(page, "the staff page's erase confirmation")
        await page.screenshot(path=str(tmp_path / "erase-confirm.png"))
        await dialog.get_by_role("button", name="Cancel").click()
        await dialog.wait_for(state="hidden")
        assert b"Brisketova" in stored(server.db)  # cancelled: nothing erased

        await bus.get_by_role("button", name="Erase…").click()
        await dialog.get_by_role("button", name="Erase for good").click()
        assert await dialog.is_visible()  # a reason is required
        await dialog.get_by_label("Reason (kept in the log)").fill("the resident asked")
        await dialog.get_by_label("Show the reason where the words were").check()
        await dialog.get_by_label("The lead's theme: “Brisketova: buses”").check()
        await dialog.get_by_label("Key-theme sentence: “Buses, as Brisketova said”").check()
        await dialog.get_by_role("button", name="Erase for good").click()
        erased = page.locator("li.comment.erased[data-id='bus']")
        await erased.wait_for()
        await ready(page)
        text = await erased.locator(":scope > .text").text_content()
        assert text is not None
        assert text.startswith("[erased on 20")
        assert text.endswith(": the resident asked]")
        assert await erased.get_by_role("button").count() == 0
        assert await page.locator("#notice").text_content() == (
            "Erased for good: 3 stored texts taken out of the log."
        )
        sentences = page.locator(".sentence input")
        assert await sentences.evaluate_all("e => e.map(i => i.value)") == [text, "Beds"]
        assert "Brisketova" not in (await page.content())
        assert b"Brisketova" not in stored(server.db)
        await assert_accessible(page, "the staff page after an erasure")
        await page.screenshot(path=str(tmp_path / "erased.png"), full_page=True)
        assert errors == []
    finally:
        await context.close()
    await replay_after(browser, server, meeting_id, text)


async def replay_after(browser: Browser, server: Server, meeting_id: str, marker: str) -> None:
    """The replay page after the erasure: the table and the comment's history show the
    marker at every moment, never the words."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        await context.add_init_script(stored_session(meeting_id, "staff", "staff-replay"))
        page = await context.new_page()
        await page.goto(page_url(server, f"/replay?meeting={meeting_id}"))
        await page.wait_for_selector('#replay[data-state="ready"]', timeout=20_000)
        await page.select_option("#view", "table:1")
        await page.locator("#table-box button.rc-text", has_text=marker).click()
        await page.wait_for_selector('#history[data-state="ready"]')
        said = await page.locator("#history .what").all_text_contents()
        assert said[0].startswith(f"added “{marker}” under “")
        assert "erased its words for good" in said
        assert "Brisketova" not in await page.content()
        await assert_accessible(page, "replay: the history of an erased comment")
    finally:
        await context.close()


@pytest.fixture(scope="module")
def open_evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("erasure-live-page")) as running:
        yield running


def lead_report_link(server: Server, meeting_id: str) -> str:
    """A lead's one-time sign-in link, opened on the report page instead of the lead's."""
    url = f"{server.base}/api/meetings/{meeting_id}/links"
    status, _, body = fetch(url, token(meeting_id, "lead"), {"role": "lead"})
    assert status == 200, body
    fragment = orjson.loads(body)["url"].split("#", 1)[1]
    return page_url(server, f"/report#{fragment}")


async def test_the_lead_erases_during_the_meeting_and_the_tablet_shows_it_at_once(
    browser: Browser, open_evening: tuple[Server, str], tmp_path: Path
) -> None:
    server, meeting_id = open_evening
    said = "Mr Quenneville lives at 12 Elm Street"
    tablet_context, tablet = await join_tablet(browser, server, meeting_id, 1)
    lead_context = await browser.new_context(viewport={"width": 1366, "height": 768})
    laptop_context, laptop = await open_lead(browser, server, meeting_id)
    wall_context, wall = await open_wall(browser, server, meeting_id, PROJECTOR)
    screens = (laptop, wall)
    try:
        await type_comment(tablet, said)
        await wait_structure(tablet, [[said, []]])
        cid = await tablet.locator(".comment-list > .comment").first.get_attribute("data-id")
        async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-2")) as lead:
            theme = {"theme_id": "th-q", "title": "Quenneville's street", "topic": TOPIC}
            await lead.command("create_theme", {**theme, "question": "working-well"})
            await lead.command("add_to_theme", {"theme_id": "th-q", "table": 1, "comment_id": cid})
        await show_topic(wall, TOPIC)
        for screen in screens:  # the lead's page and the projected wall show the title
            await screen.wait_for_function(SHOWN, arg="Quenneville's street", timeout=15_000)
        page = await lead_context.new_page()
        await page.goto(lead_report_link(server, meeting_id))
        await page.wait_for_selector("#page[data-state='ready'][data-erasable]", timeout=20_000)
        assert await page.get_attribute("#page", "data-editable") is None
        typed = page.locator("li.comment", has=page.locator(":scope > .text", has_text=said))
        assert await typed.get_by_role("button", name="Redact…").is_hidden()  # staff's, after
        await typed.get_by_role("button", name="Erase…").click()
        dialog = page.get_by_role("dialog", name="Erase these words for good?")
        await dialog.get_by_label("Reason (kept in the log)").fill("a private person's address")
        await dialog.get_by_label("The lead's theme: “Quenneville's street”").check()
        await assert_accessible(page, "the lead's erase confirmation during the meeting")
        await dialog.get_by_role("button", name="Erase for good").click()
        await page.locator("li.comment.erased").wait_for()
        await tablet.wait_for_function(
            f"() => ({STRUCTURE})()[0][0].startsWith('[erased on 20')", timeout=15_000
        )
        marker = (await tablet.evaluate(STRUCTURE))[0][0]
        assert marker.endswith("]")
        assert ": " not in marker  # the reason was not chosen to be shown
        assert "Quenneville" not in await tablet.content()
        for screen in screens:  # at once, without reloading
            await screen.wait_for_function(f"() => !({SHOWN})('Quenneville')", timeout=15_000)
            assert "Quenneville" not in await screen.content()
        await wall.wait_for_function(SHOWN, arg=marker, timeout=15_000)
        assert b"Quenneville" not in stored(server.db)
        await assert_accessible(tablet, "the tablet after the lead erased its comment")
        await tablet.screenshot(path=str(tmp_path / "tablet-erased.png"))
        await wall.screenshot(path=str(tmp_path / "wall-erased.png"))
        await laptop.screenshot(path=str(tmp_path / "lead-erased.png"))
    finally:
        for context in (lead_context, tablet_context, laptop_context, wall_context):
            await context.close()
