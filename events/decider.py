"""The Decider shape, its fold, and the shell that runs one command against the store.

A decider is a module with ``decide(command, state) -> events``, ``evolve(state, event) ->
state`` and ``initial_state``: pure functions, time passed in on the command. The shell is
the only part that touches the log: it loads the stream, folds it, decides, and appends with
the version it read, retrying when another writer got there first.

Event ids are deterministic: the *n*-th event a command causes gets ``uuid5(command_id/n)``,
so a client resending a command (same command id) can never make two sets of events, and an
event with a natural identity (a clock transition: meeting, what, due instant) gets its id
from that key, so two deciders emitting the same fact make one event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from events.codec import Event
from events.envelope import Metadata, NewEvent, Recorded
from events.errors import DuplicateEventId, WrongExpectedVersion
from events.store import EventStore

NAMESPACE = uuid.UUID("5d0c3f1e-6a8b-4c2e-9a57-2f1b7c9e4d10")
"""The uuid5 namespace of every id Roundtable derives; never change it."""

StateT = TypeVar("StateT")
CommandT = TypeVar("CommandT", contravariant=True)
NaturalKey = Callable[[Event], str | None]


class Decider(Protocol[StateT, CommandT]):
    """What a decider module provides (``events.meeting`` is one)."""

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


def derived_id(key: str) -> str:
    """The event id for a stable key (a command id and index, or a natural key)."""
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
    attempts: int = 5,
) -> Outcome:
    """Decide ``command`` against the stream as stored, and append what it decides.

    A command whose first event is already stored is a resend: the events derived from its
    command id are returned and nothing is written. Refusals (``DomainError``) propagate unchanged.
    """
    first_id = derived_id(f"{command_id}/0")
    for attempt in range(attempts):
        records = await store.read_stream(stream_id)
        state = fold(decider, (r.decode() for r in records))
        version = records[-1].version if records else 0
        if any(r.event_id == first_id for r in records):
            return _resent(records, command_id, state, version)
        events = list(decider.decide(command, state))
        if not events:
            return Outcome((), (), version, state)
        ids = event_ids(command_id, events, natural_key)
        news = [
            NewEvent(event, i, metadata or Metadata()) for event, i in zip(events, ids, strict=True)
        ]
        try:
            result = await store.append(
                stream_id, news, meeting_id=meeting_id, expected_version=version
            )
        except (WrongExpectedVersion, DuplicateEventId):
            if attempt == attempts - 1:
                raise
            continue
        for event in events:
            state = decider.evolve(state, event)
        return Outcome(tuple(events), result.positions, result.version, state, result.duplicate)
    raise AssertionError("unreachable: the last attempt raises or returns")


def _resent(records: list[Recorded], command_id: str, state: Any, version: int) -> Outcome:
    by_id = {r.event_id: r for r in records}
    found = []
    while (record := by_id.get(derived_id(f"{command_id}/{len(found)}"))) is not None:
        found.append(record)
    return Outcome(
        tuple(r.decode() for r in found),
        tuple(r.position for r in found),
        version,
        state,
        duplicate=True,
    )
