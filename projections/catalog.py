"""Every view the log has: each meeting's view and each of its tables' views, in one fold.

What ``roundtable rebuild`` and the replay benchmark compute from position 0. ``rendered``
gives each view's canonical JSON, the same bytes the live server renders, so a rebuild can
be compared with what a client was shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from events.envelope import Recorded
from projections import meeting as meeting_view
from projections import table as table_view
from projections.meeting import MeetingProjection, MeetingView
from projections.table import TableView


@dataclass(frozen=True, slots=True)
class Rendered:
    """One view as canonical JSON, with how many events went into it."""

    name: str
    events: int
    position: int
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class Catalog:
    """The meeting and table views of a whole log, folded one event at a time."""

    def __init__(self) -> None:
        self.meetings: dict[str, MeetingView] = {}
        self.tables: dict[tuple[str, int], TableView] = {}
        self.counts: dict[str, int] = {}
        self.position = 0
        self._projections: dict[str, MeetingProjection] = {}

    def apply(self, record: Recorded) -> None:
        meeting_id = record.meeting_id
        stream = record.stream_id
        projection = self._projections.get(meeting_id)
        if projection is None:
            projection = self._projections[meeting_id] = MeetingProjection(meeting_id)
        if stream == projection.stream_id:
            view = self.meetings.get(meeting_id) or projection.initial()
            self.meetings[meeting_id] = projection.apply(view, record)
            self._count(projection.name)
        elif (table := table_number(stream, meeting_id)) is not None:
            key = (meeting_id, table)
            self.tables[key] = table_view.evolve(
                self.tables.get(key) or TableView(meeting_id, table), record
            )
            self._count(f"table-view-{meeting_id}-{table}")
        self.position = record.position

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def rendered(self) -> list[Rendered]:
        """Every view, meetings first, then tables by meeting and number."""
        views = []
        for meeting_id, view in sorted(self.meetings.items()):
            name = f"meeting-view-{meeting_id}"
            views.append(Rendered(name, self.counts[name], view.position, meeting_view.dumps(view)))
        for (meeting_id, number), table in sorted(self.tables.items()):
            name = f"table-view-{meeting_id}-{number}"
            questions = _questions(self.meetings.get(meeting_id))
            body = table_view.dumps(table, questions)
            views.append(Rendered(name, self.counts[name], table.position, body))
        return views


def _questions(view: MeetingView | None) -> list[str]:
    """The meeting's questions in order: a table view is shown under them."""
    if view is None or view.state.plan is None:
        return []
    return [q.question_id for q in view.state.plan.questions]


def table_number(stream_id: str, meeting_id: str) -> int | None:
    """The table of a ``table-<meeting_id>-<n>`` stream; ``None`` for any other stream."""
    prefix = f"table-{meeting_id}-"
    if not stream_id.startswith(prefix):
        return None
    number = stream_id[len(prefix) :]
    return int(number) if number.isdigit() else None
