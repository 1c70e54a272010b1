"""Where a point belongs: the placement rule's spec table (``events.tables.placement``).

The Kamloops evening: opened at 17:00, the lead starts the roundtables at 18:53 (three minutes
late), four rotations of 15 minutes, then the stretch break at 19:53, the report-back at 20:03.
Each row says when a point was typed at table 1 and when it reached the server, and where it
belongs. Changing the grace period is one constant (``placement.GRACE``) and these rows.
"""

from __future__ import annotations

import pytest

from events.decider import fold
from events.meeting import commands as c
from events.meeting import events as e
from events.meeting import rules as meeting
from events.tables import placement
from events.tables.placement import Placement
from tests.meeting_fixtures import local, scheduled

OPENED = (*scheduled(), e.MeetingOpened(at=local("17:00")))


def evening(start: str = "18:53") -> meeting.MeetingState:
    """The Kamloops meeting with the roundtables started by the lead at ``start``."""
    state = fold(meeting, OPENED)
    history = [*OPENED, *meeting.decide(c.TickClock(at=local(start)), state)]
    history += meeting.decide(c.StartRoundtables(at=local(start)), fold(meeting, history))
    return fold(meeting, history)


def then(state: meeting.MeetingState, events: list[e.MeetingEvent]) -> meeting.MeetingState:
    for event in events:
        state = meeting.evolve(state, event)
    return state


def placed(typed: str, arrived: str, table: int = 1) -> Placement:
    state = meeting.as_of(evening(), local(arrived))
    assert state.plan is not None
    return placement.place(state.plan, state.clock, table, local(typed))


ROWS = [
    # typed,     arrived,    rotation, group, phase,            late  (why)
    ("18:30", "18:30", None, None, "presentation-3", False),  # before the roundtables
    ("16:00", "17:00", None, None, "scheduled", False),  # before the first agenda item
    ("18:53:00", "18:53:01", 1, "A", "roundtables", False),  # at the lead's start
    ("19:07:59", "19:08", 1, "A", "roundtables", False),  # the last second of rotation 1
    ("19:08:00", "19:08:01", 1, "A", "roundtables", True),  # at the bell: late to rotation 1
    ("19:08:02", "19:08:03", 1, "A", "roundtables", True),  # 2 s after the bell
    ("19:08:29", "19:08:30", 1, "A", "roundtables", True),  # the grace's last second
    ("19:08:30", "19:08:31", 2, "D", "roundtables", False),  # the grace is over
    ("19:00", "20:10", 1, "A", "roundtables", False),  # a dead tablet's outbox, an hour late
    ("19:53:10", "19:53:11", 4, "B", "roundtables", True),  # after the last bell: late to 4
    ("19:55", "19:55", None, None, "break-2", False),  # in the stretch break
    ("20:05", "20:05", None, None, "report-back", False),  # during the report-back
]


@pytest.mark.parametrize(("typed", "arrived", "rotation", "group", "phase", "late"), ROWS)
def test_where_a_point_belongs(
    typed: str, arrived: str, rotation: int | None, group: str | None, phase: str, late: bool
) -> None:
    assert placed(typed, arrived) == Placement(rotation, group, phase, late)


def test_the_group_is_the_one_seated_at_that_table_in_that_rotation() -> None:
    assert placed("19:25", "19:25", table=3).group == "A"  # group A: table 1, then 2, then 3
    assert placed("19:08:05", "19:08:06", table=3) == Placement(1, "C", "roundtables", True)


def test_a_rotation_the_lead_ended_early_has_its_grace_from_when_it_really_ended() -> None:
    state = evening()
    ended = meeting.decide(c.EndRotation(rotation=1, at=local("19:00")), state)
    state = then(state, ended)
    assert state.plan is not None
    place = placement.place
    assert place(state.plan, state.clock, 1, local("19:00:10")) == Placement(
        1, "A", "roundtables", True
    )
    assert place(state.plan, state.clock, 1, local("19:00:40")).rotation == 2


def test_a_pause_keeps_points_in_the_paused_rotation() -> None:
    state = evening()
    paused = meeting.decide(c.PauseClock(at=local("19:05")), state)
    state = then(state, paused)
    state = meeting.as_of(state, local("19:30"))
    assert state.plan is not None
    assert placement.place(state.plan, state.clock, 1, local("19:20")).rotation == 1


BELLS = [
    # now,        rotation whose bell is announced
    ("19:07:59", None),
    ("19:08:00", 1),
    ("19:08:59", 1),
    ("19:09:00", None),
    ("19:53:30", 4),  # the last rotation leads to the break the same way
    ("19:54:00", None),
]


@pytest.mark.parametrize(("now", "rotation"), BELLS)
def test_the_bell_is_announced_for_a_minute(now: str, rotation: int | None) -> None:
    state = meeting.as_of(evening(), local(now))
    span = placement.bell(state.clock, local(now))
    assert (span.rotation if span is not None else None) == rotation
