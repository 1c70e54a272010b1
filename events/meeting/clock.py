"""How the clock's commands are decided: the lead's controls and the server's tick.

Every clock command first catches the clock up to its ``at`` (what fell due but was not yet
emitted comes first, each with its own due instant, by the clock), then applies the lead's
action to the clock as it stands at that instant. So a click that races the bell acts on the
rotation that is really running, and the record never skips a transition.
"""

from __future__ import annotations

from typing import assert_never

from events.instants import hhmm
from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting.plan import Plan
from events.meeting.schedule import (
    LEAD,
    Clock,
    advance,
    begin,
    items_before_roundtables,
    leave,
    segments,
    start_events,
)

MAX_EXTENSION_MINUTES = 120


def decide(command: c.ClockCommand, plan: Plan, clock: Clock) -> list[e.ClockEvent]:
    """What fell due up to ``command.at``, then what the command itself causes."""
    clock, due = advance(plan, clock, command.at)
    return due + _act(command, plan, clock)


def _act(command: c.ClockCommand, plan: Plan, clock: Clock) -> list[e.ClockEvent]:
    match command:
        case c.TickClock():
            return []
        case c.ChooseAutoStart(enabled=enabled):
            return _choose_auto_start(enabled, plan, clock)
        case c.OpenMeeting(at=at):
            return _open(plan, clock, at)
        case c.CloseMeeting(at=at):
            return [] if clock.closed_at is not None else [e.MeetingClosed(at=at)]
        case c.StartRoundtables(at=at):
            _not_closed(plan, clock)
            if clock.opened_at is None:
                raise errors.MeetingNotOpen("meeting", "open the meeting before the roundtables")
            if clock.started_at is not None:
                raise errors.RoundtablesAlreadyStarted(
                    "clock", f"the roundtables started at {_time(plan, clock.started_at)}"
                )
            return start_events(plan, at, LEAD)
        case c.PauseClock(at=at):
            _started(plan, clock)
            if clock.paused_at is not None:
                raise errors.ClockAlreadyPaused(
                    "clock", f"paused since {_time(plan, clock.paused_at)}"
                )
            if clock.ends is None:
                raise errors.ClockNotRunning("clock", "nothing is counting down")
            return [e.ClockPaused(at=at)]
        case c.ResumeClock(at=at):
            _started(plan, clock)
            if clock.paused_at is None:
                raise errors.ClockNotPaused("clock", "the clock is not paused")
            return [e.ClockResumed(at=at)]
        case c.ExtendRotation(rotation=rotation, minutes=minutes, at=at):
            _started(plan, clock)
            if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
                raise errors.InvalidMinutes(
                    "minutes", f"extend by 1 to {MAX_EXTENSION_MINUTES} minutes (got {minutes})"
                )
            if clock.rotation != rotation:
                raise errors.RotationNotRunning("rotation", _not_running(rotation, clock))
            return [e.RotationExtended(rotation=rotation, minutes=minutes, at=at)]
        case c.EndRotation(rotation=rotation, at=at):
            return _end_rotation(rotation, at, plan, clock)
        case c.JumpToBreak(at=at):
            return _jump("break", at, plan, clock)
        case c.JumpToReportBack(at=at):
            return _jump("report_back", at, plan, clock)
    assert_never(command)


def _choose_auto_start(enabled: bool, plan: Plan, clock: Clock) -> list[e.ClockEvent]:
    _not_closed(plan, clock)
    if clock.started_at is not None:
        raise errors.RoundtablesAlreadyStarted("auto_start", "the roundtables have started")
    return [] if clock.auto_start == enabled else [e.AutoStartChosen(enabled=enabled)]


def _open(plan: Plan, clock: Clock, at: int) -> list[e.ClockEvent]:
    _not_closed(plan, clock)
    if clock.opened_at is not None:
        return []
    events: list[e.ClockEvent] = [e.MeetingOpened(at=at)]
    begun = [item for item in items_before_roundtables(plan) if item.start <= at]
    if begun and begun[-1].item_id != clock.phase:
        item = begun[-1]
        events.append(e.PhaseChanged(phase=item.item_id, kind=item.kind, due=at, by=LEAD))
    return events


def _end_rotation(rotation: int, at: int, plan: Plan, clock: Clock) -> list[e.ClockEvent]:
    count = plan.rotations.count if plan.rotations else 0
    if not 1 <= rotation <= count:
        raise errors.RotationNotRunning(
            "rotation", f"there is no rotation {rotation} (there are {count})"
        )
    _started(plan, clock)
    if clock.rotation is None or rotation < clock.rotation:
        return []  # it has ended already, which is what the lead asked for
    if rotation > clock.rotation:
        raise errors.RotationNotRunning("rotation", _not_running(rotation, clock))
    return _resume(clock, at) + leave(segments(plan), clock, at, LEAD)


def _jump(kind: str, at: int, plan: Plan, clock: Clock) -> list[e.ClockEvent]:
    chain = segments(plan)
    target = next((i for i, s in enumerate(chain) if s.rotation is None and s.kind == kind), None)
    name = kind.replace("_", "-")
    if target is None:
        raise errors.NoSuchPhase("agenda", f"there is no {name} after the roundtables")
    _started(plan, clock)
    assert clock.segment is not None
    if clock.segment == target:
        return []
    if clock.segment > target:
        raise errors.PhaseAlreadyPassed(
            "clock", f"the {name} is over; the meeting is at {chain[clock.segment].phase!r}"
        )
    events = _resume(clock, at)
    if clock.rotation is not None:
        events.append(e.RotationEnded(rotation=clock.rotation, due=at, by=LEAD))
    return events + begin(chain[target], at, LEAD)


def _resume(clock: Clock, at: int) -> list[e.ClockEvent]:
    """Moving the clock on also ends a pause."""
    return [] if clock.paused_at is None else [e.ClockResumed(at=at)]


def _not_running(rotation: int, clock: Clock) -> str:
    if clock.rotation is None:
        return f"rotation {rotation} is not running (no rotation is)"
    if rotation < clock.rotation:
        return f"rotation {rotation} has ended; rotation {clock.rotation} is running"
    return f"rotation {rotation} has not started; rotation {clock.rotation} is running"


def _not_closed(plan: Plan, clock: Clock) -> None:
    if clock.closed_at is not None:
        raise errors.MeetingIsClosed(
            "meeting", f"it was closed at {_time(plan, clock.closed_at)}; it stays closed"
        )


def _started(plan: Plan, clock: Clock) -> None:
    _not_closed(plan, clock)
    if clock.started_at is None:
        raise errors.RoundtablesNotStarted("clock", "the roundtables have not started")


def _time(plan: Plan, instant: int) -> str:
    return hhmm(instant, plan.timezone)
