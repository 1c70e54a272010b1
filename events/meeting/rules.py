"""The meeting decider: a meeting's structure and its clock, decided by pure functions.

``decide(command, state)`` returns the events a command causes or raises a ``MeetingError``;
``evolve(state, event)`` applies one event. A meeting lives in the stream
``meeting-<meeting_id>``. Structural commands are decided by applying their events to the
plan and validating the result (``events.meeting.plan``); clock commands are decided by
``events.meeting.clock`` over the timeline of ``events.meeting.schedule``.

The timetable and the seating are fixed once the roundtables start (agenda items, tables and
their topics, the rotation plan), and so are which topics and questions there are; names,
wording, facilitators and question order can change until the meeting is closed. Nothing
changes after it is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from events.log.codec import Event
from events.meeting import clock as clock_rules
from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import revision, structure
from events.meeting.commands import ClockCommand, MeetingCommand
from events.meeting.events import ClockEvent, MeetingEvent
from events.meeting.plan import Plan
from events.meeting.schedule import CLOCK, Clock, advance, next_moment
from events.meeting.schedule import evolve as evolve_clock


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingState:
    plan: Plan | None = None
    clock: Clock = field(default_factory=Clock)


initial_state = MeetingState()


def stream_id(meeting_id: str) -> str:
    return f"meeting-{meeting_id}"


def decide(command: MeetingCommand, state: MeetingState) -> list[MeetingEvent]:
    if isinstance(command, c.ScheduleMeeting):
        if state.plan is not None:
            raise errors.MeetingAlreadyScheduled(
                "meeting.id", f"there is already a meeting {state.plan.meeting_id!r}"
            )
        return structure.schedule(command)
    if state.plan is None:
        raise errors.MeetingNotScheduled("meeting", "there is no such meeting")
    if isinstance(command, ClockCommand):
        return list(clock_rules.decide(command, state.plan, state.clock))
    if state.clock.closed_at is not None:
        raise errors.MeetingIsClosed("meeting", "a closed meeting cannot be changed")
    started = state.clock.started_at is not None
    if isinstance(command, c.RevisePlan):
        return revision.decide(command, state.plan, started=started)
    part = structure.fixed_once_started(command)
    if part is not None and started:
        raise errors.RoundtablesAlreadyStarted(part, revision.FIXED)
    return structure.decide(command, state.plan)


def evolve(state: MeetingState, event: MeetingEvent) -> MeetingState:
    if isinstance(event, e.MeetingScheduled):
        return replace(state, plan=structure.new(event))
    if state.plan is None:
        return state
    if isinstance(event, ClockEvent):
        return replace(state, clock=evolve_clock(state.plan, state.clock, event))
    return replace(state, plan=structure.apply(state.plan, event))


def as_of(state: MeetingState, instant: int) -> MeetingState:
    """The meeting at ``instant`` if nobody acts before: everything due by then has happened.

    What a tablet's comment is checked against: the rotation really running at ``instant``,
    even if the clock has not yet written its transition.
    """
    if state.plan is None:
        return state
    clock, _ = advance(state.plan, state.clock, instant)
    return replace(state, clock=clock)


def next_due(state: MeetingState) -> int | None:
    """When the clock emits something next, if nobody acts before."""
    moment = next_moment(state.plan, state.clock) if state.plan is not None else None
    return None if moment is None else moment.due


def natural_key(meeting_id: str, event: Event) -> str | None:
    """What makes a clock-emitted event unique: (meeting, what, due instant).

    The clock's events get ids from this key, so a restart or a second clock deciding the
    same transition produces the same id and the store keeps it once.
    """
    match event:
        case (
            e.RotationStarted(by=by, rotation=rotation, due=due)
            | e.RotationEnded(by=by, rotation=rotation, due=due)
        ) if by == CLOCK:
            return f"{meeting_id}/{event.type}/{rotation}/{due}"
        case e.PhaseChanged(by=by, phase=phase, due=due) if by == CLOCK:
            return f"{meeting_id}/{event.type}/{phase}/{due}"
        case e.RoundtablesStarted(by=by, at=at) if by == CLOCK:
            return f"{meeting_id}/{event.type}/{at}"
    return None
