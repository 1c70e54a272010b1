"""The clock's timeline: where a meeting's clock stands and what falls due next, from events.

Before the roundtables start, an open meeting follows its agenda by the wall clock: each
agenda item before the roundtables becomes the phase at its start. The roundtables start when
the lead says so (or, if the lead opted in, at their scheduled time); that instant anchors
everything after it. From then on the meeting is a chain of *segments*: rotation 1 to *n*,
then each later agenda item for its planned length. **Each segment starts when the one before
it ends**, so a pause of *P* minutes, an extension of *E* minutes, or ending a rotation *D*
minutes early moves every later rotation and every later phase by +*P*, +*E* or -*D*. The
last agenda item runs until the meeting is closed.

Everything here is pure: time comes in as ``at``. The decisions about the clock (the lead's
commands, the server's tick) are in ``events.meeting.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from events.instants import MINUTE
from events.meeting import events as e
from events.meeting.plan import AgendaItem, Plan

CLOCK = "clock"
LEAD = "lead"


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """A timed stretch after the roundtables start: one rotation, or one later agenda item."""

    phase: str
    kind: str
    rotation: int | None
    length: int | None  # microseconds; None runs until the meeting is closed


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A stretch of the evening as it really ran: a phase (with its rotation, if any) from
    ``began`` until ``ended`` (``None`` while it runs). Where a point belongs is found here."""

    phase: str
    kind: str
    rotation: int | None
    began: int
    ended: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Clock:
    """Where a meeting's clock stands, as of its last event, and the spans it ran through."""

    opened_at: int | None = None
    closed_at: int | None = None
    auto_start: bool = False
    started_at: int | None = None
    phase: str | None = None
    segment: int | None = None  # index into segments(plan), once the roundtables started
    rotation: int | None = None  # the rotation running now
    since: int | None = None  # when the current segment began
    ends: int | None = None  # when it is due to end (moved by pauses and extensions)
    paused_at: int | None = None
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Moment:
    """What the clock will emit at ``due`` if nobody intervenes before."""

    due: int
    events: tuple[e.ClockEvent, ...]


def segments(plan: Plan) -> tuple[Segment, ...]:
    """The chain of segments that runs once the roundtables start."""
    roundtables, rotations = plan.roundtables, plan.rotations
    if roundtables is None or rotations is None:
        return ()
    length = rotations.minutes * MINUTE
    chain = [
        Segment(phase=roundtables.item_id, kind=roundtables.kind, rotation=n, length=length)
        for n in range(1, rotations.count + 1)
    ]
    for item in plan.agenda:
        if item.start > roundtables.start:
            end = plan.ends(item)
            span = None if end is None else end - item.start
            chain.append(Segment(phase=item.item_id, kind=item.kind, rotation=None, length=span))
    return tuple(chain)


def evolve(plan: Plan, clock: Clock, event: e.ClockEvent) -> Clock:
    """Apply one clock event; ``plan`` gives the segments' lengths."""
    return replace(_move(plan, clock, event), spans=_spans(plan, clock.spans, event))


def _spans(plan: Plan, spans: tuple[Span, ...], event: e.ClockEvent) -> tuple[Span, ...]:
    """The record of spans after ``event``: a phase or rotation begins one, an end closes it."""
    match event:
        case e.PhaseChanged(phase=phase, kind=kind, due=due):
            return (*_close(spans, due), Span(phase=phase, kind=kind, rotation=None, began=due))
        case e.RotationStarted(rotation=rotation, due=due):
            roundtables = plan.roundtables
            phase = roundtables.item_id if roundtables is not None else "roundtables"
            kind = roundtables.kind if roundtables is not None else "roundtables"
            return (*_close(spans, due), Span(phase=phase, kind=kind, rotation=rotation, began=due))
        case e.RotationEnded(rotation=rotation, due=due) if spans[-1:] and (
            spans[-1].rotation == rotation
        ):
            last = spans[-1]
            between = Span(phase=last.phase, kind=last.kind, rotation=None, began=due)
            return (*_close(spans, due), between)
        case e.MeetingClosed(at=at):
            return _close(spans, at)
    return spans


def _close(spans: tuple[Span, ...], at: int) -> tuple[Span, ...]:
    if not spans or spans[-1].ended is not None:
        return spans
    return (*spans[:-1], replace(spans[-1], ended=at))


def _move(plan: Plan, clock: Clock, event: e.ClockEvent) -> Clock:
    match event:
        case e.MeetingOpened(at=at):
            return replace(clock, opened_at=at)
        case e.MeetingClosed(at=at):
            return replace(clock, closed_at=at)
        case e.AutoStartChosen(enabled=enabled):
            return replace(clock, auto_start=enabled)
        case e.RoundtablesStarted(at=at):
            return replace(clock, started_at=at)
        case e.PhaseChanged(phase=phase, due=due):
            chain = segments(plan)
            index = next(
                (i for i, s in enumerate(chain) if s.rotation is None and s.phase == phase), None
            )
            if index is None:
                return replace(clock, phase=phase)
            return _enter(clock, chain, index, due)
        case e.RotationStarted(rotation=rotation, due=due):
            return _enter(clock, segments(plan), rotation - 1, due)
        case e.RotationEnded():
            return replace(clock, rotation=None, ends=None)
        case e.ClockPaused(at=at):
            return replace(clock, paused_at=at)
        case e.ClockResumed(at=at):
            if clock.paused_at is None or clock.ends is None:
                return replace(clock, paused_at=None)
            return replace(clock, paused_at=None, ends=clock.ends + at - clock.paused_at)
        case e.RotationExtended(minutes=minutes):
            ends = None if clock.ends is None else clock.ends + minutes * MINUTE
            return replace(clock, ends=ends)
    return clock


def _enter(clock: Clock, chain: tuple[Segment, ...], index: int, due: int) -> Clock:
    segment = chain[index]
    return replace(
        clock,
        phase=segment.phase,
        segment=index,
        rotation=segment.rotation,
        since=due,
        ends=None if segment.length is None else due + segment.length,
    )


def next_moment(plan: Plan, clock: Clock) -> Moment | None:
    """The next thing the clock emits, or ``None`` if nothing is due until someone acts."""
    if clock.opened_at is None or clock.closed_at is not None or clock.paused_at is not None:
        return None
    if clock.started_at is None:
        return _before_roundtables(plan, clock, clock.opened_at)
    if clock.segment is None or clock.ends is None:
        return None
    events = leave(segments(plan), clock, clock.ends, CLOCK)
    return Moment(clock.ends, tuple(events)) if events else None


def _before_roundtables(plan: Plan, clock: Clock, opened_at: int) -> Moment | None:
    before = items_before_roundtables(plan)
    ids = [item.item_id for item in before]
    pending = before[ids.index(clock.phase) + 1 :] if clock.phase in ids else before
    begun = [item for item in pending if item.start <= opened_at]
    if begun:  # items that began before the meeting opened: only the last one is entered
        return Moment(opened_at, (_phase(begun[-1].item_id, begun[-1].kind, opened_at, CLOCK),))
    if pending:
        item = pending[0]
        return Moment(item.start, (_phase(item.item_id, item.kind, item.start, CLOCK),))
    roundtables = plan.roundtables
    if clock.auto_start and roundtables is not None:
        due = max(roundtables.start, opened_at)
        return Moment(due, tuple(start_events(plan, due, CLOCK)))
    return None


def items_before_roundtables(plan: Plan) -> list[AgendaItem]:
    """The agenda items whose phase follows the wall clock."""
    roundtables = plan.roundtables
    if roundtables is None:
        return []
    return [item for item in plan.agenda if item.start < roundtables.start]


def leave(chain: tuple[Segment, ...], clock: Clock, due: int, by: str) -> list[e.ClockEvent]:
    """The events that end the current segment at ``due`` and begin the next one."""
    assert clock.segment is not None
    events: list[e.ClockEvent] = []
    if clock.rotation is not None:
        events.append(e.RotationEnded(rotation=clock.rotation, due=due, by=by))
    following = clock.segment + 1
    if following < len(chain):
        events.extend(begin(chain[following], due, by))
    return events


def begin(segment: Segment, due: int, by: str) -> list[e.ClockEvent]:
    """The event that enters ``segment`` at ``due``."""
    if segment.rotation is not None:
        return [e.RotationStarted(rotation=segment.rotation, due=due, by=by)]
    return [_phase(segment.phase, segment.kind, due, by)]


def _phase(phase: str, kind: str, due: int, by: str) -> e.PhaseChanged:
    return e.PhaseChanged(phase=phase, kind=kind, due=due, by=by)


def start_events(plan: Plan, at: int, by: str) -> list[e.ClockEvent]:
    """What starting the roundtables at ``at`` records."""
    roundtables = plan.roundtables
    assert roundtables is not None
    return [
        e.RoundtablesStarted(at=at, by=by),
        _phase(roundtables.item_id, roundtables.kind, at, by),
        e.RotationStarted(rotation=1, due=at, by=by),
    ]


def advance(plan: Plan, clock: Clock, at: int) -> tuple[Clock, list[e.ClockEvent]]:
    """Everything that fell due up to ``at``, each with its own instant, and the clock after."""
    emitted: list[e.ClockEvent] = []
    while (moment := next_moment(plan, clock)) is not None and moment.due <= at:
        for event in moment.events:
            clock = evolve(plan, clock, event)
        emitted.extend(moment.events)
    return clock, emitted


def upcoming(plan: Plan, clock: Clock) -> list[Moment]:
    """Every moment still to come if nobody intervenes (empty while paused)."""
    moments = []
    while (moment := next_moment(plan, clock)) is not None:
        moments.append(moment)
        for event in moment.events:
            clock = evolve(plan, clock, event)
    return moments
