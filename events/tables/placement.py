"""Where a point belongs in the evening, decided by the server from when it was typed.

A tablet says when a point was typed (``typed_at``, on the server's clock: the tablet corrects
its own clock by the offset it measured with ``ping``); it never decides the rotation. The
point goes where that instant falls in the spans the meeting's clock really ran through
(``events.meeting.schedule.Span``), however late it arrives: an outbox that a dead tablet sends an
hour later still lands in the rotation it was typed in.

The rule, row by row (the spec table is ``tests/test_placement.py``):

- typed during rotation *n*: rotation *n*, its group, not late;
- typed within ``GRACE`` after rotation *n* ended (the bell): rotation *n*, its group, **late**
  (the facilitator was finishing the last group's point while the room moved);
- typed later in a break, the report-back or any phase after the roundtables: no rotation,
  that phase (so the lead's page and the report say "typed in the break");
- typed before the roundtables started: no rotation, the phase under way (``"scheduled"``
  before the first agenda item);
- typed after the meeting closed: the closing rule decides (``events.meeting.closing``); placement
  never sees it.

Changing the grace period is this module's ``GRACE``; how long the room is told to move is
``BELL``.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.instants import SECOND
from events.meeting.plan import Plan
from events.meeting.schedule import Clock, Span

GRACE = 30 * SECOND
"""How long after a rotation's bell a point still counts in it, marked late."""

BELL = 60 * SECOND
"""How long tablets and the wall show "Rotation n over — please move" after the bell."""

BEFORE = "scheduled"
"""The phase of a point typed before the first agenda item began."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point belongs: its rotation and group (``None`` outside the rotations), the
    phase it was typed in, and whether it came in the grace after its rotation's bell."""

    rotation: int | None
    group: str | None
    phase: str
    late: bool


def place(plan: Plan, clock: Clock, table: int, typed_at: int) -> Placement:
    """Where a point typed at ``typed_at`` (server time) at ``table`` belongs."""
    ended = _ended_within_grace(clock.spans, typed_at)
    if ended is not None and ended.rotation is not None:
        return Placement(ended.rotation, _group(plan, ended.rotation, table), ended.phase, True)
    span = next((s for s in reversed(clock.spans) if s.began <= typed_at), None)
    if span is None:
        return Placement(None, None, BEFORE, late=False)
    group = None if span.rotation is None else _group(plan, span.rotation, table)
    return Placement(span.rotation, group, span.phase, late=False)


def bell(clock: Clock, now: int) -> Span | None:
    """The rotation whose bell rang less than ``BELL`` before ``now``, while the meeting runs
    on: what tablets and the wall announce as "Rotation n over — please move"."""
    ended = last_bell(clock)
    if ended is None or ended.ended is None or not ended.ended <= now < ended.ended + BELL:
        return None
    return ended


def last_bell(clock: Clock) -> Span | None:
    """The last rotation that has ended, while the meeting is not closed."""
    if clock.closed_at is not None:
        return None
    return next((s for s in reversed(clock.spans) if s.rotation is not None and s.ended), None)


def _ended_within_grace(spans: tuple[Span, ...], instant: int) -> Span | None:
    """The rotation whose bell rang less than ``GRACE`` before ``instant``, if any."""
    for span in reversed(spans):
        if span.rotation is not None and span.ended is not None and span.ended <= instant:
            return span if instant < span.ended + GRACE else None
    return None


def _group(plan: Plan, rotation: int, table: int) -> str | None:
    seats = plan.rotations.seats if plan.rotations else ()
    return next((s.group for s in seats if s.rotation == rotation and s.table == table), None)
