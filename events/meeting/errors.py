"""The refusals of the meeting decider, each named for what it refuses.

Every refusal names the part of the meeting it is about (``field``: ``tables``,
``rotation.count``, ``clock``...) and the problem in plain words, so that the message alone
tells a lead, a template author or a client what to fix: ``tables: table 3 is on topic
'housing', which is not a topic of this meeting``.
"""

from __future__ import annotations

from events.errors import DomainError


class MeetingError(DomainError):
    """A command about a meeting that the rules refuse."""

    code = "meeting_refused"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class InvalidPlan(MeetingError):
    """The meeting's structure would break a rule not covered by a more specific refusal."""

    code = "invalid_plan"


class InvalidTime(MeetingError):
    """A time that is not one, does not exist, or ends before it starts."""

    code = "invalid_time"


class OverlappingAgendaItems(MeetingError):
    code = "overlapping_agenda_items"


class DuplicateTable(MeetingError):
    code = "duplicate_table"


class DuplicateId(MeetingError):
    """Two topics, questions or agenda items with one id."""

    code = "duplicate_id"


class NoRotations(MeetingError):
    code = "no_rotations"


class UnknownTopic(MeetingError):
    code = "unknown_topic"


class UnknownQuestion(MeetingError):
    code = "unknown_question"


class UnknownTable(MeetingError):
    code = "unknown_table"


class UnknownAgendaItem(MeetingError):
    code = "unknown_agenda_item"


class MeetingNotScheduled(MeetingError):
    code = "meeting_not_scheduled"


class MeetingAlreadyScheduled(MeetingError):
    code = "meeting_already_scheduled"


class MeetingNotOpen(MeetingError):
    code = "meeting_not_open"


class MeetingIsClosed(MeetingError):
    code = "meeting_closed"


class RoundtablesNotStarted(MeetingError):
    code = "roundtables_not_started"


class RoundtablesAlreadyStarted(MeetingError):
    code = "roundtables_already_started"


class ClockNotRunning(MeetingError):
    """Nothing is counting down, so there is nothing to pause."""

    code = "clock_not_running"


class ClockAlreadyPaused(MeetingError):
    code = "clock_already_paused"


class ClockNotPaused(MeetingError):
    code = "clock_not_paused"


class RotationNotRunning(MeetingError):
    """The rotation a command names is not the one running now."""

    code = "rotation_not_running"


class InvalidMinutes(MeetingError):
    code = "invalid_minutes"


class NoSuchPhase(MeetingError):
    """The agenda has no item to jump to (no break, or no report-back, after the roundtables)."""

    code = "no_such_phase"


class PhaseAlreadyPassed(MeetingError):
    """A jump backwards: the meeting is already past that phase."""

    code = "phase_already_passed"
