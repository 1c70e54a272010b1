"""The meeting view: structure, where the clock stands, the schedule, and the clock's record.

It is the meeting decider's own fold (``events.meeting.rules.evolve``) plus what only the envelope
knows: when each clock event was recorded. ``render`` turns it into canonical JSON-ready data
(sorted keys when dumped, ints and strings only: instants are microseconds since the epoch,
UTC, as in the events; ``timezone`` says how to show them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from events.log.codec import canonical
from events.log.envelope import Recorded
from events.meeting import events as e
from events.meeting import rules as meeting
from events.meeting.plan import Plan
from events.meeting.rules import MeetingState
from events.meeting.schedule import Clock, Segment, next_moment, segments, upcoming
from events.tables.placement import BELL, last_bell


@dataclass(frozen=True, slots=True)
class Entry:
    """One clock event as recorded: the fact, where it is in the log, and when it was written."""

    event: e.ClockEvent
    position: int
    recorded_at: int


@dataclass(frozen=True, slots=True)
class MeetingView:
    state: MeetingState = field(default_factory=MeetingState)
    history: tuple[Entry, ...] = ()
    version: int = 0
    position: int = 0
    event_positions: Mapping[str, int] = field(default_factory=dict)
    """Where each event id is in the log: the clock's commands are decided against this view,
    and a resent one is acked with its positions."""


def evolve(view: MeetingView, record: Recorded) -> MeetingView:
    """``view`` with one event of the meeting's stream applied (``view`` is left as it was)."""
    event = record.decode()
    assert isinstance(event, e.MeetingEvent)
    history = view.history
    if isinstance(event, e.ClockEvent):
        history = (*history, Entry(event, record.position, record.recorded_at))
    return MeetingView(
        meeting.evolve(view.state, event),
        history,
        record.version,
        record.position,
        {**view.event_positions, record.event_id: record.position},
    )


def status(state: MeetingState) -> str:
    if state.clock.closed_at is not None:
        return "closed"
    return "open" if state.clock.opened_at is not None else "scheduled"


def render(view: MeetingView) -> dict[str, Any]:
    """The whole view as JSON-ready data (the HTTP endpoint's body)."""
    plan, clock = view.state.plan, view.state.clock
    if plan is None:
        return {"meeting_id": None, "version": view.version, "position": view.position}
    return {
        "meeting_id": plan.meeting_id,
        "title": plan.title,
        "date": plan.date,
        "venue": plan.venue,
        "timezone": plan.timezone,
        "status": status(view.state),
        "agenda": [
            {"id": i.item_id, "kind": i.kind, "title": i.title, "start": i.start, "end": i.end}
            for i in plan.agenda
        ],
        "topics": [{"id": t.topic_id, "title": t.title} for t in plan.topics],
        "questions": [{"id": q.question_id, "prompt": q.prompt} for q in plan.questions],
        "tables": _tables(plan),
        "rotation": _rotation(plan),
        "clock": _clock(plan, clock),
        "schedule": _schedule(plan, clock, view.history),
        "history": [_entry(entry) for entry in view.history],
        "version": view.version,
        "position": view.position,
    }


def dumps(view: MeetingView) -> bytes:
    """Canonical JSON: the same view always gives the same bytes."""
    return canonical(render(view))


def _tables(plan: Plan) -> list[dict[str, Any]]:
    count = plan.rotations.count if plan.rotations else 0
    seats = plan.rotations.seats if plan.rotations else ()
    tables = []
    for table in plan.tables:
        by_rotation = {s.rotation: s.group for s in seats if s.table == table.number}
        topic = plan.topic(table.topic_id)
        tables.append(
            {
                "number": table.number,
                "topic": table.topic_id,
                "topic_title": topic.title if topic else None,
                "facilitator": table.facilitator,
                "groups": [by_rotation.get(r) for r in range(1, count + 1)],
            }
        )
    return tables


def _rotation(plan: Plan) -> dict[str, Any] | None:
    rotations = plan.rotations
    if rotations is None:
        return None
    return {
        "minutes": rotations.minutes,
        "count": rotations.count,
        "groups": list(rotations.groups),
        "seats": [
            {"rotation": s.rotation, "table": s.table, "group": s.group} for s in rotations.seats
        ],
    }


def _clock(plan: Plan, clock: Clock) -> dict[str, Any]:
    item = plan.item(clock.phase) if clock.phase else None
    moment = next_moment(plan, clock)
    remaining = None
    if clock.paused_at is not None and clock.ends is not None:
        remaining = clock.ends - clock.paused_at
    return {
        "phase": clock.phase,
        "phase_kind": item.kind if item else None,
        "rotation": clock.rotation,
        "since": clock.since,
        "ends": None if clock.paused_at is not None else clock.ends,
        "paused_at": clock.paused_at,
        "remaining": remaining,
        "opened_at": clock.opened_at,
        "closed_at": clock.closed_at,
        "started_at": clock.started_at,
        "auto_start": clock.auto_start,
        "next_due": moment.due if moment else None,
        "bell": _bell(clock),
    }


def _bell(clock: Clock) -> dict[str, Any] | None:
    """The last rotation's bell: tablets and the wall say "Rotation n over — please move"
    from ``at`` until ``until`` (``events.tables.placement.BELL`` later), on the server's clock."""
    span = last_bell(clock)
    if span is None or span.ended is None:
        return None
    return {"rotation": span.rotation, "at": span.ended, "until": span.ended + BELL}


def _schedule(plan: Plan, clock: Clock, history: tuple[Entry, ...]) -> list[dict[str, Any]]:
    """Each segment after the roundtables start, with its actual, current or expected times.

    Before the start, the times are the agenda's. Afterwards: ``done`` and ``skipped``
    segments show what happened, ``current`` its start and (unless paused) its due end,
    ``upcoming`` the times that follow if nobody intervenes (none while paused).
    """
    chain = segments(plan)
    if clock.started_at is None or clock.segment is None:  # None: between the start's events
        return [_planned(plan, chain, index) for index in range(len(chain))]
    starts, ends = _actual(chain, history)
    for moment in upcoming(plan, clock):
        for event in moment.events:
            index = _index(chain, event)
            if index is not None and index not in starts:
                starts[index] = moment.due
                length = chain[index].length
                if length is not None:
                    ends[index] = moment.due + length
    over = clock.rotation is None and chain[clock.segment].rotation is not None
    entries = []
    for index, segment in enumerate(chain):
        if index < clock.segment or (index == clock.segment and over):
            state = "done" if index in starts else "skipped"
        elif index == clock.segment:
            state = "current"
            if clock.paused_at is None and clock.ends is not None:
                ends[index] = clock.ends
            else:
                ends.pop(index, None)
        else:
            state = "upcoming"
        entries.append(_segment(segment, starts.get(index), ends.get(index), state))
    return entries


def _planned(plan: Plan, chain: tuple[Segment, ...], index: int) -> dict[str, Any]:
    segment = chain[index]
    roundtables = plan.roundtables
    assert roundtables is not None
    if segment.rotation is not None:
        assert segment.length is not None
        start = roundtables.start + (segment.rotation - 1) * segment.length
        return _segment(segment, start, start + segment.length, "planned")
    item = plan.item(segment.phase)
    assert item is not None
    return _segment(segment, item.start, plan.ends(item), "planned")


def _actual(
    chain: tuple[Segment, ...], history: tuple[Entry, ...]
) -> tuple[dict[int, int], dict[int, int]]:
    """When each segment really started and ended, from the clock's record."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    current: int | None = None
    for entry in history:
        event = entry.event
        index = _index(chain, event)
        if isinstance(event, e.RotationEnded):
            ends[event.rotation - 1] = event.due
        elif index is not None and isinstance(event, e.RotationStarted | e.PhaseChanged):
            if current is not None and current not in ends:
                ends[current] = event.due
            starts[index] = event.due
            current = index
    return starts, ends


def _index(chain: tuple[Segment, ...], event: e.ClockEvent) -> int | None:
    if isinstance(event, e.RotationStarted):
        return event.rotation - 1
    if isinstance(event, e.PhaseChanged):
        for index, segment in enumerate(chain):
            if segment.rotation is None and segment.phase == event.phase:
                return index
    return None


def _segment(segment: Segment, start: int | None, end: int | None, state: str) -> dict[str, Any]:
    return {
        "phase": segment.phase,
        "kind": segment.kind,
        "rotation": segment.rotation,
        "start": start,
        "end": end,
        "status": state,
    }


def _entry(entry: Entry) -> dict[str, Any]:
    data = {"type": entry.event.type, "position": entry.position, "recorded_at": entry.recorded_at}
    for name in ("rotation", "phase", "kind", "minutes", "enabled", "due", "at", "by"):
        if hasattr(entry.event, name):
            data[name] = getattr(entry.event, name)
    return data
