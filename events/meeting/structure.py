"""A meeting's structure decided: the template's one command and every later edit.

An edit is decided by applying its events to the plan and validating the whole result
(``events.meeting.plan.validate``), so a template and an edit meet the same rules. Applying a fact
never fails: the decider checked it before it was recorded.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypedDict, assert_never

from events.meeting import commands as c
from events.meeting import errors as errors
from events.meeting import events as e
from events.meeting import plan
from events.meeting.plan import AgendaItem, Plan, Question, Rotations, Table, Topic

StructureEvent = (
    e.MeetingDetailsChanged
    | e.AgendaItemAdded
    | e.AgendaItemChanged
    | e.AgendaItemRemoved
    | e.TopicAdded
    | e.TopicRenamed
    | e.TopicRemoved
    | e.QuestionAdded
    | e.QuestionReworded
    | e.QuestionRemoved
    | e.QuestionsReordered
    | e.TableAdded
    | e.TableRemoved
    | e.TableTopicChanged
    | e.FacilitatorAssigned
    | e.RotationsPlanned
)


def schedule(command: c.ScheduleMeeting) -> list[e.MeetingEvent]:
    """The events that create a meeting with its whole structure, once checked."""
    scheduled = e.MeetingScheduled(
        meeting_id=command.meeting_id,
        title=command.title,
        date=command.date,
        venue=command.venue,
        timezone=command.timezone,
    )
    rest: list[StructureEvent] = [
        *(item_added(item) for item in command.agenda),
        *(e.TopicAdded(topic_id=t.topic_id, title=t.title) for t in command.topics),
        *(e.QuestionAdded(question_id=q.question_id, prompt=q.prompt) for q in command.questions),
        *(table_added(table) for table in command.tables),
        planned(command.rotations),
    ]
    check(new(scheduled), rest)
    return [scheduled, *rest]


def decide(command: c.StructureCommand, current: Plan) -> list[e.MeetingEvent]:
    """The events of one edit to ``current``, once the plan they make is checked."""
    events = _edit(command, current)
    check(current, events)
    return list(events)


def fixed_once_started(command: c.StructureCommand) -> str | None:
    """The part of the plan ``command`` changes, if it is fixed once the roundtables start
    (a revision's part is known only from its events: ``fixed_part``)."""
    match command:
        case c.AddAgendaItem() | c.ChangeAgendaItem() | c.RemoveAgendaItem():
            return "agenda"
        case c.AddTable() | c.ChangeTableTopic() | c.RemoveTable():
            return "tables"
        case c.RemoveTopic():
            return "topics"
        case c.RemoveQuestion():
            return "questions"
        case c.PlanRotations():
            return "rotation"
    return None


def fixed_part(events: list[e.MeetingEvent]) -> str | None:
    """The first part of the plan ``events`` change that is fixed once the roundtables start:
    comments are on the tables, topics and questions of the evening, in its rotations."""
    for event in events:
        match event:
            case e.AgendaItemAdded() | e.AgendaItemChanged() | e.AgendaItemRemoved():
                return "agenda"
            case e.TableAdded() | e.TableTopicChanged() | e.TableRemoved():
                return "tables"
            case e.TopicRemoved():
                return "topics"
            case e.QuestionRemoved():
                return "questions"
            case e.RotationsPlanned():
                return "rotation"
    return None


def new(event: e.MeetingScheduled) -> Plan:
    return Plan(
        meeting_id=event.meeting_id,
        title=event.title,
        date=event.date,
        venue=event.venue,
        timezone=event.timezone,
    )


def check(current: Plan, events: list[StructureEvent]) -> None:
    if not events:
        return
    for event in events:
        current = apply(current, event)
    plan.validate(current)


def _edit(command: c.StructureCommand, current: Plan) -> list[StructureEvent]:
    match command:
        case c.ScheduleMeeting():
            raise errors.MeetingAlreadyScheduled(
                "meeting.id", f"there is already a meeting {current.meeting_id!r}"
            )
        case c.ChangeMeetingDetails(title=title, venue=venue):
            if (title, venue) == (current.title, current.venue):
                return []
            return [e.MeetingDetailsChanged(title=title, venue=venue)]
        case c.AddAgendaItem(item=item):
            return [item_added(item)]
        case c.ChangeAgendaItem(item=item):
            if _known_item(current, item.item_id) == item:
                return []
            return [e.AgendaItemChanged(**item_fields(item))]
        case c.RemoveAgendaItem(item_id=item_id):
            _known_item(current, item_id)
            return [e.AgendaItemRemoved(item_id=item_id)]
        case c.AddTopic(topic=topic):
            return [e.TopicAdded(topic_id=topic.topic_id, title=topic.title)]
        case c.RenameTopic(topic_id=topic_id, title=title):
            if _known_topic(current, topic_id).title == title:
                return []
            return [e.TopicRenamed(topic_id=topic_id, title=title)]
        case c.RemoveTopic(topic_id=topic_id):
            _known_topic(current, topic_id)
            return [e.TopicRemoved(topic_id=topic_id)]
        case c.AddQuestion(question=question):
            return [e.QuestionAdded(question_id=question.question_id, prompt=question.prompt)]
        case c.RewordQuestion(question_id=question_id, prompt=prompt):
            if _known_question(current, question_id).prompt == prompt:
                return []
            return [e.QuestionReworded(question_id=question_id, prompt=prompt)]
        case c.RemoveQuestion(question_id=question_id):
            _known_question(current, question_id)
            return [e.QuestionRemoved(question_id=question_id)]
        case c.ReorderQuestions(order=order):
            return _reorder(current, order)
        case c.AddTable(table=table):
            return [table_added(table)]
        case c.RemoveTable(number=number):
            _known_table(current, number)
            return [e.TableRemoved(number=number), *_unseated(current, number)]
        case c.ChangeTableTopic(number=number, topic_id=topic_id):
            if _known_table(current, number).topic_id == topic_id:
                return []
            return [e.TableTopicChanged(number=number, topic_id=topic_id)]
        case c.AssignFacilitator(number=number, facilitator=facilitator):
            if _known_table(current, number).facilitator == facilitator:
                return []
            return [e.FacilitatorAssigned(number=number, facilitator=facilitator)]
        case c.PlanRotations(rotations=rotations):
            return [] if rotations == current.rotations else [planned(rotations)]
    assert_never(command)


def _unseated(current: Plan, number: int) -> list[StructureEvent]:
    """The rotation plan without the seats at table ``number``, if it had any there."""
    rotations = current.rotations
    if rotations is None or all(s.table != number for s in rotations.seats):
        return []
    seats = tuple(s for s in rotations.seats if s.table != number)
    return [planned(replace(rotations, seats=seats))]


def _reorder(current: Plan, order: tuple[str, ...]) -> list[StructureEvent]:
    for question_id in order:
        _known_question(current, question_id)
    now = tuple(q.question_id for q in current.questions)
    if sorted(order) != sorted(now):
        raise errors.InvalidPlan("questions", "the new order must name every question once")
    return [] if order == now else [e.QuestionsReordered(order=order)]


def apply(current: Plan, event: StructureEvent) -> Plan:
    """Apply one structural fact; a fact never fails (the decider checked it)."""
    match event:
        case e.MeetingDetailsChanged(title=title, venue=venue):
            return replace(current, title=title, venue=venue)
        case e.AgendaItemAdded() | e.AgendaItemChanged():
            item = AgendaItem(**item_fields(event))
            others = [i for i in current.agenda if i.item_id != item.item_id]
            return replace(current, agenda=_in_time_order([*others, item]))
        case e.AgendaItemRemoved(item_id=item_id):
            return replace(current, agenda=tuple(i for i in current.agenda if i.item_id != item_id))
        case e.TopicAdded(topic_id=topic_id, title=title):
            return replace(current, topics=(*current.topics, Topic(topic_id=topic_id, title=title)))
        case e.TopicRemoved(topic_id=topic_id):
            kept = tuple(t for t in current.topics if t.topic_id != topic_id)
            return replace(current, topics=kept)
        case e.TopicRenamed(topic_id=topic_id, title=title):
            topics = tuple(
                replace(t, title=title) if t.topic_id == topic_id else t for t in current.topics
            )
            return replace(current, topics=topics)
        case e.QuestionAdded(question_id=question_id, prompt=prompt):
            added = Question(question_id=question_id, prompt=prompt)
            return replace(current, questions=(*current.questions, added))
        case e.QuestionReworded(question_id=question_id, prompt=prompt):
            reworded = tuple(
                replace(q, prompt=prompt) if q.question_id == question_id else q
                for q in current.questions
            )
            return replace(current, questions=reworded)
        case e.QuestionRemoved(question_id=question_id):
            asked = tuple(q for q in current.questions if q.question_id != question_id)
            return replace(current, questions=asked)
        case e.QuestionsReordered(order=order):
            by_id = {q.question_id: q for q in current.questions}
            return replace(current, questions=tuple(by_id[i] for i in order if i in by_id))
        case e.TableAdded(number=number, topic_id=topic_id, facilitator=facilitator):
            table = Table(number=number, topic_id=topic_id, facilitator=facilitator)
            tables = sorted([*current.tables, table], key=lambda t: t.number)
            return replace(current, tables=tuple(tables))
        case e.TableRemoved(number=number):
            return replace(current, tables=tuple(t for t in current.tables if t.number != number))
        case e.TableTopicChanged(number=number, topic_id=topic_id):
            return _change_table(current, number, topic_id=topic_id)
        case e.FacilitatorAssigned(number=number, facilitator=facilitator):
            return _change_table(current, number, facilitator=facilitator)
        case e.RotationsPlanned(minutes=minutes, count=count, groups=groups, seats=seats):
            planned = Rotations(minutes=minutes, count=count, groups=groups, seats=seats)
            return replace(current, rotations=planned)
    return current


def _change_table(current: Plan, number: int, **changes: Any) -> Plan:
    tables = tuple(replace(t, **changes) if t.number == number else t for t in current.tables)
    return replace(current, tables=tables)


def _in_time_order(items: list[AgendaItem]) -> tuple[AgendaItem, ...]:
    return tuple(sorted(items, key=lambda i: (i.start, i.item_id)))


def item_fields(item: AgendaItem | e.AgendaItemAdded | e.AgendaItemChanged) -> _ItemFields:
    return {
        "item_id": item.item_id,
        "kind": item.kind,
        "title": item.title,
        "start": item.start,
        "end": item.end,
    }


class _ItemFields(TypedDict):
    item_id: str
    kind: str
    title: str
    start: int
    end: int | None


def item_added(item: AgendaItem) -> e.AgendaItemAdded:
    return e.AgendaItemAdded(**item_fields(item))


def table_added(table: Table) -> e.TableAdded:
    return e.TableAdded(number=table.number, topic_id=table.topic_id, facilitator=table.facilitator)


def planned(rotations: Rotations) -> e.RotationsPlanned:
    return e.RotationsPlanned(
        minutes=rotations.minutes,
        count=rotations.count,
        groups=rotations.groups,
        seats=rotations.seats,
    )


def _known_item(current: Plan, item_id: str) -> AgendaItem:
    item = current.item(item_id)
    if item is None:
        raise errors.UnknownAgendaItem("agenda", f"there is no agenda item {item_id!r}")
    return item


def _known_topic(current: Plan, topic_id: str) -> Topic:
    topic = current.topic(topic_id)
    if topic is None:
        raise errors.UnknownTopic("topics", f"there is no topic {topic_id!r}")
    return topic


def _known_question(current: Plan, question_id: str) -> Question:
    question = current.question(question_id)
    if question is None:
        raise errors.UnknownQuestion("questions", f"there is no question {question_id!r}")
    return question


def _known_table(current: Plan, number: int) -> Table:
    table = current.table(number)
    if table is None:
        raise errors.UnknownTable("tables", f"there is no table {number}")
    return table
