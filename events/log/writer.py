"""The single writer: group commit of concurrent appends, acknowledged only when durable.

Callers put an ``AppendRequest`` on a queue and await its future. One task takes whatever is
waiting, decides each request against the log as it stands inside one locked transaction
(idempotency first, then the expected version), writes all accepted events in one insert,
commits, and only then resolves the futures. The transaction is one plain function handed to
``events.log.transactions`` (on SQLite, one trip to the writer's thread per batch; on PostgreSQL
the requests are decided on what the writer remembers of the log and the batch is written by
one statement that checks it, ``events.log.pg_append``). On SQLite, while one batch commits,
the next is gathered and handed over to wait its turn on the writer's thread: transactions
never overlap, but the callers' work does overlap the database's. A refused request fails
alone; a failed commit fails every caller of that batch and the writer goes on with the next
one, which reads the log afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import Connection, func, select

from events.errors import (
    CommitFailed,
    DuplicateEventId,
    InvalidAppend,
    RoundtableError,
    WriterClosed,
    WrongExpectedVersion,
)
from events.log import chain, pg_append
from events.log.codec import Codec
from events.log.envelope import Metadata, NewEvent, Recorded
from events.log.schema import events as events_table
from events.log.transactions import Transactions

ANY = None
"""``expected_version=ANY`` appends whatever the stream's version."""

MAX_EVENT_ID = 64
_IN_CHUNK = 500
_CATCH_UP = 10_000
"""Events by other processes the writer reads to keep what it remembers; beyond, it forgets."""
_COLUMNS = tuple(events_table.c.keys())


class AppendResult(msgspec.Struct, frozen=True, gc=False):
    """Where an append's events are in the log; ``duplicate`` when it was a harmless resend.
    A msgspec struct, as the writer makes one per append (a frozen dataclass took 1 µs), and
    untracked by the garbage collector, as its numbers can make no cycle
    (``events.log.envelope``)."""

    positions: tuple[int, ...]
    version: int
    duplicate: bool = False


class AppendRequest(msgspec.Struct):
    """One caller's append, waiting for the writer (a msgspec struct: one is made per append)."""

    stream_id: str
    meeting_id: str
    events: Sequence[NewEvent]
    expected_version: int | None
    future: asyncio.Future[AppendResult]
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
        self._waiting: deque[AppendRequest] = deque()
        self._arrived = asyncio.Event()
        self._committing: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._seen: _Seen | None = None
        self._heard: deque[tuple[object, ...]] = deque(maxlen=_CATCH_UP)
        self._insert: str | None = None
        self._closing = False

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="roundtable-writer")

    async def stop(self) -> None:
        """Commit what is already queued, then refuse anything later; nobody is left waiting."""
        self._closing = True
        self._arrived.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task  # it returns once everything queued has committed
            self._task = None
        await self._transactions.close()
        while self._waiting:
            _fail(self._waiting.popleft(), WriterClosed("the event store is closed"))

    def heard(self, rows: list[tuple[object, ...]]) -> None:
        """Rows other processes appended (their notifications, ``events.log.log_listener``), in
        the table's column order: on PostgreSQL the next batch is decided on them, instead of
        being refused by the log first and told them then."""
        self._heard.extend(rows)

    def submit(
        self,
        stream_id: str,
        meeting_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None,
        erase: Sequence[str] = (),
    ) -> asyncio.Future[AppendResult]:
        """Queue an append; the future is resolved once it is durable (or refused)."""
        if self._closing or self._loop is None:
            raise WriterClosed("the event store is closed")
        future: asyncio.Future[AppendResult] = self._loop.create_future()
        self._waiting.append(
            AppendRequest(
                stream_id, meeting_id, list(events), expected_version, future, tuple(erase)
            )
        )
        self._arrived.set()
        return future

    async def _run(self) -> None:
        """Gather a batch and hand it to the database; while it commits, gather and hand over
        the next if the database takes it at once when the first is done (``in_flight``): the
        transactions run one after the other, in the order handed over. Returns once closing
        and idle."""
        slots = asyncio.Semaphore(self._transactions.in_flight)
        while self._waiting or not self._closing:
            if not self._waiting:
                self._arrived.clear()
                await self._arrived.wait()
                continue
            await asyncio.sleep(0)  # let callers woken by the last commit queue up: bigger batches
            await slots.acquire()
            size = min(len(self._waiting), self._max_batch)
            batch = [self._waiting.popleft() for _ in range(size)]
            commit = asyncio.create_task(self._commit(batch))
            self._committing.add(commit)
            commit.add_done_callback(self._committing.discard)
            commit.add_done_callback(lambda _: slots.release())
        if self._committing:
            await asyncio.wait(self._committing)

    async def _commit(self, batch: list[AppendRequest]) -> None:
        pending = [r for r in batch if not r.future.done()]
        try:
            plan = await self._transactions.run(
                lambda conn: self._write(conn, pending), self._committed
            )
        except Exception as error:  # the whole batch failed to commit: every caller hears it
            failure = CommitFailed(f"the batch was not written: {error}")
            failure.__cause__ = error
            for request in pending:
                _fail(request, failure)
            return
        for request, outcome in plan.outcomes:
            if isinstance(outcome, Exception):
                _fail(request, outcome)
            elif not request.future.done():
                request.future.set_result(outcome)
        if plan.recorded:
            self._on_commit(plan.recorded)

    def _write(self, conn: Connection, batch: list[AppendRequest]) -> _Plan:
        """The body of one batch's transaction: decide every request, insert what is accepted.
        On PostgreSQL each round of the batch is one statement of its own, which places the
        appends in the log (``events.log.pg_append``).

        What the writer remembers of the log is taken out here and given back only once this
        transaction has committed (``_committed``): after a failed one, the next starts afresh."""
        seen, self._seen = self._seen, None
        if conn.dialect.name == "postgresql":
            seen = seen or _Seen(0)
            plan = _Plan(seen, self._codec, self._now())
            return pg_append.write(conn, batch, seen, self._heard, plan, known=_known_streams)
        plan = self._plan(conn, batch, seen)
        if plan.rows:
            if self._insert is None:
                self._insert = _insert_statement(conn)
            # Straight to the driver's executemany: SQLAlchemy's per-row parameter handling
            # cost more than the rest of an append put together (bench/append.py).
            with _cursor(conn) as cursor:
                cursor.executemany(self._insert, plan.rows)
            _erase(conn, plan.erasures())
        return plan

    def _committed(self, plan: _Plan) -> None:
        self._seen = plan.seen

    def _plan(self, conn: Connection, batch: list[AppendRequest], seen: _Seen | None) -> _Plan:
        last = _last_position(conn)
        if seen is None or last - seen.position > _CATCH_UP:
            seen = _Seen(last)
        elif seen.position != last:  # another process wrote since our last commit
            seen.caught_up(
                conn.execute(
                    select(
                        events_table.c.stream_id,
                        events_table.c.version,
                        events_table.c.meeting_id,
                        events_table.c.hash,
                    )
                    .where(events_table.c.position > seen.position)
                    .order_by(events_table.c.position)
                ),
                last,
            )
        ids = [e.event_id for r in batch for e in r.events if isinstance(e.event_id, str)]
        stored = {
            event_id: (stream_id, position) for event_id, stream_id, position in _stored(conn, ids)
        }
        _known_streams(conn, seen, batch)
        _known_heads(conn, seen, batch)
        plan = _Plan(seen, self._codec, self._now())
        plan.stored_ids.update(stored)
        for request in batch:
            staged = plan.decide(request)
            if staged is not None:
                plan.chain(staged)
        return plan


def _known_streams(conn: Connection, seen: _Seen, batch: Sequence[AppendRequest]) -> None:
    """Read the versions of the batch's streams that ``seen`` does not hold yet."""
    streams = seen.streams
    unknown = sorted({r.stream_id for r in batch if r.stream_id not in streams})
    streams.update(dict.fromkeys(unknown))
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
            streams[stream_id] = (version, meeting_id)


def _known_heads(conn: Connection, seen: _Seen, batch: Sequence[AppendRequest]) -> None:
    """Read the chain heads of the batch's meetings that ``seen`` does not hold yet (SQLite:
    on PostgreSQL the append statement chains the events itself)."""
    for meeting_id in sorted({r.meeting_id for r in batch if r.meeting_id not in seen.heads}):
        head = conn.execute(
            select(events_table.c.hash)
            .where(events_table.c.meeting_id == meeting_id)
            .order_by(events_table.c.position.desc())
            .limit(1)
        )
        seen.heads[meeting_id] = head.scalar() or chain.GENESIS


@dataclass(slots=True)
class _Seen:
    """What the log holds as of this writer's last commit: its last position, each stream's
    version (``None``: known to have no events) and each meeting's chain head. Each batch
    checks the last position first; if another process wrote meanwhile, it reads just those
    events' streams and heads (or, after very many, starts afresh). A batch's plan updates it
    in place as it accepts requests; a batch that fails to commit throws it away."""

    position: int
    streams: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)

    def caught_up(self, rows: Iterable[Any], position: int) -> None:
        """What other processes appended since: their streams' versions and chain heads."""
        for stream_id, version, meeting_id, hash_ in rows:
            self.streams[stream_id] = (version, meeting_id)
            self.heads[meeting_id] = hash_
        self.position = position


class _Staged(msgspec.Struct):
    """A request accepted on what is known of its stream, its events encoded and digested,
    waiting for its positions and chain hashes (``_Plan.place``)."""

    request: AppendRequest
    version: int
    """The stream's version once these events are in."""
    events: list[tuple[str, int, str, int, bytes, str, bytes, Metadata, str]]
    """Each event's id, version, type, schema, data, digest, metadata bytes, metadata, and its
    metadata bytes as text (as the chain's header holds them)."""
    recorded_at: int

    def columns(self) -> Iterator[tuple[object, ...]]:
        """Each event as the table's columns but position and hash (``events.log.pg_append``)."""
        request = self.request
        for event_id, version, type_name, schema, data, digest, metadata, _, _ in self.events:
            yield (
                event_id,
                request.stream_id,
                version,
                request.meeting_id,
                type_name,
                schema,
                data,
                digest,
                metadata,
                self.recorded_at,
            )


class _Plan:
    """The decisions for one batch, made against what is known of the log."""

    def __init__(self, seen: _Seen, codec: Codec, now: int) -> None:
        self.seen = seen
        self.codec = codec
        self.now = now
        self.stored_ids: dict[str, tuple[str, int]] = {}
        self.rows: list[tuple[object, ...]] = []
        """In the table's column order, as the driver takes them (``_insert_statement``)."""
        self.recorded: list[Recorded] = []
        self.outcomes: list[tuple[AppendRequest, AppendResult | Exception]] = []
        self.unsure: list[AppendRequest] = []
        """Requests ``decide`` would refuse (on their stream's version, say) without knowing
        whether their ids are stored: a resend is acknowledged whatever else; ask the log."""

    def erasures(self) -> list[tuple[str, str]]:
        """``(meeting_id, event_id)`` of the payloads this batch erases: those named by the
        requests it accepts, not by resends."""
        return [
            (request.meeting_id, event_id)
            for request, outcome in self.outcomes
            if isinstance(outcome, AppendResult) and not outcome.duplicate
            for event_id in request.erase
        ]

    def decide(
        self, request: AppendRequest, checked: Container[str] | None = None
    ) -> _Staged | None:
        """The request staged for the log; ``None`` when it is decided already (a resend, or
        refused: its outcome is kept) or ``unsure``. ``checked``: the ids whose being stored
        or not ``stored_ids`` tells (``None``: all)."""
        try:
            outcome: _Staged | AppendResult | Exception = self._accept(request)
        except RoundtableError as error:
            outcome = error
        except (TypeError, ValueError) as error:  # an event that cannot be encoded
            outcome = InvalidAppend(f"append to {request.stream_id!r} is not valid: {error}")
        if isinstance(outcome, _Staged):
            return outcome
        if (
            isinstance(outcome, Exception)
            and not isinstance(outcome, DuplicateEventId)
            and checked is not None
            and any(isinstance(e.event_id, str) for e in request.events)
            and not all(e.event_id in checked for e in request.events)
        ):
            self.unsure.append(request)  # a resend of stored ids would be acknowledged
            return None
        self.outcomes.append((request, outcome))
        return None

    def chain(self, staged: _Staged) -> None:
        """Place ``staged`` right after what is known of the log, chained to its meeting's
        head (SQLite, where the writer holds the log's lock while it decides)."""
        seen = self.seen
        stream_id, meeting_id = staged.request.stream_id, staged.request.meeting_id
        now = staged.recorded_at
        head = seen.heads[meeting_id]
        first = seen.position + 1
        hashes = []
        for position, (event_id, version, type_name, schema, _, digest, _, _, text) in enumerate(
            staged.events, first
        ):
            head = chain.link(
                head,
                position,
                stream_id,
                version,
                meeting_id,
                event_id,
                type_name,
                schema,
                digest,
                text,
                now,
            )
            hashes.append(head)
        seen.position = first + len(hashes) - 1
        seen.heads[meeting_id] = head
        self.place(staged, first, hashes)

    def place(self, staged: _Staged, first: int, hashes: Sequence[str]) -> None:
        """``staged`` is in the log from ``first`` on, with these chain hashes."""
        request = staged.request
        stream_id, meeting_id, now = request.stream_id, request.meeting_id, staged.recorded_at
        position = first
        rows, recorded, stored = self.rows, self.recorded, self.stored_ids
        for (event_id, version, type_name, schema, data, digest, metadata, meta, _), head in zip(
            staged.events, hashes, strict=True
        ):
            rows.append(
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
                    now,
                    head,
                )
            )
            recorded.append(
                Recorded(
                    position=position,
                    stream_id=stream_id,
                    version=version,
                    meeting_id=meeting_id,
                    event_id=event_id,
                    type=type_name,
                    schema=schema,
                    data=data,
                    digest=digest,
                    metadata=meta,
                    recorded_at=now,
                    hash=head,
                )
            )
            stored[event_id] = (stream_id, position)
            position += 1
        self.outcomes.append((request, AppendResult(tuple(range(first, position)), staged.version)))

    def _accept(self, request: AppendRequest) -> _Staged | AppendResult:
        ids = _validate(request)
        stream_id = request.stream_id
        meeting_id = request.meeting_id
        seen = self.seen
        stored = self.stored_ids
        stream = seen.streams.get(stream_id)
        if not stored.keys().isdisjoint(ids):
            known = [stored.get(i) for i in ids]
            if None not in known and all(k[0] == stream_id for k in known):  # type: ignore[index]
                positions = tuple(k[1] for k in known)  # type: ignore[index]
                return AppendResult(positions, stream[0] if stream else 0, duplicate=True)
            clashes = [i for i, k in zip(ids, known, strict=True) if k is not None]
            raise DuplicateEventId(stream_id, clashes)
        version, owner = stream or (0, meeting_id)
        if owner != meeting_id:
            raise InvalidAppend(
                f"stream {stream_id!r} belongs to meeting {owner!r}, not {meeting_id!r}"
            )
        expected = request.expected_version
        if expected is not None and expected != version:
            raise WrongExpectedVersion(stream_id, expected, version)
        encode = self.codec.encode
        events = []
        last_metadata, metadata, text = None, b"", ""
        for new in request.events:
            type_name, schema, data = encode(new.event)  # may refuse: nothing is kept yet
            if new.metadata is not last_metadata:  # a command's events share theirs
                last_metadata, metadata = new.metadata, new.metadata.encode()
                text = metadata.decode()
            version += 1
            events.append(
                (
                    new.event_id,
                    version,
                    type_name,
                    schema,
                    data,
                    chain.digest(data),
                    metadata,
                    last_metadata,
                    text,
                )
            )
        seen.streams[stream_id] = (version, meeting_id)
        return _Staged(request, version, events, self.now)


def _validate(request: AppendRequest) -> list[str]:
    """The request's event ids, once it is known to be well formed."""
    if not request.events:
        raise InvalidAppend(f"append to {request.stream_id!r} holds no events")
    if not request.stream_id or not request.meeting_id:
        raise InvalidAppend("an append needs a stream id and a meeting id")
    if request.expected_version is not None and request.expected_version < 0:
        raise InvalidAppend("expected_version must be 0 or more")
    ids = [e.event_id for e in request.events]
    for event_id in ids:
        if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID:
            raise InvalidAppend(f"event ids must be strings of 1 to {MAX_EVENT_ID} characters")
    if len(ids) > 1 and len(set(ids)) != len(ids):
        raise InvalidAppend(f"append to {request.stream_id!r} repeats an event id")
    return ids


_LAST_POSITION = f"SELECT max(position) FROM {events_table.name}"


def _last_position(conn: Connection) -> int:
    """Asked once per batch, on the driver's own cursor: SQLAlchemy's execution of this
    select took 57 µs of CPU against the driver's 4 µs, which a single caller paid per append."""
    with _cursor(conn) as cursor:
        cursor.execute(_LAST_POSITION)
        return int(cursor.fetchone()[0] or 0)


@contextlib.contextmanager
def _cursor(conn: Connection) -> Iterator[Any]:
    """A cursor of the driver's own connection, inside the transaction ``conn`` began."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    finally:
        cursor.close()


def _stored(conn: Connection, ids: list[str]) -> Iterator[Any]:
    """``(event_id, stream_id, position)`` of those of ``ids`` already in the log (SQLite; on
    PostgreSQL the append statement checks them). Straight to the driver: SQLAlchemy's
    handling of a few hundred bound values per batch was a tenth of an append's time."""
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        with _cursor(conn) as cursor:
            cursor.execute(
                f"SELECT event_id, stream_id, position FROM {events_table.name} "
                f"WHERE event_id IN ({marks})",
                tuple(chunk),
            )
            rows = cursor.fetchall()
        yield from rows


def _insert_statement(conn: Connection) -> str:
    """The insert of one event in this database's own parameter style, taking its values in
    the table's column order."""
    compiled = events_table.insert().compile(dialect=conn.dialect)
    if not compiled.positional or tuple(compiled.positiontup or ()) != _COLUMNS:
        raise RuntimeError(f"{conn.dialect.name}: the writer needs positional parameters")
    return compiled.string


def _erase(conn: Connection, erasures: list[tuple[str, str]]) -> None:
    """Set the payloads of ``(meeting_id, event_id)`` to null; their digests and hashes stay,
    so each meeting's chain still verifies."""
    by_meeting: dict[str, list[str]] = {}
    for meeting_id, event_id in erasures:
        by_meeting.setdefault(meeting_id, []).append(event_id)
    for meeting_id, event_ids in by_meeting.items():
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
