"""Every fact about a meeting: its structure, its opening and closing, and its clock.

All of them live in the meeting's stream, ``meeting-<meeting_id>``. Instants are int
microseconds since the epoch, UTC (see ``events.instants``). The clock's transitions carry
``due``, the instant they took effect on the schedule; the envelope's ``recorded_at`` says
when the server wrote them, so a replay shows both the real schedule and any catching up.
``by`` is ``"clock"`` for what the server's clock emitted and ``"lead"`` for what a lead's
command caused.
"""

from __future__ import annotations

from events.log.codec import Event, codec
from events.log.codec import record as _record
from events.meeting.plan import Seat


@codec.register
@_record
class MeetingScheduled(Event):
    """A meeting was created, with its title, date, venue and time zone."""

    type = "MeetingScheduled"
    meeting_id: str
    title: str
    date: str
    venue: str
    timezone: str


@codec.register
@_record
class MeetingDetailsChanged(Event):
    """The meeting's title or venue was corrected."""

    type = "MeetingDetailsChanged"
    title: str
    venue: str


@codec.register
@_record
class AgendaItemAdded(Event):
    """A line was added to the timetable."""

    type = "AgendaItemAdded"
    item_id: str
    kind: str
    title: str
    start: int
    end: int | None


@codec.register
@_record
class AgendaItemChanged(Event):
    """A line of the timetable was changed; the event holds all of its new values."""

    type = "AgendaItemChanged"
    item_id: str
    kind: str
    title: str
    start: int
    end: int | None


@codec.register
@_record
class AgendaItemRemoved(Event):
    """A line was taken off the timetable."""

    type = "AgendaItemRemoved"
    item_id: str


@codec.register
@_record
class TopicAdded(Event):
    """A topic was added; tables are on topics."""

    type = "TopicAdded"
    topic_id: str
    title: str


@codec.register
@_record
class TopicRenamed(Event):
    """A topic's title was corrected."""

    type = "TopicRenamed"
    topic_id: str
    title: str


@codec.register
@_record
class TopicRemoved(Event):
    """A topic was taken off the plan before the roundtables started (no table was on it)."""

    type = "TopicRemoved"
    topic_id: str


@codec.register
@_record
class QuestionAdded(Event):
    """A question was added after the others; its prompt is kept verbatim."""

    type = "QuestionAdded"
    question_id: str
    prompt: str


@codec.register
@_record
class QuestionReworded(Event):
    """A question's prompt was changed; the new prompt is kept verbatim."""

    type = "QuestionReworded"
    question_id: str
    prompt: str


@codec.register
@_record
class QuestionsReordered(Event):
    """The questions were put in a new order (every question id, once)."""

    type = "QuestionsReordered"
    order: tuple[str, ...]


@codec.register
@_record
class QuestionRemoved(Event):
    """A question was taken off the plan before the roundtables started."""

    type = "QuestionRemoved"
    question_id: str


@codec.register
@_record
class TableAdded(Event):
    """A table was set up on a topic, with its facilitator's name if known."""

    type = "TableAdded"
    number: int
    topic_id: str
    facilitator: str | None


@codec.register
@_record
class TableRemoved(Event):
    """A table was taken off the plan before the roundtables started; a rotation plan that
    seated a group there is replanned by an event of its own."""

    type = "TableRemoved"
    number: int


@codec.register
@_record
class TableTopicChanged(Event):
    """A table was moved to another topic before the roundtables started."""

    type = "TableTopicChanged"
    number: int
    topic_id: str


@codec.register
@_record
class FacilitatorAssigned(Event):
    """A table's facilitator was named (``None``: no longer named)."""

    type = "FacilitatorAssigned"
    number: int
    facilitator: str | None


@codec.register
@_record
class RotationsPlanned(Event):
    """The rotation plan was set: how many, how long, the groups and where each group sits."""

    type = "RotationsPlanned"
    minutes: int
    count: int
    groups: tuple[str, ...]
    seats: tuple[Seat, ...]


@codec.register
@_record
class MeetingOpened(Event):
    """The meeting was opened: its clock runs from now on."""

    type = "MeetingOpened"
    at: int


@codec.register
@_record
class MeetingClosed(Event):
    """The meeting was closed: its clock stopped for good."""

    type = "MeetingClosed"
    at: int


@codec.register
@_record
class AutoStartChosen(Event):
    """The lead chose whether the roundtables start by themselves at their scheduled time."""

    type = "AutoStartChosen"
    enabled: bool


@codec.register
@_record
class RoundtablesStarted(Event):
    """The roundtables started; ``at`` anchors every later rotation."""

    type = "RoundtablesStarted"
    at: int
    by: str


@codec.register
@_record
class PhaseChanged(Event):
    """The meeting moved to another agenda item (``phase`` is its id, ``kind`` its kind)."""

    type = "PhaseChanged"
    phase: str
    kind: str
    due: int
    by: str


@codec.register
@_record
class RotationStarted(Event):
    """A rotation began at ``due``; groups are at the tables the plan gives them."""

    type = "RotationStarted"
    rotation: int
    due: int
    by: str


@codec.register
@_record
class RotationEnded(Event):
    """A rotation ended at ``due``: on time, or early when the lead moved on."""

    type = "RotationEnded"
    rotation: int
    due: int
    by: str


@codec.register
@_record
class ClockPaused(Event):
    """The lead paused the countdown; nothing falls due until it resumes."""

    type = "ClockPaused"
    at: int


@codec.register
@_record
class ClockResumed(Event):
    """The countdown went on; everything still to come moved later by the pause's length."""

    type = "ClockResumed"
    at: int


@codec.register
@_record
class RotationExtended(Event):
    """The running rotation was given ``minutes`` more; everything after it moves as much."""

    type = "RotationExtended"
    rotation: int
    minutes: int
    at: int


MeetingEvent = (
    MeetingScheduled
    | MeetingDetailsChanged
    | AgendaItemAdded
    | AgendaItemChanged
    | AgendaItemRemoved
    | TopicAdded
    | TopicRenamed
    | TopicRemoved
    | QuestionAdded
    | QuestionReworded
    | QuestionRemoved
    | QuestionsReordered
    | TableAdded
    | TableRemoved
    | TableTopicChanged
    | FacilitatorAssigned
    | RotationsPlanned
    | MeetingOpened
    | MeetingClosed
    | AutoStartChosen
    | RoundtablesStarted
    | PhaseChanged
    | RotationStarted
    | RotationEnded
    | ClockPaused
    | ClockResumed
    | RotationExtended
)

ClockEvent = (
    MeetingOpened
    | MeetingClosed
    | AutoStartChosen
    | RoundtablesStarted
    | PhaseChanged
    | RotationStarted
    | RotationEnded
    | ClockPaused
    | ClockResumed
    | RotationExtended
)
"""The events that move the clock (``events.meeting.schedule`` evolves them)."""
