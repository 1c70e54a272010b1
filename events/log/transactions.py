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
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

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
    """SQLite: every transaction on one thread of its own, on one connection kept between
    batches. The batches go to the thread on a queue and come back by ``call_soon_threadsafe``:
    through an executor (its concurrent future, a ``Condition`` each, and its idle-worker
    semaphore) a hand-off and back took 79-128 µs of CPU, this way 47-66. The transaction is
    begun and committed on the driver's own connection: SQLAlchemy's ``begin``, with its event
    hook, and its commit took 19.7 µs a batch against the driver's 5.5. A single caller pays
    both per append (``docs/benchmarks.md``)."""

    in_flight = 2
    """One committing, the next waiting on the thread, which starts it without the loop."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._conn: Connection | None = None

    async def run(self, work: Work[T], committed: Committed[T]) -> T:
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._serve, name="roundtable-writer", daemon=True
            )
            self._thread.start()
        self._queue.put(_Job(work, committed, done))
        return await done

    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                result = self._run(job.work, job.committed)
            except BaseException as error:  # the caller hears it, as any other outcome
                _settle(job.done, None, error)
            else:
                _settle(job.done, result, None)
        self._drop()  # on the thread that opened it: SQLite insists

    def _run(self, work: Work[T], committed: Committed[T]) -> T:
        if self._conn is None:
            self._conn = self._engine.connect()
        conn = self._conn
        driver = conn.connection.dbapi_connection
        assert driver is not None, "an open connection has its driver's"
        try:
            driver.execute("BEGIN IMMEDIATE")
            result = work(conn)
            if conn.in_transaction():  # ``work`` ran statements through SQLAlchemy too
                conn.commit()  # which commits on the driver: this transaction
            else:
                driver.commit()
        except BaseException:
            self._drop()  # rolls back; the connection may be broken: the next opens afresh
            raise
        committed(result)
        return result

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    async def close(self) -> None:
        """Let the thread finish what it was given and close its connection, then end it."""
        if self._thread is not None:
            self._queue.put(None)
            await asyncio.to_thread(self._thread.join)
            self._thread = None
        self._engine.dispose()


@dataclass(frozen=True, slots=True)
class _Job(Generic[T]):
    work: Work[T]
    committed: Committed[T]
    done: asyncio.Future[T]


def _settle(done: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    """From the writer's thread: hand ``done`` its outcome on its loop (gone, if it closed)."""
    with contextlib.suppress(RuntimeError):
        done.get_loop().call_soon_threadsafe(_resolve, done, result, error)


def _resolve(done: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    if done.done():  # its caller was cancelled
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)  # type: ignore[arg-type]


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
