"""The live state source of the command pipeline (``events.decider.run``): each stream's live
view, one command at a time.

Commands on one stream (a table, a meeting's theme wall, its clock...) are decided one at a
time (a lock per stream) against the live view of that stream, after it includes the stream's
last append from this process, so two devices never decide against a stale state; the ack goes
out as soon as the append is durable. After losing an append to another process, the command
is decided again against the view with the stream's later events read from the store: the view
hears of another process's commits only through the log's notifications, in log order, behind
every other stream's, and waiting for it held the stream's lock until this process had folded
everything committed anywhere. Different streams do not wait for each other: their appends meet
in the store's group commit.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from events import decider
from events.decider import Current, Decider, NaturalKey, Outcome
from events.log.envelope import Metadata
from events.log.store import EventStore
from server.live.views import LiveViews


class StreamView(Protocol):
    """What a live view must know of its stream for commands to be decided against it."""

    @property
    def state(self) -> Any: ...

    @property
    def version(self) -> int: ...

    @property
    def event_positions(self) -> Mapping[str, int]: ...


class _Live:
    """A ``decider.Source`` reading one stream's live view, and once an append to the stream
    was lost, the view with what the store holds of the stream beyond it."""

    def __init__(
        self,
        store: EventStore,
        rules: Decider[Any, Any],
        stream_id: str,
        view: Callable[[], StreamView],
    ):
        self._store = store
        self._rules = rules
        self._stream_id = stream_id
        self._view = view
        self._lost = False

    async def current(self) -> Current[Any]:
        view = self._view()
        live = Current(view.state, view.version, view.event_positions)
        if not self._lost:
            return live
        later = await self._store.read_stream(self._stream_id, after=view.version)
        return decider.extended(self._rules, live, later)

    async def caught_up(self) -> None:
        """The next ``current`` reads the stream's later events from the store."""
        self._lost = True


class LiveStreams:
    """The per-stream locks of this process, and each stream's last append from it."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._store = store
        self._views = views
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._appended: dict[str, int] = {}

    async def run(
        self,
        rules: Decider[Any, Any],
        view: Callable[[], StreamView],
        command: Callable[[Any], Any],
        *,
        stream_id: str,
        meeting_id: str,
        command_id: str,
        metadata: Metadata,
        natural_key: NaturalKey | None = None,
    ) -> Outcome:
        """``decider.run`` against ``view()``, under the stream's lock."""
        source = _Live(self._store, rules, stream_id, view)
        async with self._locks[stream_id]:
            await self._views.wait_for(self._appended.get(stream_id, 0))
            outcome = await decider.run(
                self._store,
                rules,
                source,
                command,
                stream_id=stream_id,
                meeting_id=meeting_id,
                command_id=command_id,
                metadata=metadata,
                natural_key=natural_key,
            )
            if outcome.positions and not outcome.duplicate:
                self._appended[stream_id] = outcome.positions[-1]
            return outcome
