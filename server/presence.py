"""Which devices of each meeting are connected to this server now, and how many comments
each tablet still holds in its outbox (it reports them in ``status`` messages).

This is the lead's table health panel: a tablet that has gone offline, or holds comments it
cannot send, must show at once. It is the state of this process's connections, not a fact of
the evening, so it is not in the log; after a restart the tablets reconnect and report again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson

from events.store import now_micros
from server.tokens import Grant

Watcher = Callable[[bytes], None]


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    role: str
    table: int | None
    connections: int
    waiting: int
    since: int
    """When it last came online or went offline (µs, UTC)."""
    reported_at: int | None
    """When it last reported its outbox (µs, UTC); ``None``: never."""


class Presence:
    """The devices of every meeting this process has seen, online or not."""

    def __init__(self) -> None:
        self._devices: dict[str, dict[str, DeviceStatus]] = {}
        self._watchers: dict[str, set[Watcher]] = {}

    def connected(self, grant: Grant) -> None:
        devices = self._devices.setdefault(grant.meeting_id, {})
        known = devices.get(grant.device_id)
        if known is None:
            known = DeviceStatus(grant.role, grant.table, 0, 0, now_micros(), None)
        elif known.connections == 0:
            known = replace(known, since=now_micros())
        devices[grant.device_id] = replace(known, connections=known.connections + 1)
        self._changed(grant.meeting_id)

    def disconnected(self, grant: Grant) -> None:
        known = self._devices[grant.meeting_id][grant.device_id]
        connections = known.connections - 1
        since = now_micros() if connections == 0 else known.since
        self._devices[grant.meeting_id][grant.device_id] = replace(
            known, connections=connections, since=since
        )
        self._changed(grant.meeting_id)

    def reported(self, grant: Grant, waiting: int) -> None:
        """A device says how many commands wait in its outbox."""
        known = self._devices[grant.meeting_id][grant.device_id]
        self._devices[grant.meeting_id][grant.device_id] = replace(
            known, waiting=waiting, reported_at=now_micros()
        )
        self._changed(grant.meeting_id)

    def watch(self, meeting_id: str, watcher: Watcher) -> None:
        """Call ``watcher`` with a ``presence`` message now and on every change."""
        self._watchers.setdefault(meeting_id, set()).add(watcher)
        watcher(self.message(meeting_id))

    def unwatch(self, meeting_id: str, watcher: Watcher) -> None:
        self._watchers.get(meeting_id, set()).discard(watcher)

    def message(self, meeting_id: str) -> bytes:
        """The ``presence`` message: every device seen, by table (the lead's first)."""
        devices = self._devices.get(meeting_id, {})
        order = sorted(devices, key=lambda d: (devices[d].table or 0, devices[d].role, d))
        return orjson.dumps(
            {
                "type": "presence",
                "server_time": now_micros(),
                "devices": [_render(device_id, devices[device_id]) for device_id in order],
            }
        )

    def _changed(self, meeting_id: str) -> None:
        watchers = self._watchers.get(meeting_id)
        if watchers:
            message = self.message(meeting_id)
            for watcher in list(watchers):
                watcher(message)


def _render(device_id: str, status: DeviceStatus) -> dict[str, Any]:
    return {
        "device_id": device_id,
        "role": status.role,
        "table": status.table,
        "online": status.connections > 0,
        "waiting": status.waiting,
        "since": status.since,
        "reported_at": status.reported_at,
    }
