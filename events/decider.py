"""The Decider shape, its fold, and the one pipeline that runs a command against its stream.

A decider is a module with ``decide(command, state) -> events``, ``evolve(state, event) ->
state`` and ``initial_state``: pure functions, time passed in on the command. ``run`` is the
only part that touches the log, and every command goes through it, whoever sends it: it takes
the stream's state from a ``Source`` (the live view under the stream's lock in the server,
``server.live.streams``; a fresh fold of the stream for the command line, the clock and HTTP,
``Folded``), applies the one resend rule, decides, and appends with the version it decided
against, under the one retry policy.

Event ids are deterministic: the *n*-th event a command causes gets ``uuid5(command_id/n)``,
so a client resending a command (same command id) can never make two sets of events, and an
event with a natural identity (a clock transition: meeting, what, due instant) gets its id
from that key, so two deciders emitting the same fact make one event.

**The resend rule** (``resent``): a command whose first event is already in the stream's
state is a resend; the positions of what it made come back and nothing is decided again (so a
resend is acked even when the state would now refuse it: a comment added twice, a table's
outbox emptied just after the close).

**The retry policy**: an append that loses to another writer (the stream moved on since the
state was read, or another writer already recorded one of the same natural facts) is decided
again against a state that includes the other writer's events, for up to ``RETRY_SECONDS``
(with several server processes, the one whose views hear of a commit last can lose several
times in a row while the other works through a burst). Refusals (``DomainError``) and any
other store error propagate unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from events.errors import DuplicateEventId, WrongExpectedVersion
from events.log.codec import Event
from events.log.envelope import Metadata, NewEvent, Recorded
from events.log.store import EventStore

NAMESPACE = uuid.UUID("5d0c3f1e-6a8b-4c2e-9a57-2f1b7c9e4d10")
"""The uuid5 namespace of every id Roundtable derives; never change it."""

RETRY_SECONDS = 10.0
"""How long a command is decided again while other writers keep appending to its stream first."""

StateT = TypeVar("StateT")
CommandT = TypeVar("CommandT", contravariant=True)
NaturalKey = Callable[[Event], str | None]


class Decider(Protocol[StateT, CommandT]):
    """What a decider module provides (``events.meeting.rules`` is one)."""

    initial_state: StateT

    def decide(self, command: CommandT, state: StateT) -> Sequence[Any]: ...

    def evolve(self, state: StateT, event: Any) -> StateT: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What running a command did: the events it added (none when there was nothing to do)."""

    events: tuple[Event, ...]
    positions: tuple[int, ...]
    version: int
    state: Any
    duplicate: bool = False


def fold(decider: Decider[StateT, Any], events: Iterable[Event]) -> StateT:
    """The state after ``events``, from the decider's initial state."""
    state = decider.initial_state
    for event in events:
        state = decider.evolve(state, event)
    return state


@functools.lru_cache(maxsize=1024)
def derived_id(key: str) -> str:
    """The event id for a stable key (a command id and index, or a natural key). Kept for the
    last keys: each command's first id is made twice, for the resend rule and for its event."""
    return str(uuid.uuid5(NAMESPACE, key))


def event_ids(
    command_id: str, events: Sequence[Event], natural_key: NaturalKey | None = None
) -> list[str]:
    """One id per event: from its natural key if it has one, else from the command id."""
    ids = []
    index = 0
    for event in events:
        key = natural_key(event) if natural_key is not None else None
        if key is None:
            key = f"{command_id}/{index}"
            index += 1
        ids.append(derived_id(key))
    return ids


@dataclass(frozen=True, slots=True)
class Current(Generic[StateT]):
    """A stream as a command is decided against it: its state, its version, and where each of
    its events is in the log (by event id, for the resend rule)."""

    state: StateT
    version: int
    event_positions: Mapping[str, int]


def extended(
    decider: Decider[StateT, Any], current: Current[StateT], records: Sequence[Recorded]
) -> Current[StateT]:
    """``current`` with the stream's later ``records`` folded in, in order."""
    if not records:
        return current
    state = current.state
    for record in records:
        state = decider.evolve(state, record.decode())
    positions = {**current.event_positions, **{r.event_id: r.position for r in records}}
    return Current(state, records[-1].version, positions)


class Source(Protocol[StateT]):
    """Where the pipeline reads a stream's state: ``current`` before each decision,
    ``caught_up`` after losing an append to another writer (until ``current`` includes it)."""

    async def current(self) -> Current[StateT]: ...

    async def caught_up(self) -> None: ...


class Folded(Generic[StateT]):
    """The stream read from the store and folded afresh for each decision: for callers without
    live views (the command line, the server's clock ticks, staff's HTTP commands)."""

    def __init__(self, store: EventStore, decider: Decider[StateT, Any], stream_id: str) -> None:
        self._store = store
        self._decider = decider
        self._stream_id = stream_id

    async def current(self) -> Current[StateT]:
        start = Current(self._decider.initial_state, 0, {})
        return extended(self._decider, start, await self._store.read_stream(self._stream_id))

    async def caught_up(self) -> None:
        """Nothing to wait for: the next ``current`` reads the stream again."""


def resent(current: Current[Any], command_id: str) -> tuple[int, ...]:
    """The resend rule: the positions of the events ``command_id`` already made in the
    stream, in order (none: it is not a resend)."""
    positions: list[int] = []
    while (
        position := current.event_positions.get(derived_id(f"{command_id}/{len(positions)}"))
    ) is not None:
        positions.append(position)
    return tuple(positions)


async def run(
    store: EventStore,
    decider: Decider[StateT, Any],
    source: Source[StateT],
    command: Callable[[StateT], Any],
    *,
    stream_id: str,
    meeting_id: str,
    command_id: str,
    metadata: Metadata,
    natural_key: NaturalKey | None = None,
) -> Outcome:
    """Decide ``command(state)`` against ``source`` and append what it decides (the resend
    rule and the retry policy above). ``command`` is built from the state only once the
    command is known not to be a resend, so a refusal in building it (the meeting closed, a
    comment gone) never refuses a resend of a command already taken."""
    deadline = asyncio.get_running_loop().time() + RETRY_SECONDS
    while True:
        current = await source.current()
        positions = resent(current, command_id)
        if positions:
            return Outcome((), positions, current.version, current.state, duplicate=True)
        state = current.state
        events = list(decider.decide(command(state), state))
        if not events:
            return Outcome((), (), current.version, state)
        ids = event_ids(command_id, events, natural_key)
        news = [NewEvent(event, i, metadata) for event, i in zip(events, ids, strict=True)]
        try:
            result = await store.append(
                stream_id, news, meeting_id=meeting_id, expected_version=current.version
            )
        except (WrongExpectedVersion, DuplicateEventId) as lost:
            if (
                not _another_writer(lost, events, ids, natural_key)
                or asyncio.get_running_loop().time() > deadline
            ):
                raise
            await source.caught_up()
            continue
        for event in events:
            state = decider.evolve(state, event)
        return Outcome(tuple(events), result.positions, result.version, state, result.duplicate)


def _another_writer(
    lost: WrongExpectedVersion | DuplicateEventId,
    events: Sequence[Event],
    ids: Sequence[str],
    natural_key: NaturalKey | None,
) -> bool:
    """Whether a refused append lost to another writer (and is worth deciding again), rather
    than reusing a command id of another stream."""
    if isinstance(lost, WrongExpectedVersion):
        return True
    natural = {i for e, i in zip(events, ids, strict=True) if natural_key and natural_key(e)}
    return bool(natural & set(lost.event_ids))


async def execute(
    store: EventStore,
    decider: Decider[StateT, CommandT],
    command: CommandT,
    *,
    stream_id: str,
    meeting_id: str,
    command_id: str,
    natural_key: NaturalKey | None = None,
    metadata: Metadata | None = None,
) -> Outcome:
    """``run`` with a freshly folded state: for callers that hold no live views."""
    return await run(
        store,
        decider,
        Folded(store, decider, stream_id),
        lambda _state: command,
        stream_id=stream_id,
        meeting_id=meeting_id,
        command_id=command_id,
        metadata=metadata or Metadata(),
        natural_key=natural_key,
    )
