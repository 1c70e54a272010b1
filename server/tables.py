"""The shell around the table decider: context from the meeting's timeline, one writer per table.

Commands at one table are decided one at a time (a lock per table) against the live table
view, and each first waits until the view includes the table's last append, so two tablets of
one table never decide against a stale state; the ack itself goes out as soon as the append
is durable. Tables do not wait for each other: their
appends meet in the store's group commit.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass

from events import comments, meeting
from events.comments import TableCommand
from events.decider import derived_id, event_ids
from events.envelope import Metadata, NewEvent
from events.errors import DomainError, WrongExpectedVersion
from events.meeting import MeetingState
from events.store import EventStore
from projections.table import TableView
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
        self._store = store
        self._views = views
        self._locks: defaultdict[tuple[str, int], asyncio.Lock] = defaultdict(asyncio.Lock)
        self._appended: dict[tuple[str, int], int] = {}

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
        """Decide and append ``command``; the positions of its events (of the original ones,
        for a resend; none when it changed nothing)."""
        stream_id = comments.stream_id(meeting_id, table)
        key = (meeting_id, table)
        async with self._locks[key]:
            await self._views.wait_for(self._appended.get(key, 0))
            for _ in range(5):
                view = self._views.table(meeting_id, table)
                decided = comments.decide(command, view.state)
                if not decided:
                    return _resent(view, command_id)
                news = [
                    NewEvent(event, event_id, metadata)
                    for event, event_id in zip(decided, event_ids(command_id, decided), strict=True)
                ]
                try:
                    result = await self._store.append(
                        stream_id, news, meeting_id=meeting_id, expected_version=view.version
                    )
                except WrongExpectedVersion:
                    await self._views.wait_for(await self._store.last_position())
                    continue
                self._appended[key] = result.positions[-1]
                return result.positions
        raise WrongExpectedVersion(
            stream_id, view.version, await self._store.stream_version(stream_id)
        )


def _resent(view: TableView, command_id: str) -> tuple[int, ...]:
    """The positions of the events a command already made, if it is a resend."""
    positions = []
    while position := view.event_positions.get(derived_id(f"{command_id}/{len(positions)}")):
        positions.append(position)
    return tuple(positions)
