"""Deciding commands against live views, one stream at a time, for every decider shell.

Commands on one stream (a table, a meeting's theme wall) are decided one at a time (a lock per
stream) against the live view of that stream, after it includes the stream's last append from
this process, so two devices never decide against a stale state; the ack goes out as soon as
the append is durable. A command whose first event is already in the view is a resend: the
positions of what it made before come back and nothing is decided again. Different streams do
not wait for each other: their appends meet in the store's group commit.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, TypeVar

from events.codec import Event
from events.decider import derived_id, event_ids
from events.envelope import Metadata, NewEvent
from events.errors import WrongExpectedVersion
from events.store import EventStore
from server.views import LiveViews

RETRY_SECONDS = 10.0
"""How long a command is decided again while other processes keep appending to its stream
first (with several server processes, the one whose views hear of a commit last can lose
several times in a row while the other works through a burst)."""


class StreamView(Protocol):
    """What a live view must know of its stream for commands to be decided against it."""

    @property
    def version(self) -> int: ...

    @property
    def event_positions(self) -> dict[str, int]: ...


V = TypeVar("V", bound=StreamView)


class StreamWriter:
    """The per-stream locks and the decide-append-retry loop shared by every shell."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._store = store
        self._views = views
        self._locks: defaultdict[Hashable, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._appended: dict[Hashable, int] = {}

    async def run(
        self,
        key: Hashable,
        *,
        stream_id: str,
        meeting_id: str,
        view: Callable[[], V],
        decide: Callable[[V], Sequence[Event]],
        command_id: str,
        metadata: Metadata,
    ) -> tuple[int, ...]:
        """Decide against ``view()`` and append; the positions of the events (of the original
        ones, for a resend; none when the command changed nothing)."""
        async with self._locks[key]:
            await self._views.wait_for(self._appended.get(key, 0))
            deadline = asyncio.get_running_loop().time() + RETRY_SECONDS
            while True:
                current = view()
                resent = _resent(current, command_id)
                if resent:
                    return resent
                decided = decide(current)
                if not decided:
                    return ()
                ids = event_ids(command_id, decided)
                news = [NewEvent(event, i, metadata) for event, i in zip(decided, ids, strict=True)]
                try:
                    result = await self._store.append(
                        stream_id, news, meeting_id=meeting_id, expected_version=current.version
                    )
                except WrongExpectedVersion:
                    if asyncio.get_running_loop().time() > deadline:
                        raise
                    await self._views.wait_for(await self._store.last_position())
                    continue
                self._appended[key] = result.positions[-1]
                return result.positions


def _resent(view: StreamView, command_id: str) -> tuple[int, ...]:
    """The positions of the events a command already made, if it is a resend."""
    positions = []
    while position := view.event_positions.get(derived_id(f"{command_id}/{len(positions)}")):
        positions.append(position)
    return tuple(positions)
