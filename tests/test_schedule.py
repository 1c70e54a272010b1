"""The clock's rules, pure: phases, rotations, the lead's controls and how they shift time."""

from __future__ import annotations

from dataclasses import replace

from events.decider import fold
from events.instants import MINUTE
from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import rules as meeting
from events.meeting import schedule
from events.meeting.plan import Rotations, Seat
from tests.meeting_fixtures import item, kamloops, local, scheduled
from tests.spec import Spec

given = Spec(meeting).given
KAMLOOPS = scheduled()
OPEN = (*KAMLOOPS, e.MeetingOpened(at=local("17:00")))


def rotation_started(n: int, at: str, by: str = "clock") -> e.RotationStarted:
    return e.RotationStarted(rotation=n, due=local(at), by=by)


def rotation_ended(n: int, at: str, by: str = "clock") -> e.RotationEnded:
    return e.RotationEnded(rotation=n, due=local(at), by=by)


def phase(phase_id: str, kind: str, at: str, by: str = "clock") -> e.PhaseChanged:
    return e.PhaseChanged(phase=phase_id, kind=kind, due=local(at), by=by)


def started(at: str = "18:50", by: str = "lead") -> tuple[e.MeetingEvent, ...]:
    return (
        e.RoundtablesStarted(at=local(at), by=by),
        phase("roundtables", "roundtables", at, by),
        rotation_started(1, at, by),
    )


def history(*events: e.MeetingEvent, start: str = "18:50") -> tuple[e.MeetingEvent, ...]:
    """Kamloops, opened at 17:00, roundtables started by the lead at ``start``, then ``events``."""
    before = meeting.decide(c.TickClock(at=local(start)), fold(meeting, OPEN))
    return (*OPEN, *before, *started(start), *events)


def tick(events: tuple[e.MeetingEvent, ...], at: str) -> list[e.MeetingEvent]:
    return meeting.decide(c.TickClock(at=local(at)), fold(meeting, events))


# Opening, and the phases before the roundtables


def test_opening_before_the_agenda_begins_sets_no_phase() -> None:
    given(*KAMLOOPS).when(c.OpenMeeting(at=local("17:00"))).then(e.MeetingOpened(at=local("17:00")))


def test_opening_during_the_agenda_enters_the_item_under_way() -> None:
    given(*KAMLOOPS).when(c.OpenMeeting(at=local("18:05"))).then(
        e.MeetingOpened(at=local("18:05")),
        phase("presentation-1", "presentation", "18:05", "lead"),
    )


def test_opening_twice_does_nothing_and_a_closed_meeting_stays_closed() -> None:
    given(*OPEN).when(c.OpenMeeting(at=local("17:05"))).then_nothing()
    closed = (*KAMLOOPS, e.MeetingClosed(at=local("17:00")))
    given(*closed).when(c.OpenMeeting(at=local("17:05"))).then_raises(errors.MeetingIsClosed)


def test_before_the_roundtables_each_agenda_item_becomes_the_phase_at_its_start() -> None:
    given(*OPEN).when(c.TickClock(at=local("17:29:59"))).then_nothing()
    given(*OPEN).when(c.TickClock(at=local("17:40"))).then(
        phase("arrival", "arrival", "17:30"), phase("welcome", "welcome", "17:35")
    )


def test_items_that_began_before_the_meeting_opened_collapse_into_the_last() -> None:
    opened_without_phase = (*KAMLOOPS, e.MeetingOpened(at=local("18:45")))
    given(*opened_without_phase).when(c.TickClock(at=local("18:46"))).then(
        phase("break-1", "break", "18:45")
    )


def test_without_auto_start_the_roundtables_wait_for_the_lead() -> None:
    emitted = tick(OPEN, "19:30")
    assert emitted[-1] == phase("break-1", "break", "18:40")
    assert not any(isinstance(event, e.RotationStarted) for event in emitted)


def test_an_unopened_meeting_has_no_clock() -> None:
    given(*KAMLOOPS).when(c.TickClock(at=local("19:00"))).then_nothing()
    given(*KAMLOOPS).when(c.StartRoundtables(at=local("18:50"))).then_raises(errors.MeetingNotOpen)


# Starting the roundtables


def test_the_lead_starts_the_roundtables_and_anchors_the_schedule() -> None:
    opening = meeting.decide(c.OpenMeeting(at=local("18:45")), fold(meeting, KAMLOOPS))
    opened_late = (*KAMLOOPS, *opening)
    given(*opened_late).when(c.StartRoundtables(at=local("18:53"))).then(*started("18:53"))
    emitted = tick((*opened_late, *started("18:53")), "19:08")
    assert emitted == [rotation_ended(1, "19:08"), rotation_started(2, "19:08")]


def test_starting_twice_is_refused() -> None:
    given(*history()).when(c.StartRoundtables(at=local("18:55"))).then_raises(
        errors.RoundtablesAlreadyStarted, "started at 18:50"
    )


def test_auto_start_starts_the_roundtables_at_their_scheduled_time() -> None:
    given(*OPEN).when(c.ChooseAutoStart(enabled=True, at=local("17:00"))).then(
        e.AutoStartChosen(enabled=True)
    )
    auto = (*OPEN, e.AutoStartChosen(enabled=True))
    emitted = tick(auto, "18:50")
    assert emitted[-3:] == list(started("18:50", "clock"))
    given(*auto).when(c.ChooseAutoStart(enabled=True, at=local("17:01"))).then_nothing()


def test_auto_start_cannot_be_chosen_once_started_or_closed() -> None:
    given(*history()).when(c.ChooseAutoStart(enabled=True, at=local("19:00"))).then_raises(
        errors.RoundtablesAlreadyStarted
    )
    closed = (*OPEN, e.MeetingClosed(at=local("17:10")))
    given(*closed).when(c.ChooseAutoStart(enabled=True, at=local("17:20"))).then_raises(
        errors.MeetingIsClosed
    )


# Rotations on time


def test_rotations_follow_each_other_without_anyone_clicking() -> None:
    given(*history()).when(c.TickClock(at=local("19:04:59"))).then_nothing()
    given(*history()).when(c.TickClock(at=local("19:05"))).then(
        rotation_ended(1, "19:05"), rotation_started(2, "19:05")
    )


def test_a_late_tick_emits_what_fell_due_each_at_its_own_instant() -> None:
    given(*history()).when(c.TickClock(at=local("19:12"))).then(
        rotation_ended(1, "19:05"), rotation_started(2, "19:05")
    )
    given(*history()).when(c.TickClock(at=local("19:21"))).then(
        rotation_ended(1, "19:05"),
        rotation_started(2, "19:05"),
        rotation_ended(2, "19:20"),
        rotation_started(3, "19:20"),
    )


def test_after_the_last_rotation_the_break_report_back_and_wrap_up_follow() -> None:
    given(*history()).when(c.TickClock(at=local("23:00"))).then(
        rotation_ended(1, "19:05"),
        rotation_started(2, "19:05"),
        rotation_ended(2, "19:20"),
        rotation_started(3, "19:20"),
        rotation_ended(3, "19:35"),
        rotation_started(4, "19:35"),
        rotation_ended(4, "19:50"),
        phase("break-2", "break", "19:50"),
        phase("report-back", "report_back", "20:00"),
        phase("wrap-up", "wrap_up", "20:25"),
    )


def test_the_last_phase_runs_until_the_meeting_is_closed() -> None:
    evening = (*history(), *tick(history(), "23:00"))
    given(*evening).when(c.TickClock(at=local("23:59"))).then_nothing()
    given(*evening).when(c.CloseMeeting(at=local("23:59"))).then(e.MeetingClosed(at=local("23:59")))


# Pause and resume


def test_a_pause_stops_the_countdown_and_moves_everything_after_by_its_length() -> None:
    given(*history()).when(c.PauseClock(at=local("19:10"))).then(
        rotation_ended(1, "19:05"), rotation_started(2, "19:05"), e.ClockPaused(at=local("19:10"))
    )
    paused = (*history(), *tick(history(), "19:05"), e.ClockPaused(at=local("19:10")))
    given(*paused).when(c.TickClock(at=local("20:00"))).then_nothing()
    resumed = (*paused, e.ClockResumed(at=local("19:13")))
    assert tick(resumed, "19:23") == [rotation_ended(2, "19:23"), rotation_started(3, "19:23")]


def test_pause_and_resume_are_refused_when_they_make_no_sense() -> None:
    given(*OPEN).when(c.PauseClock(at=local("18:00"))).then_raises(errors.RoundtablesNotStarted)
    paused = (*history(), e.ClockPaused(at=local("19:00")))
    given(*paused).when(c.PauseClock(at=local("19:01"))).then_raises(
        errors.ClockAlreadyPaused, "paused since 19:00"
    )
    given(*history()).when(c.ResumeClock(at=local("19:00"))).then_raises(errors.ClockNotPaused)
    given(*paused).when(c.ResumeClock(at=local("19:02"))).then(e.ClockResumed(at=local("19:02")))


def test_nothing_is_counting_down_in_an_open_ended_last_phase() -> None:
    plan = kamloops()
    agenda = tuple(replace(i, end=None) if i.kind == "wrap_up" else i for i in plan.agenda)
    events = scheduled(replace(plan, agenda=agenda))
    opened = (*events, e.MeetingOpened(at=local("17:00")))
    run = (*opened, *started())
    evening = (*run, *tick(run, "23:00"))
    given(*evening).when(c.PauseClock(at=local("23:00"))).then_raises(errors.ClockNotRunning)


# Extending and ending a rotation


def test_extending_a_rotation_moves_everything_after_it() -> None:
    given(*history()).when(c.ExtendRotation(rotation=1, minutes=5, at=local("19:00"))).then(
        e.RotationExtended(rotation=1, minutes=5, at=local("19:00"))
    )
    extended = (*history(), e.RotationExtended(rotation=1, minutes=5, at=local("19:00")))
    assert tick(extended, "19:10") == [rotation_ended(1, "19:10"), rotation_started(2, "19:10")]
    assert tick(extended, "20:30")[-1] == phase("wrap-up", "wrap_up", "20:30")


def test_only_the_running_rotation_can_be_extended_and_only_by_sensible_minutes() -> None:
    given(*history()).when(c.ExtendRotation(rotation=2, minutes=5, at=local("19:00"))).then_raises(
        errors.RotationNotRunning, "rotation 2 has not started; rotation 1 is running"
    )
    given(*history()).when(c.ExtendRotation(rotation=1, minutes=5, at=local("19:06"))).then_raises(
        errors.RotationNotRunning, "rotation 1 has ended; rotation 2 is running"
    )
    for minutes in (0, -5, 121):
        given(*history()).when(
            c.ExtendRotation(rotation=1, minutes=minutes, at=local("19:00"))
        ).then_raises(errors.InvalidMinutes, "^minutes: ")


def test_ending_a_rotation_early_starts_the_next_and_moves_the_rest_earlier() -> None:
    given(*history()).when(c.EndRotation(rotation=1, at=local("19:01"))).then(
        rotation_ended(1, "19:01", "lead"), rotation_started(2, "19:01", "lead")
    )
    early = (*history(), rotation_ended(1, "19:01", "lead"), rotation_started(2, "19:01", "lead"))
    assert tick(early, "19:16") == [rotation_ended(2, "19:16"), rotation_started(3, "19:16")]


def test_ending_the_last_rotation_early_begins_the_break() -> None:
    last = (*history(), *tick(history(), "19:35"))
    given(*last).when(c.EndRotation(rotation=4, at=local("19:45"))).then(
        rotation_ended(4, "19:45", "lead"), phase("break-2", "break", "19:45", "lead")
    )


def test_ending_a_rotation_that_already_ended_does_nothing() -> None:
    given(*history()).when(c.EndRotation(rotation=1, at=local("19:05:00.500000"))).then(
        rotation_ended(1, "19:05"), rotation_started(2, "19:05")
    )
    later = (*history(), *tick(history(), "19:05"))
    given(*later).when(c.EndRotation(rotation=1, at=local("19:06"))).then_nothing()


def test_ending_a_rotation_that_has_not_started_or_does_not_exist_is_refused() -> None:
    given(*history()).when(c.EndRotation(rotation=3, at=local("19:00"))).then_raises(
        errors.RotationNotRunning, "rotation 3 has not started"
    )
    given(*history()).when(c.EndRotation(rotation=5, at=local("19:00"))).then_raises(
        errors.RotationNotRunning, "there is no rotation 5 .there are 4."
    )
    given(*OPEN).when(c.EndRotation(rotation=1, at=local("18:00"))).then_raises(
        errors.RoundtablesNotStarted
    )


def test_moving_on_while_paused_ends_the_pause_first() -> None:
    paused = (*history(), e.ClockPaused(at=local("19:00")))
    given(*paused).when(c.EndRotation(rotation=1, at=local("19:02"))).then(
        e.ClockResumed(at=local("19:02")),
        rotation_ended(1, "19:02", "lead"),
        rotation_started(2, "19:02", "lead"),
    )


# Jumping to the break and the report-back


def test_jumping_to_the_break_ends_the_rotation_and_skips_the_rest() -> None:
    given(*history()).when(c.JumpToBreak(at=local("19:10"))).then(
        rotation_ended(1, "19:05"),
        rotation_started(2, "19:05"),
        rotation_ended(2, "19:10", "lead"),
        phase("break-2", "break", "19:10", "lead"),
    )
    jumped = (*history(), *tick(history(), "19:05"))
    jumped = (
        *jumped,
        rotation_ended(2, "19:10", "lead"),
        phase("break-2", "break", "19:10", "lead"),
    )
    assert tick(jumped, "19:20") == [phase("report-back", "report_back", "19:20")]
    given(*jumped).when(c.JumpToBreak(at=local("19:11"))).then_nothing()


def test_jumping_to_the_report_back_skips_the_break() -> None:
    given(*history()).when(c.JumpToReportBack(at=local("19:00"))).then(
        rotation_ended(1, "19:00", "lead"), phase("report-back", "report_back", "19:00", "lead")
    )


def test_jumping_back_to_a_phase_that_is_over_is_refused() -> None:
    evening = (*history(), *tick(history(), "20:01"))
    given(*evening).when(c.JumpToBreak(at=local("20:02"))).then_raises(
        errors.PhaseAlreadyPassed, "the break is over"
    )


def test_jumping_is_refused_before_the_start_or_to_a_phase_the_agenda_lacks() -> None:
    given(*OPEN).when(c.JumpToBreak(at=local("18:00"))).then_raises(errors.RoundtablesNotStarted)
    plan = kamloops()
    agenda = tuple(i for i in plan.agenda if i.item_id != "break-2")
    agenda = tuple(
        replace(i, start=local("19:50")) if i.kind == "report_back" else i for i in agenda
    )
    events = scheduled(replace(plan, agenda=agenda))
    run = (*events, e.MeetingOpened(at=local("17:00")), *started())
    given(*run).when(c.JumpToBreak(at=local("19:00"))).then_raises(
        errors.NoSuchPhase, "there is no break after the roundtables"
    )


def test_a_meeting_whose_roundtables_come_last_ends_its_last_rotation() -> None:
    plan = kamloops()
    agenda = (
        item("welcome", "welcome", "18:00", "18:50"),
        item("roundtables", "roundtables", "18:50", None),
    )
    rotations = Rotations(
        minutes=15, count=1, groups=("A",), seats=(Seat(rotation=1, table=1, group="A"),)
    )
    events = scheduled(replace(plan, agenda=agenda, rotations=rotations))
    run = (*events, e.MeetingOpened(at=local("17:00")), *started())
    assert tick(run, "20:00") == [rotation_ended(1, "19:05")]
    over = (*run, rotation_ended(1, "19:05"))
    given(*over).when(c.TickClock(at=local("21:00"))).then_nothing()
    given(*over).when(c.EndRotation(rotation=1, at=local("21:00"))).then_nothing()


# Closing


def test_closing_stops_the_clock_for_good() -> None:
    given(*history()).when(c.CloseMeeting(at=local("19:00"))).then(
        e.MeetingClosed(at=local("19:00"))
    )
    closed = (*history(), e.MeetingClosed(at=local("19:00")))
    given(*closed).when(c.CloseMeeting(at=local("19:01"))).then_nothing()
    given(*closed).when(c.TickClock(at=local("20:00"))).then_nothing()
    given(*closed).when(c.PauseClock(at=local("19:01"))).then_raises(
        errors.MeetingIsClosed, "closed at 19:00"
    )


def test_closing_late_records_what_fell_due_before_it() -> None:
    given(*history()).when(c.CloseMeeting(at=local("19:06"))).then(
        rotation_ended(1, "19:05"), rotation_started(2, "19:05"), e.MeetingClosed(at=local("19:06"))
    )


# The timeline, computed from events alone


def test_the_timeline_lists_what_falls_due_next() -> None:
    state = fold(meeting, history())
    assert state.plan is not None
    moments = schedule.upcoming(state.plan, state.clock)
    assert [m.due for m in moments] == [
        local(t) for t in ("19:05", "19:20", "19:35", "19:50", "20:00", "20:25")
    ]
    assert schedule.next_moment(state.plan, state.clock) == moments[0]


def test_the_timeline_at_any_instant() -> None:
    state = fold(
        meeting, history(e.ClockPaused(at=local("19:00")), e.ClockResumed(at=local("19:04")))
    )
    assert state.plan is not None
    at_1930, _ = schedule.advance(state.plan, state.clock, local("19:30"))
    assert (at_1930.rotation, at_1930.since, at_1930.ends) == (3, local("19:24"), local("19:39"))
    at_2010, _ = schedule.advance(state.plan, state.clock, local("20:10"))
    assert (at_2010.phase, at_2010.rotation, at_2010.ends) == ("report-back", None, local("20:29"))


def test_the_meeting_as_of_an_instant_and_what_is_due_next() -> None:
    state = fold(meeting, history())
    assert meeting.next_due(state) == local("19:05")
    later = meeting.as_of(state, local("19:21"))
    assert (later.clock.rotation, later.clock.since) == (3, local("19:20"))
    assert meeting.next_due(later) == local("19:35")
    assert meeting.as_of(meeting.initial_state, local("19:21")) == meeting.initial_state
    assert meeting.next_due(meeting.initial_state) is None


def test_the_segments_of_the_kamloops_evening() -> None:
    plan = fold(meeting, KAMLOOPS).plan
    assert plan is not None
    chain = schedule.segments(plan)
    assert [(s.phase, s.rotation, s.length) for s in chain] == [
        ("roundtables", 1, 15 * MINUTE),
        ("roundtables", 2, 15 * MINUTE),
        ("roundtables", 3, 15 * MINUTE),
        ("roundtables", 4, 15 * MINUTE),
        ("break-2", None, 10 * MINUTE),
        ("report-back", None, 25 * MINUTE),
        ("wrap-up", None, 5 * MINUTE),
    ]


def test_clock_events_have_natural_keys_and_lead_events_do_not() -> None:
    assert meeting.natural_key("k", rotation_started(2, "19:05")) == (
        f"k/RotationStarted/2/{local('19:05')}"
    )
    assert meeting.natural_key("k", phase("break-2", "break", "19:50")) == (
        f"k/PhaseChanged/break-2/{local('19:50')}"
    )
    assert meeting.natural_key("k", started(by="clock")[0]) == (
        f"k/RoundtablesStarted/{local('18:50')}"
    )
    assert meeting.natural_key("k", rotation_started(2, "19:05", "lead")) is None
    assert meeting.natural_key("k", e.ClockPaused(at=local("19:00"))) is None
