"""Figures about one meeting's comments, for staff asking how the evening went.

Comments are counted as they were added (their table, rotation, question and the device that
typed them, as ``CommentAdded`` says), sub-bullets included, whatever happened to them later;
edits, retractions and restorations are counted beside. Busy and quiet minutes use the time
each comment was typed (``typed_at``), in the meeting's own time zone, over each table's span
from its first to its last comment, so a minute with no comment counts as quiet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from events.instants import MINUTE, hhmm
from events.log.envelope import Recorded
from events.meeting import rules as meeting
from events.tables import events as e
from events.tables import typed_time
from events.tables.rules import table_number
from projections import meeting as meeting_view
from projections.meeting import MeetingView

TOP = 3
"""How many busiest and quietest minutes to list per table."""


@dataclass(slots=True)
class TableFigures:
    comments: int = 0
    late: int = 0
    edits: int = 0
    retractions: int = 0
    restorations: int = 0
    by_rotation: Counter[str] = field(default_factory=Counter)
    by_question: Counter[str] = field(default_factory=Counter)
    by_device: Counter[str] = field(default_factory=Counter)
    minutes: Counter[int] = field(default_factory=Counter)


def figures(meeting_id: str, records: Iterable[Recorded]) -> dict[str, Any]:
    """The figures of ``meeting_id`` from its events (others are skipped), JSON-ready."""
    stream = meeting.stream_id(meeting_id)
    view = MeetingView()
    tables: dict[int, TableFigures] = {}
    for record in records:
        if record.meeting_id != meeting_id:
            continue
        if record.stream_id == stream:
            view = meeting_view.evolve(view, record)
            continue
        number = table_number(record.stream_id, meeting_id)
        if number is not None:
            _count(tables.setdefault(number, TableFigures()), record)
    plan = view.state.plan
    timezone = plan.timezone if plan is not None else "UTC"
    for table in plan.tables if plan is not None else ():
        tables.setdefault(table.number, TableFigures())
    total = TableFigures()
    for one in tables.values():
        for name in ("comments", "late", "edits", "retractions", "restorations"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        for name in ("by_rotation", "by_question", "by_device"):
            getattr(total, name).update(getattr(one, name))
    return {
        "meeting_id": meeting_id,
        "title": plan.title if plan is not None else None,
        "timezone": timezone,
        **_counts(total),
        "by_table": {str(n): tables[n].comments for n in sorted(tables)},
        "tables": [
            {"table": n, **_counts(tables[n]), **_minutes(tables[n].minutes, timezone)}
            for n in sorted(tables)
        ],
    }


def _count(table: TableFigures, record: Recorded) -> None:
    event = record.decode()
    if isinstance(event, e.CommentAdded):
        table.comments += 1
        table.late += event.late
        table.by_rotation[str(event.rotation) if event.rotation is not None else "none"] += 1
        table.by_question[event.question] += 1
        table.by_device[event.by] += 1
        table.minutes[typed_time.readable(event.typed_at, record.recorded_at) // MINUTE] += 1
    elif isinstance(event, e.CommentEdited):
        table.edits += 1
    elif isinstance(event, e.CommentRetracted):
        table.retractions += 1
    elif isinstance(event, e.CommentRestored):
        table.restorations += 1


def _counts(table: TableFigures) -> dict[str, Any]:
    return {
        "comments": table.comments,
        "late": table.late,
        "edits": table.edits,
        "retractions": table.retractions,
        "restorations": table.restorations,
        "by_rotation": dict(sorted(table.by_rotation.items())),
        "by_question": dict(sorted(table.by_question.items())),
        "by_device": dict(sorted(table.by_device.items())),
    }


def _minutes(minutes: Counter[int], timezone: str) -> dict[str, Any]:
    """The busiest and quietest minutes (most, then fewest comments; earlier first on a tie)."""
    if not minutes:
        return {"busiest": [], "quietest": []}
    span = [(minute, minutes.get(minute, 0)) for minute in range(min(minutes), max(minutes) + 1)]
    busiest = sorted(span, key=lambda item: (-item[1], item[0]))[:TOP]
    quietest = sorted(span, key=lambda item: (item[1], item[0]))[:TOP]
    return {
        "busiest": [_minute(m, n, timezone) for m, n in busiest],
        "quietest": [_minute(m, n, timezone) for m, n in quietest],
    }


def _minute(minute: int, comments: int, timezone: str) -> dict[str, Any]:
    return {"minute": hhmm(minute * MINUTE, timezone), "comments": comments}
