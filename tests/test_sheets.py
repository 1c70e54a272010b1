"""Join sheets (the table's secret, for its facilitator) and table cards (nothing secret).

A sheet's QR code is read back as a tablet's camera would: Chromium draws the sheet's SVG and
jsQR (a decoder of its own, from npm like axe-core) reads the pixels. So the test checks where
the code leads, whatever library drew it and however."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from playwright.async_api import Browser

from events.decider import fold
from events.devices.rules import initial_state
from events.meeting import rules as meeting
from events.meeting.plan import Plan, Topic
from harness.servers import SECRET, evening
from server import access
from server.pages import sheets
from tests.meeting_fixtures import scheduled

BASE = "http://192.168.1.20:8000"
KEY = SECRET.encode()
JSQR = Path(__file__).parent / "node" / "node_modules" / "jsqr" / "dist" / "jsQR.js"
READ_CODES = """async () => Promise.all([...document.querySelectorAll('svg')].map(async (svg) => {
  const image = new Image();
  const drawn = new XMLSerializer().serializeToString(svg);
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(drawn);
  await image.decode();
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(pixels.data, canvas.width, canvas.height);
  return found ? found.data : null;
}))"""


async def read_qr_codes(browser: Browser, html: str) -> list[str | None]:
    """What a camera reads from each QR code of ``html``, in the page's order."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.set_content(html)
        await page.add_script_tag(content=JSQR.read_text())
        return list(await page.evaluate(READ_CODES))
    finally:
        await context.close()


def plan() -> Plan:
    state = fold(meeting, scheduled())
    assert state.plan is not None
    return state.plan


@pytest.mark.asyncio(loop_scope="session")
async def test_a_join_sheet_has_the_qr_code_of_its_link_the_code_and_the_table(
    browser: Browser,
) -> None:
    evening_plan = plan()
    codes = access.current_codes(KEY, evening_plan, initial_state)
    html = sheets.join_sheets(evening_plan, codes, BASE)
    assert html.count('<section class="sheet">') == 4
    links = [f"{BASE}/join#meeting=kamloops&code={codes[t.number]}" for t in evening_plan.tables]
    assert await read_qr_codes(browser, html) == links
    for table, url in zip(evening_plan.tables, links, strict=True):
        code = codes[table.number]
        assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)
        assert f'<p class="url">{url.replace("&", "&amp;")}</p>' in html
        assert f'<span class="code">{code}</span>' in html
        assert f"<h1>Table {table.number}</h1>" in html
    assert "for the facilitator only" in html
    assert "warning" not in html.split("</style>")[1]


def test_codes_differ_by_table_meeting_key_and_replacement() -> None:
    codes = {access.join_code(KEY, "kamloops", t) for t in (1, 2, 3, 4)}
    codes |= {access.join_code(KEY, "other", 1), access.join_code(b"rotated", "kamloops", 1)}
    codes.add(access.join_code(KEY, "kamloops", 1, generation=1))
    assert len(codes) == 7


def test_a_sheet_made_for_loopback_says_tablets_cannot_use_it() -> None:
    html = sheets.join_sheets(
        plan(), {t: "ABCD-EFGH" for t in (1, 2, 3, 4)}, "http://127.0.0.1:8000"
    )
    assert "This address only works on the server itself" in html


def test_a_table_card_has_the_topic_and_questions_and_nothing_secret() -> None:
    evening_plan = plan()
    cards = sheets.table_cards(evening_plan)
    assert cards.count('<section class="card">') == 4
    for question in evening_plan.questions:
        assert escape(question.prompt) in cards
    for table in evening_plan.tables:
        topic = evening_plan.topic(table.topic_id)
        assert topic is not None
        assert f"<h1>Table {table.number}</h1><h2>{escape(topic.title)}</h2>" in cards
    for code in access.current_codes(KEY, evening_plan, initial_state).values():
        assert code not in cards
    assert "<svg" not in cards
    assert "join" not in cards.lower()


def test_text_on_sheets_is_escaped() -> None:
    hostile = replace(plan(), topics=(Topic(topic_id="crime", title="<script>x</script>"),))
    table = replace(hostile.tables[0], topic_id="crime")
    html = sheets.table_card(hostile, table) + sheets.join_sheet(hostile, table, "A-B", BASE)
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_join_sheets_command_writes_a_sheet_per_table_and_the_cards(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db)
    out = tmp_path / "print"
    command = [sys.executable, "-m", "server", "join-sheets", "--db", db, "--meeting", meeting_id]
    command += ["--out", str(out), "--public-url", "http://10.0.0.5:8000/"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    names = sorted(p.name for p in out.iterdir())
    assert names == [*(f"join-sheet-table-{n}.html" for n in (1, 2, 3, 4)), "table-cards.html"]
    assert done.stdout.split() == [str(out / name) for name in names]
    sheet = (out / "join-sheet-table-3.html").read_text()
    assert f"http://10.0.0.5:8000/join#meeting={meeting_id}&amp;code=" in sheet
    assert sheet.count("<section") == 1
    assert "<h1>Table 3</h1>" in sheet
