"""The replay page and its endpoints, on a Kamloops evening typed through the protocol into a
real server on the evening's own (fast) clock (``harness/replay_evening.py`` says how), read in
real headless Chromium. Every wait is on the page's state, never a sleep.

"Scrub to 19:20" is literal here: the log's instants are 15 June 2023 in Vancouver, the
roundtables start at about 18:52, so 19:20 is late in rotation 2 (it ends about 19:22).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page

from events.log.codec import canonical
from events.log.envelope import Recorded
from events.log.store import EventStore
from harness import patience
from harness.browser import page_url
from harness.cli import roundtable
from harness.present_page import stored_session
from harness.replay_evening import EDITED, at, run_evening, schedule, serve_evening
from harness.servers import Server, get, token
from server.replay_cache import EVERY
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

VIEWPORT = {"width": 1366, "height": 900}
TEXTS = "(all) => all.map((n) => n.textContent)"


@dataclass(frozen=True, slots=True)
class Evening:
    server: Server
    meeting_id: str
    records: list[Recorded]

    def url(self, path: str, role: str = "staff") -> tuple[str, str]:
        return f"{self.server.base}/api/meetings/{self.meeting_id}{path}", token(
            self.meeting_id,
            role,  # type: ignore[arg-type]
            1 if role == "facilitator" else None,
        )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def evening(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Evening]:
    folder = tmp_path_factory.mktemp("replay-evening")
    db = str(folder / "evening.db")
    meeting_id = await schedule(db)
    with serve_evening(db, folder) as running:
        await asyncio.wait_for(run_evening(running, meeting_id), patience.seconds(180))
        async with EventStore(db) as store:
            records = [r async for r in store.read_all(meeting_id=meeting_id)]
        yield Evening(running, meeting_id, records)


def live_at(records: list[Recorded], instant: int) -> dict[int, set[str]]:
    """From the log: each table's comments that existed at ``instant`` (added at or before it,
    not retracted then, nor under a retracted parent)."""
    parents: dict[str, str | None] = {}
    tables: dict[str, int] = {}
    retracted: set[str] = set()
    for record in records:
        if record.recorded_at > instant:
            break  # the log is in commit order: a moment is a prefix of it
        if not record.stream_id.startswith("table-"):
            continue
        data = orjson.loads(record.data or b"{}")
        cid = data.get("comment_id")
        if record.type == "CommentAdded":
            parents[cid] = data.get("parent")
            tables[cid] = int(record.stream_id.rsplit("-", 1)[1])
        elif record.type == "CommentRetracted":
            retracted.add(cid)
        elif record.type == "CommentRestored":
            retracted.discard(cid)
    shown: dict[int, set[str]] = {}
    for cid, table in tables.items():
        parent = parents[cid]
        if cid in retracted or (parent is not None and parent in retracted):
            continue
        shown.setdefault(table, set()).add(cid)
    return shown


def position_at(records: list[Recorded], instant: int) -> int:
    return max(r.position for r in records if r.recorded_at <= instant)


async def replayed(*args: str) -> Any:
    """``roundtable ARGS``'s JSON, run in this process (``harness.cli``) on a thread of its own
    (the command runs its own event loop)."""
    done = await asyncio.to_thread(roundtable, *args)
    assert done.returncode == 0, done.stderr
    return orjson.loads(done.stdout)


# ---- the endpoints ---------------------------------------------------------------------------


async def test_the_timeline_is_the_log_at_a_glance(evening: Evening) -> None:
    status, body = get(*evening.url("/replay/timeline"))
    assert status == 200, body
    records = evening.records
    assert body["timezone"] == "America/Vancouver"
    assert body["first"] == {"position": records[0].position, "recorded_at": records[0].recorded_at}
    assert body["last"] == {
        "position": records[-1].position,
        "recorded_at": records[-1].recorded_at,
    }
    assert body["events"] == [[r.position, r.recorded_at, r.type] for r in records]
    clock = [r for r in records if r.type in ("RotationStarted", "RotationEnded")]
    marks = [b for b in body["boundaries"] if b["type"] in ("RotationStarted", "RotationEnded")]
    assert [(b["position"], b["recorded_at"]) for b in marks] == [
        (r.position, r.recorded_at) for r in clock
    ]
    assert [(b["type"], b["rotation"]) for b in marks] == [
        (kind, n) for n in (1, 2, 3, 4) for kind in ("RotationStarted", "RotationEnded")
    ]
    assert {item["kind"] for item in body["agenda"]} >= {"roundtables", "break", "report_back"}
    added: dict[str, int] = {}
    for r in records:
        if r.type == "CommentAdded":
            table = r.stream_id.rsplit("-", 1)[1]
            added[table] = added.get(table, 0) + 1
    counts = body["activity"]["counts"]
    assert {t: sum(c) for t, c in counts.items()} == added
    assert body["activity"]["minutes"] >= 55, "an hour of roundtables, minute by minute"
    busiest = max(max(c) for c in counts.values())
    assert busiest <= 4, "about one comment a minute per table, as a person types"


async def test_views_at_a_moment_are_the_ones_roundtable_replay_gives(evening: Evening) -> None:
    records = evening.records
    positions = [records[len(records) // 3].position, records[-1].position]
    if len(records) > EVERY + 3:
        positions.append(records[EVERY + 2].position)  # folded on from a checkpoint
    for position in positions:
        status, body = get(*evening.url(f"/replay/views?position={position}"))
        assert status == 200, body
        cli = await replayed(
            *("replay", "--db", evening.server.db, "--meeting", evening.meeting_id),
            *("--position", str(position), "--format", "json"),
        )
        assert body["position"] == cli["position"] == position
        assert set(body["views"]) == set(cli["views"])
        for name, view in cli["views"].items():
            assert canonical(body["views"][name]) == canonical(view), (position, name)
    status, body = get(*evening.url("/replay/views?at=19:20"))
    assert status == 200, body
    cli = await replayed(
        *("replay", "--db", evening.server.db, "--meeting", evening.meeting_id),
        *("--at", "19:20", "--format", "json"),
    )
    assert body["position"] == cli["position"] == position_at(records, at(19, 20))
    assert body["at"] == at(19, 20)
    assert canonical(body["views"]) == canonical(cli["views"])


async def test_only_staff_and_the_lead_may_replay(evening: Evening) -> None:
    for role, expected in (("staff", 200), ("lead", 200), ("facilitator", 403), ("observer", 403)):
        for path in ("/replay/timeline", "/replay/views?position=30"):
            status, body = get(*evening.url(path, role))
            assert status == expected, (role, path, body)
    status, body = get(*evening.url("/replay/views?at=25:99"))
    assert status == 400
    assert "HH:MM" in body["message"]
    status, body = get(*evening.url("/replay/views"))
    assert status == 400


# ---- the page --------------------------------------------------------------------------------


async def open_replay(
    browser: Browser, evening: Evening, query: str = ""
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    await context.add_init_script(stored_session(evening.meeting_id, "staff", "staff-replay"))
    page = await context.new_page()
    await page.goto(page_url(evening.server, f"/replay?meeting={evening.meeting_id}{query}"))
    await page.wait_for_selector('#replay[data-state="ready"]', timeout=20_000)
    return context, page


async def wait_position(page: Page, position: int) -> None:
    await page.wait_for_function(
        "(p) => document.querySelector('#replay').dataset.position === String(p)",
        arg=position,
        timeout=15_000,
    )


async def table_ids(page: Page, table: int) -> set[str]:
    await page.select_option("#view", f"table:{table}")
    await page.wait_for_selector(f'#replay[data-view="table:{table}"]')
    ids = await page.eval_on_selector_all(
        "#table-box li.rc", "(all) => all.map((li) => li.dataset.comment)"
    )
    return set(ids)


async def test_scrub_to_19_20_shows_exactly_the_comments_of_that_moment(
    browser: Browser, evening: Evening
) -> None:
    context, page = await open_replay(browser, evening)
    try:
        moment = at(19, 20)
        first = evening.records[0].recorded_at
        await page.locator("#scrubber").fill(str((moment - first) // 1_000_000 + 0))
        await wait_position(page, position_at(evening.records, moment))
        assert await page.text_content("#clock-time") == "19:20:00"
        expected = live_at(evening.records, moment)
        assert sum(map(len, expected.values())) > 20, "the moment is well into the evening"
        assert sum(map(len, expected.values())) < sum(
            map(len, live_at(evening.records, evening.records[-1].recorded_at).values())
        ), "and not at its end"
        for table in (1, 2, 3, 4):
            assert await table_ids(page, table) == expected.get(table, set()), table
        comments = await page.get_attribute("#replay", "data-comments")
        assert comments == str(sum(map(len, expected.values())))
        assert "at=19%3A20%3A00" in page.url or "at=19:20:00" in page.url
    finally:
        await context.close()


async def test_play_at_60x_and_the_count_grows(browser: Browser, evening: Evening) -> None:
    context, page = await open_replay(browser, evening, "&at=19:00")
    try:
        start = int(await page.get_attribute("#replay", "data-comments") or 0)
        await page.click('.speed[data-speed="60"]')
        await page.click("#play")
        assert await page.get_attribute("#replay", "data-playing") == "true"
        grows = "(n) => Number(document.querySelector('#replay').dataset.comments) > n"
        await page.wait_for_function(grows, arg=start, timeout=20_000)
        now = int(await page.get_attribute("#replay", "data-comments") or 0)
        await page.wait_for_function(grows, arg=now, timeout=20_000)
        await page.click("#play")
        assert await page.get_attribute("#replay", "data-playing") == "false"
    finally:
        await context.close()


async def test_a_link_at_19_35_opens_there(browser: Browser, evening: Evening) -> None:
    context, page = await open_replay(browser, evening, "&at=19:35")
    try:
        await wait_position(page, position_at(evening.records, at(19, 35)))
        assert await page.text_content("#clock-time") == "19:35:00"
        assert await page.locator("#board .cell").count() >= 4, "the theme wall, drawn"
    finally:
        await context.close()


async def test_a_comment_history_after_an_edit_says_it_in_words(
    browser: Browser, evening: Evening
) -> None:
    context, page = await open_replay(browser, evening)
    try:
        await page.select_option("#view", "table:1")
        button = page.locator("#table-box button.rc-text", has_text=EDITED)
        await button.click()
        await page.wait_for_selector('#history[data-state="ready"]')
        said = await page.eval_on_selector_all("#history .what", TEXTS)
        original = next(
            orjson.loads(r.data or b"{}")["text"]
            for r in evening.records
            if r.type == "CommentAdded" and r.stream_id.endswith("-1")
        )
        assert said[0].startswith(f"added “{original}” under “"), said
        assert f"changed the text from “{original}” to “{EDITED}”" in said
        assert "put it in the theme “Visible patrols”" in said
        who = await page.eval_on_selector_all("#history .who", TEXTS)
        assert who[0] == "the tablet at table 1"  # no name in the log: by its role and table
        await assert_accessible(page, "replay: a comment's history")
    finally:
        await context.close()


async def test_a_theme_history_names_its_comments_and_the_theme_merged_in(
    browser: Browser, evening: Evening
) -> None:
    context, page = await open_replay(browser, evening)
    try:
        title = page.locator("#board .theme-title button", has_text="Visible patrols")
        await title.focus()
        await page.keyboard.press("Enter")
        await page.wait_for_selector('#history[data-state="ready"]')
        said = await page.eval_on_selector_all("#history .what", TEXTS)
        texts = comment_texts(evening.records)
        table1 = [texts[cid] for cid in first_ids(evening.records, 1, 2)]
        table2 = [texts[cid] for cid in first_ids(evening.records, 2, 2)]
        assert said[0] == "created the theme “Visible patrols” across topics, for any question"
        assert said[1] == f"put “{table1[0]}” (table 1) in it"
        assert f"put “{table2[0]}” (table 2) and “{table2[1]}” (table 2) in it" in said
        assert "marked it a key theme" in said
        ids = {orjson.loads(r.data or b"{}").get("comment_id") for r in evening.records} - {None}
        assert not [s for s in said if "[[" in s or any(f"{cid}" in s for cid in ids)]
        await assert_accessible(page, "replay: a theme's history")
    finally:
        await context.close()


def comment_texts(records: list[Recorded]) -> dict[str, str]:
    """Each comment's last text, by id."""
    texts: dict[str, str] = {}
    for r in records:
        if r.type in ("CommentAdded", "CommentEdited"):
            data = orjson.loads(r.data or b"{}")
            texts[data["comment_id"]] = data["text"]
    return texts


def first_ids(records: list[Recorded], table: int, count: int) -> list[str]:
    added = [r for r in records if r.type == "CommentAdded" and r.stream_id.endswith(f"-{table}")]
    return [orjson.loads(r.data or b"{}")["comment_id"] for r in added[:count]]


async def test_the_page_works_by_keyboard(browser: Browser, evening: Evening) -> None:
    context, page = await open_replay(browser, evening)
    records = evening.records
    try:
        await assert_accessible(page, "replay: the theme wall at the end")
        await page.focus("#scrubber")
        await page.keyboard.press("Home")  # the meeting scheduled and opened, in one instant
        start = position_at(records, records[0].recorded_at)
        await wait_position(page, start)
        await page.keyboard.press("ArrowRight")
        after = next(r for r in records if r.position > start)
        await wait_position(page, position_at(records, after.recorded_at))
        await page.keyboard.press("End")
        await wait_position(page, records[-1].position)
        await page.keyboard.press("[")  # back to the last boundary: the report-back began
        boundary = max(r.recorded_at for r in records if r.type == "PhaseChanged")
        await wait_position(page, position_at(records, boundary))
        await page.keyboard.press("Shift+ArrowLeft")
        ended4 = next(
            r for r in records if r.type == "RotationEnded" and b'"rotation":4' in (r.data or b"")
        )
        await wait_position(page, position_at(records, ended4.recorded_at))
        await page.keyboard.press("ArrowLeft")
        await wait_position(page, position_at(records, ended4.recorded_at - 1))
        await page.keyboard.press("2")
        assert await page.get_attribute("#replay", "data-speed") == "10"
        await page.keyboard.press("r")
        await page.wait_for_selector('#replay[data-view="report"] #stage .screen')
        await assert_accessible(page, "replay: the report-back")
        await page.keyboard.press("t")
        await page.wait_for_selector('#replay[data-view="table:1"] #table-box button.rc-text')
        await assert_accessible(page, "replay: a table")
        await page.focus("#table-box button.rc-text")
        await page.keyboard.press("Enter")
        await page.wait_for_selector('#history[data-state="ready"]')
        await page.keyboard.press("Escape")
        await page.wait_for_selector("#history", state="hidden")
        await page.keyboard.press("g")
        await page.keyboard.type("19:20")
        await page.keyboard.press("Enter")
        await wait_position(page, position_at(records, at(19, 20)))
        await page.keyboard.press("Escape")
    finally:
        await context.close()
