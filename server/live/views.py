"""Live views: the catalog of every view of the log (``projections.catalog``), kept current by
one subscription, with the listeners that hear of each event once the views include it.

The websocket hands a connecting client these views as they stand at one position, then the
events after it; the command pipeline decides against them (``server.live.streams``), the HTTP
reads and the tokens' checks read them, so every transport shows one moment. ``wait_for(
position)`` lets a writer hold its stream's lock until the views have caught up with its own
append, so the next command on that stream is decided against a state that includes it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable

import orjson

from events import erasure
from events.errors import SubscriptionFellBehind
from events.log.envelope import Recorded
from events.log.store import EventStore
from events.log.subscription import Subscription
from events.meeting import rules as meeting_rules
from events.meeting.events import MeetingClosed
from events.meeting.rules import MeetingState
from projections import theme_wall
from projections.catalog import Catalog
from projections.meeting import MeetingView
from projections.screens import render_voting
from server.live import dormant

Listener = Callable[[Recorded], None]


class LiveViews(Catalog):
    """The catalog of the whole log, folded as events commit, and who listens to it."""

    def __init__(self, store: EventStore, *, kept: int = dormant.KEPT) -> None:
        """``kept``: how many closed meetings may be awake at once (``server.live.dormant``)."""
        super().__init__()
        self._store = store
        self._voting_messages: dict[str, tuple[tuple[int, bool], bytes]] = {}
        self._outlines: dict[str, tuple[int, bytes]] = {}
        self._due: dict[str, tuple[MeetingView, int | None]] = {}
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._listeners: dict[str, set[Listener]] = {}
        self._stream_listeners: dict[str, set[Listener]] = {}
        self._all_listeners: list[Listener] = []
        self._followers: Counter[str] = Counter()
        """How many listeners follow each meeting (a followed meeting is not put to sleep)."""
        self._dormant: set[str] = set()
        """Closed meetings of which only the light streams are folded (``server.live.dormant``)."""
        self._awake = dormant.Awake(kept)
        self._waking = asyncio.Lock()

    def listen(
        self, meeting_id: str, listener: Listener, streams: frozenset[str] | None = None
    ) -> None:
        """Call ``listener`` with every later event of the meeting (of ``streams`` only, if
        given), right after the views include it: one subscription fans out to every
        connection, none waits for another, and a tablet is not even asked about the events
        of the other tables."""
        self._followers[meeting_id] += 1
        if streams is None:
            self._listeners.setdefault(meeting_id, set()).add(listener)
        for stream in streams or ():
            self._stream_listeners.setdefault(stream, set()).add(listener)

    def listen_all(self, listener: Listener) -> None:
        """Call ``listener`` with every event of every meeting, for good (start-up wiring)."""
        self._all_listeners.append(listener)

    def unlisten(
        self, meeting_id: str, listener: Listener, streams: frozenset[str] | None = None
    ) -> None:
        self._followers[meeting_id] -= 1
        if streams is None:
            self._listeners.get(meeting_id, set()).discard(listener)
        for stream in streams or ():
            self._stream_listeners.get(stream, set()).discard(listener)

    async def start(self) -> None:
        """Catch up with the log (every meeting not closed; of the closed ones, only what
        ``server.live.dormant`` says), then follow it."""
        last = await self._store.last_position()
        records, self._dormant = await dormant.start_records(self._store, last)
        for record in records:
            self.apply(record)
        self.position = last
        subscription = self._store.subscribe(after=last)
        self._task = asyncio.create_task(self._follow(subscription), name="live-views")

    async def wake(self, meeting_id: str) -> None:
        """Fold the meeting now if it is dormant, before a request or connection reads it:
        every request and connection that names a meeting calls this first (a request, or
        anything else that awaits before it reads the views, through ``awake``; a connection
        follows the meeting before its next await)."""
        if meeting_id in self._dormant:
            async with self._waking:
                if meeting_id in self._dormant:
                    await self._fold_again(meeting_id, lambda: self.position)
                    self._dormant.discard(meeting_id)
        elif meeting_id not in self._awake:
            return  # never dormant: an open meeting, or one not in the log
        self._opened(meeting_id)

    @contextlib.asynccontextmanager
    async def awake(self, meeting_id: str) -> AsyncIterator[None]:
        """``wake`` the meeting, and keep it awake until the block ends: a request or command
        that woke it awaits (its body, its stream's lock) before it reads the views, and the
        closed meetings opened meanwhile must not put it back to sleep. The hold counts as a
        connection following the meeting, so ``Awake`` passes it over until it is released."""
        self._followers[meeting_id] += 1
        try:
            await self.wake(meeting_id)
            yield
        finally:
            self._followers[meeting_id] -= 1

    def _opened(self, meeting_id: str) -> None:
        """Note that the closed meeting was opened (or closed) now, and put back to sleep the
        least recently opened beyond ``kept`` that no connection follows."""
        for asleep in self._awake.opened(meeting_id, lambda m: self._followers[m] > 0):
            self._drop(asleep)
            self._dormant.add(asleep)

    def is_dormant(self, meeting_id: str) -> bool:
        return meeting_id in self._dormant

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self, subscription: Subscription) -> None:
        while True:
            try:
                async for record in subscription:
                    if record.type == erasure.ERASED:
                        await self._refold(record)
                    else:
                        self.apply(record)
                    async with self._changed:
                        self._changed.notify_all()
                return
            except SubscriptionFellBehind as behind:
                subscription = self._store.subscribe(after=behind.position)

    def apply(self, record: Recorded) -> None:
        """Fold one event (of a dormant meeting, only if of its light streams: the rest is
        read from the log when it wakes, and a table cannot be folded from its middle). A
        meeting closed now is kept as if just opened: it sleeps like the others once
        ``kept`` closed meetings were opened after it and nothing follows it."""
        meeting_id = record.meeting_id
        if meeting_id not in self._dormant:
            super().apply(record)
            if record.type == MeetingClosed.type:
                self._opened(meeting_id)
        elif record.stream_id in dormant.light_streams(meeting_id):
            super().apply(record)
        else:
            self.position = record.position
        self._notify(record)

    async def _refold(self, record: Recorded) -> None:
        """An erasure: fold the meeting's views again from the log, where the words are gone
        now (the erased events read as their stand-ins), so that no view of this process keeps
        them and each equals a rebuild. (A dormant meeting is folded from the log when it
        wakes, with the stand-ins already.)"""
        if record.meeting_id not in self._dormant:
            await self._fold_again(record.meeting_id, lambda: record.position)
        self.position = record.position
        self._notify(record)

    async def _fold_again(self, meeting_id: str, upto: Callable[[], int]) -> None:
        """Fold the meeting's views from the log up to ``upto()``, with the rebuild's own fold
        (``Catalog``), and put them in place of the old ones at once. ``upto`` is asked again
        after each read, so that events the live fold took meanwhile are read too."""
        catalog, after = Catalog(), 0
        while (target := upto()) > after:
            async for earlier in self._store.read_all(after, meeting_id=meeting_id):
                if earlier.position > target:
                    break
                catalog.apply(earlier)
            after = target
        self.replace_meeting(catalog.scene(meeting_id))
        self._forget(meeting_id)

    def _drop(self, meeting_id: str) -> None:
        """Put the meeting back to sleep: keep only what its light streams fold."""
        self.replace_meeting(dormant.asleep(self.scene(meeting_id)))
        self._forget(meeting_id)

    def _forget(self, meeting_id: str) -> None:
        """Drop what was encoded from the meeting's old views."""
        self._outlines.pop(meeting_id, None)
        self._voting_messages.pop(meeting_id, None)
        self._due.pop(meeting_id, None)

    def _notify(self, record: Recorded) -> None:
        for listener in self._all_listeners:
            listener(record)
        for listener in list(self._listeners.get(record.meeting_id, ())):
            listener(record)
        for listener in list(self._stream_listeners.get(record.stream_id, ())):
            listener(record)

    async def wait_for(self, position: int) -> None:
        """Until every event up to ``position`` is in the views."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.position >= position)

    def meeting_as_of(self, meeting_id: str, instant: int) -> MeetingState:
        """The meeting at ``instant`` (``events.meeting.rules.as_of``), for a scheduled meeting:
        when its clock next falls due is worked out once per change of its view, as nothing
        falls due between most comments (working it out was 5% of the event loop's time under
        the live bench, ``docs/benchmarks.md``)."""
        view = self.meeting(meeting_id)
        assert view is not None
        cached = self._due.get(meeting_id)
        if cached is None or cached[0] is not view:
            cached = self._due[meeting_id] = (view, meeting_rules.next_due(view.state))
        due = cached[1]
        if due is None or instant < due:
            return view.state
        return meeting_rules.as_of(view.state, instant)

    def themes_message(self, meeting_id: str) -> tuple[int, bytes]:
        """The wall's version and its ``themes`` push (``theme_wall.outline``), encoded once
        per version for every page that reads the wall."""
        wall = self.wall(meeting_id)
        cached = self._outlines.get(meeting_id)
        if cached is None or cached[0] != wall.version:
            message = orjson.dumps({"type": "themes", **theme_wall.outline(wall)})
            cached = self._outlines[meeting_id] = (wall.version, message)
        return cached

    def voting_message(self, meeting_id: str) -> bytes:
        """The ``voting`` push as the vote stands (its last event, and whether the meeting is
        closed), encoded once per change for every page that shows it."""
        meeting_view = self.meeting(meeting_id)
        closed = meeting_view is not None and meeting_view.state.clock.closed_at is not None
        version = (self.voted(meeting_id).position, closed)
        cached = self._voting_messages.get(meeting_id)
        if cached is None or cached[0] != version:
            view = render_voting(self.scene(meeting_id))
            cached = (version, orjson.dumps({"type": "voting", **view}))
            self._voting_messages[meeting_id] = cached
        return cached[1]
