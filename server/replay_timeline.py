"""The evening at a glance, for the replay page: where the log starts and ends, the agenda as
planned, the clock's record as it happened (phases begun, rotations started and ended, with
their positions and times), every event as ``[position, recorded_at, type]`` (for the jumps
to the previous or next event) and how many comments each table added in each minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from events.instants import MINUTE
from events.log.envelope import Recorded
from events.tables.rules import table_number
from projections import meeting as meeting_view
from projections.screens import Scene

BOUNDARIES = ("RotationStarted", "RotationEnded", "PhaseChanged", "RoundtablesStarted")
"""The clock's events the timeline marks (and the page jumps between)."""


def timeline(records: Sequence[Recorded], scene: Scene) -> dict[str, Any]:
    """The timeline of one meeting's ``records`` (at least one), ``scene`` their end state."""
    first, last = records[0], records[-1]
    meeting = meeting_view.render(scene.meeting)
    return {
        "meeting_id": scene.meeting_id,
        "title": meeting.get("title"),
        "date": meeting.get("date"),
        "timezone": meeting.get("timezone"),
        "first": {"position": first.position, "recorded_at": first.recorded_at},
        "last": {"position": last.position, "recorded_at": last.recorded_at},
        "agenda": meeting.get("agenda", []),
        "tables": [
            {"number": t["number"], "topic_title": t["topic_title"]}
            for t in meeting.get("tables", [])
        ],
        "boundaries": [
            entry for entry in meeting.get("history", []) if entry["type"] in BOUNDARIES
        ],
        "events": [[r.position, r.recorded_at, r.type] for r in records],
        "activity": activity(records, scene.meeting_id),
    }


def activity(records: Sequence[Recorded], meeting_id: str) -> dict[str, Any]:
    """Comments added per minute per table: ``counts[table][i]`` in the minute that starts at
    ``start + i`` minutes (µs, UTC; minutes are whole in every time zone the page shows)."""
    added = [
        (number, record.recorded_at // MINUTE)
        for record in records
        if record.type == "CommentAdded"
        and (number := table_number(record.stream_id, meeting_id)) is not None
    ]
    start = min(r.recorded_at for r in records) // MINUTE
    minutes = max(r.recorded_at for r in records) // MINUTE - start + 1
    counts: dict[str, list[int]] = {}
    for number, minute in added:
        row = counts.setdefault(str(number), [0] * minutes)
        row[minute - start] += 1
    return {"start": start * MINUTE, "minutes": minutes, "counts": counts}
