"""Removing topics, questions and tables, and a whole revised plan decided as its differences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from events.decider import fold
from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import rules as meeting
from events.meeting.commands import ScheduleMeeting
from events.meeting.plan import Plan, Question, Table, Topic, rotating_seats
from server import plan_template, template
from tests.meeting_fixtures import kamloops, local, scheduled
from tests.spec import Spec

spec = Spec(meeting)
given = spec.given
KAMLOOPS = scheduled()
OPENED = (*KAMLOOPS, e.MeetingOpened(at=local("18:00")))
STARTED = (*OPENED, *meeting.decide(c.StartRoundtables(at=local("18:50")), fold(meeting, OPENED)))


def _plan(*events: e.MeetingEvent) -> Plan:
    plan = fold(meeting, [*KAMLOOPS, *events]).plan
    assert plan is not None
    return plan


def revision(command: ScheduleMeeting | None = None, **changes: object) -> c.RevisePlan:
    """The Kamloops plan (or ``command``'s) as a revision, with ``changes``."""
    s = command or kamloops()
    fields = {
        "date": s.date,
        "timezone": s.timezone,
        "title": s.title,
        "venue": s.venue,
        "agenda": s.agenda,
        "topics": s.topics,
        "questions": s.questions,
        "tables": s.tables,
        "rotations": s.rotations,
    }
    return c.RevisePlan(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_topic_no_table_is_on_is_removed() -> None:
    extra = e.TopicAdded(topic_id="housing", title="Housing")
    given(*KAMLOOPS, extra).when(c.RemoveTopic(topic_id="housing")).then(
        e.TopicRemoved(topic_id="housing")
    )
    assert _plan(extra, e.TopicRemoved(topic_id="housing")).topic("housing") is None


def test_a_topic_a_table_is_on_cannot_be_removed_and_an_unknown_one_is_refused() -> None:
    given(*KAMLOOPS).when(c.RemoveTopic(topic_id="social-health")).then_raises(
        errors.UnknownTopic, "table 1 is on topic 'social-health'"
    )
    given(*KAMLOOPS).when(c.RemoveTopic(topic_id="nope")).then_raises(errors.UnknownTopic)


def test_a_question_is_removed_and_the_others_keep_their_order() -> None:
    given(*KAMLOOPS).when(c.RemoveQuestion(question_id="coordination")).then(
        e.QuestionRemoved(question_id="coordination")
    )
    plan = _plan(e.QuestionRemoved(question_id="coordination"))
    assert [q.question_id for q in plan.questions] == ["working-well", "advocacy"]
    given(*KAMLOOPS).when(c.RemoveQuestion(question_id="nope")).then_raises(errors.UnknownQuestion)


def test_a_removed_table_takes_its_seats_out_of_the_rotation_plan() -> None:
    decided = spec.given(*KAMLOOPS).when(c.RemoveTable(number=4)).decided()
    assert decided[0] == e.TableRemoved(number=4)
    planned = decided[1]
    assert isinstance(planned, e.RotationsPlanned)
    assert all(seat.table != 4 for seat in planned.seats)
    assert len(planned.seats) == 12  # 4 rotations, 3 tables
    plan = _plan(*decided)
    assert [t.number for t in plan.tables] == [1, 2, 3]
    given(*KAMLOOPS).when(c.RemoveTable(number=9)).then_raises(errors.UnknownTable)


@pytest.mark.parametrize(
    ("command", "part"),
    [
        (c.RemoveTable(number=4), "tables"),
        (c.RemoveTopic(topic_id="social-health"), "topics"),
        (c.RemoveQuestion(question_id="advocacy"), "questions"),
    ],
)
def test_removals_are_refused_once_the_roundtables_start(
    command: c.StructureCommand, part: str
) -> None:
    given(*STARTED).when(command).then_raises(errors.RoundtablesAlreadyStarted, f"^{part}: ")


def test_the_same_plan_revised_is_no_event() -> None:
    given(*KAMLOOPS).when(revision()).then_nothing()


def test_a_revised_plan_is_each_difference_as_its_own_event() -> None:
    s = kamloops()
    topics = (
        Topic(topic_id="crime-prevention", title="Preventing crime"),
        Topic(topic_id="social-health", title="Social and Health Infrastructure"),
        Topic(topic_id="housing", title="Housing"),
    )
    tables = (
        Table(number=1, topic_id="social-health", facilitator="Sam"),
        Table(number=2, topic_id="housing"),
        Table(number=4, topic_id="crime-prevention"),
        Table(number=5, topic_id="crime-prevention"),
    )
    questions = (
        Question(question_id="advocacy", prompt=s.questions[2].prompt),
        Question(question_id="working-well", prompt="What works?"),
        Question(question_id="hopes", prompt="What do you hope for?"),
    )
    groups = ("A", "B", "C", "D")
    rotations = replace(
        s.rotations, count=3, minutes=20, seats=rotating_seats(groups, (1, 2, 4, 5), 3)
    )
    agenda = tuple(i for i in s.agenda if i.item_id != "meal")
    command = revision(
        title="Safer streets",
        agenda=agenda,
        topics=topics,
        questions=questions,
        tables=tables,
        rotations=rotations,
    )
    decided = spec.given(*KAMLOOPS).when(command).decided()
    assert decided == [
        e.MeetingDetailsChanged(title="Safer streets", venue=s.venue),
        e.AgendaItemRemoved(item_id="meal"),
        e.TopicRenamed(topic_id="crime-prevention", title="Preventing crime"),
        e.TopicAdded(topic_id="housing", title="Housing"),
        e.QuestionReworded(question_id="working-well", prompt="What works?"),
        e.QuestionAdded(question_id="hopes", prompt="What do you hope for?"),
        e.TableRemoved(number=3),
        e.FacilitatorAssigned(number=1, facilitator="Sam"),
        e.TableTopicChanged(number=2, topic_id="housing"),
        e.TableAdded(number=5, topic_id="crime-prevention", facilitator=None),
        e.TopicRemoved(topic_id="streets-public-spaces"),
        e.TopicRemoved(topic_id="enforcement-justice"),
        e.QuestionRemoved(question_id="coordination"),
        e.QuestionsReordered(order=("advocacy", "working-well", "hopes")),
        e.RotationsPlanned(minutes=20, count=3, groups=groups, seats=rotations.seats),
    ]
    plan = _plan(*decided)
    assert plan.topics == topics
    assert plan.questions == questions
    assert plan.tables == tables
    assert plan.rotations == rotations
    assert plan.agenda == agenda


def test_a_revision_is_checked_whole_and_keeps_the_date_and_time_zone() -> None:
    s = kamloops()
    given(*KAMLOOPS).when(revision(title=" ")).then_raises(errors.InvalidPlan, "meeting.title")
    given(*KAMLOOPS).when(revision(topics=s.topics[:3])).then_raises(errors.UnknownTopic)
    given(*KAMLOOPS).when(revision(date="2023-06-16")).then_raises(
        errors.InvalidPlan, "^meeting.date: a planned meeting keeps its date"
    )
    given(*KAMLOOPS).when(revision(timezone="Europe/Paris")).then_raises(
        errors.InvalidPlan, "^meeting.timezone: "
    )


def test_once_started_a_revision_may_change_names_and_wording_only() -> None:
    s = kamloops()
    renamed = (Topic(topic_id="crime-prevention", title="Prevention"), *s.topics[1:])
    given(*STARTED).when(revision(topics=renamed, venue="Lounge")).then(
        e.MeetingDetailsChanged(title=s.title, venue="Lounge"),
        e.TopicRenamed(topic_id="crime-prevention", title="Prevention"),
    )
    given(*STARTED).when(revision(questions=s.questions[:2])).then_raises(
        errors.RoundtablesAlreadyStarted, "^questions: "
    )
    given(*STARTED).when(revision(tables=s.tables[:3])).then_raises(
        errors.RoundtablesAlreadyStarted, "^tables: "
    )


def test_a_plan_written_back_as_a_template_reads_as_the_same_plan() -> None:
    s = kamloops()
    data = plan_template.as_template(_plan())
    assert template.schedule_command(data, "kamloops") == s
    seated = replace(
        s.rotations,
        seats=tuple(
            replace(seat, group="A" if seat.group == "B" else "B") if seat.group in "AB" else seat
            for seat in s.rotations.seats
        ),
    )
    custom = scheduled(replace(s, rotations=seated))
    plan = fold(meeting, custom).plan
    assert plan is not None
    written = plan_template.as_template(plan)
    assert "seating" in written["rotation"]
    assert template.schedule_command(written, "kamloops").rotations.seats == seated.seats
