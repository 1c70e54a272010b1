"""The shell around the table decider: context from the meeting's timeline, one writer per table.

Commands at one table are decided one at a time against the live table view
(``server.streams``); what the rules cannot know is looked up here: the meeting's questions
and the rotation, group and phase a comment belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from events import comments, meeting
from events.comments import TableCommand
from events.envelope import Metadata
from events.errors import DomainError
from events.meeting import MeetingState
from events.store import EventStore
from server.streams import StreamWriter
from server.views import LiveViews


class RotationRefused(DomainError):
    code = "invalid_rotation"


class NoSuchTable(DomainError):
    code = "unknown_table"


@dataclass(frozen=True, slots=True)
class Context:
    """Where a comment belongs in the evening, as the server's timeline says."""

    rotation: int | None
    group: str | None
    phase: str
    late: bool


def comment_context(state: MeetingState, table: int, claimed: int | None, now: int) -> Context:
    """Check the rotation a tablet says a comment was typed in, against the timeline at ``now``.

    ``None`` means typed outside any rotation (before the start, in the break). A rotation
    that has not started is refused; one that has ended makes the comment late, never refused.
    """
    plan = state.plan
    assert plan is not None
    clock = meeting.as_of(state, now).clock
    phase = clock.phase or "scheduled"
    if claimed is None:
        return Context(None, None, phase, False)
    count = plan.rotations.count if plan.rotations else 0
    if clock.started_at is None or not 1 <= claimed <= count:
        raise RotationRefused(f"rotation {claimed} has not started")
    current = clock.rotation
    if current is not None and claimed > current:
        raise RotationRefused(f"rotation {claimed} has not started (rotation {current} is on)")
    seats = plan.rotations.seats if plan.rotations else ()
    group = next((s.group for s in seats if s.rotation == claimed and s.table == table), None)
    return Context(claimed, group, "roundtables", late=current != claimed)


class TableWriter:
    """Runs table commands for every table of every meeting in this process."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._views = views
        self._writer = StreamWriter(store, views)

    def questions(self, meeting_id: str, table: int) -> frozenset[str]:
        view = self._views.meeting(meeting_id)
        plan = view.state.plan if view is not None else None
        if plan is None or plan.table(table) is None:
            raise NoSuchTable(f"there is no table {table} in meeting {meeting_id!r}")
        return frozenset(q.question_id for q in plan.questions)

    def context(self, meeting_id: str, table: int, claimed: int | None, now: int) -> Context:
        view = self._views.meeting(meeting_id)
        assert view is not None
        return comment_context(view.state, table, claimed, now)

    async def run(
        self,
        meeting_id: str,
        table: int,
        command: TableCommand,
        *,
        command_id: str,
        metadata: Metadata,
    ) -> tuple[int, ...]:
        """Decide and append ``command`` at the table (``server.streams``)."""
        return await self._writer.run(
            (meeting_id, table),
            stream_id=comments.stream_id(meeting_id, table),
            meeting_id=meeting_id,
            view=lambda: self._views.table(meeting_id, table),
            decide=lambda view: comments.decide(command, view.state),
            command_id=command_id,
            metadata=metadata,
        )
