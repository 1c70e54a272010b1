"""A planned meeting written back as a template: what the planning page edits and copies.

The inverse of ``server.template``: reading the result with ``template.schedule_command``
gives the same plan, so a copy of an earlier meeting, the page's form and a template file
given to ``roundtable meeting create`` are one format (docs/meetings.md).
"""

from __future__ import annotations

from typing import Any

from events.instants import hhmm
from events.meeting.plan import Plan, rotating_seats


def as_template(plan: Plan) -> dict[str, Any]:
    """``plan`` in the template's shape, with every id given (so edits keep them)."""
    tz = plan.timezone
    return {
        "meeting": {
            "title": plan.title,
            "date": plan.date,
            "venue": plan.venue,
            "timezone": tz,
        },
        "agenda": [
            {
                "id": item.item_id,
                "kind": item.kind,
                "title": item.title,
                "start": hhmm(item.start, tz),
                "end": None if item.end is None else hhmm(item.end, tz),
            }
            for item in plan.agenda
        ],
        "topics": [{"id": t.topic_id, "title": t.title} for t in plan.topics],
        "questions": [{"id": q.question_id, "prompt": q.prompt} for q in plan.questions],
        "tables": [
            {"number": t.number, "topic": t.topic_id, "facilitator": t.facilitator}
            for t in plan.tables
        ],
        "rotation": _rotation(plan),
    }


def _rotation(plan: Plan) -> dict[str, Any]:
    rotations, roundtables = plan.rotations, plan.roundtables
    assert rotations is not None  # a scheduled plan is valid
    assert roundtables is not None
    rotation: dict[str, Any] = {
        "start": hhmm(roundtables.start, plan.timezone),
        "minutes_per_table": rotations.minutes,
        "count": rotations.count,
        "groups": list(rotations.groups),
    }
    numbers = tuple(t.number for t in plan.tables)
    if rotations.seats != rotating_seats(rotations.groups, numbers, rotations.count):
        rotation["seating"] = [
            {str(s.table): s.group for s in rotations.seats if s.rotation == r}
            for r in range(1, rotations.count + 1)
        ]
    return rotation
