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

import msgspec

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


class _Comment(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One live comment as rendered. The fields are declared in sorted order, so msgspec writes
    them as canonical JSON does (``dumps`` equals ``canonical(render(...))`` byte for byte);
    a sub-bullet has no ``children`` (``None`` is left out), a top-level comment always has."""

    added_at: int
    by: str
    changed_at: int
    children: list[_Comment] | None = None
    edited: bool
    group: str | None
    id: str
    late: bool
    phase: str
    rotation: int | None
    starred: bool
    text: str
    typed_at: int


class _Question(msgspec.Struct):
    comments: list[_Comment]
    question: str


class _Table(msgspec.Struct):
    meeting_id: str
    position: int
    questions: list[_Question]
    table: int
    version: int


def _shown(view: TableView, questions: list[str]) -> _Table:
    """For each question (in the meeting's order), its live comments, nested. Built as structs
    and encoded by msgspec: a rebuild renders every comment, and dicts sorted by orjson cost
    half as much again (``bench/replay.py``)."""
    state = view.state
    comments, order = state.comments, state.order
    added, changed = view.added_at, view.changed_at

    def listed(ids: tuple[str, ...], top: bool) -> list[_Comment]:
        """The live comments of ``ids``, with their own live sub-bullets if ``top``."""
        out = []
        for cid in ids:
            comment = comments[cid]
            if comment.retracted:
                continue
            children = None
            if top:
                kids = order.get(cid)
                children = listed(kids, False) if kids else []
            added_at = added[cid]
            out.append(
                _Comment(
                    added_at=added_at,
                    by=comment.by,
                    changed_at=changed[cid],
                    children=children,
                    edited=comment.edits > 0,
                    group=comment.group,
                    id=cid,
                    late=comment.late,
                    phase=comment.phase,
                    rotation=comment.rotation,
                    starred=comment.starred,
                    text=comment.text,
                    typed_at=typed_time.readable(comment.typed_at, added_at),
                )
            )
        return out

    questions_shown = [_Question(listed(order.get(f"q:{q}", ()), True), q) for q in questions]
    return _Table(view.meeting_id, view.position, questions_shown, view.table, view.version)


_encoder = msgspec.json.Encoder()


def render(view: TableView, questions: list[str]) -> dict[str, Any]:
    """The view as data: for each question (in the meeting's order), its live comments."""
    data: dict[str, Any] = msgspec.to_builtins(_shown(view, questions))
    return data


def dumps(view: TableView, questions: list[str]) -> bytes:
    """Canonical JSON of ``render(view, questions)``, written straight from the structs."""
    return _encoder.encode(_shown(view, questions))
