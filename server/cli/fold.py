"""Fold the log into a ``Catalog``, from position 0 to the end or to a moment, with a progress
bar: what ``roundtable rebuild`` and ``roundtable replay`` both do, and what the replay
benchmark times.

A moment is a position (every event up to it) or an instant (every event recorded at or
before it: the log is in commit order, so that is the log up to the last such event).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import aclosing, contextmanager
from dataclasses import dataclass

from events.log.store import EventStore
from projections.catalog import Catalog, Rendered
from server.cli.progress import Progress

BATCH = 10_000
"""Rows per read: big enough that the database round trips do not show in the rate."""


@dataclass(frozen=True, slots=True)
class Folded:
    catalog: Catalog
    events: int
    """How many events went into the catalog."""
    position: int
    """The last position folded (0: none)."""
    at: int | None
    """When that event was recorded (µs, UTC)."""

    def rendered(self) -> list[Rendered]:
        """Every view's canonical JSON (``Catalog.rendered``), with the cycle collector paused
        as while folding: rendering builds an object per comment, and each collection would
        rescan everything the fold built."""
        with _no_cycle_collection():
            return self.catalog.rendered()


async def fold(
    store: EventStore,
    *,
    meeting_id: str | None = None,
    position: int | None = None,
    instant: int | None = None,
    label: str = "folding",
) -> Folded:
    """The log (or one meeting's events) folded up to ``position`` or ``instant`` (both
    ``None``: to the end)."""
    catalog = Catalog()
    events = last = 0
    at = None
    total = position if position is not None else await store.last_position()
    with _no_cycle_collection(), Progress(label, total) as bar:
        reading = store.read_all(meeting_id=meeting_id, batch=BATCH)
        async with aclosing(reading) as records:  # closed at once when the moment is passed
            async for record in records:
                if (position is not None and record.position > position) or (
                    instant is not None and record.recorded_at > instant
                ):
                    break
                catalog.apply(record)
                events += 1
                last, at = record.position, record.recorded_at
                if not events % 1000:
                    bar.update(last)
    return Folded(catalog, events, last, at)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while folding. A fold builds millions of long-lived
    objects and no cycles; the collector would rescan all of them again and again (a third
    of a 1,000,000-event rebuild went to it). Whatever garbage there is, it collects after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
