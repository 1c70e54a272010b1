"""Events committed by other processes on the same PostgreSQL log, for this process's subscribers.

Several server processes (``roundtable serve --workers N``, or servers behind one load balancer)
can share one PostgreSQL log. Each process's writer hands its own commits to its own
subscribers at once; every commit also sends ``NOTIFY roundtable_log`` with its events, or
its last position if they are too many (``events.log.notice``), which PostgreSQL delivers
when the transaction commits. A ``LogListener`` listens on a connection of its own: events
that follow on from what this process has published are published as they came; after a
position alone, or a gap, it reads the new events from the log. A subscription already
reads any gap from the store and drops what it has seen, so an event published twice or
after a later one is harmless. A lost listening connection is opened again, and what was
committed meanwhile is read at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg

from events.log import notice as log_notice
from events.log.envelope import Recorded
from events.log.notifications import keep_listening
from events.log.subscription import PAGE, ReadPage

CHANNEL = "roundtable_log"
CHECK_SECONDS = 5.0
"""How often an idle listening connection is checked, so that a silent loss is noticed."""


class LogListener:
    """Publishes what other processes commit; ``seen`` is told of this process's own commits."""

    def __init__(
        self,
        dsn: str,
        read_page: ReadPage,
        publish: Callable[[list[Recorded]], None],
        position: int,
        record: Callable[[log_notice.Row], Recorded],
        heard: Callable[[list[log_notice.Row]], None],
    ) -> None:
        """``record`` makes an event of a row in the table's column order, as a read does;
        ``heard`` is given the rows of other processes' commits as they come (the writer
        learns from them where the log is before it next appends)."""
        self._dsn = dsn
        self._read_page = read_page
        self._record = record
        self._heard = heard
        self._publish = publish
        self.published = position
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="roundtable-log-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def seen(self, position: int) -> None:
        self.published = max(self.published, position)

    async def _run(self) -> None:
        await keep_listening(self._dsn, CHANNEL, self._notified, self._follow)

    async def _follow(self, connection: asyncpg.Connection) -> None:
        self._wake.set()  # whatever was committed while nobody listened
        while True:
            try:
                async with asyncio.timeout(CHECK_SECONDS):
                    await self._wake.wait()
            except TimeoutError:
                await connection.execute("SELECT 1")  # a silent loss raises here
                continue
            self._wake.clear()
            await self._catch_up()

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            if log_notice.last(payload) <= self.published:
                return  # our own commit, or one already read
            rows = log_notice.rows(payload)
        except ValueError:
            self._wake.set()  # not ours to understand: read what the log holds
            return
        if rows:
            self._heard(rows)
        if rows and rows[0][0] == self.published + 1:
            records = [self._record(row) for row in rows]
            self.seen(records[-1].position)
            self._publish(records)
            return
        self._wake.set()

    async def _catch_up(self) -> None:
        while True:
            page = await self._read_page(self.published, PAGE)
            if page:
                self.seen(page[-1].position)
                self._publish(page)
            if len(page) < PAGE:
                return
