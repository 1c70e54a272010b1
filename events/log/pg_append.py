"""PostgreSQL appends: a whole batch in one statement, so the log's lock is held for one trip.

The writer decides a batch in Python against what it remembers of the log (``writer._Seen``:
the last position, stream versions, chain heads), computes every hash of the chain there, and
then calls ``roundtable_append`` once, outside any explicit transaction. That one statement is
its own transaction: it takes the log's advisory lock, checks that the log still ends at the
position the batch was decided on and that none of the batch's event ids is stored yet, and
only then inserts the rows, erases what the batch erases and notifies the other processes
(``events.log.notice``, ``events.log.log_listener``); the commit at its end releases the lock.
Because positions are gapless and every append takes the lock, an unchanged last position
means nothing was appended since the decisions were made, so versions, idempotency and heads
are exactly what they were decided on.

If the log moved on, or some ids are stored, the statement writes nothing and returns what
the writer lacked: the events appended since (position, stream, version, meeting, hash) and
the stored ids among the batch's. The writer puts back what its plan had assumed, learns
those, decides again and calls again. To be refused less often, it first learns what the
other processes' notifications told (``events.log.notice``). Computing the chain in SQL
instead would mean writing the canonical encoding of ``events.log.chain`` again, in plpgsql.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection

from events.log import notice as log_notice
from events.log.log_listener import CHANNEL
from events.log.schema import events as events_table

LOCK = 0x526F756E64
""""Round": the advisory lock that serialises appends (and archive imports) on PostgreSQL."""
FUNCTION = "roundtable_append_v2"
"""Named for ``events.log.schema.SCHEMA_VERSION``: a later schema may define another beside it."""
CATCH_UP = 10_000
"""Events appended by others that one refusal returns; beyond, the writer starts afresh."""

_ARRAYS = (
    ("position", "bigint"),
    ("event_id", "text"),
    ("stream_id", "text"),
    ("version", "integer"),
    ("meeting_id", "text"),
    ("type", "text"),
    ("schema", "integer"),
    ("data", "bytea"),
    ("digest", "text"),
    ("metadata", "bytea"),
    ("recorded_at", "bigint"),
    ("hash", "text"),
)
assert tuple(name for name, _ in _ARRAYS) == tuple(events_table.c.keys())

DEFINITION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(
    after bigint,
    {", ".join(f"new_{name} {kind}[]" for name, kind in _ARRAYS)},
    checked text[],
    erase_meeting text[],
    erase_event text[],
    catch_up integer,
    notice text
) RETURNS TABLE(
    at bigint, id text, stream text, stream_version integer, meeting text, chain_hash text
)
LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK});
    SELECT coalesce(max(e.position), 0) INTO last FROM events e;
    IF last < after THEN
        RAISE EXCEPTION 'the log ends at %, before % where this writer last saw it', last, after;
    END IF;
    IF last > after OR EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY(checked)) THEN
        RETURN QUERY
            SELECT e.position, e.event_id::text, e.stream_id::text, e.version,
                   e.meeting_id::text, e.hash::text
            FROM events e WHERE e.position > after ORDER BY e.position LIMIT catch_up + 1;
        RETURN QUERY
            SELECT e.position, e.event_id::text, e.stream_id::text, e.version,
                   e.meeting_id::text, e.hash::text
            FROM events e WHERE e.event_id = ANY(checked) AND e.position <= after;
        RETURN;
    END IF;
    INSERT INTO events
        SELECT * FROM unnest({", ".join(f"new_{name}" for name, _ in _ARRAYS)});
    UPDATE events e SET data = NULL
        FROM unnest(erase_meeting, erase_event) AS x(meeting_id, event_id)
        WHERE e.meeting_id = x.meeting_id AND e.event_id = x.event_id;
    IF cardinality(new_position) > 0 THEN
        PERFORM pg_notify('{CHANNEL}', notice);
    END IF;
END
$$
"""

_CALL = f"SELECT * FROM {FUNCTION}({', '.join(f'${i}' for i in range(1, len(_ARRAYS) + 7))})"


class Seen(Protocol):
    """What the writer remembers of the log (``events.log.writer._Seen``)."""

    position: int
    streams: dict[str, tuple[int, str] | None]
    heads: dict[str, str]

    def caught_up(self, rows: Iterable[Any], position: int) -> None: ...


class Request(Protocol):
    stream_id: str
    meeting_id: str
    events: Sequence[Any]


class Plan(Protocol):
    rows: list[tuple[object, ...]]

    def erasures(self) -> list[tuple[str, str]]: ...


S = TypeVar("S", bound=Seen)
P = TypeVar("P", bound=Plan)


def install(conn: Connection) -> None:
    """Create (or replace) the append function; part of the schema's set-up."""
    conn.exec_driver_sql(DEFINITION)


def write(
    conn: Connection,
    batch: Sequence[Request],
    seen: S | None,
    heard: deque[tuple[object, ...]],
    *,
    fresh: Callable[[Connection], S],
    known: Callable[[Connection, S], None],
    decide: Callable[[S, dict[str, tuple[str, int]]], P],
) -> P:
    """Decide ``batch`` and append it in one statement, deciding again whenever the log
    turns out to have moved on (see the module's docstring). ``conn`` must be in autocommit:
    each statement is its own transaction. ``fresh`` reads the last position afresh,
    ``known`` reads the versions and heads of the batch's streams and meetings it does not
    know, ``decide`` plans the batch on what is known, updating it in place. ``heard``: rows
    other processes appended, as their notifications told (consumed here)."""
    stored: dict[str, tuple[str, int]] = {}
    while True:
        if seen is None:
            seen = fresh(conn)
        _learn(seen, heard)
        known(conn, seen)
        after = seen.position
        kept = _Kept(seen, batch)
        plan = decide(seen, dict(stored))
        checked = sorted(
            {e.event_id for r in batch for e in r.events if isinstance(e.event_id, str)}
            - stored.keys()
        )
        erase = plan.erasures()
        columns = list(zip(*plan.rows, strict=True)) or [()] * len(_ARRAYS)
        missed = list(
            conn.exec_driver_sql(
                _CALL,
                (
                    after,
                    *(list(column) for column in columns),
                    checked,
                    [meeting for meeting, _ in erase],
                    [event for _, event in erase],
                    CATCH_UP,
                    log_notice.encode(plan.rows) if plan.rows else "",
                ),
            )
        )
        if not missed:
            return plan
        kept.restore()
        newer = [row for row in missed if row[0] > after]
        for position, event_id, stream_id, *_ in missed:
            if event_id in checked:
                stored[event_id] = (stream_id, position)
        if len(newer) > CATCH_UP:
            seen = None
        elif newer:
            seen.caught_up((row[2:] for row in newer), newer[-1][0])


def _learn(seen: Seen, heard: deque[tuple[object, ...]]) -> None:
    """Catch ``seen`` up on the rows heard that follow on from it; drop those it has."""
    while heard and heard[0][0] <= seen.position:  # type: ignore[operator]
        heard.popleft()
    following: list[tuple[object, ...]] = []
    while heard and heard[0][0] == seen.position + len(following) + 1:
        following.append(heard.popleft())
    if following:
        seen.caught_up(
            ((r[2], r[3], r[4], r[11]) for r in following), seen.position + len(following)
        )


class _Kept:
    """What deciding a batch may change in what the writer remembers, put back if the
    statement refuses the batch."""

    def __init__(self, seen: Seen, batch: Sequence[Request]) -> None:
        self._seen = seen
        self._position = seen.position
        self._streams = {r.stream_id: seen.streams.get(r.stream_id) for r in batch}
        self._heads = {r.meeting_id: seen.heads[r.meeting_id] for r in batch}

    def restore(self) -> None:
        self._seen.position = self._position
        self._seen.streams.update(self._streams)
        self._seen.heads.update(self._heads)
