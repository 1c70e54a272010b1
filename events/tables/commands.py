"""What a facilitator (or the lead) asks of a table's comments: the table decider's commands.

Each is a request in the imperative; ``events.tables.rules.decide`` turns it into events or
refuses it. The shell fills in what the rules cannot know (the meeting's questions, the
rotation context) before deciding.
"""

from __future__ import annotations

from dataclasses import dataclass

# Commands -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AddComment:
    comment_id: str
    question: str
    text: str
    parent: str | None
    questions: frozenset[str]
    rotation: int | None
    group: str | None
    phase: str
    late: bool
    typed_at: int
    clamped: bool = False
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EditComment:
    comment_id: str
    text: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RetractComment:
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RestoreComment:
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveComment:
    comment_id: str
    question: str
    questions: frozenset[str]
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReorderComment:
    comment_id: str
    after: str | None
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NestComment:
    comment_id: str
    parent: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnnestComment:
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StarComment:
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnstarComment:
    comment_id: str
    by: str


TableCommand = (
    AddComment
    | EditComment
    | RetractComment
    | RestoreComment
    | MoveComment
    | ReorderComment
    | NestComment
    | UnnestComment
    | StarComment
    | UnstarComment
)
