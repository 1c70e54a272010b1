"""``roundtable backup`` while the tablets type: the copy is a database that ``verify``
accepts, and it holds every event acknowledged before the backup began."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
import uuid
from pathlib import Path

import pytest

from client.live import LiveClient
from harness.servers import SECRET, Server, token

pytestmark = pytest.mark.asyncio

TABLES = (1, 2, 3, 4)


class Typing:
    """Tablets typing at every table until told to stop; the positions acknowledged."""

    def __init__(self) -> None:
        self.acked: list[int] = []
        self.stop = asyncio.Event()
        self.more = asyncio.Condition()

    async def table(self, server: Server, meeting_id: str, number: int) -> None:
        tablet = token(meeting_id, "facilitator", table=number, device=f"tablet-{number}")
        async with LiveClient(server.ws, tablet) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                data = {
                    "comment_id": str(uuid.uuid4()),
                    "question": "coordination",
                    "text": f"point {n} at table {number}",
                    "rotation": 2,
                }
                ack = await client.command("add_comment", data)
                async with self.more:
                    self.acked.append(ack["position"])
                    self.more.notify_all()

    async def until(self, count: int) -> None:
        """Until at least ``count`` comments have been acknowledged in all."""
        async with self.more:
            await self.more.wait_for(lambda: len(self.acked) >= count)


async def roundtable(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "SECRET_KEY": SECRET},
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_a_backup_taken_while_tablets_type_holds_every_acknowledged_event(
    evening_server: tuple[Server, str], tmp_path: Path
) -> None:
    server, meeting_id = evening_server
    typing = Typing()
    tablets = [asyncio.create_task(typing.table(server, meeting_id, n)) for n in TABLES]
    try:
        await asyncio.wait_for(typing.until(40), 120)
        acked_before = list(typing.acked)  # every one of these was committed before the copy
        copy = tmp_path / "usb" / "backup.db"
        copy.parent.mkdir()
        status, out, err = await roundtable("backup", "--db", server.db, "--out", str(copy))
        assert (status, err) == (0, ""), err
        await asyncio.wait_for(typing.until(len(typing.acked) + 8), 120)  # still typing
    finally:
        typing.stop.set()
        await asyncio.gather(*tablets)
    assert out.startswith("backed up ")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["backup.db"], "one file, whole"
    with contextlib.closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as db:
        kept = {row[0] for row in db.execute("SELECT position FROM events")}
    assert set(acked_before) <= kept
    status, out, err = await roundtable("verify", "--db", str(copy), "--meeting", meeting_id)
    assert (status, err) == (0, ""), err
    assert out.startswith(f"{meeting_id}: intact: ")
    with contextlib.closing(sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)) as db:
        (total,) = db.execute("SELECT count(*) FROM events").fetchone()
    # Of the 8 acknowledged after the backup ended, at most one per tablet was in flight
    # before: the others were written after the copy's moment, so the copy is a moment.
    assert total >= len(kept) + 8 - len(TABLES)
