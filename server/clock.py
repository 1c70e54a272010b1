"""The server-owned meeting clock: each open meeting's due events, on time and exactly once.

It also ends the lead's messages when their phase or minutes are over
(``server.live.announcements``).

One task per process. Each round it ticks every meeting (``TickClock(at=now)`` through the
decider shell: whatever fell due, also while the server was down, is appended with its own
due instant) and then sleeps until the earliest next due instant, or until a meeting's
stream changes (a lead paused, extended, started...). The events it emits get ids from
(meeting, what, due instant), so a restart, a retry or a second clock deciding the same
transition writes it once. Time comes from ``now`` and passes in ``sleep``; tests drive both.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from events.errors import SubscriptionFellBehind
from events.instants import SECOND
from events.log.store import EventStore, now_micros
from events.meeting import rules as meeting
from events.meeting.commands import TickClock
from events.meeting.errors import MeetingNotScheduled
from events.meeting.schedule import CLOCK
from server import meetings
from server.live import announcements

log = logging.getLogger("roundtable.clock")

Now = Callable[[], int]
Sleep = Callable[[float], Awaitable[None]]


class MeetingClock:
    """Emits every meeting's rotation and phase events when they fall due."""

    def __init__(
        self,
        store: EventStore,
        *,
        now: Now = now_micros,
        sleep: Sleep = asyncio.sleep,
        longest_sleep: float = 60.0,
    ) -> None:
        self._store = store
        self._now = now
        self._sleep = sleep
        self._longest_sleep = longest_sleep
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def tick(self) -> int | None:
        """Append what is due now in every meeting; the earliest instant anything falls due next."""
        at = self._now()
        upcoming = []
        for meeting_id in await self._store.meeting_ids():
            try:
                outcome = await meetings.run(
                    self._store,
                    meeting_id,
                    TickClock(at=at),
                    command_id=f"clock/{meeting_id}/{at}",
                    actor=CLOCK,
                )
            except MeetingNotScheduled:
                continue  # a meeting id with no meeting stream (yet)
            ending = await announcements.end_due(self._store, meeting_id, outcome.state, at)
            upcoming += [d for d in (meeting.next_due(outcome.state), ending) if d is not None]
        return min(upcoming, default=None)

    def wake(self) -> None:
        """Tick again now: something in a meeting changed."""
        self._wake.set()

    async def run(self) -> None:
        """Tick, sleep until the next due instant (or a wake-up), and again, until cancelled."""
        while True:
            self._wake.clear()
            try:
                due = await self.tick()
            except Exception:  # the clock must outlive one bad round (a locked database...)
                log.exception("the meeting clock failed to tick; it tries again")
                due = None
            await self._wait(due)

    async def _wait(self, due: int | None) -> None:
        delay = self._longest_sleep
        if due is not None:
            delay = min(delay, max(0, due - self._now()) / SECOND)
        sleeper = asyncio.ensure_future(self._sleep(delay))
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, woken):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _watch(self, watching: asyncio.Event) -> None:
        """Wake the clock whenever someone other than the clock writes to a meeting's stream
        or its messages (a timed message is due at its end). ``watching`` is set once the
        position it watches from is known: the first tick waits for it, so that a lead's
        action appended while the clock starts is either seen by that tick or wakes it."""
        position = await self._store.last_position()
        watching.set()
        while True:
            subscription = self._store.subscribe(position)
            try:
                async for record in subscription:
                    position = record.position
                    watched = record.stream_id.startswith(("meeting-", "messages-"))
                    if watched and record.metadata.actor != CLOCK:
                        self.wake()
                return  # the store closed
            except SubscriptionFellBehind as behind:
                position = behind.position
            finally:
                subscription.close()

    async def _run_when_watching(self, watching: asyncio.Event) -> None:
        await watching.wait()
        await self.run()

    def start(self) -> None:
        watching = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._run_when_watching(watching), name="roundtable-clock"),
            asyncio.create_task(self._watch(watching), name="roundtable-clock-watch"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
