"""The shell around the table decider: context from the meeting's timeline, one writer per table.

Commands at one table are decided one at a time against the live table view
(``server.streams``); what the rules cannot know is looked up here: the meeting's questions
and where a point belongs in the evening (``events.placement``, from when it was typed).
"""

from __future__ import annotations

from events import comments, meeting
from events.comment_events import TableEvent
from events.comments import TableCommand
from events.envelope import Metadata
from events.errors import DomainError
from events.placement import Placement, place
from events.store import EventStore
from projections.table import TableView
from server.streams import StreamWriter
from server.views import LiveViews


class NoSuchTable(DomainError):
    code = "unknown_table"


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

    def opened_at(self, meeting_id: str) -> int | None:
        view = self._views.meeting(meeting_id)
        return view.state.clock.opened_at if view is not None else None

    def placement(self, meeting_id: str, table: int, typed_at: int, now: int) -> Placement:
        """Where a point typed at ``typed_at`` belongs, on the meeting's clock as of ``now``."""
        view = self._views.meeting(meeting_id)
        assert view is not None
        state = meeting.as_of(view.state, now)
        assert state.plan is not None
        return place(state.plan, state.clock, table, typed_at)

    async def run(
        self,
        meeting_id: str,
        table: int,
        command: TableCommand,
        *,
        command_id: str,
        metadata: Metadata,
        refusal: DomainError | None = None,
    ) -> tuple[int, ...]:
        """Decide and append ``command`` at the table (``server.streams``); ``refusal``: the
        command is refused with it unless it is a resend of one already taken."""

        def decide(view: TableView) -> list[TableEvent]:
            if refusal is not None:
                raise refusal
            return comments.decide(command, view.state)

        return await self._writer.run(
            (meeting_id, table),
            stream_id=comments.stream_id(meeting_id, table),
            meeting_id=meeting_id,
            view=lambda: self._views.table(meeting_id, table),
            decide=decide,
            command_id=command_id,
            metadata=metadata,
        )
