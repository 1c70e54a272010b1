"""PostgreSQL appends: a batch in one statement that places each append in the log itself.

The writer decides every request of a batch in Python against what it remembers of each
stream (``writer._Seen.streams``: version and meeting), encodes its events and digests their
payloads, then calls ``roundtable_append_v4`` once, outside any explicit transaction. That one
statement is its own transaction: it takes the log's advisory lock and, append by append,
checks only what the append itself depends on: that its stream is still at the version it was
decided on (and belongs to its meeting) and that none of its event ids is stored. An append
that passes gets the next positions and its meeting's chain hashes, computed there under the
lock (``roundtable_link_v4``: the same canonical header as ``events.log.chain.link``, byte for
byte), is inserted, and erases what it erases; one that does not is refused, with what its
stream holds and which of its ids are stored, and so is every later append of the call (with
what their streams hold), so that a process's appends stay in the order they were submitted.
The commit notifies the other processes with the rows (``events.log.notice``,
``events.log.log_listener``) and releases the lock.

Appends to other streams therefore never refuse each other, whichever process wrote last:
only a real conflict (the same stream moved on, or an id stored) sends an append back, with
those after it in its batch, and the writer decides just those again, on what the refusal
told, in the next call. An append the writer itself would refuse on what it remembers (a
stale expected version, most often) is not sent but asked about in the same call: whether
its ids are stored (a resend is acknowledged whatever the version) and where its stream is;
it is decided on that in the next call, after the appends behind it if the writer had heard
late of its stream. Before schema
version 3 the writer also computed positions and hashes in Python and the whole batch was
refused whenever the log had moved on since (``roundtable_append_v2``); version 3's function
did what version 4's does, with a chain link PostgreSQL could not inline and its erase and
probe statements run even when empty. Both are left in logs made before, so that a process
of that version still appends.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection

from events.log.chain import GENESIS
from events.log.log_listener import CHANNEL
from events.log.notice import LIMIT

LOCK = 0x526F756E64
""""Round": the advisory lock that serialises appends (and archive imports) on PostgreSQL."""
FUNCTION = "roundtable_append_v4"
"""Named for ``events.log.schema.SCHEMA_VERSION``: a later schema may define another beside it."""
LINK = "roundtable_link_v4"

_INPUTS = (
    ("append", "integer"),
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
)
"""One array per column of the table but ``position`` and ``hash`` (the function's to give),
and first the number of the append each event belongs to."""


def _json(value: str) -> str:
    return f"to_json({value})::text"


LINK_DEFINITION = f"""
CREATE OR REPLACE FUNCTION {LINK}(
    previous text, at bigint, stream text, version integer, meeting text, id text,
    kind text, kind_schema integer, digest text, metadata bytea, recorded_at bigint
) RETURNS text LANGUAGE sql STABLE STRICT AS $$
    SELECT encode(sha256(convert_to(
        '[' || {_json("previous")} || ',' || at || ',' || {_json("stream")} || ',' || version
        || ',' || {_json("meeting")} || ',' || {_json("id")} || ',' || {_json("kind")}
        || ',' || kind_schema || ',' || {_json("digest")}
        || ',' || {_json("convert_from(metadata, 'UTF8')")} || ',' || recorded_at || ']',
        'UTF8')), 'hex')
$$
"""
"""``events.log.chain.link`` in SQL: ``to_json`` escapes a string as orjson does (``"``,
``\\``, the control characters; everything else as it is, in UTF-8), which
``tests/test_pg_chain.py`` checks on hostile strings. It is ``STABLE``, as ``to_json`` is, so
that the planner writes its expression into the append function's assignment: declared
``IMMUTABLE`` (version 3), it was run as a function of its own for every event, a fifth of
PostgreSQL's CPU per append (``docs/benchmarks.md``)."""


def _new(name: str, at: str = "k") -> str:
    return f"new_{name}[{at}]"


DEFINITION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(
    {", ".join(f"new_{name} {kind}[]" for name, kind in _INPUTS)},
    erase_append integer[],
    erase_meeting text[],
    erase_event text[],
    probe text[],
    probe_streams text[]
) RETURNS TABLE(
    item integer, at bigint, id text, stream text, stream_version integer, meeting text,
    chain_hash text
)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    last bigint;
    total integer := coalesce(cardinality(new_append), 0);
    opening integer := 1;
    closing integer;
    halted boolean := false;
    stored_version integer;
    owner text;
    head text;
    carried text := '';
    message text;
    ids text[];
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK});
    SELECT coalesce(max(e.position), 0) INTO last FROM events e;
    WHILE opening <= total LOOP
        closing := opening;
        ids := ARRAY[new_event_id[opening]];
        WHILE closing < total AND new_append[closing + 1] = new_append[opening] LOOP
            closing := closing + 1;
            ids := ids || new_event_id[closing];
        END LOOP;
        SELECT e.version, e.meeting_id INTO stored_version, owner FROM events e
            WHERE e.stream_id = {_new("stream_id", "opening")}
            ORDER BY e.version DESC LIMIT 1;
        IF halted
            OR coalesce(stored_version, 0) <> {_new("version", "opening")} - 1
            OR owner <> {_new("meeting_id", "opening")}
            OR EXISTS (
                SELECT 1 FROM events e WHERE e.event_id = ANY(ids)
            )
        THEN
            halted := true;
            RETURN QUERY SELECT 0, NULL::bigint, NULL::text, {_new("stream_id", "opening")},
                coalesce(stored_version, 0), owner, NULL::text;
            RETURN QUERY SELECT 0, e.position, e.event_id::text, e.stream_id::text,
                NULL::integer, NULL::text, NULL::text
                FROM events e WHERE e.event_id = ANY(ids);
        ELSE
            SELECT e.hash INTO head FROM events e
                WHERE e.meeting_id = {_new("meeting_id", "opening")}
                ORDER BY e.position DESC LIMIT 1;
            head := coalesce(head, '{GENESIS}');
            FOR k IN opening..closing LOOP
                last := last + 1;
                head := {LINK}(
                    head, last, {_new("stream_id")}, {_new("version")}, {_new("meeting_id")},
                    {_new("event_id")}, {_new("type")}, {_new("schema")}, {_new("digest")},
                    {_new("metadata")}, {_new("recorded_at")}
                );
                INSERT INTO events VALUES (
                    last, {_new("event_id")}, {_new("stream_id")}, {_new("version")},
                    {_new("meeting_id")}, {_new("type")}, {_new("schema")}, {_new("data")},
                    {_new("digest")}, {_new("metadata")}, {_new("recorded_at")}, head
                );
                IF octet_length(carried) <= {LIMIT} THEN
                    carried := carried || CASE WHEN carried = '' THEN '' ELSE ',' END
                        || json_build_array(
                            last, {_new("event_id")}, {_new("stream_id")}, {_new("version")},
                            {_new("meeting_id")}, {_new("type")}, {_new("schema")},
                            translate(encode({_new("data")}, 'base64'), E'\\n', ''),
                            {_new("digest")},
                            translate(encode({_new("metadata")}, 'base64'), E'\\n', ''),
                            {_new("recorded_at")}, head
                        )::text;
                END IF;
                RETURN QUERY SELECT k, last, NULL::text, NULL::text, NULL::integer,
                    NULL::text, head;
            END LOOP;
            IF new_append[opening] = ANY(erase_append) THEN
                UPDATE events e SET data = NULL
                    FROM unnest(erase_append, erase_meeting, erase_event) AS x(a, m, ev)
                    WHERE x.a = new_append[opening] AND e.meeting_id = x.m AND e.event_id = x.ev;
            END IF;
        END IF;
        opening := closing + 1;
    END LOOP;
    IF cardinality(probe) > 0 THEN
        RETURN QUERY SELECT 0, e.position, e.event_id::text, e.stream_id::text,
            NULL::integer, NULL::text, NULL::text
            FROM events e WHERE e.event_id = ANY(probe);
    END IF;
    IF cardinality(probe_streams) > 0 THEN
        RETURN QUERY SELECT 0, NULL::bigint, NULL::text, s.stream, coalesce(v.version, 0),
            v.meeting_id::text, NULL::text
            FROM unnest(probe_streams) AS s(stream) LEFT JOIN LATERAL (
                SELECT e.version, e.meeting_id FROM events e WHERE e.stream_id = s.stream
                ORDER BY e.version DESC LIMIT 1
            ) v ON true;
    END IF;
    IF carried <> '' THEN
        message := last || ' [' || carried || ']';
        IF octet_length(message) > {LIMIT} THEN
            message := last::text;
        END IF;
        PERFORM pg_notify('{CHANNEL}', message);
    END IF;
END
$$
"""
"""Its plans are kept for the session, made when the log may still be a page or two, where a
scan of the table is cheapest: without ``enable_seqscan = off`` each of its lookups (a
stream's version, a meeting's head, stored ids) went on scanning the whole log as it grew (a
batch of 200 appends took 250 ms; PostgreSQL's CPU per event 1.1 ms against 0.08 ms)."""

_CALL = f"SELECT * FROM {FUNCTION}({', '.join(f'${i}' for i in range(1, len(_INPUTS) + 6))})"


class Seen(Protocol):
    """What the writer remembers of each stream (``events.log.writer._Seen``)."""

    streams: dict[str, tuple[int, str] | None]


class Request(Protocol):
    stream_id: str
    meeting_id: str
    events: Sequence[Any]
    erase: tuple[str, ...]


class Staged(Protocol):
    """A request decided but not yet in the log (``events.log.writer._Staged``)."""

    @property
    def request(self) -> Any: ...

    def columns(self) -> Iterable[tuple[object, ...]]:
        """Its events, each as ``_INPUTS`` but the append's number."""
        ...


class Plan(Protocol):
    stored_ids: dict[str, tuple[str, int]]
    unsure: list[Any]

    def decide(self, request: Any, checked: set[str]) -> Any: ...

    def place(self, staged: Any, first: int, hashes: list[str]) -> None: ...


S = TypeVar("S", bound=Seen)
P = TypeVar("P", bound=Plan)
R = TypeVar("R", bound=Request)


def install(conn: Connection) -> None:
    """Create (or replace) the append function and its chain link; part of the schema."""
    conn.exec_driver_sql(LINK_DEFINITION)
    conn.exec_driver_sql(DEFINITION)


def write(
    conn: Connection,
    batch: Sequence[R],
    seen: S,
    heard: deque[tuple[object, ...]],
    plan: P,
    *,
    known: Callable[[Connection, S, Sequence[R]], None],
) -> P:
    """Decide ``batch`` and append it, one statement per round, deciding again only the
    appends the statement refused (see the module's docstring). ``conn`` must be in
    autocommit: each statement is its own transaction. ``known`` reads the versions of the
    streams ``seen`` does not know; ``heard``: rows other processes appended, as their
    notifications told (consumed here). ``plan`` gathers the outcomes of every round."""
    waiting = list(batch)
    order = {id(r): i for i, r in enumerate(batch)}
    checked: set[str] = set()
    while waiting:
        _learn(seen, heard)
        known(conn, seen, waiting)
        staged, deferred = _decide(plan, waiting, checked)
        unsure, plan.unsure = plan.unsure, []
        if not staged and not unsure:
            return plan
        probe = [e.event_id for r in unsure for e in r.events if isinstance(e.event_id, str)]
        placed = _call(conn, staged, (probe, [r.stream_id for r in unsure]), seen, plan)
        checked.update(probe, (e.event_id for s in staged for e in s.request.events))
        waiting = [s.request for s in staged if id(s.request) not in placed] + deferred + unsure
        waiting.sort(key=lambda r: order[id(r)])
    return plan


def _decide(plan: Plan, waiting: list[R], checked: set[str]) -> tuple[list[Staged], list[R]]:
    """Decide what is waiting, in order, up to a request reusing an id of one staged in this
    round (a resend queued behind its original): it and the rest wait for the next round.
    A request the plan would refuse without having asked the log is asked about in the same
    call (``plan.unsure``: whether its ids are stored, since a resend is acknowledged whatever
    its stream's version, and where its stream is, which this process may have heard of
    late; ``checked``: the ids the log was asked about) and decided in the next round."""
    staged: list[Staged] = []
    ids: set[object] = set()
    for at, request in enumerate(waiting):
        own = {e.event_id for e in request.events}
        if own & ids:
            return staged, waiting[at:]
        decided = plan.decide(request, checked)
        if decided is not None:
            staged.append(decided)
            ids |= own
    return staged, []


def _call(
    conn: Connection,
    staged: list[Staged],
    probe: tuple[list[str], list[str]],
    seen: Seen,
    plan: Plan,
) -> set[int]:
    """One statement: place what passes, learn what the refused ones missed, which of the
    probe's ids are stored and what its streams hold; the ``id`` of each request placed."""
    events: list[tuple[object, ...]] = []
    spans: list[range] = []
    erase: list[tuple[int, str, str]] = []
    for number, decided in enumerate(staged):
        first = len(events) + 1
        events += [(number, *row) for row in decided.columns()]
        spans.append(range(first, len(events) + 1))
        request = decided.request
        erase += [(number, request.meeting_id, event_id) for event_id in request.erase]
    arrays = [list(column) for column in zip(*events, strict=True)] or [[] for _ in _INPUTS]
    placed: dict[int, tuple[int, str]] = {}
    for item, at, event_id, stream, version, meeting, hash_ in conn.exec_driver_sql(
        _CALL,
        (*arrays, *([list(c) for c in zip(*erase, strict=True)] or [[], [], []]), *probe),
    ):
        if item:
            placed[item] = (at, hash_)
        elif event_id is not None:
            plan.stored_ids[event_id] = (stream, at)
        else:
            seen.streams[stream] = (version, meeting) if version else None
    done: set[int] = set()
    for span, decided in zip(spans, staged, strict=True):
        if span[0] in placed:
            rows = [placed[item] for item in span]
            plan.place(decided, rows[0][0], [hash_ for _, hash_ in rows])
            done.add(id(decided.request))
    return done


def _learn(seen: Seen, heard: deque[tuple[Any, ...]]) -> None:
    """The versions of streams other processes appended to, as their notifications told."""
    streams = seen.streams
    while heard:
        row = heard.popleft()
        stream_id, version, meeting_id = row[2], row[3], row[4]
        known = streams.get(stream_id)
        if known is None or known[0] < version:
            streams[stream_id] = (version, meeting_id)
