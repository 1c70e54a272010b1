"""What can be asked of a meeting: structural commands and clock commands.

Commands are requests in the imperative; the meeting decider turns each into events or a
refusal. Commands that depend on time carry ``at``, the server clock's instant, so that
deciding stays pure.
"""

from __future__ import annotations

from events.log.codec import record as _command
from events.meeting.plan import AgendaItem, Question, Rotations, Table, Topic


@_command
class ScheduleMeeting:
    """Create a meeting with its whole structure at once (what a template holds)."""

    meeting_id: str
    title: str
    date: str
    venue: str
    timezone: str
    agenda: tuple[AgendaItem, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    tables: tuple[Table, ...]
    rotations: Rotations


@_command
class ChangeMeetingDetails:
    title: str
    venue: str


@_command
class AddAgendaItem:
    item: AgendaItem


@_command
class ChangeAgendaItem:
    """Replace the agenda item with ``item.item_id`` by ``item``."""

    item: AgendaItem


@_command
class RemoveAgendaItem:
    item_id: str


@_command
class AddTopic:
    topic: Topic


@_command
class RenameTopic:
    topic_id: str
    title: str


@_command
class RemoveTopic:
    topic_id: str


@_command
class AddQuestion:
    question: Question


@_command
class RewordQuestion:
    question_id: str
    prompt: str


@_command
class RemoveQuestion:
    question_id: str


@_command
class ReorderQuestions:
    order: tuple[str, ...]


@_command
class AddTable:
    table: Table


@_command
class RemoveTable:
    number: int


@_command
class ChangeTableTopic:
    number: int
    topic_id: str


@_command
class AssignFacilitator:
    number: int
    facilitator: str | None


@_command
class PlanRotations:
    rotations: Rotations


@_command
class RevisePlan:
    """Make the meeting's structure this one (the planning page's save): the events are each
    difference, removals included, decided and checked together. The date and time zone
    are those it was scheduled with (every instant of the plan is on that day, in that zone)."""

    date: str
    timezone: str
    title: str
    venue: str
    agenda: tuple[AgendaItem, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    tables: tuple[Table, ...]
    rotations: Rotations


@_command
class OpenMeeting:
    at: int


@_command
class CloseMeeting:
    at: int


@_command
class ChooseAutoStart:
    enabled: bool
    at: int


@_command
class StartRoundtables:
    at: int


@_command
class PauseClock:
    at: int


@_command
class ResumeClock:
    at: int


@_command
class ExtendRotation:
    rotation: int
    minutes: int
    at: int


@_command
class EndRotation:
    """End ``rotation`` now and move on; names the rotation so a late click ends nothing else."""

    rotation: int
    at: int


@_command
class JumpToBreak:
    at: int


@_command
class JumpToReportBack:
    at: int


@_command
class TickClock:
    """The server's clock: emit everything that fell due up to ``at``, each at its instant."""

    at: int


StructureCommand = (
    ScheduleMeeting
    | ChangeMeetingDetails
    | AddAgendaItem
    | ChangeAgendaItem
    | RemoveAgendaItem
    | AddTopic
    | RenameTopic
    | RemoveTopic
    | AddQuestion
    | RewordQuestion
    | RemoveQuestion
    | ReorderQuestions
    | AddTable
    | RemoveTable
    | ChangeTableTopic
    | AssignFacilitator
    | PlanRotations
)

ClockCommand = (
    OpenMeeting
    | CloseMeeting
    | ChooseAutoStart
    | StartRoundtables
    | PauseClock
    | ResumeClock
    | ExtendRotation
    | EndRotation
    | JumpToBreak
    | JumpToReportBack
    | TickClock
)

MeetingCommand = StructureCommand | RevisePlan | ClockCommand
