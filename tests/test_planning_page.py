"""Planning in the browser, end to end, on a server started on an empty database: the first
organiser signs in from serve's link, plans a meeting that is not Kamloops, fixes what the
server refuses beside its field, prints the join sheets, opens the evening as the lead, and a
tablet joined from a sheet types a point in rotation 1. The same plan through the command line
gives the same structure events. The page by keyboard, at a laptop's and a tablet's size."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from playwright.async_api import Browser, Page

from events.log.store import EventStore
from events.meeting import rules as meeting
from events.tables.events import CommentAdded
from harness.access_client import fragment, printed_link
from harness.browser import LANDSCAPE, page_url, type_comment, wait_live
from harness.lead_page import open_lead
from harness.plan_page import (
    QUESTIONS,
    TABLET,
    TIMEOUT,
    TOPICS,
    field_error,
    new_plan,
    open_front,
    plan_riverside,
    save,
)
from harness.servers import serve
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")
TITLE = "Riverside Neighbourhood Forum"
CREATE = [sys.executable, "-m", "server", "meeting", "create", "--template"]


async def structure_events(db: str, meeting_id: str) -> list[tuple[str, bytes | None]]:
    """The meeting's structure as stored: each event's type and data, up to its opening."""
    async with EventStore(db) as store:
        records = await store.read_stream(meeting.stream_id(meeting_id))
    kept = []
    for record in records:
        if record.type == "MeetingOpened":
            break
        kept.append((record.type, record.data))
    return kept


async def save_and_capture(page: Page) -> dict[str, Any]:
    """Save, and the body the page posted."""
    async with page.expect_request("**/api/plans") as sent:
        await save(page)
    return dict(orjson.loads((await sent.value).post_data or "{}"))


async def test_an_organiser_plans_an_evening_that_then_runs(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "new.db")
    with serve(db, logs=tmp_path) as server:
        context, front = await open_front(browser, server)
        try:
            assert "signin" not in front.url
            assert await front.locator("#no-meetings").is_visible()
            await assert_accessible(front, "front page, organiser, no meetings")
            await new_plan(front)
            page = front
            assert await page.locator("#agenda > li").count() == 11  # the Kamloops template
            await assert_accessible(page, "planning page, new from the template")

            # 1. a blank title, and four rotations that overrun the roundtables
            await plan_riverside(page, title="", count=4)
            timeline = await page.locator("#timeline").inner_text()
            assert "Rotation 4 of 4" in timeline
            assert await page.locator("#timeline-warning").is_visible()  # the live preview says
            await save_and_capture(page)
            said = await field_error(page, "meeting.title")
            assert said == "a meeting needs a title"
            assert await page.evaluate("document.activeElement.id") == "title"
            await assert_accessible(page, "planning page, an error beside the title")

            # 2. the title fixed: the rotations are refused next, beside them
            await page.fill("#title", TITLE)
            await save_and_capture(page)
            said = await field_error(page, "rotation")
            assert "4 rotations of 20 minutes from 18:50 end at 20:10" in said
            assert await page.locator("#error-meeting-title").count() == 0
            await assert_accessible(page, "planning page, an error beside the rotations")

            # 3. three rotations: the complaint goes with the change, and the plan saves
            await page.fill("#count", "3")
            assert await page.locator(".field-error").count() == 0
            assert await page.get_attribute("#count", "aria-invalid") is None
            assert await page.locator("#saved").inner_text() == "Changes not saved yet."
            timeline = await page.locator("#timeline").inner_text()
            assert "18:50\u201319:10\tRotation 1 of 3" in timeline.replace("\n", "\t")
            assert await page.locator("#timeline-warning").is_hidden()
            posted = await save_and_capture(page)
            await page.wait_for_selector('#planner[data-state="editing"]', timeout=TIMEOUT)
            meeting_id = page.url.split("meeting=", 1)[1]
            assert meeting_id == "2027-03-10"
            await assert_accessible(page, "planning page, saved")

            plan = posted["plan"]
            assert [t["title"] for t in plan["topics"]] == list(TOPICS)
            assert [q["prompt"] for q in plan["questions"]] == list(QUESTIONS)
            assert len(plan["tables"]) == 6
            assert (plan["rotation"]["count"], plan["rotation"]["minutes_per_table"]) == (3, 20)

            # 4. the same plan, as a template, through the command line
            template = tmp_path / "riverside.json"
            template.write_bytes(orjson.dumps(plan))
            other = str(tmp_path / "cli.db")
            created = await asyncio.to_thread(
                subprocess.run,
                [*CREATE, str(template), "--id", meeting_id, "--db", other],
                capture_output=True,
            )
            assert created.returncode == 0, created.stderr
            from_browser = await structure_events(db, meeting_id)
            from_cli = await structure_events(other, meeting_id)
            assert from_browser == from_cli
            assert [t for t, _ in from_browser].count("TableAdded") == 6

            # 5. the join sheets, printed from the plan
            async with page.expect_download() as waiting:
                await page.click("#print-sheets")
            saved = await (await waiting.value).path()
            sheets = await asyncio.to_thread(saved.read_text)
            assert sheets.count('class="sheet"') == 6
            urls = re.findall(r'<p class="url">([^<]+)</p>', sheets)
            table_one = urls[0].replace("&amp;", "&")
            assert "/join#meeting=2027-03-10&code=" in table_one

            # 6. the evening opened: this browser is now the lead's laptop
            await page.click("#open-evening")
            await page.wait_for_url("**/lead*", timeout=TIMEOUT)
            await page.wait_for_selector('#status[data-state="live"]', timeout=TIMEOUT)
            assert await page.locator("#meeting-title").inner_text() == TITLE
            await page.click("#open")
            await page.wait_for_function(
                "() => !document.querySelector('#start').disabled", timeout=TIMEOUT
            )
            await page.click("#start")

            # 7. a tablet joins from the sheet and types a point in rotation 1
            tablet = await browser.new_context(viewport=LANDSCAPE, has_touch=True)  # type: ignore[arg-type]
            try:
                pad = await tablet.new_page()
                await pad.goto(table_one)
                await pad.wait_for_url("**/table?meeting=*", timeout=TIMEOUT)
                await wait_live(pad)
                await pad.wait_for_function(
                    "() => /Rotation 1/.test(document.querySelector('#rotation').textContent)",
                    timeout=TIMEOUT,
                )
                await type_comment(pad, "More shade trees along the river path")
                await wait_live(pad, waiting=0)
            finally:
                await tablet.close()
            added = await _comments(db, meeting_id)
            assert added == [("More shade trees along the river path", 1)]
        finally:
            await context.close()


async def _comments(db: str, meeting_id: str) -> list[tuple[str, int | None]]:
    """Every comment of the meeting in the log: its text and rotation."""
    found = []
    async with EventStore(db) as store:
        async for record in store.read_all(meeting_id=meeting_id):
            event = record.decode()
            if isinstance(event, CommentAdded):
                found.append((event.text, event.rotation))
    return found


@pytest.mark.parametrize("touch", [False, True], ids=["laptop", "tablet"])
async def test_the_planning_page_works_by_keyboard(
    browser: Browser, tmp_path: Path, touch: bool
) -> None:
    with serve(str(tmp_path / "keys.db"), logs=tmp_path) as server:
        viewport = TABLET if touch else {"width": 1366, "height": 768}
        context, page = await open_front(browser, server, viewport=viewport, touch=touch)
        try:
            await new_plan(page)
            await page.focus("#title")
            await page.keyboard.press("Control+A")
            await page.keyboard.type("Keyboard evening")
            await page.keyboard.press("Tab")
            assert await page.evaluate("document.activeElement.id") == "date"
            await page.focus("#add-topic")
            await page.keyboard.press("Enter")
            focused = await page.evaluate("document.activeElement.dataset.field")
            assert focused == "topics[4].title"  # the new topic's input, ready to type
            await page.keyboard.type("Food security")
            await page.focus('#questions > li:nth-child(2) button[data-action="up"]')
            await page.keyboard.press("Enter")
            prompts = await page.locator('#questions [data-role="prompt"]').evaluate_all(
                "(inputs) => inputs.map((i) => i.value)"
            )
            assert (
                prompts[0] == "What can we do to improve the coordination of efforts and resources?"
            )
            await page.focus("#venue")
            await page.keyboard.press("Enter")  # Enter in a field saves, as in any form
            await page.wait_for_selector('#planner[data-state="editing"]', timeout=TIMEOUT)
            assert await page.locator("#topics > li").count() == 5
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"]  # nothing runs off the side
            await assert_accessible(
                page, f"planning page by keyboard ({'tablet' if touch else 'laptop'})"
            )
        finally:
            await context.close()


async def test_the_front_page_lists_nothing_for_a_visitor_and_a_leads_meeting_to_its_lead(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "visitor.db")
    with serve(db, "--demo", logs=tmp_path) as server:
        context = await browser.new_context(viewport=TABLET)  # type: ignore[arg-type]
        try:
            page = await context.new_page()
            await page.goto(page_url(server, "/"))
            await page.wait_for_selector('#front[data-state="visitor"]', timeout=TIMEOUT)
            text = await page.locator("body").inner_text()
            assert "Kamloops" not in text
            assert "demo-" not in text
            assert await page.locator("#meetings > li").count() == 0
            await assert_accessible(page, "front page, visitor")
        finally:
            await context.close()
        meeting_id = fragment(printed_link(server, "/lead#"))["meeting"]
        context, lead = await open_lead(browser, server, meeting_id)
        try:
            await lead.goto(page_url(server, "/"))
            await lead.wait_for_selector('#front[data-state="signed-in"]', timeout=TIMEOUT)
            listed = lead.locator("#meetings > li")
            assert await listed.count() == 1
            assert "Kamloops" in await listed.inner_text()
            assert await listed.locator("a", has_text="Lead's page").get_attribute("href") == (
                f"/lead?meeting={meeting_id}"
            )
            assert await lead.locator("#plan-new").is_hidden()  # planning is the organiser's
            await assert_accessible(lead, "front page, lead")
        finally:
            await context.close()
