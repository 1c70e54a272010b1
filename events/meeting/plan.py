"""A meeting's structure as plain values, and the one check that every change to it passes.

The meeting decider decides a structural command by applying its events to the plan and
validating the whole result here, so a template and a later edit meet the same rules and get
the same messages. Agenda items are kept in time order, tables in number order, questions in
the order the lead gave them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from events.instants import MINUTE, hhmm, zone
from events.meeting.errors import (
    DuplicateId,
    DuplicateTable,
    InvalidMinutes,
    InvalidPlan,
    InvalidTime,
    NoRotations,
    OverlappingAgendaItems,
    UnknownTable,
    UnknownTopic,
)

AGENDA_KINDS = (
    "arrival",
    "welcome",
    "meal",
    "presentation",
    "break",
    "roundtables",
    "report_back",
    "wrap_up",
)
MAX_ROTATION_MINUTES = 240
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def is_slug(value: str) -> bool:
    """Lower-case letters, digits and hyphens, 1 to 63 characters: ids that fit in a URL."""
    return _SLUG.fullmatch(value) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgendaItem:
    """One line of the timetable; ``end`` is ``None`` when it ends as the next one starts."""

    item_id: str
    kind: str
    title: str
    start: int
    end: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    topic_id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    question_id: str
    prompt: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    number: int
    topic_id: str
    facilitator: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Seat:
    """Where one group sits in one rotation."""

    rotation: int
    table: int
    group: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Rotations:
    """The rotation plan: ``count`` rotations of ``minutes`` each, and who sits where."""

    minutes: int
    count: int
    groups: tuple[str, ...]
    seats: tuple[Seat, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    meeting_id: str
    title: str
    date: str
    venue: str
    timezone: str
    agenda: tuple[AgendaItem, ...] = ()
    topics: tuple[Topic, ...] = ()
    questions: tuple[Question, ...] = ()
    tables: tuple[Table, ...] = ()
    rotations: Rotations | None = None

    @property
    def roundtables(self) -> AgendaItem | None:
        """The agenda item in which the rotations run (a valid plan has exactly one)."""
        return next((i for i in self.agenda if i.kind == "roundtables"), None)

    def item(self, item_id: str) -> AgendaItem | None:
        return next((i for i in self.agenda if i.item_id == item_id), None)

    def table(self, number: int) -> Table | None:
        return next((t for t in self.tables if t.number == number), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.topic_id == topic_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    def ends(self, item: AgendaItem) -> int | None:
        """When ``item`` is planned to end: its own end, else the next item's start."""
        if item.end is not None:
            return item.end
        later = [i.start for i in self.agenda if i.start > item.start]
        return min(later, default=None)


def rotating_seats(
    groups: tuple[str, ...], tables: tuple[int, ...], count: int
) -> tuple[Seat, ...]:
    """The world-café default: group *g* moves one table on each rotation.

    With as many groups as tables and as many rotations, every group visits every table once.
    """
    if not tables:
        return ()
    return tuple(
        Seat(rotation=r + 1, table=tables[(g + r) % len(tables)], group=group)
        for r in range(count)
        for g, group in enumerate(groups[: len(tables)])
    )


def validate(plan: Plan) -> None:
    """Raise the first rule ``plan`` breaks, naming the field and the problem."""
    _check_meeting(plan)
    _check_agenda(plan)
    _check_topics_and_questions(plan)
    _check_tables(plan)
    _check_rotations(plan)


def _blank(text: str) -> bool:
    return not text.strip()


def _check_meeting(plan: Plan) -> None:
    if not is_slug(plan.meeting_id):
        raise InvalidPlan(
            "meeting.id",
            f"{plan.meeting_id!r} is not a short slug (lower-case letters, digits, hyphens)",
        )
    if _blank(plan.title):
        raise InvalidPlan("meeting.title", "a meeting needs a title")
    try:
        date.fromisoformat(plan.date)
    except ValueError:
        raise InvalidTime("meeting.date", f"{plan.date!r} is not a date (YYYY-MM-DD)") from None
    try:
        zone(plan.timezone)
    except ValueError as error:
        raise InvalidPlan("meeting.timezone", str(error)) from None


def _check_agenda(plan: Plan) -> None:
    tz = plan.timezone
    _unique("agenda", [i.item_id for i in plan.agenda], "agenda item id")
    for item in plan.agenda:
        label = f"{item.title!r}"
        if not is_slug(item.item_id):
            raise InvalidPlan("agenda", f"{item.item_id!r} is not a short slug")
        if item.kind not in AGENDA_KINDS:
            raise InvalidPlan(
                "agenda", f"{label} has kind {item.kind!r}; kinds are {', '.join(AGENDA_KINDS)}"
            )
        if _blank(item.title):
            raise InvalidPlan("agenda", f"item {item.item_id!r} needs a title")
        if item.end is not None and item.end <= item.start:
            raise InvalidTime(
                "agenda",
                f"{label} ends ({hhmm(item.end, tz)}) before it starts ({hhmm(item.start, tz)})",
            )
    for first, second in zip(plan.agenda, plan.agenda[1:], strict=False):
        first_end = first.end if first.end is not None else first.start + 1
        if second.start < first_end:
            raise OverlappingAgendaItems(
                "agenda",
                f"{_span(first, tz)} overlaps {_span(second, tz)}",
            )
    roundtables = [i for i in plan.agenda if i.kind == "roundtables"]
    if len(roundtables) != 1:
        raise InvalidPlan(
            "agenda",
            f"a meeting needs exactly one roundtables item (this one has {len(roundtables)})",
        )


def _span(item: AgendaItem, tz: str) -> str:
    end = "" if item.end is None else f" to {hhmm(item.end, tz)}"
    return f"{item.title!r} ({hhmm(item.start, tz)}{end})"


def _check_topics_and_questions(plan: Plan) -> None:
    _unique("topics", [t.topic_id for t in plan.topics], "topic id")
    for topic in plan.topics:
        if not is_slug(topic.topic_id):
            raise InvalidPlan("topics", f"{topic.topic_id!r} is not a short slug")
        if _blank(topic.title):
            raise InvalidPlan("topics", f"topic {topic.topic_id!r} needs a title")
    _unique("questions", [q.question_id for q in plan.questions], "question id")
    for question in plan.questions:
        if not is_slug(question.question_id):
            raise InvalidPlan("questions", f"{question.question_id!r} is not a short slug")
        if _blank(question.prompt):
            raise InvalidPlan("questions", f"question {question.question_id!r} needs a prompt")


def _unique(field: str, ids: list[str], what: str) -> None:
    twice = [i for i, n in Counter(ids).items() if n > 1]
    if twice:
        raise DuplicateId(field, f"{what} {twice[0]!r} is used twice")


def _check_tables(plan: Plan) -> None:
    numbers = Counter(t.number for t in plan.tables)
    for table in plan.tables:
        if numbers[table.number] > 1:
            raise DuplicateTable("tables", f"table number {table.number} is used twice")
        if table.number < 1:
            raise InvalidPlan("tables", f"table number {table.number} is not 1 or more")
        if plan.topic(table.topic_id) is None:
            raise UnknownTopic(
                "tables",
                f"table {table.number} is on topic {table.topic_id!r}, "
                "which is not a topic of this meeting",
            )
        if table.facilitator is not None and _blank(table.facilitator):
            raise InvalidPlan("tables", f"table {table.number}: a name cannot be blank")


def _check_rotations(plan: Plan) -> None:
    rotations = plan.rotations
    if rotations is None:
        raise NoRotations("rotation", "a meeting needs a rotation plan")
    if rotations.count < 1:
        raise NoRotations(
            "rotation.count", f"there must be at least one rotation (got {rotations.count})"
        )
    if not 1 <= rotations.minutes <= MAX_ROTATION_MINUTES:
        raise InvalidMinutes(
            "rotation.minutes",
            f"a rotation lasts 1 to {MAX_ROTATION_MINUTES} minutes (got {rotations.minutes})",
        )
    if not rotations.groups or any(_blank(g) for g in rotations.groups):
        raise InvalidPlan("rotation.groups", "name at least one group, none blank")
    _unique("rotation.groups", list(rotations.groups), "group")
    _check_seats(plan, rotations)
    roundtables = plan.roundtables
    assert roundtables is not None  # _check_agenda ran first
    finish = roundtables.start + rotations.count * rotations.minutes * MINUTE
    ends = plan.ends(roundtables)
    if ends is not None and finish > ends:
        tz = plan.timezone
        raise InvalidPlan(
            "rotation",
            f"{rotations.count} rotations of {rotations.minutes} minutes from "
            f"{hhmm(roundtables.start, tz)} end at {hhmm(finish, tz)}, after the "
            f"roundtables item ends at {hhmm(ends, tz)}",
        )


def _check_seats(plan: Plan, rotations: Rotations) -> None:
    taken: set[tuple[int, int]] = set()
    moved: set[tuple[int, str]] = set()
    for seat in rotations.seats:
        where = f"rotation {seat.rotation}"
        if not 1 <= seat.rotation <= rotations.count:
            raise InvalidPlan("rotation.seating", f"there is no {where}")
        if plan.table(seat.table) is None:
            raise UnknownTable("rotation.seating", f"{where}: there is no table {seat.table}")
        if seat.group not in rotations.groups:
            raise InvalidPlan("rotation.seating", f"{where}: there is no group {seat.group!r}")
        if (seat.rotation, seat.table) in taken:
            raise InvalidPlan("rotation.seating", f"{where}: table {seat.table} has two groups")
        if (seat.rotation, seat.group) in moved:
            raise InvalidPlan("rotation.seating", f"{where}: group {seat.group!r} is at two tables")
        taken.add((seat.rotation, seat.table))
        moved.add((seat.rotation, seat.group))
