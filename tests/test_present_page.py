"""The report-back's presentation page in real headless Chromium, with the Kamloops evening
typed in and its key themes promoted by the lead over the live protocol.

Each screen is its own browser context; every wait is on the page's state, never a sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from client.live import LiveClient
from events.instants import MINUTE
from events.log.store import now_micros
from harness.browser import page_url
from harness.key_themes import DATA, Scope, promote, seed_started, served, type_evening
from harness.legibility import measure
from harness.present_page import open_present, shown, stored_session, wait_shown
from harness.servers import Server, serve, token
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

QUESTIONS = [q["id"] for q in DATA["questions"]]
TOPICS = [t["id"] for t in DATA["topics"]]
HD = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def themed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, str, dict[Scope, list[str]]]]:
    """One server for the module: the evening typed in (its roundtables over) and every key
    theme of the published report promoted, in the report's order."""
    with served(tmp_path_factory.mktemp("present"), 66, _type_and_promote) as evening:
        yield evening


async def _type_and_promote(server: Server, meeting_id: str) -> dict[Scope, list[str]]:
    await type_evening(server.ws, meeting_id)
    return await promote(server.ws, meeting_id)


def expected(promoted: dict[Scope, list[str]], topic: str) -> list[list[object]]:
    return [[q, promoted.get((topic, q), [])] for q in QUESTIONS]


async def test_each_topic_shows_its_three_questions_with_key_themes_in_order(
    browser: Browser, themed: tuple[Server, str, dict[Scope, list[str]]]
) -> None:
    server, meeting_id, promoted = themed
    context, page = await open_present(browser, server, meeting_id, "observer", HD)
    try:
        cells = page.locator('.overview-grid tbody tr[data-topic="social-health"] td')
        assert await cells.count() == 3
        assert await cells.nth(1).locator(".cell-count").text_content() == "4 key themes"
        for topic in TOPICS:
            await page.keyboard.press("ArrowRight")
            await page.wait_for_selector(f'#present[data-screen="topic:{topic}"]')
            assert await shown(page) == expected(promoted, topic)
            title = next(t["title"] for t in DATA["topics"] if t["id"] == topic)
            assert await page.locator("#stage h1").text_content() == title
        meta = page.locator('.question[data-question="coordination"] .key-meta').first
        assert "comment" in (await meta.text_content() or "")
        await page.keyboard.press("s")  # the facilitators' starred comments, quoted
        await page.wait_for_selector("#stage .key-theme .quote")
    finally:
        await context.close()


async def test_the_keyboard_and_a_clicker_move_between_screens(
    browser: Browser, themed: tuple[Server, str, dict[Scope, list[str]]]
) -> None:
    server, meeting_id, _ = themed
    context, page = await open_present(browser, server, meeting_id, "observer", HD)
    steps = [
        ("PageDown", "topic:crime-prevention"),
        ("ArrowDown", "topic:social-health"),
        (" ", "topic:streets-public-spaces"),
        ("PageUp", "topic:social-health"),
        ("ArrowLeft", "topic:crime-prevention"),
        ("End", "topic:enforcement-justice"),
        ("ArrowRight", "topic:enforcement-justice"),  # the last screen stays the last
        ("Home", "overview"),
        ("ArrowUp", "overview"),
        ("2", "topic:social-health"),
        ("0", "overview"),
    ]
    try:
        for key, screen in steps:
            await page.keyboard.press("Space" if key == " " else key)
            await page.wait_for_selector(f'#present[data-screen="{screen}"]')
        await page.locator("#next").click()
        await page.wait_for_selector('#present[data-screen="topic:crime-prevention"]')
        await page.reload()  # the screen is kept in the address
        await page.wait_for_selector(
            '#present[data-state="live"][data-screen="topic:crime-prevention"]'
        )
        assert await page.locator("#freeze").is_hidden()  # an observer cannot freeze
    finally:
        await context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768)])
async def test_every_screen_reads_from_the_back_of_the_room_in_parts_if_need_be(
    browser: Browser, themed: tuple[Server, str, dict[Scope, list[str]]], size: tuple[int, int]
) -> None:
    server, meeting_id, promoted = themed
    width, height = size
    viewport = {"width": width, "height": height}
    context, page = await open_present(browser, server, meeting_id, "observer", viewport)
    try:
        await _assert_legible(page, f"the overview at {width}x{height}")
        await assert_accessible(page, f"the presentation's overview at {width}x{height}")
        parts_of = {}
        for topic in TOPICS:
            await page.keyboard.press("ArrowRight")
            await page.wait_for_selector(f'#present[data-screen="topic:{topic}"][data-part="0"]')
            parts = int(await page.locator("#present").get_attribute("data-parts") or 1)
            parts_of[topic] = parts
            seen = []
            for part in range(parts):
                if part:
                    await page.keyboard.press("ArrowRight")
                    selector = f'#present[data-screen="topic:{topic}"][data-part="{part}"]'
                    await page.wait_for_selector(selector)
                await _assert_legible(page, f"topic {topic}, part {part + 1} at {width}x{height}")
                seen += await shown(page)
            assert seen == expected(promoted, topic)  # every question once, in order
        await assert_accessible(page, f"the presentation's last topic at {width}x{height}")
        # Back through the parts one at a time, into the previous topic's last part.
        back = (TOPICS[-1], parts - 2) if parts > 1 else (TOPICS[-2], parts_of[TOPICS[-2]] - 1)
        await page.keyboard.press("ArrowLeft")
        await page.wait_for_selector(
            f'#present[data-screen="topic:{back[0]}"][data-part="{back[1]}"]'
        )
    finally:
        await context.close()


async def _assert_legible(page: Page, where: str) -> None:
    """Nothing overflows or is cut, and every character is at the room's size or larger."""
    fits = await page.evaluate(
        """() => { const s = document.getElementById('stage');
        return s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1; }"""
    )
    assert fits, f"{where} overflows"
    legible = await measure(page)
    assert legible.cut == [], (where, legible)
    assert legible.broken == [], (where, legible)
    assert legible.large_share == 1.0, f"{where}: {legible.line()}"


async def test_a_promoted_theme_appears_live_but_not_while_frozen(
    browser: Browser, themed: tuple[Server, str, dict[Scope, list[str]]]
) -> None:
    server, meeting_id, promoted = themed
    topic, question = "streets-public-spaces", "advocacy"
    screen = f"topic:{topic}"
    context, page = await open_present(browser, server, meeting_id, "observer", HD, screen)
    lead_context, lead_page = await open_present(browser, server, meeting_id, "lead", HD, screen)
    before = promoted[(topic, question)]
    try:
        async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-2")) as lead:
            await new_key_theme(lead, "t-live", "Lighting in the parks", topic, question)
            now = [*before, "Lighting in the parks"]
            await wait_question(page, question, now)  # no reload
            await assert_accessible(lead_page, "the presentation, as the lead runs it")
            await lead_page.keyboard.press("f")  # the lead freezes from the presentation page
            for each in (page, lead_page):
                await each.wait_for_selector('#present[data-frozen="true"]')
            assert await page.locator("#frozen").is_visible()
            await new_key_theme(lead, "t-frozen", "Washrooms open at night", topic, question)
            await fetch_again(page)  # even fetching afresh, the room sees the frozen one
            assert await question_titles(page, question) == now
            await lead_page.locator("#freeze").click()  # unfreeze
            await wait_question(page, question, [*now, "Washrooms open at night"])
            assert await page.locator("#frozen").is_hidden()
    finally:
        await context.close()
        await lead_context.close()


async def new_key_theme(lead: LiveClient, tid: str, title: str, topic: str, question: str) -> None:
    await lead.command(
        "create_theme", {"theme_id": tid, "title": title, "topic": topic, "question": question}
    )
    await lead.command("set_key_theme", {"theme_id": tid, "key": True})


async def question_titles(page: Page, question: str) -> list[str]:
    return dict((q, t) for q, t in await shown(page))[question]  # type: ignore[return-value]


async def wait_question(page: Page, question: str, titles: list[str]) -> None:
    screen = await shown(page)
    await wait_shown(page, [[q, titles if q == question else t] for q, t in screen])


async def fetch_again(page: Page) -> None:
    await page.evaluate("() => roundtable.feed.fetchNow()")


async def test_observer_screens_switch_to_the_presentation_when_the_report_back_begins(
    browser: Browser, tmp_path: Path
) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_started(db, now_micros() - 65 * MINUTE)  # five minutes into the break
    with serve(db, logs=tmp_path) as server:
        wall_context = await browser.new_context(viewport=HD)  # type: ignore[arg-type]
        lead_context = await browser.new_context(viewport=HD)  # type: ignore[arg-type]
        await wall_context.add_init_script(stored_session(meeting_id, "observer", "wall"))
        await lead_context.add_init_script(stored_session(meeting_id, "lead", "lead"))
        try:
            wall, lead = await wall_context.new_page(), await lead_context.new_page()
            for page, hook in ((wall, "switchToPresentation"), (lead, "offerPresentation")):
                await page.goto(page_url(server, "/join"))  # a page of this server, as host
                await follow(page, hook, meeting_id)
            assert "/present" not in wall.url  # still the break
            async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-2")) as lead2:
                await lead2.command("jump_to_report_back", {})  # the lead moves the evening on
            await wall.wait_for_url("**/present?meeting=*", timeout=30_000)
            await wall.wait_for_selector('#present[data-state="live"][data-screen="overview"]')
            offer = lead.locator('[data-offer="present"]')
            await offer.wait_for(timeout=10_000)
            async with lead.expect_popup() as popup:
                await offer.get_by_role("button", name="Open the presentation").click()
            opened = await popup.value
            await opened.wait_for_selector('#present[data-state="live"]')
            assert f"/present?meeting={meeting_id}" in opened.url
        finally:
            await wall_context.close()
            await lead_context.close()


async def follow(page: Page, hook: str, meeting_id: str) -> None:
    """What the wall page and the lead's page do: follow the meeting with the hook."""
    await page.evaluate(
        """async ([hook, meetingId]) => {
          const { LiveSocket } = await import('/static/js/socket.js');
          const phase = await import('/static/js/phase_switch.js');
          const { loadSession } = await import('/static/js/session.js');
          const socket = new LiveSocket(`ws://${location.host}/ws`, loadSession(meetingId).token);
          const opened = new Promise((resolve) => socket.addEventListener('rt:open', resolve));
          if (hook === 'offerPresentation') {
            phase.offerPresentation(socket, meetingId, document.body);
          } else {
            phase.switchToPresentation(socket, meetingId);
          }
          socket.connect();
          await opened;
        }""",
        [hook, meeting_id],
    )


HOSTILE = [
    "<script>window.pwned = 1</script>",
    '<img src=x onerror="window.pwned = 2">',
    "javascript:window.pwned = 3",
    "\u202etxet desrever",
    "W" * 2000,
]


async def test_hostile_text_is_shown_as_text(
    browser: Browser, themed: tuple[Server, str, dict[Scope, list[str]]]
) -> None:
    """Runs last in this module: its cross-topic key theme adds a screen until it is unmarked."""
    server, meeting_id, _ = themed
    title = '<img src=x onerror="window.pwned = 4"> & <b>bold</b>'
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-3")) as lead:
        await lead.command("create_theme", {"theme_id": "t-hostile", "title": title})
        for index, text in enumerate(HOSTILE):
            cid = f"hostile-{index}"
            data = {"comment_id": cid, "question": "advocacy", "text": text, "table": 3}
            await lead.command("add_comment", data)
            await lead.command("star_comment", {"comment_id": cid, "table": 3})
            ref = {"theme_id": "t-hostile", "table": 3, "comment_id": cid}
            await lead.command("add_to_theme", ref)
        await lead.command("set_key_theme", {"theme_id": "t-hostile", "key": True})
        context, page = await open_present(browser, server, meeting_id, "observer", HD, "overview")
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        try:
            await page.keyboard.press("End")
            await page.wait_for_selector('#present[data-screen="across-topics"]')
            await page.keyboard.press("s")
            await page.wait_for_selector("#stage .quote")
            assert await page.locator("#stage .key-title").all_text_contents() == [title]
            quotes = await page.locator("#stage .quote").all_text_contents()
            assert quotes == HOSTILE
            assert await page.locator("#stage img, #stage script, #stage b").count() == 0
            assert await page.evaluate("() => window.pwned") is None
            assert dialogs == []
            fits = await page.evaluate(
                "() => document.getElementById('stage').scrollWidth <= innerWidth"
            )
            assert fits, "a 2,000-character word breaks the layout"
        finally:
            await context.close()
            await lead.command("set_key_theme", {"theme_id": "t-hostile", "key": False})
