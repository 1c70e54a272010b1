"""Live subscriptions: catch up from the store, then follow commits, with no gap at the seam.

A subscription registers for live events *before* it starts reading the store, so every event
committed after it began is in its buffer and every earlier one is in the store; events seen in
both are told apart by position. The buffer is bounded: a subscriber that falls too far behind
is dropped from the live feed and told so with ``SubscriptionFellBehind``, carrying the last
position it received, so that it can resume from there without slowing anyone else down.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

from events.errors import SubscriptionFellBehind
from events.log.envelope import Recorded

ReadPage = Callable[[int, int], Awaitable[list[Recorded]]]
"""``read_page(after_position, limit)``: stored events after a position, in order."""

PAGE = 500


class Broadcaster:
    """Hands every committed event to every live subscription, never waiting for one."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()

    def publish(self, records: list[Recorded]) -> None:
        for subscription in list(self._subscriptions):
            subscription.offer(records)

    def add(self, subscription: Subscription) -> None:
        self._subscriptions.add(subscription)

    def discard(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    def close(self) -> None:
        for subscription in list(self._subscriptions):
            subscription.close()

    def __len__(self) -> int:
        return len(self._subscriptions)


class Subscription(AsyncIterator[Recorded]):
    """Every event after ``position``, exactly once and in order; iterate with ``async for``."""

    def __init__(
        self, broadcaster: Broadcaster, read_page: ReadPage, position: int, buffer: int
    ) -> None:
        self.position = position
        self._broadcaster = broadcaster
        self._read_page = read_page
        self._buffer_size = buffer
        self._live: deque[Recorded] = deque()
        self._page: deque[Recorded] = deque()
        self._catching_up = True
        self._wakeup = asyncio.Event()
        self._overflowed = False
        self._closed = False
        broadcaster.add(self)

    def offer(self, records: list[Recorded]) -> None:
        """Called by the broadcaster after a commit; drops the subscriber if its buffer is full."""
        if self._closed or self._overflowed:
            return
        if len(self._live) + len(records) > self._buffer_size:
            self._overflowed = True
            self._live.clear()
            self._broadcaster.discard(self)
        else:
            self._live.extend(records)
        self._wakeup.set()

    def close(self) -> None:
        self._closed = True
        self._broadcaster.discard(self)
        self._wakeup.set()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Recorded:
        while True:
            if self._page:
                return self._take(self._page.popleft())
            if self._overflowed:
                self._closed = True
                raise SubscriptionFellBehind(self.position)
            if self._catching_up and not self._closed:
                page = await self._read_page(self.position, PAGE)
                self._page.extend(page)
                self._catching_up = len(page) == PAGE
                continue
            while self._live and self._live[0].position <= self.position:
                self._live.popleft()
            if self._live and self._live[0].position == self.position + 1:
                return self._take(self._live.popleft())
            if self._closed:
                raise StopAsyncIteration  # after handing over what had already arrived
            if self._live:
                self._catching_up = True  # a gap: read it from the store
                continue
            self._wakeup.clear()
            await self._wakeup.wait()

    def _take(self, record: Recorded) -> Recorded:
        self.position = record.position
        return record
