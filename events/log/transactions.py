"""Where the writer's transactions run: one call per group commit, whatever the database.

The writer hands over one plain function that reads, decides and inserts a whole batch on a
synchronous SQLAlchemy ``Connection``; it runs inside a transaction that commits when it
returns. On SQLite that function runs on the writer's own thread, so a group commit costs one
hop between the event loop and the database instead of one per statement (each hop waits for
a thread and for the GIL, and together they cost far more than the fsync). On PostgreSQL it
runs through the async engine's ``run_sync``, which awaits asyncpg statement by statement, in
autocommit: the writer's reads take no lock, and its one writing statement is a transaction of
its own (``events.log.pg_append``), so the log's lock is held for that one trip alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")
Work = Callable[[Connection], T]
Committed = Callable[[T], None]


class Transactions(Protocol):
    in_flight: int
    """How many batches the writer hands over at once: more than one only where the next one
    starts as soon as one commits, without the event loop's turn."""

    async def run(self, work: Work[T], committed: Committed[T]) -> T:
        """Run ``work`` in one transaction; commit if it returns, roll back if it raises.
        Once it has committed, ``committed`` is called with what ``work`` returned, before
        any later transaction begins: calls may overlap, transactions never do."""
        ...

    async def close(self) -> None: ...


class ThreadTransactions:
    """SQLite: every transaction on one thread, on one connection kept between batches."""

    in_flight = 2
    """One committing, the next waiting on the thread, which starts it without the loop."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="roundtable-writer")
        self._conn: Connection | None = None

    async def run(self, work: Work[T], committed: Committed[T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self._run, work, committed)

    def _run(self, work: Work[T], committed: Committed[T]) -> T:
        if self._conn is None:
            self._conn = self._engine.connect()
        try:
            with self._conn.begin():
                result = work(self._conn)
        except BaseException:
            self._drop()  # the connection may be broken: the next batch opens a fresh one
            raise
        committed(result)
        return result

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    async def close(self) -> None:
        """Close the connection on the thread that opened it (SQLite insists), then the thread."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._drop)
        self._thread.shutdown()
        self._engine.dispose()


class AsyncTransactions:
    """PostgreSQL: one connection of the async engine kept between batches, in autocommit;
    ``work`` makes its writes in one statement, which commits or fails as a whole."""

    in_flight = 1
    """A second batch handed over early could only wait for the first on this loop, as one
    append alone: handed over once the first is done, it takes everything that waited (under
    two workers' load, ack p99 64-78 ms against 85-90 ms with two in flight, traced batches
    of 1-6 appends either way; ``docs/benchmarks.md``)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._turn = asyncio.Lock()  # first come, first served: in the order handed over

    async def run(self, work: Work[T], committed: Committed[T]) -> T:
        async with self._turn:
            if self._conn is None or self._conn.closed:
                connection = await self._engine.connect()
                self._conn = await connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                result = await self._conn.run_sync(work)
            except BaseException:
                await self.close()
                raise
            committed(result)
            return result

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
