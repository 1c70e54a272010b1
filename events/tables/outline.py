"""A table's outline: every comment with its place, and how one event changes it.

``TableState`` is the immutable outline the decider and the views read. ``Outline`` is the
same outline while it is being folded: plain dicts and lists, changed in place, so that
folding a table's whole history costs one step per event instead of a copy of every comment
per event. ``apply`` is the one place the facts are applied; ``evolve`` (the decider's) thaws,
applies and freezes, and a rebuild applies many events between two freezes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec
from msgspec.structs import replace

from events.tables import events as e


class Comment(msgspec.Struct, frozen=True, kw_only=True):
    """One comment as it stands now. A msgspec struct, not a frozen dataclass: a rebuild makes
    one per comment added and one per change, and a frozen dataclass's constructor (and
    ``dataclasses.replace``) cost several times a struct's (``bench/replay.py``)."""

    comment_id: str
    question: str
    parent: str | None
    text: str
    rotation: int | None
    group: str | None
    phase: str
    late: bool
    typed_at: int
    by: str
    edits: int = 0
    retracted: bool = False
    starred: bool = False
    erased: bool = False


@dataclass(frozen=True, slots=True)
class TableState:
    """Every comment of a table, and the order of each list (a question's or a parent's)."""

    comments: dict[str, Comment] = field(default_factory=dict)
    order: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def siblings(self, comment: Comment) -> tuple[str, ...]:
        return self.order.get(list_of(comment), ())

    def children(self, comment_id: str) -> tuple[str, ...]:
        return self.order.get(comment_id, ())


def list_of(comment: Comment) -> str:
    """The key of the list a comment sits in: its parent's id, or its question's."""
    return comment.parent if comment.parent is not None else f"q:{comment.question}"


class Outline:
    """A ``TableState`` being folded: mutable, private to its folder until ``freeze``."""

    __slots__ = ("comments", "order")

    def __init__(self, comments: dict[str, Comment], order: dict[str, list[str]]) -> None:
        self.comments = comments
        self.order = order

    @classmethod
    def thaw(cls, state: TableState) -> Outline:
        return cls(dict(state.comments), {key: list(ids) for key, ids in state.order.items()})

    def freeze(self, *, last: bool = False) -> TableState:
        """An immutable copy; the outline can go on changing without touching it. ``last``:
        the outline is not used again, so its comments are handed over, not copied."""
        comments = self.comments if last else dict(self.comments)
        return TableState(comments, {key: tuple(ids) for key, ids in self.order.items()})

    def apply(self, event: e.TableEvent) -> None:
        comments = self.comments
        match event:
            case e.CommentAdded(comment_id=cid):
                comment = Comment(
                    comment_id=cid,
                    question=event.question,
                    parent=event.parent,
                    text=event.text,
                    rotation=event.rotation,
                    group=event.group,
                    phase=event.phase,
                    late=event.late,
                    typed_at=event.typed_at,
                    by=event.by,
                )
                comments[cid] = comment
                self._append(list_of(comment), cid)
            case e.CommentEdited(comment_id=cid, text=text):
                old = comments[cid]
                comments[cid] = replace(old, text=text, edits=old.edits + 1)
            case e.CommentRetracted(comment_id=cid) | e.CommentRestored(comment_id=cid):
                retracted = isinstance(event, e.CommentRetracted)
                comments[cid] = replace(comments[cid], retracted=retracted)
            case e.CommentErased(comment_id=cid, marker=marker):
                comments[cid] = replace(comments[cid], text=marker, erased=True)
            case e.CommentStarred(comment_id=cid) | e.CommentUnstarred(comment_id=cid):
                starred = isinstance(event, e.CommentStarred)
                comments[cid] = replace(comments[cid], starred=starred)
            case e.CommentMoved(comment_id=cid, question=question):
                old = comments[cid]
                for child in self.order.get(cid, ()):
                    comments[child] = replace(comments[child], question=question)
                comments[cid] = replace(old, question=question)
                self._remove(list_of(old), cid)
                self._append(list_of(comments[cid]), cid)
            case e.CommentReordered(comment_id=cid, after=after):
                key = list_of(comments[cid])
                self._remove(key, cid)
                self._insert_after(key, cid, after)
            case e.CommentNested(comment_id=cid, parent=parent):
                old = comments[cid]
                self._remove(list_of(old), cid)
                comments[cid] = replace(old, parent=parent)
                self._append(parent, cid)
            case e.CommentUnnested(comment_id=cid):
                old = comments[cid]
                assert old.parent is not None
                self._remove(old.parent, cid)
                comments[cid] = unnested = replace(old, parent=None)
                self._insert_after(list_of(unnested), cid, old.parent)

    def _append(self, key: str, cid: str) -> None:
        self.order.setdefault(key, []).append(cid)

    def _remove(self, key: str, cid: str) -> None:
        self.order[key] = [i for i in self.order.get(key, ()) if i != cid]

    def _insert_after(self, key: str, cid: str, after: str | None) -> None:
        items = self.order.setdefault(key, [])
        items.insert(0 if after is None else items.index(after) + 1, cid)


def evolve(state: TableState, event: e.TableEvent) -> TableState:
    """The decider's evolve: ``state`` with one event applied (``state`` is left as it was)."""
    outline = Outline.thaw(state)
    outline.apply(event)
    return outline.freeze(last=True)
