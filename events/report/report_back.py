"""Whether the report-back on the projector follows the lead's changes or stands still.

While presenting, the lead freezes the report-back so that nothing jumps on the screen, then
unfreezes it. Both are facts of the evening in the meeting's stream
``report-back-<meeting_id>``, so a replay shows what the room saw: while frozen, the
report-back as it stood just before the ``ReportBackFrozen`` event (everything earlier in the
log, nothing later). The events hold no copy of the key themes; the views take that snapshot
when they fold the freeze (``projections.report_back``).
"""

from __future__ import annotations

from dataclasses import dataclass

from events.log.codec import Event, codec
from events.log.codec import record as _record


@codec.register
@_record
class ReportBackFrozen(Event):
    """The lead froze the report-back: it shows the meeting as of the event before this one."""

    type = "ReportBackFrozen"
    by: str


@codec.register
@_record
class ReportBackUnfrozen(Event):
    """The lead unfroze the report-back: it follows the wall live again."""

    type = "ReportBackUnfrozen"
    by: str


@_record
class FreezeReportBack:
    by: str


@_record
class UnfreezeReportBack:
    by: str


ReportBackCommand = FreezeReportBack | UnfreezeReportBack
ReportBackEvent = ReportBackFrozen | ReportBackUnfrozen


@dataclass(frozen=True, slots=True)
class ReportBackState:
    frozen: bool = False


initial_state = ReportBackState()


def stream_id(meeting_id: str) -> str:
    return f"report-back-{meeting_id}"


def decide(command: ReportBackCommand, state: ReportBackState) -> list[ReportBackEvent]:
    """Freezing a frozen report-back (or unfreezing a live one) changes nothing: two lead
    windows pressing the same key at once make one event."""
    match command:
        case FreezeReportBack(by=by):
            return [] if state.frozen else [ReportBackFrozen(by=by)]
        case UnfreezeReportBack(by=by):
            return [ReportBackUnfrozen(by=by)] if state.frozen else []


def evolve(state: ReportBackState, event: ReportBackEvent) -> ReportBackState:
    return ReportBackState(frozen=isinstance(event, ReportBackFrozen))
