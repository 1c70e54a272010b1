"""The event store: one append-only log on SQLite (embedded) or PostgreSQL, picked by URL.

Appends go through the single writer (group commit); reads go straight to the database.
Vocabulary: a *stream* (``stream_id``) is one thing's history, numbered by ``version`` from 1;
the *log* orders every event of every stream by ``position`` from 1, gapless, in commit order;
``event_id`` makes an append idempotent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from msgspec.structs import replace
from sqlalchemy import Connection, Engine, Executable, create_engine, func, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Row, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from events import erasure
from events.log import pg_append
from events.log.codec import Codec, codec
from events.log.envelope import Metadata, NewEvent, Recorded
from events.log.log_listener import LogListener
from events.log.schema import SCHEMA_VERSION, metadata, settings
from events.log.schema import events as events_table
from events.log.subscription import Broadcaster, Subscription
from events.log.transactions import AsyncTransactions, ThreadTransactions, Transactions
from events.log.writer import AppendResult, Writer

SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")


def now_micros() -> int:
    """Server time, UTC, in microseconds since the epoch: how ``recorded_at`` is stored."""
    return time.time_ns() // 1000


def database_url(value: str) -> URL:
    """A bare path means a SQLite file; plain ``postgresql://`` URLs get the asyncpg driver."""
    if "://" not in value:
        return make_url(f"sqlite+aiosqlite:///{Path(value).expanduser().resolve()}")
    url = make_url(value)
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        url = url.set(drivername="sqlite+aiosqlite")
    elif url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+asyncpg")
    return url


def asyncpg_dsn(url: str | URL) -> str:
    """A PostgreSQL URL as plain ``asyncpg.connect`` takes it (no SQLAlchemy driver name)."""
    parsed = database_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class EventStore:
    """Append, read and follow the log. Use as ``async with EventStore(url) as store``."""

    def __init__(
        self,
        url: str | URL,
        *,
        synchronous: str = "FULL",
        codec: Codec = codec,
        now: Callable[[], int] = now_micros,
        max_batch: int = 1000,
    ) -> None:
        self.url = database_url(url) if isinstance(url, str) else url
        if synchronous.upper() not in SYNCHRONOUS_MODES:
            raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}")
        self.codec = codec
        self._synchronous = synchronous.upper()
        self._now = now
        self._max_batch = max_batch
        self._broadcaster = Broadcaster()
        self._read: AsyncEngine | None = None
        self._write: AsyncEngine | None = None
        self._writer: Writer | None = None
        self._listener: LogListener | None = None
        self._reads: set[asyncio.Future[list[Any]]] = set()
        self._stand_ins: dict[str, bytes] = {}

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def postgres_dsn(self) -> str | None:
        """The database as a plain asyncpg address, for ``LISTEN``/``NOTIFY`` connections of
        our own; ``None`` on SQLite, which has no notifications."""
        return None if self.is_sqlite else asyncpg_dsn(self.url)

    async def open(self) -> None:
        """Connect, create the schema on first start, and start the writer; on a failure
        (no such database, a refused login) release what was opened, then raise."""
        try:
            await self._open()
        except BaseException:
            await self.close()
            raise

    async def _open(self) -> None:
        if self.is_sqlite:
            self._read = self._sqlite_engine(immediate=False)
            self._write = self._sqlite_engine(immediate=True)
        else:
            # Reads are single statements: in autocommit each is one round trip (and the pool's
            # check of a connection one more) instead of four more for BEGIN, the check inside
            # a transaction of its own, and ROLLBACK, which cost a worker more than the reads.
            self._read = create_async_engine(
                self.url, pool_size=10, pool_pre_ping=True, isolation_level="AUTOCOMMIT"
            )
            self._write = create_async_engine(
                self.url, pool_size=2, max_overflow=2, pool_pre_ping=True
            )
        async with self._write.begin() as conn:
            await conn.run_sync(self._set_up_schema)
        transactions: Transactions
        if self.is_sqlite:
            transactions = ThreadTransactions(self._sqlite_writer_engine())
        else:
            transactions = AsyncTransactions(self._write)
        self._writer = Writer(
            transactions,
            codec=self.codec,
            now=self._now,
            on_commit=self._committed,
            max_batch=self._max_batch,
        )
        self._writer.start()
        if self.postgres_dsn is not None:
            self._listener = LogListener(
                self.postgres_dsn,
                self.read_page,
                self._broadcaster.publish,
                await self.last_position(),
                _recorded,
                self._writer.heard,
            )
            self._listener.start()

    def _set_up_schema(self, conn: Connection) -> None:
        """Create what is missing and migrate an older schema; on PostgreSQL under the log's
        lock, so that workers starting together do not replace the append function at once."""
        if not self.is_sqlite:
            conn.execute(select(func.pg_advisory_xact_lock(pg_append.LOCK)))
        metadata.create_all(conn)
        stored = conn.scalar(select(settings.c.value).where(settings.c.key == "schema"))
        if stored is not None and int(stored) > SCHEMA_VERSION:
            raise RuntimeError(
                f"this database has schema version {stored}; "
                f"this Roundtable knows up to {SCHEMA_VERSION}: upgrade Roundtable"
            )
        if stored is not None and int(stored) == SCHEMA_VERSION:
            return
        if not self.is_sqlite:
            pg_append.install(conn)
        if stored is None:
            conn.execute(insert(settings), {"key": "schema", "value": str(SCHEMA_VERSION)})
        else:
            conn.execute(
                update(settings).where(settings.c.key == "schema").values(value=str(SCHEMA_VERSION))
            )

    def _committed(self, records: list[Recorded]) -> None:
        for record in records:
            if record.type == erasure.ERASED and record.data is not None:
                self._stand_ins.update(erasure.stand_ins(record.data))
        if self._listener is not None:
            self._listener.seen(records[-1].position)
        self._broadcaster.publish(records)

    async def close(self) -> None:
        """Finish queued appends, end subscriptions, and release the database."""
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        if self._writer is not None:
            await self._writer.stop()
        self._broadcaster.close()
        await asyncio.gather(*self._reads, return_exceptions=True)
        for engine in {self._read, self._write}:
            if engine is not None:
                await engine.dispose()
        self._read = self._write = self._writer = None

    async def __aenter__(self) -> EventStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _sqlite_engine(self, *, immediate: bool) -> AsyncEngine:
        engine = create_async_engine(self.url, connect_args={"timeout": 30})
        self._sqlite_setup(engine.sync_engine, begin="BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine

    def _sqlite_writer_engine(self) -> Engine:
        """The writer's own blocking connection (``events.log.transactions.ThreadTransactions``,
        which begins each transaction itself); no pool, so that the connection is closed on
        the thread that opened it."""
        url = self.url.set(drivername="sqlite+pysqlite")
        engine = create_engine(url, connect_args={"timeout": 30}, poolclass=NullPool)
        self._sqlite_setup(engine, begin=None)
        return engine

    def _sqlite_setup(self, engine: Engine, *, begin: str | None) -> None:
        """WAL, the durability asked for, and transactions we begin ourselves: ``BEGIN
        IMMEDIATE`` for writers, so that two never both read and then both want to write
        (``begin``: what SQLAlchemy's transactions begin with; ``None``, nothing)."""
        synchronous = self._synchronous

        @sa_event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        if begin is not None:

            @sa_event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:
                conn.exec_driver_sql(begin)

    @property
    def engine(self) -> AsyncEngine:
        """The read engine, for views and tools that query the log directly."""
        if self._read is None:
            raise RuntimeError("the event store is not open")
        return self._read

    @property
    def write_engine(self) -> AsyncEngine:
        if self._write is None:
            raise RuntimeError("the event store is not open")
        return self._write

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        meeting_id: str,
        expected_version: int | None,
        erase: Sequence[str] = (),
    ) -> AppendResult:
        """Append all of ``events`` or none; returns once they are durable.

        ``expected_version`` is the stream's version the caller decided against (0 for a new
        stream), or ``None`` for any. Resending ids that are stored returns their positions.
        ``erase``: ids of the meeting's events whose payloads are set to null in the same
        transaction (an erasure, ``events.erasure``); a resend erases nothing again.
        """
        if self._writer is None:
            raise RuntimeError("the event store is not open")
        return await self._writer.submit(stream_id, meeting_id, events, expected_version, erase)

    async def _fetch(self, query: Executable) -> list[Row[Any]]:
        return await self._shielded(self._run_read(query))

    async def _shielded(self, read: Coroutine[Any, Any, list[Any]]) -> list[Any]:
        """Run a read to the end even if its caller is cancelled, so that the connection goes
        back to the pool cleanly and ``close()`` can wait for it instead of hanging on it."""
        task = asyncio.ensure_future(read)
        self._reads.add(task)
        task.add_done_callback(self._reads.discard)
        return await asyncio.shield(task)

    async def _run_read(self, query: Executable) -> list[Row[Any]]:
        async with self.engine.connect() as conn:
            return list(await conn.execute(query))

    async def _run_rows(self, sql: str, params: tuple[Any, ...]) -> list[Sequence[Any]]:
        """Rows of events through the driver's own cursor (aiosqlite's, asyncpg's), a pooled
        connection borrowed from SQLAlchemy: its result rows cost more per event than the
        rest of reading one (``bench/replay.py``)."""
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None, "a pooled connection that is open has its driver's"
            rows: list[Sequence[Any]]
            if self.is_sqlite:
                async with driver.execute(sql, params) as cursor:
                    rows = await cursor.fetchall()
            else:
                rows = await driver.fetch(_numbered(sql), *params)
            return rows

    async def _records(self, sql: str, *params: Any) -> list[Recorded]:
        """The events a query of the log selects (``_SELECT`` and its ``?`` parameters), each
        erased one with its stand-in (``events.erasure``)."""
        records = [_recorded(row) for row in await self._shielded(self._run_rows(sql, params))]
        erased = [r for r in records if r.data is None]
        if not erased:
            return records
        unknown = {r.meeting_id for r in erased if r.event_id not in self._stand_ins}
        for meeting_id in sorted(unknown):
            await self._load_stand_ins(meeting_id)
        return [
            replace(r, stand_in=self._stand_ins.get(r.event_id)) if r.data is None else r
            for r in records
        ]

    async def _load_stand_ins(self, meeting_id: str) -> None:
        query = (
            select(events_table.c.data)
            .where(events_table.c.meeting_id == meeting_id)
            .where(events_table.c.type == erasure.ERASED)
        )
        for (data,) in await self._fetch(query):
            self._stand_ins.update(erasure.stand_ins(data))

    async def read_stream(self, stream_id: str, *, after: int = 0) -> list[Recorded]:
        """The stream's events with a version above ``after``, in order."""
        return await self._records(
            f"{_SELECT} WHERE stream_id = ? AND version > ? ORDER BY version", stream_id, after
        )

    async def read_page(
        self, after: int, limit: int, *, meeting_id: str | None = None
    ) -> list[Recorded]:
        """Up to ``limit`` events with a position above ``after``, in order."""
        if meeting_id is None:
            sql = f"{_SELECT} WHERE position > ? ORDER BY position LIMIT ?"
            return await self._records(sql, after, limit)
        sql = f"{_SELECT} WHERE meeting_id = ? AND position > ? ORDER BY position LIMIT ?"
        return await self._records(sql, meeting_id, after, limit)

    async def read_all(
        self, after: int = 0, *, meeting_id: str | None = None, batch: int = 1000
    ) -> AsyncGenerator[Recorded]:
        """Every event above position ``after`` (of one meeting, if given), in batches."""
        while True:
            page = await self.read_page(after, batch, meeting_id=meeting_id)
            for record in page:
                yield record
            if len(page) < batch:
                return
            after = page[-1].position

    async def stream_version(self, stream_id: str) -> int:
        query = select(func.max(events_table.c.version)).where(
            events_table.c.stream_id == stream_id
        )
        return (await self._fetch(query))[0][0] or 0

    async def last_position(self) -> int:
        return (await self._fetch(select(func.max(events_table.c.position))))[0][0] or 0

    async def meeting_ids(self) -> list[str]:
        query = select(events_table.c.meeting_id).distinct().order_by(events_table.c.meeting_id)
        return [row[0] for row in await self._fetch(query)]

    def subscribe(self, after: int = 0, *, buffer: int = 10_000) -> Subscription:
        """Every event above position ``after``, then each new one as it commits."""
        return Subscription(self._broadcaster, self.read_page, after, buffer)


_COLUMNS = (
    "position",
    "event_id",
    "stream_id",
    "version",
    "meeting_id",
    "type",
    "schema",
    "data",
    "digest",
    "metadata",
    "recorded_at",
    "hash",
)
assert tuple(events_table.c.keys()) == _COLUMNS, "_recorded unpacks the columns in this order"
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM events"


def _numbered(sql: str) -> str:
    """``?`` parameters as PostgreSQL's ``$1``, ``$2``… (our SQL has no other ``?``)."""
    parts = sql.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))


def _recorded(row: Any) -> Recorded:
    # Unpacked by place (``_SELECT`` names the columns in the table's order): reading each
    # column by name cost more than the rest of reading an event put together.
    (
        position,
        event_id,
        stream_id,
        version,
        meeting_id,
        type_name,
        schema,
        data,
        digest,
        metadata,
        recorded_at,
        hash_,
    ) = row
    return Recorded(
        position=position,
        stream_id=stream_id,
        version=version,
        meeting_id=meeting_id,
        event_id=event_id,
        type=type_name,
        schema=schema,
        data=data,
        digest=digest,
        metadata=Metadata.decode(metadata),
        recorded_at=recorded_at,
        hash=hash_,
    )
