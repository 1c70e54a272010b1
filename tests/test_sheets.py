"""Join sheets (the table's secret, for its facilitator) and table cards (nothing secret)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html import escape
from pathlib import Path

import segno

from events import meeting
from events.decider import fold
from events.devices import initial_state
from events.plan import Plan, Topic
from server import access, sheets
from tests.meeting_fixtures import scheduled
from tests.servers import SECRET, evening

BASE = "http://192.168.1.20:8000"
KEY = SECRET.encode()


def plan() -> Plan:
    state = fold(meeting, scheduled())
    assert state.plan is not None
    return state.plan


def test_a_join_sheet_has_the_qr_code_of_its_link_the_code_and_the_table() -> None:
    evening_plan = plan()
    codes = access.current_codes(KEY, evening_plan, initial_state)
    html = sheets.join_sheets(evening_plan, codes, BASE)
    assert html.count('<section class="sheet">') == 4
    for table in evening_plan.tables:
        code = codes[table.number]
        url = f"{BASE}/join#meeting=kamloops&code={code}"
        assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)
        assert segno.make(url, error="m").svg_inline(scale=5, title=url) in html
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
