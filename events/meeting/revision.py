"""A revised plan decided: every difference from the plan as it stands, as the edit's events.

The planning page saves a whole plan; the log keeps what changed, one fact per change
(a topic renamed, a table removed...), exactly as if each edit had been made alone, and the
whole result is checked once by the same rules as a template (``events.meeting.plan.validate``).
Agenda items are matched by id, topics and questions by id, tables by number.
"""

from __future__ import annotations

from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import structure
from events.meeting.plan import Plan
from events.meeting.structure import StructureEvent

FIXED = (
    "the timetable, the seating, the topics and the questions are fixed once the roundtables start"
)


def decide(command: c.RevisePlan, current: Plan, *, started: bool) -> list[e.MeetingEvent]:
    """The events that make ``current`` into the revised plan, once that plan is checked;
    once the roundtables have ``started``, only names, wording and facilitators may differ."""
    if command.date != current.date:
        raise errors.InvalidPlan(
            "meeting.date", f"a planned meeting keeps its date ({current.date}): copy it instead"
        )
    if command.timezone != current.timezone:
        raise errors.InvalidPlan(
            "meeting.timezone",
            f"a planned meeting keeps its time zone ({current.timezone}): copy it instead",
        )
    events = differences(command, current)
    part = structure.fixed_part(list(events)) if started else None
    if part is not None:
        raise errors.RoundtablesAlreadyStarted(part, FIXED)
    structure.check(current, events)
    return list(events)


def differences(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    """In an order where each fact applies to what the earlier ones made: additions before
    the moves that need them, removals of topics and questions after the tables left them."""
    return [
        *_details(command, current),
        *_agenda(command, current),
        *_topics_added(command, current),
        *_questions_added(command, current),
        *_tables(command, current),
        *_topics_removed(command, current),
        *_questions_removed_and_ordered(command, current),
        *_rotations(command, current),
    ]


def _topics_removed(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    kept = {t.topic_id for t in command.topics}
    return [e.TopicRemoved(topic_id=t.topic_id) for t in current.topics if t.topic_id not in kept]


def _details(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    if (command.title, command.venue) == (current.title, current.venue):
        return []
    return [e.MeetingDetailsChanged(title=command.title, venue=command.venue)]


def _agenda(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    wanted = {i.item_id: i for i in command.agenda}
    removed: list[StructureEvent] = [
        e.AgendaItemRemoved(item_id=i.item_id) for i in current.agenda if i.item_id not in wanted
    ]
    changed: list[StructureEvent] = []
    for item in command.agenda:
        before = current.item(item.item_id)
        if before is None:
            changed.append(structure.item_added(item))
        elif before != item:
            changed.append(e.AgendaItemChanged(**structure.item_fields(item)))
    return [*removed, *changed]


def _topics_added(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    events: list[StructureEvent] = []
    for topic in command.topics:
        before = current.topic(topic.topic_id)
        if before is None:
            events.append(e.TopicAdded(topic_id=topic.topic_id, title=topic.title))
        elif before.title != topic.title:
            events.append(e.TopicRenamed(topic_id=topic.topic_id, title=topic.title))
    return events


def _questions_added(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    events: list[StructureEvent] = []
    for question in command.questions:
        before = current.question(question.question_id)
        if before is None:
            events.append(e.QuestionAdded(question_id=question.question_id, prompt=question.prompt))
        elif before.prompt != question.prompt:
            events.append(
                e.QuestionReworded(question_id=question.question_id, prompt=question.prompt)
            )
    return events


def _tables(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    numbers = {t.number for t in command.tables}
    events: list[StructureEvent] = [
        e.TableRemoved(number=t.number) for t in current.tables if t.number not in numbers
    ]
    for table in command.tables:
        before = current.table(table.number)
        if before is None:
            events.append(structure.table_added(table))
            continue
        if before.topic_id != table.topic_id:
            events.append(e.TableTopicChanged(number=table.number, topic_id=table.topic_id))
        if before.facilitator != table.facilitator:
            events.append(e.FacilitatorAssigned(number=table.number, facilitator=table.facilitator))
    return events


def _questions_removed_and_ordered(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    kept = {q.question_id for q in command.questions}
    events: list[StructureEvent] = [
        e.QuestionRemoved(question_id=q.question_id)
        for q in current.questions
        if q.question_id not in kept
    ]
    existing = [q.question_id for q in current.questions if q.question_id in kept]
    added = [q.question_id for q in command.questions if current.question(q.question_id) is None]
    order = tuple(q.question_id for q in command.questions)
    if order != (*existing, *added):
        events.append(e.QuestionsReordered(order=order))
    return events


def _rotations(command: c.RevisePlan, current: Plan) -> list[StructureEvent]:
    return [] if command.rotations == current.rotations else [structure.planned(command.rotations)]
