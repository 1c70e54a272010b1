"""The single writer: group commit of concurrent appends, acknowledged only when durable.

Callers put an ``AppendRequest`` on a queue and await its future. One task takes whatever is
waiting, decides each request against the log as it stands inside one locked transaction
(idempotency first, then the expected version), writes all accepted events in one insert,
commits, and only then resolves the futures. The transaction is one plain function handed to
``events.transactions`` (on SQLite, one trip to the writer's thread per batch). A refused
request fails alone; a failed commit fails every caller of that batch and the writer goes on
with the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, text

from events import chain, log_listener
from events.codec import Codec
from events.envelope import NewEvent, Recorded
from events.errors import (
    CommitFailed,
    DuplicateEventId,
    InvalidAppend,
    RoundtableError,
    WriterClosed,
    WrongExpectedVersion,
)
from events.schema import events as events_table
from events.transactions import Transactions

ANY = None
"""``expected_version=ANY`` appends whatever the stream's version."""

MAX_EVENT_ID = 64
_IN_CHUNK = 500
_CATCH_UP = 10_000
"""Events by other processes the writer reads to keep what it remembers; beyond, it forgets."""
_PG_LOCK = 0x526F756E64  # "Round": one advisory lock serialises appends on PostgreSQL


@dataclass(frozen=True, slots=True)
class AppendResult:
    """Where an append's events are in the log; ``duplicate`` when it was a harmless resend."""

    positions: tuple[int, ...]
    version: int
    duplicate: bool = False


@dataclass(slots=True)
class AppendRequest:
    stream_id: str
    meeting_id: str
    events: Sequence[NewEvent]
    expected_version: int | None
    future: asyncio.Future[AppendResult] = field(repr=False)
    erase: tuple[str, ...] = ()
    """Event ids of the meeting whose payloads are set to null in the same transaction, if
    these events are appended (``events.erasure``)."""


class Writer:
    """Owns the only path by which events enter the log of one process."""

    def __init__(
        self,
        transactions: Transactions,
        *,
        codec: Codec,
        now: Callable[[], int],
        on_commit: Callable[[list[Recorded]], None],
        max_batch: int = 1000,
    ) -> None:
        self._transactions = transactions
        self._codec = codec
        self._now = now
        self._on_commit = on_commit
        self._max_batch = max_batch
        self._queue: asyncio.Queue[AppendRequest] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._seen: _Seen | None = None
        self._closing = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="roundtable-writer")

    async def stop(self) -> None:
        """Commit what is already queued, then refuse anything later; nobody is left waiting."""
        self._closing = True
        if self._task is not None:
            await self._queue.join()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._transactions.close()
        while not self._queue.empty():
            request = self._queue.get_nowait()
            _fail(request, WriterClosed("the event store is closed"))

    async def submit(
        self,
        stream_id: str,
        meeting_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None,
        erase: Sequence[str] = (),
    ) -> AppendResult:
        if self._closing or self._task is None:
            raise WriterClosed("the event store is closed")
        future: asyncio.Future[AppendResult] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(
            AppendRequest(
                stream_id, meeting_id, list(events), expected_version, future, tuple(erase)
            )
        )
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            await asyncio.sleep(0)  # let callers woken by the last commit queue up: bigger batches
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _commit(self, batch: list[AppendRequest]) -> None:
        pending = [r for r in batch if not r.future.done()]
        try:
            plan = await self._transactions.run(lambda conn: self._write(conn, pending))
        except Exception as error:  # the whole batch failed to commit: every caller hears it
            self._seen = None
            failure = CommitFailed(f"the batch was not written: {error}")
            failure.__cause__ = error
            for request in pending:
                _fail(request, failure)
            return
        if self._seen is not None:
            self._seen.committed(plan)
        for request, outcome in plan.outcomes:
            if isinstance(outcome, Exception):
                _fail(request, outcome)
            elif not request.future.done():
                request.future.set_result(outcome)
        if plan.recorded:
            self._on_commit(plan.recorded)

    def _write(self, conn: Connection, batch: list[AppendRequest]) -> _Plan:
        """The body of one batch's transaction: decide every request, insert what is accepted;
        on PostgreSQL, tell the other processes on the log (``events.log_listener``)."""
        plan = self._plan(conn, batch)
        if plan.rows:
            conn.execute(events_table.insert(), plan.rows)
            for request, outcome in plan.outcomes:
                if request.erase and isinstance(outcome, AppendResult) and not outcome.duplicate:
                    _erase(conn, request.meeting_id, list(request.erase))
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_notify(:channel, :position)"),
                    {"channel": log_listener.CHANNEL, "position": str(plan.position)},
                )
        return plan

    def _plan(self, conn: Connection, batch: list[AppendRequest]) -> _Plan:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        last = conn.execute(select(func.max(events_table.c.position))).scalar() or 0
        if self._seen is None or last - self._seen.position > _CATCH_UP:
            self._seen = _Seen(last)
        elif self._seen.position != last:  # another process wrote since our last commit
            self._seen.caught_up(
                conn.execute(
                    select(
                        events_table.c.stream_id,
                        events_table.c.version,
                        events_table.c.meeting_id,
                        events_table.c.hash,
                    )
                    .where(events_table.c.position > self._seen.position)
                    .order_by(events_table.c.position)
                ),
                last,
            )
        seen = self._seen
        ids = [e.event_id for r in batch for e in r.events if isinstance(e.event_id, str)]
        plan = _Plan(self._codec, self._now(), last)
        for chunk in _chunks(ids):
            rows = conn.execute(
                select(
                    events_table.c.event_id, events_table.c.stream_id, events_table.c.position
                ).where(events_table.c.event_id.in_(chunk))
            )
            for event_id, stream_id, position in rows:
                plan.stored_ids[event_id] = (stream_id, position)
        unknown = sorted({r.stream_id for r in batch} - set(seen.streams))
        seen.streams.update(dict.fromkeys(unknown))
        for chunk in _chunks(unknown):
            rows = conn.execute(
                select(
                    events_table.c.stream_id,
                    func.max(events_table.c.version),
                    func.max(events_table.c.meeting_id),
                )
                .where(events_table.c.stream_id.in_(chunk))
                .group_by(events_table.c.stream_id)
            )
            for stream_id, version, meeting_id in rows:
                seen.streams[stream_id] = (version, meeting_id)
        for meeting_id in sorted({r.meeting_id for r in batch} - set(seen.heads)):
            head = conn.execute(
                select(events_table.c.hash)
                .where(events_table.c.meeting_id == meeting_id)
                .order_by(events_table.c.position.desc())
                .limit(1)
            )
            seen.heads[meeting_id] = head.scalar() or chain.GENESIS
        plan.streams = {k: v for k, v in seen.streams.items() if v is not None}
        plan.heads = dict(seen.heads)
        for request in batch:
            plan.decide(request)
        return plan


@dataclass(slots=True)
class _Seen:
    """What the log held after this writer's last commit (each stream's version, each
    meeting's chain head). Each batch checks the last position first; if another process
    wrote meanwhile, it reads just those events' streams and heads (or, after very many,
    starts afresh)."""

    position: int
    streams: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)

    def caught_up(self, rows: Iterable[Any], position: int) -> None:
        """What other processes appended since: their streams' versions and chain heads."""
        for stream_id, version, meeting_id, hash_ in rows:
            self.streams[stream_id] = (version, meeting_id)
            self.heads[meeting_id] = hash_
        self.position = position

    def committed(self, plan: _Plan) -> None:
        self.position = plan.position
        self.streams.update(plan.streams)
        self.heads.update(plan.heads)


class _Plan:
    """The decisions for one batch, made against the log as read inside its transaction."""

    def __init__(self, codec: Codec, now: int, last_position: int) -> None:
        self.codec = codec
        self.now = now
        self.position = last_position
        self.stored_ids: dict[str, tuple[str, int]] = {}
        self.streams: dict[str, tuple[int, str]] = {}
        self.heads: dict[str, str] = {}
        self.rows: list[dict[str, object]] = []
        self.recorded: list[Recorded] = []
        self.outcomes: list[tuple[AppendRequest, AppendResult | Exception]] = []

    def decide(self, request: AppendRequest) -> None:
        try:
            outcome: AppendResult | Exception = self._accept(request)
        except RoundtableError as error:
            outcome = error
        except (TypeError, ValueError) as error:  # an event that cannot be encoded
            outcome = InvalidAppend(f"append to {request.stream_id!r} is not valid: {error}")
        self.outcomes.append((request, outcome))

    def _accept(self, request: AppendRequest) -> AppendResult:
        _validate(request)
        stream_id = request.stream_id
        ids = [e.event_id for e in request.events]
        known = [self.stored_ids.get(i) for i in ids]
        if all(k is not None and k[0] == stream_id for k in known):
            positions = tuple(k[1] for k in known if k is not None)
            return AppendResult(positions, self.streams[stream_id][0], duplicate=True)
        clashes = [i for i, k in zip(ids, known, strict=True) if k is not None]
        if clashes:
            raise DuplicateEventId(stream_id, clashes)
        version, meeting_id = self.streams.get(stream_id, (0, request.meeting_id))
        if meeting_id != request.meeting_id:
            raise InvalidAppend(
                f"stream {stream_id!r} belongs to meeting {meeting_id!r}, "
                f"not {request.meeting_id!r}"
            )
        expected = request.expected_version
        if expected is not None and expected != version:
            raise WrongExpectedVersion(stream_id, expected, version)
        encoded = [self.codec.encode(e.event) for e in request.events]
        positions = []
        head = self.heads[request.meeting_id]
        for new, (type_name, schema, data) in zip(request.events, encoded, strict=True):
            self.position += 1
            version += 1
            metadata = new.metadata.encode()
            data_digest = chain.digest(data)
            head = chain.link(
                head,
                position=self.position,
                stream_id=stream_id,
                version=version,
                meeting_id=request.meeting_id,
                event_id=new.event_id,
                type=type_name,
                schema=schema,
                digest=data_digest,
                metadata=metadata,
                recorded_at=self.now,
            )
            row = {
                "position": self.position,
                "event_id": new.event_id,
                "stream_id": stream_id,
                "version": version,
                "meeting_id": request.meeting_id,
                "type": type_name,
                "schema": schema,
                "data": data,
                "digest": data_digest,
                "metadata": metadata,
                "recorded_at": self.now,
                "hash": head,
            }
            self.rows.append(row)
            self.recorded.append(
                Recorded(
                    position=self.position,
                    stream_id=stream_id,
                    version=version,
                    meeting_id=request.meeting_id,
                    event_id=new.event_id,
                    type=type_name,
                    schema=schema,
                    data=data,
                    digest=data_digest,
                    metadata=new.metadata,
                    recorded_at=self.now,
                    hash=head,
                )
            )
            self.stored_ids[new.event_id] = (stream_id, self.position)
            positions.append(self.position)
        self.heads[request.meeting_id] = head
        self.streams[stream_id] = (version, request.meeting_id)
        return AppendResult(tuple(positions), version)


def _validate(request: AppendRequest) -> None:
    if not request.events:
        raise InvalidAppend(f"append to {request.stream_id!r} holds no events")
    if not request.stream_id or not request.meeting_id:
        raise InvalidAppend("an append needs a stream id and a meeting id")
    if request.expected_version is not None and request.expected_version < 0:
        raise InvalidAppend("expected_version must be 0 or more")
    ids = [e.event_id for e in request.events]
    if any(not isinstance(i, str) or not i or len(i) > MAX_EVENT_ID for i in ids):
        raise InvalidAppend(f"event ids must be strings of 1 to {MAX_EVENT_ID} characters")
    if len(set(ids)) != len(ids):
        raise InvalidAppend(f"append to {request.stream_id!r} repeats an event id")


def _erase(conn: Connection, meeting_id: str, event_ids: list[str]) -> None:
    """Set the payloads of ``event_ids`` (of ``meeting_id`` only) to null; their digests and
    hashes stay, so the meeting's chain still verifies."""
    for chunk in _chunks(event_ids):
        conn.execute(
            events_table.update()
            .where(events_table.c.meeting_id == meeting_id)
            .where(events_table.c.event_id.in_(chunk))
            .values(data=None)
        )


def _fail(request: AppendRequest, error: BaseException) -> None:
    if not request.future.done():
        request.future.set_exception(error)


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]
