"""Which devices of each meeting are connected to this server now, and how many comments
each tablet still holds in its outbox (it reports them in ``status`` messages).

This is the lead's table health panel: a tablet that has gone offline, or holds comments it
cannot send, must show at once. It is the state of the server's connections, not a fact of
the evening, so it is not in the log; after a restart the tablets reconnect and report again.
A lead's connection is given the whole list once, when it starts (``presence``), and then one
``device`` message per change of one device: a meeting of 40 tables does not send 40 devices
to every lead each time one tablet reconnects. A connection that goes silent is closed by the
server's keepalive ping (``LIVENESS_SECONDS``), which counts here as any disconnection.
With several server processes on one PostgreSQL log, each tells the others what changes here
(``server.live.presence_peers``), and a device's status is what every process knows of it together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson

from events.log.store import now_micros
from server.tokens import Grant

Watcher = Callable[[bytes], None]
Changed = Callable[[str, str, "DeviceStatus"], None]
"""Told of each change made here: meeting id, device id, the device's new status here."""


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
    """The devices of every meeting this process has seen, online or not, and what the other
    server processes on the same log say of theirs."""

    def __init__(self) -> None:
        self._devices: dict[str, dict[str, DeviceStatus]] = {}
        self._peers: dict[str, dict[tuple[str, str], DeviceStatus]] = {}
        self._watchers: dict[str, set[Watcher]] = {}
        self.on_change: Changed | None = None

    def connected(self, grant: Grant) -> None:
        known = self._devices.get(grant.meeting_id, {}).get(grant.device_id)
        if known is None:
            known = DeviceStatus(grant.role, grant.table, 0, 0, now_micros(), None)
        elif known.connections == 0:
            known = replace(known, since=now_micros())
        self._set(grant, replace(known, connections=known.connections + 1))

    def disconnected(self, grant: Grant) -> None:
        known = self._devices[grant.meeting_id][grant.device_id]
        connections = known.connections - 1
        since = now_micros() if connections == 0 else known.since
        self._set(grant, replace(known, connections=connections, since=since))

    def reported(self, grant: Grant, waiting: int) -> None:
        """A device says how many commands wait in its outbox."""
        known = self._devices[grant.meeting_id][grant.device_id]
        self._set(grant, replace(known, waiting=waiting, reported_at=now_micros()))

    def _set(self, grant: Grant, status: DeviceStatus) -> None:
        self._devices.setdefault(grant.meeting_id, {})[grant.device_id] = status
        if self.on_change is not None:
            self.on_change(grant.meeting_id, grant.device_id, status)
        self._changed(grant.meeting_id, grant.device_id)

    def here(self) -> list[tuple[str, str, DeviceStatus]]:
        """Every device status of this process: what a process that starts is told."""
        return [(m, d, s) for m, devices in self._devices.items() for d, s in devices.items()]

    def peer_said(self, peer: str, meeting_id: str, device_id: str, status: DeviceStatus) -> None:
        """Another server process's status of one of its devices."""
        self._peers.setdefault(peer, {})[(meeting_id, device_id)] = status
        self._changed(meeting_id, device_id)

    def forget(self, peer: str) -> None:
        """A process no longer heard from: its devices' connections ended with it (they stay
        listed, offline, with what they last reported, as after any disconnection)."""
        now = now_micros()
        said = self._peers.get(peer, {})
        for (meeting_id, device_id), status in said.items():
            if status.connections > 0:
                said[(meeting_id, device_id)] = replace(status, connections=0, since=now)
                self._changed(meeting_id, device_id)

    def statuses(self, meeting_id: str) -> dict[str, DeviceStatus]:
        """Each device's status as every process knows it together."""
        seen = set(self._devices.get(meeting_id, {}))
        for said in self._peers.values():
            seen.update(device_id for meeting, device_id in said if meeting == meeting_id)
        return {device_id: self.status_of(meeting_id, device_id) for device_id in seen}

    def status_of(self, meeting_id: str, device_id: str) -> DeviceStatus:
        """One device's status as every process knows it together (it must be known)."""
        found = self._devices.get(meeting_id, {}).get(device_id)
        for said in self._peers.values():
            status = said.get((meeting_id, device_id))
            if status is not None:
                found = status if found is None else _combined(found, status)
        assert found is not None, f"no status of {device_id}"
        return found

    def watch(
        self, meeting_id: str, watcher: Watcher, joined: Iterable[Mapping[str, Any]] = ()
    ) -> None:
        """Send ``watcher`` the whole list now (``presence``), then a ``device`` message on
        every change of one device. ``joined``: the meeting's devices as the log lists them
        (name, joined, signed out), so the first list names every device, connected or not."""
        watcher(self.message(meeting_id, joined))
        self._watchers.setdefault(meeting_id, set()).add(watcher)

    def unwatch(self, meeting_id: str, watcher: Watcher) -> None:
        self._watchers.get(meeting_id, set()).discard(watcher)

    def message(self, meeting_id: str, joined: Iterable[Mapping[str, Any]] = ()) -> bytes:
        """The ``presence`` message: every device of the log and every device seen here, in
        the order they joined, each with its connection as this server knows it."""
        statuses = self.statuses(meeting_id)
        listed = [
            {**entry, **_render(entry["device_id"], statuses.pop(entry["device_id"], None))}
            for entry in joined
        ]
        unlisted = sorted(statuses, key=lambda d: (statuses[d].table or 0, statuses[d].role, d))
        listed += [_render(device_id, statuses[device_id]) for device_id in unlisted]
        return orjson.dumps({"type": "presence", "server_time": now_micros(), "devices": listed})

    def _changed(self, meeting_id: str, device_id: str) -> None:
        watchers = self._watchers.get(meeting_id)
        if watchers:
            status = self.status_of(meeting_id, device_id)
            message = orjson.dumps(
                {
                    "type": "device",
                    "server_time": now_micros(),
                    "device": _render(device_id, status),
                }
            )
            for watcher in list(watchers):
                watcher(message)


def _combined(one: DeviceStatus, other: DeviceStatus) -> DeviceStatus:
    """One device seen by two processes (it moved, or has two connections): online while
    connected to either, online or offline since its latest change, and its outbox as it
    last reported it."""
    latest = one if (one.reported_at or 0) >= (other.reported_at or 0) else other
    online = [s.since for s in (one, other) if s.connections > 0]
    since = max(online) if online else max(one.since, other.since)
    return replace(latest, connections=one.connections + other.connections, since=since)


def _render(device_id: str, status: DeviceStatus | None) -> dict[str, Any]:
    """One device's connection; ``None``: a device of the log never seen here (offline)."""
    if status is None:
        return {"device_id": device_id, "online": False, "waiting": 0, "since": None,
                "reported_at": None}  # fmt: skip
    return {
        "device_id": device_id,
        "role": status.role,
        "table": status.table,
        "online": status.connections > 0,
        "waiting": status.waiting,
        "since": status.since,
        "reported_at": status.reported_at,
    }
