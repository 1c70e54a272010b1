"""The meeting's structure: scheduling from a template, every edit, every refusal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from events.decider import fold
from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import rules as meeting
from events.meeting.plan import Question, Rotations, Seat, Table, Topic, rotating_seats
from tests.meeting_fixtures import item, kamloops, local, scheduled
from tests.spec import Spec

spec = Spec(meeting)
given = spec.given
KAMLOOPS = scheduled()
STARTED = (
    *KAMLOOPS,
    e.MeetingOpened(at=local("18:00")),
    *meeting.decide(
        c.StartRoundtables(at=local("18:50")),
        fold(meeting, [*KAMLOOPS, e.MeetingOpened(at=local("18:00"))]),
    ),
)
CLOSED = (*KAMLOOPS, e.MeetingClosed(at=local("21:00")))


def test_the_kamloops_template_schedules_the_whole_evening_as_events() -> None:
    types = [type(event).__name__ for event in KAMLOOPS]
    assert types[0] == "MeetingScheduled"
    assert types.count("AgendaItemAdded") == 11
    assert types.count("TopicAdded") == 4
    assert types.count("QuestionAdded") == 3
    assert types.count("TableAdded") == 4
    assert types[-1] == "RotationsPlanned"
    assert e.QuestionAdded(question_id="working-well", prompt="What's working well?") in KAMLOOPS
    assert e.TableAdded(number=3, topic_id="streets-public-spaces", facilitator=None) in KAMLOOPS


def test_the_folded_plan_keeps_the_agenda_in_time_order_and_the_questions_in_theirs() -> None:
    plan = fold(meeting, KAMLOOPS).plan
    assert plan is not None
    assert [i.item_id for i in plan.agenda][6:9] == ["break-1", "roundtables", "break-2"]
    assert [q.question_id for q in plan.questions] == ["working-well", "coordination", "advocacy"]
    assert plan.rotations is not None
    assert (plan.rotations.minutes, plan.rotations.count) == (15, 4)


def test_in_the_kamloops_seating_each_group_visits_each_table_once() -> None:
    seats = rotating_seats(("A", "B", "C", "D"), (1, 2, 3, 4), 4)
    for group in "ABCD":
        assert sorted(s.table for s in seats if s.group == group) == [1, 2, 3, 4]
    for rotation in (1, 2, 3, 4):
        assert sorted(s.group for s in seats if s.rotation == rotation) == list("ABCD")
    assert fold(meeting, KAMLOOPS).plan.rotations.seats == seats  # type: ignore[union-attr]


def test_scheduling_twice_is_refused() -> None:
    given(*KAMLOOPS).when(kamloops()).then_raises(errors.MeetingAlreadyScheduled, "meeting.id")


def test_a_command_for_an_unscheduled_meeting_is_refused() -> None:
    given().when(c.AddTopic(topic=Topic(topic_id="x", title="X"))).then_raises(
        errors.MeetingNotScheduled
    )


def _refused(command: c.ScheduleMeeting, error: type[Exception], match: str) -> None:
    given().when(command).then_raises(error, match)


def test_a_table_on_an_unknown_topic_is_refused() -> None:
    tables = (Table(number=1, topic_id="housing"),)
    _refused(kamloops(tables=tables), errors.UnknownTopic, "tables: table 1 is on topic 'housing'")


def test_overlapping_agenda_items_are_refused() -> None:
    base = kamloops()
    agenda = (*base.agenda, item("extra", "presentation", "18:20", "18:30", "Late talk"))
    _refused(replace(base, agenda=agenda), errors.OverlappingAgendaItems, "^agenda: .*overlaps")


def test_zero_rotations_are_refused() -> None:
    rotations = Rotations(minutes=15, count=0, groups=("A",), seats=())
    _refused(kamloops(rotations=rotations), errors.NoRotations, "rotation.count: .*at least one")


def test_a_duplicate_table_number_is_refused() -> None:
    base = kamloops()
    tables = (*base.tables, Table(number=2, topic_id="crime-prevention"))
    _refused(replace(base, tables=tables), errors.DuplicateTable, "table number 2 is used twice")


def test_a_duplicate_topic_id_is_refused() -> None:
    base = kamloops()
    topics = (*base.topics, Topic(topic_id="social-health", title="Again"))
    _refused(replace(base, topics=topics), errors.DuplicateId, "topics: topic id 'social-health'")


def test_an_item_that_ends_before_it_starts_is_refused() -> None:
    base = kamloops()
    agenda = tuple(
        replace(i, end=local("17:20")) if i.item_id == "arrival" else i for i in base.agenda
    )
    _refused(replace(base, agenda=agenda), errors.InvalidTime, "ends .17:20. before it starts")


def test_a_meeting_without_exactly_one_roundtables_item_is_refused() -> None:
    base = kamloops()
    agenda = tuple(i for i in base.agenda if i.kind != "roundtables")
    _refused(replace(base, agenda=agenda), errors.InvalidPlan, "exactly one roundtables item")


def test_rotations_that_overrun_the_roundtables_item_are_refused() -> None:
    rotations = replace(kamloops().rotations, minutes=16)
    _refused(kamloops(rotations=rotations), errors.InvalidPlan, "end at 19:54, after")


def test_rotations_longer_than_four_hours_are_refused() -> None:
    rotations = replace(kamloops().rotations, minutes=0)
    _refused(kamloops(rotations=rotations), errors.InvalidMinutes, "rotation.minutes")


@pytest.mark.parametrize(
    ("seat", "error", "match"),
    [
        (Seat(rotation=1, table=9, group="A"), errors.UnknownTable, "there is no table 9"),
        (Seat(rotation=5, table=1, group="A"), errors.InvalidPlan, "there is no rotation 5"),
        (Seat(rotation=1, table=1, group="Z"), errors.InvalidPlan, "there is no group 'Z'"),
        (Seat(rotation=1, table=1, group="B"), errors.InvalidPlan, "table 1 has two groups"),
        (Seat(rotation=1, table=4, group="A"), errors.InvalidPlan, "group 'A' is at two tables"),
    ],
)
def test_inconsistent_seating_is_refused(seat: Seat, error: type[Exception], match: str) -> None:
    rotations = kamloops().rotations
    kept = tuple(
        s for s in rotations.seats if (s.rotation, s.table) != (1, seat.table) or seat.group != "A"
    )
    seats = (*kept, seat)
    _refused(kamloops(rotations=replace(rotations, seats=seats)), error, f"seating: .*{match}")


def test_a_meeting_id_that_is_not_a_slug_is_refused() -> None:
    _refused(kamloops("Kamloops Evening"), errors.InvalidPlan, "meeting.id")


def test_an_unknown_time_zone_is_refused() -> None:
    _refused(kamloops(timezone="Mars/Olympus"), errors.InvalidPlan, "meeting.timezone")


def test_a_blank_question_is_refused() -> None:
    questions = (Question(question_id="q", prompt="  "),)
    _refused(kamloops(questions=questions), errors.InvalidPlan, "questions: question 'q'")


def test_meeting_details_change_as_an_event() -> None:
    given(*KAMLOOPS).when(c.ChangeMeetingDetails(title="Network", venue="Hall")).then(
        e.MeetingDetailsChanged(title="Network", venue="Hall")
    )
    plan = kamloops()
    given(*KAMLOOPS).when(c.ChangeMeetingDetails(title=plan.title, venue=plan.venue)).then_nothing()
    given(*KAMLOOPS).when(c.ChangeMeetingDetails(title=" ", venue="")).then_raises(
        errors.InvalidPlan, "meeting.title"
    )


def test_agenda_items_are_added_changed_and_removed_by_events() -> None:
    after = item("after", "wrap_up", "20:30", "20:45", "Stacking chairs")
    given(*KAMLOOPS).when(c.AddAgendaItem(item=after)).then(
        e.AgendaItemAdded(
            item_id="after",
            kind="wrap_up",
            title="Stacking chairs",
            start=local("20:30"),
            end=local("20:45"),
        )
    )
    meal = replace(fold(meeting, KAMLOOPS).plan.item("meal"), title="Supper")  # type: ignore[union-attr, type-var]
    given(*KAMLOOPS).when(c.ChangeAgendaItem(item=meal)).then(
        e.AgendaItemChanged(
            item_id="meal", kind="meal", title="Supper", start=local("17:45"), end=local("18:00")
        )
    )
    given(*KAMLOOPS).when(c.RemoveAgendaItem(item_id="meal")).then(
        e.AgendaItemRemoved(item_id="meal")
    )


def test_agenda_edits_meet_the_same_rules_as_a_template() -> None:
    clash = item("clash", "presentation", "18:10", "18:20")
    given(*KAMLOOPS).when(c.AddAgendaItem(item=clash)).then_raises(errors.OverlappingAgendaItems)
    given(*KAMLOOPS).when(c.RemoveAgendaItem(item_id="roundtables")).then_raises(
        errors.InvalidPlan, "exactly one roundtables item"
    )
    given(*KAMLOOPS).when(c.RemoveAgendaItem(item_id="lunch")).then_raises(
        errors.UnknownAgendaItem, "agenda: there is no agenda item 'lunch'"
    )
    unknown = item("lunch", "meal", "12:00", "13:00")
    given(*KAMLOOPS).when(c.ChangeAgendaItem(item=unknown)).then_raises(errors.UnknownAgendaItem)


def test_an_unchanged_agenda_item_makes_no_event() -> None:
    meal = fold(meeting, KAMLOOPS).plan.item("meal")  # type: ignore[union-attr]
    assert meal is not None
    given(*KAMLOOPS).when(c.ChangeAgendaItem(item=meal)).then_nothing()


def test_an_added_agenda_item_takes_its_place_in_time_order() -> None:
    early = item("doors", "arrival", "17:00", "17:30", "Doors")
    added = meeting.decide(c.AddAgendaItem(item=early), fold(meeting, KAMLOOPS))
    plan = fold(meeting, [*KAMLOOPS, *added]).plan
    assert plan is not None
    assert plan.agenda[0].item_id == "doors"


def test_topics_are_added_and_renamed() -> None:
    given(*KAMLOOPS).when(c.AddTopic(topic=Topic(topic_id="housing", title="Housing"))).then(
        e.TopicAdded(topic_id="housing", title="Housing")
    )
    given(*KAMLOOPS).when(c.RenameTopic(topic_id="social-health", title="Health")).then(
        e.TopicRenamed(topic_id="social-health", title="Health")
    )
    given(*KAMLOOPS).when(c.RenameTopic(topic_id="housing", title="H")).then_raises(
        errors.UnknownTopic, "topics: there is no topic 'housing'"
    )
    given(*KAMLOOPS).when(c.AddTopic(topic=Topic(topic_id="Bad Id", title="X"))).then_raises(
        errors.InvalidPlan, "topics: 'Bad Id' is not a short slug"
    )


def test_questions_are_added_reworded_verbatim_and_reordered() -> None:
    prompt = "  What's next?  → "
    given(*KAMLOOPS).when(c.AddQuestion(question=Question(question_id="next", prompt=prompt))).then(
        e.QuestionAdded(question_id="next", prompt=prompt)
    )
    given(*KAMLOOPS).when(c.RewordQuestion(question_id="advocacy", prompt=prompt)).then(
        e.QuestionReworded(question_id="advocacy", prompt=prompt)
    )
    order = ("advocacy", "working-well", "coordination")
    given(*KAMLOOPS).when(c.ReorderQuestions(order=order)).then(e.QuestionsReordered(order=order))
    plan = fold(meeting, [*KAMLOOPS, e.QuestionsReordered(order=order)]).plan
    assert plan is not None
    assert tuple(q.question_id for q in plan.questions) == order


def test_question_edits_are_refused_when_they_name_unknown_or_miss_questions() -> None:
    given(*KAMLOOPS).when(c.RewordQuestion(question_id="nope", prompt="?")).then_raises(
        errors.UnknownQuestion
    )
    given(*KAMLOOPS).when(c.ReorderQuestions(order=("advocacy", "nope"))).then_raises(
        errors.UnknownQuestion
    )
    given(*KAMLOOPS).when(c.ReorderQuestions(order=("advocacy",))).then_raises(
        errors.InvalidPlan, "every question once"
    )
    same = ("working-well", "coordination", "advocacy")
    given(*KAMLOOPS).when(c.ReorderQuestions(order=same)).then_nothing()
    given(*KAMLOOPS).when(c.RewordQuestion(question_id="advocacy", prompt="")).then_raises(
        errors.InvalidPlan
    )


def test_tables_are_added_moved_and_given_facilitators() -> None:
    five = Table(number=5, topic_id="social-health", facilitator="Sam")
    given(*KAMLOOPS).when(c.AddTable(table=five)).then(
        e.TableAdded(number=5, topic_id="social-health", facilitator="Sam")
    )
    given(*KAMLOOPS).when(c.ChangeTableTopic(number=1, topic_id="crime-prevention")).then(
        e.TableTopicChanged(number=1, topic_id="crime-prevention")
    )
    given(*KAMLOOPS).when(c.AssignFacilitator(number=1, facilitator="Kúkpi7 Rosanne")).then(
        e.FacilitatorAssigned(number=1, facilitator="Kúkpi7 Rosanne")
    )
    given(*KAMLOOPS).when(c.AssignFacilitator(number=1, facilitator=None)).then_nothing()


def test_table_edits_are_refused_when_they_break_a_rule() -> None:
    two = Table(number=2, topic_id="social-health")
    given(*KAMLOOPS).when(c.AddTable(table=two)).then_raises(errors.DuplicateTable)
    given(*KAMLOOPS).when(c.ChangeTableTopic(number=1, topic_id="nope")).then_raises(
        errors.UnknownTopic
    )
    given(*KAMLOOPS).when(c.AssignFacilitator(number=9, facilitator="X")).then_raises(
        errors.UnknownTable, "tables: there is no table 9"
    )
    given(*KAMLOOPS).when(c.AssignFacilitator(number=1, facilitator=" ")).then_raises(
        errors.InvalidPlan
    )


def test_a_new_rotation_plan_is_an_event_and_meets_the_rules() -> None:
    three = replace(kamloops().rotations, minutes=20, count=3)
    three = replace(three, seats=tuple(s for s in three.seats if s.rotation <= 3))
    given(*KAMLOOPS).when(c.PlanRotations(rotations=three)).then(
        e.RotationsPlanned(minutes=20, count=3, groups=three.groups, seats=three.seats)
    )
    given(*KAMLOOPS).when(c.PlanRotations(rotations=kamloops().rotations)).then_nothing()
    none = replace(three, count=0, seats=())
    given(*KAMLOOPS).when(c.PlanRotations(rotations=none)).then_raises(errors.NoRotations)


@pytest.mark.parametrize(
    ("command", "part"),
    [
        (c.AddAgendaItem(item=item("late", "wrap_up", "20:30", "20:40")), "agenda"),
        (c.RemoveAgendaItem(item_id="meal"), "agenda"),
        (c.AddTable(table=Table(number=5, topic_id="social-health")), "tables"),
        (c.ChangeTableTopic(number=1, topic_id="crime-prevention"), "tables"),
        (c.PlanRotations(rotations=replace(kamloops().rotations, minutes=10)), "rotation"),
    ],
)
def test_timetable_and_seating_are_fixed_once_the_roundtables_start(
    command: c.StructureCommand, part: str
) -> None:
    given(*STARTED).when(command).then_raises(errors.RoundtablesAlreadyStarted, f"^{part}: ")


def test_names_and_wording_can_still_change_once_the_roundtables_start() -> None:
    given(*STARTED).when(c.AssignFacilitator(number=2, facilitator="Jo")).then(
        e.FacilitatorAssigned(number=2, facilitator="Jo")
    )
    given(*STARTED).when(c.RenameTopic(topic_id="social-health", title="Health")).then(
        e.TopicRenamed(topic_id="social-health", title="Health")
    )


def test_nothing_changes_once_the_meeting_is_closed() -> None:
    given(*CLOSED).when(c.RenameTopic(topic_id="social-health", title="H")).then_raises(
        errors.MeetingIsClosed
    )
