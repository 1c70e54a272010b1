"""The table view: a table's comments per question, nested, as the tablet and reports show them.

It is the table decider's own fold (``events.tables.outline``) plus when each comment was recorded
and last changed, from the envelope; ``TableDraft`` folds it in place, for rebuilds.
Retracted comments (and the sub-bullets of a retracted comment) are left out. ``render``
gives canonical JSON-ready data: ints and strings only, so ``dumps`` of a view rebuilt from
position 0 equals the live one byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from events.log.codec import canonical
from events.log.envelope import Recorded
from events.tables import events as e
from events.tables import typed_time
from events.tables.outline import Outline
from events.tables.rules import TableState


@dataclass(frozen=True, slots=True)
class TableView:
    meeting_id: str
    table: int
    state: TableState = field(default_factory=TableState)
    added_at: dict[str, int] = field(default_factory=dict)
    changed_at: dict[str, int] = field(default_factory=dict)
    event_positions: dict[str, int] = field(default_factory=dict)
    version: int = 0
    position: int = 0


class TableDraft:
    """A table view being folded: changed in place, one step per event, and frozen into a
    ``TableView`` only when someone reads it (``view()``, kept until the next event). A
    rebuild of a long evening would otherwise copy every comment of the table per event."""

    __slots__ = (
        "_view",
        "added_at",
        "changed_at",
        "event_positions",
        "meeting_id",
        "outline",
        "position",
        "table",
        "version",
    )

    def __init__(self, view: TableView) -> None:
        self.meeting_id = view.meeting_id
        self.table = view.table
        self.outline = Outline.thaw(view.state)
        self.added_at = dict(view.added_at)
        self.changed_at = dict(view.changed_at)
        self.event_positions = dict(view.event_positions)
        self.version = view.version
        self.position = view.position
        self._view: TableView | None = view

    def apply(self, record: Recorded) -> None:
        """Apply one event of the table's stream."""
        event = record.decode()
        assert isinstance(event, e.TableEvent)
        cid = event.comment_id
        if isinstance(event, e.CommentAdded):
            self.added_at[cid] = record.recorded_at
        self.outline.apply(event)
        self.changed_at[cid] = record.recorded_at
        self.event_positions[record.event_id] = record.position
        self.version = record.version
        self.position = record.position
        self._view = None

    def view(self, *, last: bool = False) -> TableView:
        """The view as it stands, immutable: later events do not change it. ``last``: the
        draft is not used again, so its dicts are handed over, not copied."""
        if self._view is None:
            copy: Callable[[dict[str, int]], dict[str, int]] = _same if last else dict
            self._view = TableView(
                self.meeting_id,
                self.table,
                self.outline.freeze(last=last),
                copy(self.added_at),
                copy(self.changed_at),
                copy(self.event_positions),
                self.version,
                self.position,
            )
        return self._view


def _same(values: dict[str, int]) -> dict[str, int]:
    return values


def evolve(view: TableView, record: Recorded) -> TableView:
    """``view`` with one event of the table's stream applied (``view`` is left as it was)."""
    draft = TableDraft(view)
    draft.apply(record)
    return draft.view(last=True)


def render(view: TableView, questions: list[str]) -> dict[str, Any]:
    """The view as data: for each question (in the meeting's order), its live comments."""
    state = view.state
    return {
        "meeting_id": view.meeting_id,
        "table": view.table,
        "version": view.version,
        "position": view.position,
        "questions": [
            {
                "question": question,
                "comments": [
                    _comment(view, cid, state.children(cid))
                    for cid in state.order.get(f"q:{question}", ())
                    if not state.comments[cid].retracted
                ],
            }
            for question in questions
        ],
    }


def _comment(view: TableView, cid: str, children: tuple[str, ...]) -> dict[str, Any]:
    comment = view.state.comments[cid]
    data: dict[str, Any] = {
        "id": cid,
        "text": comment.text,
        "rotation": comment.rotation,
        "group": comment.group,
        "phase": comment.phase,
        "late": comment.late,
        "typed_at": typed_time.readable(comment.typed_at, view.added_at[cid]),
        "by": comment.by,
        "edited": comment.edits > 0,
        "starred": comment.starred,
        "added_at": view.added_at[cid],
        "changed_at": view.changed_at[cid],
    }
    if comment.parent is None:
        data["children"] = [
            _comment(view, child, ())
            for child in children
            if not view.state.comments[child].retracted
        ]
    return data


def dumps(view: TableView, questions: list[str]) -> bytes:
    return canonical(render(view, questions))
