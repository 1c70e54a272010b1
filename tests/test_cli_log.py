"""``roundtable log export/import``, ``rebuild`` and ``stats`` on a Kamloops evening that was
typed through the real protocol into a real server, as staff run them afterwards."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import LiveClient
from client.simulation import comment_id, simulate
from events.log.codec import canonical
from harness.cli import roundtable
from harness.servers import evening, serve, token
from server.seed import KAMLOOPS

DATA = orjson.loads(KAMLOOPS.read_bytes())


def roundtable_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``roundtable`` process (the other tests run its code in this one:
    ``harness.cli``)."""
    return subprocess.run(
        [sys.executable, "-m", "server", *args], capture_output=True, text=True, timeout=120
    )


@dataclass(frozen=True, slots=True)
class Evening:
    db: Path
    meeting_id: str
    views: dict[str, Any]
    archive: Path


async def _type(url: str, meeting_id: str) -> dict[str, Any]:
    """Type every comment, edit one at table 1 and retract one at table 3; the lead's views."""
    lead = token(meeting_id, "lead")
    assert await simulate(url, lead, DATA, meeting_id, None, 0) == 204
    first = {t: next(c["id"] for c in DATA["comments"] if c["table"] == t) for t in (1, 3)}
    async with LiveClient(url, lead) as client:
        edited = await client.submit(
            "edit_comment",
            {"comment_id": comment_id(meeting_id, first[1]), "text": "CSO Outreach", "table": 1},
        )
        retracted = await client.submit(
            "retract_comment", {"comment_id": comment_id(meeting_id, first[3]), "table": 3}
        )
        assert (edited["type"], retracted["type"]) == ("ack", "ack")
    async with LiveClient(url, lead) as client:
        return dict(client.state["views"])


@pytest.fixture(scope="module")
def kamloops(tmp_path_factory: pytest.TempPathFactory) -> Evening:
    folder = tmp_path_factory.mktemp("evening")
    db = folder / "evening.db"
    meeting_id = evening(str(db), minutes_ago=20)
    with serve(db, logs=folder) as running:
        views = asyncio.run(asyncio.wait_for(_type(running.ws, meeting_id), 120))
    archive = folder / "evening.jsonl"
    result = roundtable_process("log", "export", "--db", str(db), "--out", str(archive))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "no progress bar when stderr is not a terminal"
    return Evening(db, meeting_id, views, archive)


def count(db: Path, meeting_id: str | None = None) -> int:
    """The events of the log, or of one meeting's chain (``serve`` also records the
    organisers' first sign-in link, in a chain of its own)."""
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        if meeting_id is None:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        query = "SELECT count(*) FROM events WHERE meeting_id = ?"
        return int(conn.execute(query, (meeting_id,)).fetchone()[0])


def test_round_trip_gives_the_same_bytes_and_verifies(kamloops: Evening, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    imported = roundtable("log", "import", str(kamloops.archive), "--db", str(copy))
    assert imported.returncode == 0, imported.stderr
    assert f"imported {count(kamloops.db)} events" in imported.stdout
    again = tmp_path / "again.jsonl"
    assert roundtable("log", "export", "--db", str(copy), "--out", str(again)).returncode == 0
    assert again.read_bytes() == kamloops.archive.read_bytes()
    verified = roundtable("verify", "--db", str(copy))
    assert verified.returncode == 0, verified.stdout
    original = roundtable("verify", "--db", str(kamloops.db))
    assert verified.stdout == original.stdout
    meeting_events = count(kamloops.db, kamloops.meeting_id)
    assert f"{kamloops.meeting_id}: intact: {meeting_events} events" in verified.stdout


def test_archive_has_a_header_every_event_and_a_trailer(kamloops: Evening) -> None:
    lines = kamloops.archive.read_bytes().splitlines()
    assert orjson.loads(lines[0]) == {"archive": "roundtable-log", "format": 1, "meeting": None}
    events = [orjson.loads(line) for line in lines[1:-1]]
    assert [e["position"] for e in events] == list(range(1, count(kamloops.db) + 1))
    trailer = orjson.loads(lines[-1])
    assert trailer["events"] == len(events)
    last = {e["meeting_id"]: e["hash"] for e in events}  # each chain's head: its last event
    assert trailer["heads"] == last
    assert set(last) == {kamloops.meeting_id, "_organisers"}
    added = [e for e in events if e["type"] == "CommentAdded"]
    assert len(added) == 204
    assert {e["data"]["text"] for e in added} == {c["text"] for c in DATA["comments"]}


def _changed_byte(lines: list[bytes]) -> int:
    index = [i for i, line in enumerate(lines) if b'"type":"CommentAdded"' in line][50]
    line = lines[index]
    at = line.index(b'"text":"') + len(b'"text":"')
    lines[index] = line[:at] + bytes([line[at] ^ 0x01]) + line[at + 1 :]
    return index + 1


def _swapped(lines: list[bytes]) -> int:
    lines[19], lines[20] = lines[20], lines[19]
    return 20


def _missing_last(lines: list[bytes]) -> int:
    del lines[-1]
    return len(lines) + 1


def _missing_middle(lines: list[bytes]) -> int:
    del lines[30]
    return 31


def _missing_last_event(lines: list[bytes]) -> int:
    del lines[-2]
    return len(lines)


@pytest.mark.parametrize(
    "damage", [_changed_byte, _swapped, _missing_last, _missing_middle, _missing_last_event]
)
def test_a_damaged_archive_is_refused_at_its_line(
    kamloops: Evening, tmp_path: Path, damage: Any
) -> None:
    lines = kamloops.archive.read_bytes().splitlines(keepends=True)
    bad_line = damage(lines)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_bytes(b"".join(lines))
    db = tmp_path / "fresh.db"
    result = roundtable("log", "import", str(damaged), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith(f"roundtable log import: line {bad_line}: "), result.stderr
    assert result.stderr.count("\n") == 1, "one clear line"
    assert "nothing was imported" in result.stderr
    assert count(db) == 0


def test_importing_the_same_archive_again_changes_nothing(
    kamloops: Evening, tmp_path: Path
) -> None:
    db = tmp_path / "twice.db"
    assert roundtable("log", "import", str(kamloops.archive), "--db", str(db)).returncode == 0
    before = count(db)
    second = roundtable("log", "import", str(kamloops.archive), "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert "nothing to import" in second.stdout
    assert count(db) == before == count(kamloops.db)


def test_import_onto_a_log_that_is_its_beginning_adds_the_rest(
    kamloops: Evening, tmp_path: Path
) -> None:
    db = tmp_path / "earlier.db"
    shutil.copy(kamloops.db, db)
    total = count(db)
    with sqlite3.connect(db) as conn:  # the log as it stood partway through the evening
        conn.execute("DELETE FROM events WHERE position > ?", (total - 100,))
    result = roundtable("log", "import", str(kamloops.archive), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"imported 100 events from {kamloops.archive} ({total - 100} were" in result.stdout
    out = tmp_path / "out.jsonl"
    assert roundtable("log", "export", "--db", str(db), "--out", str(out)).returncode == 0
    assert out.read_bytes() == kamloops.archive.read_bytes()


def test_import_refuses_a_log_that_is_not_its_beginning(kamloops: Evening, tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    shutil.copy(kamloops.db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM events WHERE position > 50")
        conn.execute("UPDATE events SET recorded_at = recorded_at + 1 WHERE position = 50")
    result = roundtable("log", "import", str(kamloops.archive), "--db", str(db))
    assert result.returncode == 1
    assert "line 51: the database's event at position 50 differs" in result.stderr
    assert count(db) == 50


def test_one_meetings_archive_holds_only_that_meeting(kamloops: Evening, tmp_path: Path) -> None:
    out = tmp_path / "meeting.jsonl"
    result = roundtable(
        "log",
        "export",
        "--db",
        str(kamloops.db),
        "--meeting",
        kamloops.meeting_id,
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = out.read_bytes().splitlines()
    assert orjson.loads(lines[0])["meeting"] == kamloops.meeting_id
    db = tmp_path / "meeting.db"
    assert roundtable("log", "import", str(out), "--db", str(db)).returncode == 0
    assert roundtable("verify", "--db", str(db)).returncode == 0
    archive = out.read_bytes()
    missing = roundtable("log", "export", "--db", str(db), "--meeting", "nope", "--out", str(out))
    assert missing.returncode == 1
    assert "nope: no such meeting in this log" in missing.stderr
    assert out.read_bytes() == archive, "the refused export left the file as it was"


def test_rebuild_gives_the_views_the_live_server_showed(kamloops: Evening) -> None:
    result = roundtable("rebuild", "--db", str(kamloops.db), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rebuilt = {v["name"]: v for v in orjson.loads(result.stdout)["views"]}
    assert orjson.loads(result.stdout)["events"] == count(kamloops.db)
    for number, view in kamloops.views["tables"].items():
        name = f"table-view-{kamloops.meeting_id}-{number}"
        assert rebuilt[name]["sha256"] == hashlib.sha256(canonical(view)).hexdigest()
    meeting = kamloops.views["meeting"]
    mine = rebuilt[f"meeting-view-{kamloops.meeting_id}"]
    if mine["position"] == meeting["position"]:  # the clock wrote nothing since
        assert mine["sha256"] == hashlib.sha256(canonical(meeting)).hexdigest()
    text = roundtable("rebuild", "--db", str(kamloops.db))
    assert "events/s" in text.stdout
    assert f"table-view-{kamloops.meeting_id}-3: 57 events" in text.stdout


def test_stats_count_what_the_data_file_holds(kamloops: Evening) -> None:
    result = roundtable(
        "stats", "--db", str(kamloops.db), "--meeting", kamloops.meeting_id, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    stats = orjson.loads(result.stdout)
    assert stats["comments"] == 204
    assert stats["by_table"] == {"1": 48, "2": 50, "3": 56, "4": 50}
    assert stats["by_question"] == dict(Counter(c["question"] for c in DATA["comments"]))
    assert stats["by_rotation"] == {"2": 204}
    assert stats["by_device"] == {"lead-0": 204}
    assert (stats["edits"], stats["retractions"], stats["late"]) == (1, 1, 0)
    tables = {t["table"]: t for t in stats["tables"]}
    assert (tables[1]["edits"], tables[3]["retractions"]) == (1, 1)
    for table in tables.values():
        by_question = Counter(
            c["question"] for c in DATA["comments"] if c["table"] == table["table"]
        )
        assert table["by_question"] == dict(by_question)
        assert sum(m["comments"] for m in table["busiest"][:1]) >= 1
    text = roundtable("stats", "--db", str(kamloops.db), "--meeting", kamloops.meeting_id)
    assert "comments: 204 (late 0, edits 1, retractions 1" in text.stdout
    assert "by table: 1 48, 2 50, 3 56, 4 50" in text.stdout


def test_errors_are_one_line_with_their_status(kamloops: Evening, tmp_path: Path) -> None:
    missing = roundtable("log", "import", str(tmp_path / "none.jsonl"), "--db", str(kamloops.db))
    assert (missing.returncode, missing.stderr.count("\n")) == (4, 1)
    assert "no such file" in missing.stderr
    stats = roundtable("stats", "--db", str(kamloops.db), "--meeting", "nope")
    assert (stats.returncode, stats.stderr) == (
        1,
        "roundtable stats: nope: no such meeting in this log ('roundtable meeting list')\n",
    )
    nowhere = tmp_path / "no-dir" / "out.jsonl"
    export = roundtable("log", "export", "--db", str(kamloops.db), "--out", str(nowhere))
    assert (export.returncode, export.stderr.count("\n")) == (4, 1)
