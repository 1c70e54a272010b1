"""``roundtable verify`` as staff run it: a real process on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from events.log.store import EventStore
from harness.cli import roundtable
from tests.sample_events import note, test_codec


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "evening.db"

    async def write() -> None:
        async with EventStore(str(path), codec=test_codec) as store:
            for i in range(8):
                await store.append(
                    f"table-{i % 2}" if i < 6 else "other-table",
                    [note(f"comment {i}")],
                    meeting_id="kamloops" if i < 6 else "other",
                    expected_version=None,
                )

    asyncio.run(write())
    return path


def head(path: Path, meeting: str) -> str:
    with sqlite3.connect(path) as db:
        (value,) = db.execute(
            "SELECT hash FROM events WHERE meeting_id = ? ORDER BY position DESC LIMIT 1",
            (meeting,),
        ).fetchone()
    return str(value)


def test_verify_passes_on_a_fresh_log(log: Path) -> None:
    result = roundtable("verify", "--db", str(log))
    assert result.returncode == 0, result.stderr
    assert f"kamloops: intact: 6 events, head {head(log, 'kamloops')}" in result.stdout
    assert f"other: intact: 2 events, head {head(log, 'other')}" in result.stdout


def test_one_changed_byte_is_found_at_its_position(log: Path) -> None:
    with sqlite3.connect(log) as db:
        (data,) = db.execute("SELECT data FROM events WHERE position = 5").fetchone()
        changed = data.replace(b"comment 4", b"comment 5")
        assert len(changed) == len(data)
        db.execute("UPDATE events SET data = ? WHERE position = 5", (changed,))
    result = roundtable("verify", "--db", str(log))
    assert result.returncode == 1
    assert "kamloops: BROKEN at position 5" in result.stdout
    assert "other: intact: 2 events" in result.stdout


def test_expect_head_checks_where_the_chain_ends(log: Path) -> None:
    right = head(log, "kamloops")
    ok = roundtable("verify", "--db", str(log), "--meeting", "kamloops", "--expect-head", right)
    assert ok.returncode == 0, ok.stdout
    wrong = roundtable(
        "verify", "--db", str(log), "--meeting", "kamloops", "--expect-head", "ab" * 32
    )
    assert wrong.returncode == 1
    assert f"head {right} is not the expected {'ab' * 32}" in wrong.stdout


def test_expect_head_needs_a_meeting(log: Path) -> None:
    result = roundtable("verify", "--db", str(log), "--expect-head", "ab" * 32)
    assert (result.returncode, result.stdout) == (2, "")  # a usage mistake, on stderr
    assert result.stderr == (
        "roundtable verify: --expect-head needs exactly one meeting: name it with --meeting\n"
    )


def test_db_option_overrides_database_url(log: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "verify", "--db", str(log)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"DATABASE_URL": str(tmp_path / "elsewhere.db"), "PATH": "/usr/bin"},
    )
    assert "kamloops: intact" in result.stdout
