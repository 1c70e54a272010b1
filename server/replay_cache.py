"""Checkpoints for scrubbing through an evening: a meeting's scene every ``EVERY`` events, kept
in server memory, so a jump to any moment folds at most ``EVERY`` events instead of the whole
evening.

A meeting's events are read once (then only the new ones) and kept with their positions and
times; checkpoints are made lazily, as far as the moments asked for need them. A checkpoint is
a ``Scene``: immutable (each table frozen into its ``TableView``), and thawed into a catalog
(``Catalog.resume``) to fold on from it. At most ``MEETINGS`` meetings are kept, the least
recently replayed dropped first. The views a jump gives are the ones ``roundtable replay``
gives at that position, byte for byte: the same fold, the same renderers.
"""

from __future__ import annotations

import asyncio
import bisect
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from events import erasure
from events.log.envelope import Recorded
from events.log.store import EventStore
from projections import screens
from projections.catalog import Catalog
from projections.screens import Scene

EVERY = 250
"""Events between two checkpoints: a jump folds at most this many (docs/benchmarks.md)."""
MEETINGS = 4
"""Meetings kept in memory at once."""


@dataclass(slots=True)
class MeetingLog:
    """One meeting's events as read so far, and its checkpoints."""

    meeting_id: str
    records: list[Recorded] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    reached: list[int] = field(default_factory=list)
    """The latest ``recorded_at`` up to each event: a moment's events are a prefix of it."""
    checkpoints: list[Scene | None] = field(default_factory=lambda: [None])
    """``checkpoints[i]``: the scene after the first ``i * EVERY`` events (``None``: none yet)."""

    def add(self, records: list[Recorded]) -> None:
        for record in records:
            self.records.append(record)
            self.positions.append(record.position)
            latest = self.reached[-1] if self.reached else record.recorded_at
            self.reached.append(max(latest, record.recorded_at))

    @property
    def last(self) -> int:
        return self.positions[-1] if self.positions else 0

    def count_at_position(self, position: int) -> int:
        """How many of the meeting's events are at or before ``position``."""
        return bisect.bisect_right(self.positions, position)

    def count_at_instant(self, instant: int) -> int:
        """How many are folded at ``instant``: up to the first recorded after it (as
        ``server.cli.fold`` stops)."""
        return bisect.bisect_right(self.reached, instant)

    def scene(self, count: int) -> Scene:
        """The meeting's scene after its first ``count`` events."""
        index = count // EVERY
        while len(self.checkpoints) <= index:
            self.checkpoints.append(None)
        base = index
        while base > 0 and self.checkpoints[base] is None:
            base -= 1
        catalog = self._catalog(base)
        for step in range(base + 1, index + 1):  # checkpoints on the way, for the next jump
            self._fold(catalog, (step - 1) * EVERY, step * EVERY)
            self.checkpoints[step] = catalog.scene(self.meeting_id)
        self._fold(catalog, index * EVERY, count)
        return catalog.scene(self.meeting_id)

    def _catalog(self, index: int) -> Catalog:
        checkpoint = self.checkpoints[index]
        if checkpoint is None:
            return Catalog()
        return Catalog.resume(checkpoint, self.positions[index * EVERY - 1])

    def _fold(self, catalog: Catalog, start: int, end: int) -> None:
        for record in self.records[start:end]:
            catalog.apply(record)


@dataclass(frozen=True, slots=True)
class Moment:
    """The meeting's views at a moment, as ``roundtable replay --format json`` has them."""

    position: int
    """The last of the meeting's events folded (0: none)."""
    recorded_at: int | None
    """When that event was recorded (µs, UTC)."""
    events: int
    views: dict[str, Any]


class ReplayCache:
    """Every meeting being replayed: its events and checkpoints, least recently used first."""

    def __init__(self, store: EventStore, *, meetings: int = MEETINGS) -> None:
        self._store = store
        self._meetings = meetings
        self._logs: OrderedDict[str, MeetingLog] = OrderedDict()
        self._lock = asyncio.Lock()

    async def log(self, meeting_id: str) -> MeetingLog:
        """The meeting's events up to now (the new ones read from the store)."""
        async with self._lock:
            log = self._logs.get(meeting_id)
            if log is None:
                log = self._logs[meeting_id] = MeetingLog(meeting_id)
            self._logs.move_to_end(meeting_id)
            while len(self._logs) > self._meetings:
                self._logs.popitem(last=False)
            new = [r async for r in self._store.read_all(log.last, meeting_id=meeting_id)]
            if log.last and any(r.type == erasure.ERASED for r in new):
                # words were erased: what this cache read before still holds them
                log = self._logs[meeting_id] = MeetingLog(meeting_id)
                new = [r async for r in self._store.read_all(meeting_id=meeting_id)]
            log.add(new)
            return log

    async def at(
        self, meeting_id: str, *, position: int | None = None, instant: int | None = None
    ) -> Moment | None:
        """The views after the events at or before ``position`` (or recorded at or before
        ``instant``); ``None`` if the meeting was not scheduled yet then."""
        log = await self.log(meeting_id)
        if position is not None:
            count = log.count_at_position(position)
        elif instant is not None:
            count = log.count_at_instant(instant)
        else:
            count = len(log.records)
        scene = log.scene(count)
        if scene.meeting.state.plan is None:
            return None
        last = log.records[count - 1]
        views = screens.render(scene, views=screens.VIEWS)
        return Moment(last.position, last.recorded_at, count, views)
