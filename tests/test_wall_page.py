"""The projected wall in real headless Chromium, against a real server.

Each person has their own browser context: the wall (an observer's screen), the tablets. The
lead's commands go over the live protocol (``client/live.py``), as the lead's page sends them.
Every wait is on the page's state, never a sleep.

The theme wall of a server restarted mid-evening equals the wall rebuilt from position 0 byte
for byte: ``tests/test_ws_themes.py`` checks it on the observer's state, which is what this
page draws (``test_the_wall_after_a_restart_equals_the_wall_rebuilt_from_zero``); it is not
repeated here.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from client.live import LiveClient
from harness.browser import join_tablet, page_url, post, type_comment
from harness.legibility import measure
from harness.present_page import stored_session
from harness.servers import Server, get, token
from harness.wall_page import (
    open_wall,
    quotes,
    show_topic,
    themes,
    wait_no_theme,
    wait_quote,
    wait_theme,
    wait_wall,
)
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

FULL_HD = {"width": 1920, "height": 1080}
SIZES = [FULL_HD, {"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
# The rehearsal's tables and their topics.
TOPIC_OF = {
    1: "social-health",
    2: "enforcement-justice",
    3: "streets-public-spaces",
    4: "crime-prevention",
}
LONG_WORD = "Detox" + "x" * 1995
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">javascript:alert(1)</a>',
    "javascript:alert(1)",
    "Right to left: \u202eevil.exe\u202c done",
    LONG_WORD,
]

CLOCK_BOX = """() => {
  const r = document.querySelector('#countdown').getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          size: parseFloat(getComputedStyle(document.querySelector('#countdown')).fontSize),
          text: document.querySelector('#countdown').textContent};
}"""


@pytest_asyncio.fixture(loop_scope="session")
async def lead(evening_server: tuple[Server, str]) -> AsyncIterator[LiveClient]:
    server, meeting_id = evening_server
    async with LiveClient(server.ws, token(meeting_id, "lead", device="lead-laptop")) as client:
        yield client


async def add_comments(server: Server, meeting_id: str, table: int, *texts: str) -> list[str]:
    """Comments typed at ``table`` (a tablet's protocol client); their ids."""
    ids = []
    tablet = token(meeting_id, "facilitator", table, f"tablet-{table}")
    async with LiveClient(server.ws, tablet) as client:
        for text in texts:
            comment_id = f"c{table}-{uuid.uuid4().hex[:12]}"
            data = {"comment_id": comment_id, "question": "coordination", "text": text}
            data["rotation"] = 2
            await client.command("add_comment", data)
            ids.append(comment_id)
    return ids


async def put(lead: LiveClient, theme_id: str, table: int, comment_id: str) -> None:
    data = {"theme_id": theme_id, "table": table, "comment_id": comment_id}
    await lead.command("add_to_theme", data)


def observer_link(server: Server, meeting_id: str) -> str:
    """A one-time sign-in link for an observer's screen, made by the lead, at the page's host."""
    body = post(
        f"{server.base}/api/meetings/{meeting_id}/links",
        token(meeting_id, "lead"),
        {"role": "observer"},
    )
    url = str(body["url"])
    assert url.startswith(f"{server.base}/wall#")
    return page_url(server, url.removeprefix(server.base))


async def test_the_observer_link_opens_the_wall_and_tablets_comments_count_but_stay_off_it(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context = await browser.new_context(viewport=FULL_HD)  # type: ignore[arg-type]
    tablets = []
    try:
        page = await context.new_page()
        await page.goto(observer_link(server, meeting_id))
        await wait_wall(page)
        assert "signin" not in page.url  # the spent link is not left in the address
        assert await page.locator("#title").text_content() == (
            "Safe and Secure Kamloops Network Meeting (rehearsal)"
        )
        cycle = []
        for _ in range(4):
            cycle.append(await page.locator("#board").get_attribute("data-topic"))
            await page.keyboard.press("ArrowRight")
        assert cycle == [
            "crime-prevention",
            "social-health",
            "streets-public-spaces",
            "enforcement-justice",
        ]
        for table in (1, 2, 3, 4):
            tablets.append(await join_tablet(browser, server, meeting_id, table))
        for table, (_, tablet) in enumerate(tablets, start=1):
            await type_comment(tablet, f"Point from table {table}")
        for table in (1, 2, 3, 4):
            await show_topic(page, TOPIC_OF[table])
            counts = page.locator(".page-counts", has_text="1 comment · 0 themes")
            await counts.wait_for()
        # Raw comments are off the wall until the lead lets them on.
        assert "Point from table" not in (await page.locator("body").inner_text())
        assert await quotes(page) == []
        assert await page.locator("#quotes").is_hidden()
        await assert_accessible(page, "the wall, comments counted")
    finally:
        for tablet_context, _ in tablets:
            await tablet_context.close()
        await context.close()


async def test_themes_the_lead_makes_merges_and_undoes_show_with_their_comments(
    browser: Browser, evening_server: tuple[Server, str], lead: LiveClient
) -> None:
    server, meeting_id = evening_server
    beds, phone, outreach = await add_comments(
        server, meeting_id, 1, "Detox beds", "One phone number", "Outreach at night"
    )
    (justice,) = await add_comments(server, meeting_id, 2, "Treatment in place of jail")
    context, page = await open_wall(browser, server, meeting_id, FULL_HD)
    try:
        topic = {"topic": "social-health", "question": "coordination"}
        await lead.command("create_theme", {"theme_id": "a", "title": "Beds", **topic})
        await show_topic(page, "social-health")
        await wait_theme(page, "a", "Beds", "no comments yet")
        for comment_id in (beds, phone):
            await put(lead, "a", 1, comment_id)
        await wait_theme(page, "a", "Beds", "2 comments · table 1")
        counts = page.locator(".page-counts")
        assert await counts.text_content() == "3 comments · 1 theme · 1 not in a theme yet"

        await lead.command("create_theme", {"theme_id": "b", "title": "Outreach", **topic})
        await lead.command("add_to_theme", {"theme_id": "b", "table": 1, "comment_id": outreach})
        await wait_theme(page, "b", "Outreach", "1 comment · table 1")
        await lead.command("rename_theme", {"theme_id": "a", "title": "Detox and treatment beds"})
        await wait_theme(page, "a", "Detox and treatment beds", "2 comments · table 1")

        # A theme across topics gets its own page, last in the cycle.
        await lead.command("create_theme", {"theme_id": "x", "title": "Treatment", "topic": None})
        await lead.command("add_to_theme", {"theme_id": "x", "table": 2, "comment_id": justice})
        await show_topic(page, "*")
        await wait_theme(page, "x", "Treatment", "1 comment · table 2")
        assert await page.locator(".page-title").text_content() == "Across topics"
        assert await page.locator(".page-where").text_content() == "Topic 5 of 5"

        await show_topic(page, "social-health")
        await lead.command("merge_themes", {"theme_id": "b", "into": "a"})
        await wait_no_theme(page, "b")
        await wait_theme(page, "a", "Detox and treatment beds", "3 comments · table 1")
        await lead.command("undo_grouping", {})
        await wait_theme(page, "b", "Outreach", "1 comment · table 1")
        await wait_theme(page, "a", "Detox and treatment beds", "2 comments · table 1")

        # A key theme comes first in its question, marked.
        await lead.command("set_key_theme", {"theme_id": "b", "key": True})
        await page.wait_for_function(
            "() => document.querySelector('#board .theme').dataset.theme === 'b'"
        )
        assert await page.locator('.theme[data-theme="b"] .key-mark').count() == 1
        shown = await themes(page)
        assert shown == [
            ["Outreach", "1 comment · table 1"],
            ["Detox and treatment beds", "2 comments · table 1"],
        ]

        # Reload: everything is as it was.
        await page.reload()
        await wait_wall(page)
        await show_topic(page, "social-health")
        await wait_theme(page, "a", "Detox and treatment beds", "2 comments · table 1")
        assert await themes(page) == shown
    finally:
        await context.close()


async def test_the_hold_screen_goes_on_and_off_live_and_survives_a_reload(
    browser: Browser, evening_server: tuple[Server, str], lead: LiveClient
) -> None:
    server, meeting_id = evening_server
    context, page = await open_wall(browser, server, meeting_id, FULL_HD)
    try:
        hold = page.locator("#hold")
        assert await hold.is_hidden()
        await lead.command("hold_wall", {"held": True})
        await page.wait_for_selector('#wall[data-held="true"] #hold:not([hidden])')
        await assert_accessible(page, "the wall's hold screen")
        held = await measure(page)
        assert held.large_share == 1.0, held.line()
        assert held.cut == [], held.cut
        assert await page.locator("#hold-title").text_content() == (
            "Safe and Secure Kamloops Network Meeting (rehearsal)"
        )
        assert await page.locator("#hold-time").text_content()
        phase = await page.locator("#hold-phase").text_content() or ""
        assert phase.startswith("Rotation 2 of 4")
        await page.reload()
        await wait_wall(page)
        assert await page.locator('#wall[data-held="true"] #hold:not([hidden])').count() == 1
        await lead.command("hold_wall", {"held": False})
        await page.wait_for_selector('#wall[data-held="false"] #hold[hidden]', state="attached")
        await page.locator("#board .page-title").wait_for()

        # A message from the lead shows on the wall too.
        await lead.command("send_message", {"text": "Please move to your next table"})
        await page.wait_for_selector("#message:not([hidden])")
        assert await page.locator("#message").text_content() == "Please move to your next table"
    finally:
        await context.close()


async def test_the_countdown_is_the_servers_even_when_the_laptop_clock_is_off(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, meeting_id = evening_server
    context = await browser.new_context(viewport=FULL_HD)  # type: ignore[arg-type]
    # The laptop's clock is seven minutes fast.
    await context.add_init_script("{ const real = Date.now; Date.now = () => real() + 420000; }")
    await context.add_init_script(_stored_observer(meeting_id))
    try:
        page = await context.new_page()
        await page.goto(page_url(server, f"/wall?meeting={meeting_id}"))
        await wait_wall(page)
        _, meeting = get(f"{server.base}/api/meetings/{meeting_id}", token(meeting_id, "lead"))
        ends_ms = meeting["clock"]["ends"] / 1000
        await page.wait_for_function(
            """(endsMs) => {
              const shown = Number(document.querySelector('#clock').dataset.remainingMs);
              return Math.abs(shown - (endsMs - Date.now() + 420000)) < 3000;
            }""",
            arg=ends_ms,
        )
        remaining = float(await page.locator("#clock").get_attribute("data-remaining-ms") or 0)
        assert abs(remaining - (ends_ms - time.time() * 1000)) < 3000
        assert await page.locator("#phase").text_content() == "Rotation 2 of 4"
    finally:
        await context.close()


@pytest.mark.parametrize("viewport", SIZES, ids=lambda v: f"{v['width']}x{v['height']}")
async def test_long_titles_page_instead_of_shrinking_at_projector_sizes(
    browser: Browser, evening_server: tuple[Server, str], lead: LiveClient, viewport: dict[str, int]
) -> None:
    server, meeting_id = evening_server
    for table in (1, 2, 3):
        words = "more coordination between agencies " * 3
        texts = [f"Table {table} point {n}: {words}" for n in range(12)]
        ids = await add_comments(server, meeting_id, table, *texts)
        for n in range(6):
            theme_id = f"t{table}-{n}"
            title = f"Theme {n} of table {table}: " + "words " * 12
            data = {"theme_id": theme_id, "title": title, "topic": TOPIC_OF[table]}
            await lead.command("create_theme", {**data, "question": "coordination"})
            for comment_id in ids[n * 2 : n * 2 + 2]:
                await put(lead, theme_id, table, comment_id)
    context, page = await open_wall(browser, server, meeting_id, viewport)
    try:
        await show_topic(page, TOPIC_OF[3])
        title = "Theme 0 of table 3: " + "words " * 11 + "words"
        await wait_theme(page, "t3-0", title, "2 comments · table 3")
        await _assert_fits(page, viewport)
    finally:
        await context.close()


async def test_hostile_comments_are_plain_text_and_the_layout_holds(
    browser: Browser, evening_server: tuple[Server, str], lead: LiveClient
) -> None:
    server, meeting_id = evening_server
    context, page = await open_wall(browser, server, meeting_id, {"width": 1280, "height": 720})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    try:
        ids = await add_comments(server, meeting_id, 1, *HOSTILE)
        hostile_title = "<img src=x onerror=alert(1)>"
        await lead.command("create_theme", {"theme_id": "h", "title": hostile_title, "topic": None})
        for comment_id in ids:
            await put(lead, "h", 1, comment_id)
        await show_topic(page, "*")
        await wait_theme(page, "h", hostile_title, f"{len(HOSTILE)} comments · table 1")
        await lead.command("set_wall_rule", {"rule": "approve"})
        for comment_id in ids:
            ack = await lead.command("approve_comment", {"table": 1, "comment_id": comment_id})
        await wait_wall(page, int(ack["position"]))  # every approval folded
        await wait_quote(page, HOSTILE[-2])  # the newest that fits: the long word does not
        assert set(await quotes(page)) <= set(HOSTILE)
        found = await page.evaluate(
            """() => ({
              scripts: [...document.querySelectorAll('script')].map((s) => s.src),
              images: document.querySelectorAll('img').length,
              links: document.querySelectorAll('a').length,
              pwned: typeof window.pwned,
            })"""
        )
        assert found == {
            "scripts": [page_url(server, "/static/js/wall.js")],
            "images": 0,
            "links": 0,
            "pwned": "undefined",
        }
        await _assert_fits(page, {"width": 1280, "height": 720})
        # The right-to-left override stays inside its own comment.
        assert await page.evaluate(
            """() => [...document.querySelectorAll('.quote-text')]
                 .every((t) => getComputedStyle(t).unicodeBidi === 'plaintext')"""
        )
        assert dialogs == []
    finally:
        await context.close()


async def test_the_wall_switches_to_the_presentation_at_the_report_back(
    browser: Browser, evening_server: tuple[Server, str], lead: LiveClient
) -> None:
    server, meeting_id = evening_server
    context, page = await open_wall(browser, server, meeting_id, FULL_HD)
    try:
        await lead.command("jump_to_report_back", {})
        await page.wait_for_url(f"**/present?meeting={meeting_id}")
    finally:
        await context.close()


async def _assert_fits(page: Page, viewport: dict[str, int]) -> None:
    """Nothing scrolls, nothing is cut, everything at the room's size; the clock the largest."""
    root = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert root == [viewport["width"], viewport["height"]]
    legible = await measure(page)
    assert legible.cut == [], legible
    assert legible.broken == [], legible
    assert legible.large_share == 1.0, legible
    clock = await page.evaluate(CLOCK_BOX)
    assert clock["text"], clock
    assert clock["left"] >= 0, clock
    assert clock["right"] <= viewport["width"], clock
    assert clock["top"] >= 0, clock
    assert clock["bottom"] <= viewport["height"], clock
    assert clock["size"] >= 80 * viewport["height"] / 1080, clock  # the largest type there


def _stored_observer(meeting_id: str) -> str:
    return stored_session(meeting_id, "observer", "observer-wall")
