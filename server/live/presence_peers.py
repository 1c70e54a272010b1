"""The table health panel across several server processes on one PostgreSQL log.

Each process knows only its own connections (``server.live.presence``). With several processes
(``roundtable serve --workers N``, or servers behind one load balancer) they tell each other
through PostgreSQL notifications on ``roundtable_presence``: a device's status whenever it
changes here; ``alive`` every heartbeat; and ``hello`` on start (and after a lost connection),
which makes every other process tell all it has. A process not heard from for three
heartbeats is forgotten, and the devices it served go offline with it, so the lead's panel is
the same whichever process the lead's laptop is connected to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from dataclasses import astuple
from typing import Any

import asyncpg
import orjson

from events.log.notifications import keep_listening
from server.live.presence import DeviceStatus, Presence

CHANNEL = "roundtable_presence"
SILENT_BEATS = 3
"""Heartbeats without a word after which a process is taken to be gone."""

log = logging.getLogger("roundtable.presence_peers")


class PresencePeers:
    """This process's voice on the presence channel, and its ear."""

    def __init__(self, dsn: str, presence: Presence, heartbeat: float) -> None:
        self.name = uuid.uuid4().hex
        self._dsn = dsn
        self._presence = presence
        self._heartbeat = heartbeat
        self._outgoing: asyncio.Queue[bytes] = asyncio.Queue()
        self._heard: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        presence.on_change = self._changed_here

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="roundtable-presence-peers")

    async def stop(self) -> None:
        self._presence.on_change = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _changed_here(self, meeting_id: str, device_id: str, status: DeviceStatus) -> None:
        self._say("status", meeting=meeting_id, device=device_id, status=astuple(status))

    def _say(self, kind: str, **fields: Any) -> None:
        self._outgoing.put_nowait(orjson.dumps({"from": self.name, "kind": kind, **fields}))

    async def _run(self) -> None:
        await keep_listening(self._dsn, CHANNEL, self._heard_from, self._talk)

    async def _talk(self, connection: asyncpg.Connection) -> None:
        while not self._outgoing.empty():  # queued while no connection was open: all of it
            self._outgoing.get_nowait()  # is said again just below
        self._say("hello")
        for meeting_id, device_id, status in self._presence.here():
            self._changed_here(meeting_id, device_id, status)
        beat = time.monotonic()
        while True:
            wait = beat + self._heartbeat - time.monotonic()
            if wait <= 0:
                beat = time.monotonic()
                self._say("alive")
                self._forget_the_silent()
                continue
            try:
                async with asyncio.timeout(wait):
                    message = await self._outgoing.get()
            except TimeoutError:
                continue
            await connection.execute("SELECT pg_notify($1, $2)", CHANNEL, message.decode())

    def _heard_from(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = orjson.loads(payload)
            peer = message["from"]
            if peer == self.name:
                return
            self._heard[peer] = time.monotonic()
            if message["kind"] == "hello":
                for meeting_id, device_id, status in self._presence.here():
                    self._changed_here(meeting_id, device_id, status)
            elif message["kind"] == "status":
                status = DeviceStatus(*message["status"])
                self._presence.peer_said(peer, message["meeting"], message["device"], status)
        except (ValueError, KeyError, TypeError) as error:
            log.warning("a presence notice that is not ours: %s", error)

    def _forget_the_silent(self) -> None:
        cutoff = time.monotonic() - SILENT_BEATS * self._heartbeat
        for peer, heard in list(self._heard.items()):
            if heard < cutoff:
                del self._heard[peer]
                self._presence.forget(peer)
