"""Erasure against a real server: the lead erases a comment during the meeting, staff erase
one edited twice and quoted in a theme's titles and a key-theme sentence after it; the words
are in no row of the events table, no view, replay, history, export or archive made
afterwards, resends bring nothing back, and the log verifies here and imported elsewhere."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import CommandRefused, LiveClient
from events.log.codec import canonical
from events.log.store import EventStore
from harness.report_evening import DATA, download, fetch, ok
from harness.servers import Server, get, seed_evening, serve, token
from projections import screens
from server.cli.fold import fold
from tests.test_erasure import ORDER

pytestmark = pytest.mark.asyncio(loop_scope="session")

WORDS = (b"Zorbanek", b"Pelletoria")
"""A resident's name (staff erase it) and a private person's (the lead erases it)."""
KEY = DATA["key_themes"][0]


def erase(server: Server, meeting_id: str, who: str, data: dict[str, Any]) -> tuple[int, Any]:
    url = f"{server.base}/api/meetings/{meeting_id}/erasures"
    status, _, body = fetch(url, token(meeting_id, who), {"data": data})  # type: ignore[arg-type]
    return status, orjson.loads(body)


def cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def chain(verified: str, meeting_id: str) -> str:
    """The meeting's line of ``roundtable verify``'s output."""
    return next(
        line for line in verified.splitlines() if line.startswith(f"{meeting_id}: intact: ")
    )


def no_words(data: bytes, where: str) -> None:
    for word in WORDS:
        assert word not in data, f"{word!r} is still in {where}"


async def test_erased_words_are_nowhere_and_the_record_still_verifies(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    c1 = {"comment_id": "c1", "question": "working-well", "text": "Ms Zorbanek: no bed"}
    c3 = {"comment_id": "c3", "question": "advocacy", "text": "Call Mr Pelletoria at home"}
    with serve(db, logs=tmp_path) as server:
        tablet = LiveClient(server.ws, token(meeting_id, "facilitator", 1, "t1"))
        lead = LiveClient(server.ws, token(meeting_id, "lead"))
        async with tablet, lead:
            await tablet.command("add_comment", c1, command_id="add-c1")
            edit = {"comment_id": "c1", "text": "Ms Zorbanek: no detox beds"}
            await tablet.command("edit_comment", edit, command_id="edit-1")
            last = {"comment_id": "c1", "text": "Ms Zorbanek said: no detox beds here"}
            await tablet.command("edit_comment", last, command_id="edit-2")
            await tablet.command("add_comment", c3, command_id="add-c3")
            c2 = {"comment_id": "c2", "question": "working-well", "text": "Outreach works"}
            await tablet.command("add_comment", c2)
            theme = {"theme_id": "th1", "title": "Zorbanek beds", "topic": None, "question": None}
            await lead.command("create_theme", theme)
            await lead.command("add_to_theme", {"theme_id": "th1", "table": 1, "comment_id": "c1"})
            await lead.command("rename_theme", {"theme_id": "th1", "title": "Beds (Zorbanek)"})

            during = {"table": 1, "comment_id": "c3", "reason": "names a private person"}
            status, body = erase(server, meeting_id, "staff", during)
            assert (status, body["code"]) == (403, "forbidden")  # staff: after the close
            status, body = erase(server, meeting_id, "lead", during)
            assert status == 200, body
            assert body["payloads"] == 1
            # the tablet's outbox resends what it sent: nothing is written again
            resent = await tablet.command("add_comment", c3, command_id="add-c3")
            assert resent["position"] < body["position"]
            late = {"comment_id": "c3", "text": "Mr Pelletoria, 555-0100"}
            with pytest.raises(CommandRefused) as refused:
                await tablet.command("edit_comment", late)
            assert refused.value.code == "comment_erased"
            await lead.command("close_meeting", {})

        status, body = erase(server, meeting_id, "lead", {**during, "comment_id": "c1"})
        assert (status, body["code"]) == (403, "forbidden")  # the lead: until the close
        sentence = "As Ms Zorbanek said, detox beds are missing"
        data = {"key_theme_id": "kt1", "topic": KEY["topic"], "question": KEY["question"]}
        ok(server, meeting_id, "write_key_theme", {**data, "text": sentence})
        status, body = erase(server, meeting_id, "staff", ORDER)
        assert status == 200, body
        assert body["payloads"] == 6  # added, edited twice, two titles, one sentence
        marker = b"[erased on "
        async with LiveClient(server.ws, token(meeting_id, "facilitator", 1, "t1")) as again:
            for command_id in ("add-c1", "edit-1", "edit-2"):  # a resend after the close
                data = c1 if command_id == "add-c1" else {**edit, "comment_id": "c1"}
                name = "add_comment" if command_id == "add-c1" else "edit_comment"
                assert (await again.command(name, data, command_id=command_id))["position"]

        with sqlite3.connect(db) as raw:
            rows = raw.execute("SELECT data FROM events").fetchall()
        no_words(b"\n".join(data or b"" for (data,) in rows), "the events table")
        assert sum(data is None for (data,) in rows) == 7

        async with LiveClient(server.ws, token(meeting_id, "lead")) as fresh:
            live = fresh.state
        no_words(canonical(live), "the lead's views")
        assert marker + b"2" in canonical(live["views"])
        async with EventStore(db) as store:
            folded = await fold(store, meeting_id=meeting_id, position=live["position"])
        rebuilt = screens.render(folded.catalog.scene(meeting_id))
        assert canonical(rebuilt) == canonical(live["views"])  # rebuild equals live

        lead_token = token(meeting_id, "lead")
        api = f"{server.base}/api/meetings/{meeting_id}"
        status, timeline = get(f"{api}/replay/timeline", lead_token)
        assert status == 200
        typed = next(p for p, _, kind in timeline["events"] if kind == "CommentAdded")
        for position in range(typed, timeline["events"][-1][0] + 1):  # every moment since
            status, moment = get(f"{api}/replay/views?position={position}", lead_token)
            assert status == 200
            no_words(canonical(moment), f"the replay at position {position}")
        for query in ("table=1&comment=c1", "table=1&comment=c3", "theme=th1"):
            status, history = get(f"{api}/history?{query}", lead_token)
            assert status == 200
            no_words(canonical(history), f"the history of {query}")
        for fmt in ("md", "html", "docx", "csv", "json"):
            exported = download(server, meeting_id, fmt)
            if fmt == "docx":
                with zipfile.ZipFile(io.BytesIO(exported)) as docx:
                    exported = b"".join(docx.read(name) for name in docx.namelist())
            no_words(exported, f"the {fmt} export")
            assert b"erased on" in exported
        assert b"[erased on 20" in download(server, meeting_id, "md")

    archive = tmp_path / "after.jsonl"
    cli("log", "export", "--db", db, "--out", str(archive))
    no_words(archive.read_bytes(), "the archive")
    verified = cli("verify", "--db", db)
    assert chain(verified, meeting_id).endswith(", 7 payloads erased")
    elsewhere = str(tmp_path / "elsewhere.db")
    cli("log", "import", "--db", elsewhere, str(archive))
    assert cli("verify", "--db", elsewhere) == verified
    with sqlite3.connect(elsewhere) as raw:
        copied = raw.execute("SELECT data FROM events").fetchall()
    no_words(b"\n".join(data or b"" for (data,) in copied), "the imported log")

    # an archive follows: import it, erase there with the command line, export it again
    said = cli(
        "erase", "--db", elsewhere, "--meeting", meeting_id, "--comment", "c2", "--reason", "asked"
    )
    assert said.startswith("erased comment c2 of table 1: 1 payload set to null, the erasure at ")
    assert chain(cli("verify", "--db", elsewhere), meeting_id).endswith(", 8 payloads erased")
    followed = tmp_path / "followed.jsonl"
    cli("log", "export", "--db", elsewhere, "--out", str(followed))
    assert b"Outreach works" in archive.read_bytes()
    assert b"Outreach works" not in followed.read_bytes()
