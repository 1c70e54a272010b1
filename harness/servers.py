"""A real ``roundtable serve`` on a free loopback port, a seeded evening, and signed tokens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from events.instants import MINUTE
from events.log.store import EventStore, now_micros
from events.meeting.commands import OpenMeeting, ScheduleMeeting, StartRoundtables
from harness import patience
from server import meetings, seed
from server.tokens import Grant, Role, sign

SECRET = "test-secret-key-of-this-run"
BROWSER_HOST = "tablet.test"
"""The name the browser tests open pages at (Chromium maps it to 127.0.0.1): the server is
told it is one of its names (``ALLOWED_HOSTS``), as a venue's would be with ``--allowed-host``."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Server:
    base: str
    ws: str
    db: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text()


@contextlib.contextmanager
def serve(
    db: str | Path,
    *args: str,
    logs: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
    launcher: tuple[str, ...] = ("-m", "server"),
    python: str = sys.executable,
) -> Iterator[Server]:
    """Start the server, wait until it answers, and stop it by its own pid afterwards; its
    output goes to a file in ``logs`` (never a pipe nobody reads, which would block it).
    ``port`` lets a test restart the server where its pages expect it; ``launcher`` is what
    Python runs (the CLI, or a wrapper such as ``harness.evening_clock``), ``python`` which
    Python (another environment's)."""
    port = port or free_port()
    log_path = logs / f"serve-{port}.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [python, *launcher, "serve", "--db", str(db), "--port", str(port), *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": BROWSER_HOST,
            **(env or {}),
        },
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/healthz", process, log_path)
        yield Server(base, f"ws://127.0.0.1:{port}/ws", str(db), process, log_path)
    finally:
        process.terminate()
        process.wait(timeout=patience.seconds(30))
        log.close()


def wait_until_answering(url: str, process: subprocess.Popen[Any], log: Path) -> tuple[int, Any]:
    """``url``'s answer, once the process serving it answers. The wait ends when it does or
    when the process stops (its output then says why); the deadline is a generous bound (a
    loaded machine starts a server late, not never), stretched by the run's patience."""
    deadline = time.monotonic() + patience.seconds(120)
    while True:
        try:
            return get(url)
        except OSError:
            assert process.poll() is None, f"the server stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the server did not answer:\n{log.read_text()}"
            time.sleep(0.05)  # polling another process's port, not waiting for the clock


def get(url: str, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=patience.seconds(30)) as response:
            return response.status, orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, orjson.loads(error.read())


def token(
    meeting_id: str,
    role: Role,
    table: int | None = None,
    device: str | None = None,
    expires: int | None = None,
    secret: str = SECRET,
) -> str:
    """A device token as the server would issue it (the test knows the server's key)."""
    grant = Grant(
        meeting_id=meeting_id,
        role=role,
        device_id=device or f"{role}-{table or 0}",
        expires=expires if expires is not None else int(time.time()) + 86_400,
        table=table,
    )
    return sign(secret.encode(), grant)


async def seed_evening(db: str, *, minutes_ago: int = 20) -> str:
    """The Kamloops rehearsal, opened, its roundtables started ``minutes_ago`` before now
    (20: rotation 1 is over and rotation 2 is on). Returns the meeting id."""
    return await start_evening(db, now_micros() - minutes_ago * MINUTE)


async def start_evening(db: str, started: int, *, planned_before: int = MINUTE) -> str:
    """The Kamloops rehearsal planned ``planned_before`` ahead of ``started`` (µs), opened a
    minute before it, its roundtables started at ``started``. Returns the meeting id."""
    async with EventStore(db) as store:
        plan = seed.rehearsal(started - planned_before)
        return await open_and_start(store, plan, opened=started - MINUTE, started=started)


async def open_and_start(
    store: EventStore, plan: ScheduleMeeting, *, opened: int, started: int
) -> str:
    """Schedule ``plan`` in ``store``, open the meeting at ``opened``
    and start its roundtables at ``started``. Returns the meeting id."""
    meeting_id = plan.meeting_id
    await meetings.run(store, meeting_id, plan, command_id="schedule")
    await meetings.run(store, meeting_id, OpenMeeting(at=opened), command_id="open")
    await meetings.run(store, meeting_id, StartRoundtables(at=started), command_id="start")
    return meeting_id


async def rehearsal_started_now(store: EventStore, meeting_id: str) -> int:
    """The rehearsal as ``meeting_id`` in ``store``, opened and started now; returns now."""
    now = now_micros()
    plan = replace(seed.rehearsal(now), meeting_id=meeting_id)
    await open_and_start(store, plan, opened=now, started=now)
    return now


@contextlib.contextmanager
def evening_server(folder: Path) -> Iterator[tuple[Server, str]]:
    """A server on the Kamloops rehearsal seeded in ``folder`` (rotation 2 on): the server
    and the meeting id, for a module's tests to share."""
    db = str(folder / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=folder) as running:
        yield running, meeting_id


def evening(db: str, *, minutes_ago: int = 20) -> str:
    """``seed_evening`` for a test that is not async."""
    return asyncio.run(seed_evening(db, minutes_ago=minutes_ago))
