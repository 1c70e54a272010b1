"""The table decider: what a facilitator may do to the comments of one table.

``decide(command, state)`` checks a command against the table as it stands and returns the
events it causes, or raises a ``CommentError`` naming the problem. ``evolve`` applies one
event. The state is the table's outline: every comment with its place, which is all the
table view needs too (``projections.table`` renders it).

The shell looks up what the rules cannot know by themselves and puts it on the command: the
meeting's question ids, and the rotation, group, phase and lateness in effect (from the
meeting's timeline, by the server's clock).
"""

from __future__ import annotations

from events.errors import DomainError
from events.one_line import clean_line
from events.tables import events as e
from events.tables.commands import AddComment as AddComment
from events.tables.commands import EditComment as EditComment
from events.tables.commands import MoveComment as MoveComment
from events.tables.commands import NestComment as NestComment
from events.tables.commands import ReorderComment as ReorderComment
from events.tables.commands import RestoreComment as RestoreComment
from events.tables.commands import RetractComment as RetractComment
from events.tables.commands import StarComment as StarComment
from events.tables.commands import TableCommand as TableCommand
from events.tables.commands import UnnestComment as UnnestComment
from events.tables.commands import UnstarComment as UnstarComment
from events.tables.outline import Comment as Comment
from events.tables.outline import TableState as TableState
from events.tables.outline import evolve as evolve

MAX_TEXT = 2000
"""Longest comment, in Unicode code points after trimming the ends."""


class CommentError(DomainError):
    code = "invalid_comment"


class TextRefused(CommentError):
    code = "invalid_text"


class TextTooLong(TextRefused):
    code = "text_too_long"


class UnknownComment(CommentError):
    code = "unknown_comment"


class CommentWordsErased(CommentError):
    code = "comment_erased"


class CommentExists(CommentError):
    code = "comment_exists"


class UnknownQuestion(CommentError):
    code = "unknown_question"


class InvalidParent(CommentError):
    code = "invalid_parent"


class InvalidPlace(CommentError):
    code = "invalid_place"


initial_state = TableState()


def stream_id(meeting_id: str, table: int) -> str:
    return f"table-{meeting_id}-{table}"


def table_number(stream: str, meeting_id: str) -> int | None:
    """The table of a ``table-<meeting_id>-<n>`` stream (``stream_id``'s inverse); ``None`` for
    any other stream."""
    prefix = f"table-{meeting_id}-"
    if not stream.startswith(prefix):
        return None
    number = stream[len(prefix) :]
    return int(number) if number.isdigit() else None


def clean_text(text: str) -> str:
    """The text as stored (``events.one_line``): ends trimmed, nothing else changed; refused
    if it shows nothing, is too long or holds control characters."""
    return clean_line(
        text, what="a comment", most=MAX_TEXT, refused=TextRefused, too_long=TextTooLong
    )


def decide(command: TableCommand, state: TableState) -> list[e.TableEvent]:
    match command:
        case AddComment():
            return _add(command, state)
        case EditComment(comment_id=cid, text=text, by=by):
            comment = _live(state, cid)
            if comment.erased:
                # an edit typed before the erasure, sent late, must not bring words back
                raise CommentWordsErased("this comment's words were erased: it cannot be edited")
            cleaned = clean_text(text)
            return (
                []
                if cleaned == comment.text
                else [e.CommentEdited(comment_id=cid, text=cleaned, by=by)]
            )
        case RetractComment(comment_id=cid, by=by):
            return (
                [e.CommentRetracted(comment_id=cid, by=by)]
                if not _known(state, cid).retracted
                else []
            )
        case RestoreComment(comment_id=cid, by=by):
            comment = _known(state, cid)
            if not comment.retracted:
                return []
            parent = state.comments.get(comment.parent) if comment.parent is not None else None
            if parent is not None and (parent.retracted or parent.parent is not None):
                raise InvalidPlace("restore or un-nest its top-level comment first")
            return [e.CommentRestored(comment_id=cid, by=by)]
        case MoveComment():
            return _move(command, state)
        case ReorderComment(comment_id=cid, after=after, by=by):
            comment = _live(state, cid)
            if after is not None and (after == cid or after not in state.siblings(comment)):
                raise InvalidPlace(
                    "a comment can only be put after another comment of the same list"
                )
            return [e.CommentReordered(comment_id=cid, after=after, by=by)]
        case NestComment():
            return _nest(command, state)
        case UnnestComment(comment_id=cid, by=by):
            if _live(state, cid).parent is None:
                raise InvalidPlace("this comment is not a sub-bullet")
            return [e.CommentUnnested(comment_id=cid, by=by)]
        case StarComment(comment_id=cid, by=by):
            return [] if _live(state, cid).starred else [e.CommentStarred(comment_id=cid, by=by)]
        case UnstarComment(comment_id=cid, by=by):
            return [e.CommentUnstarred(comment_id=cid, by=by)] if _live(state, cid).starred else []


def _add(command: AddComment, state: TableState) -> list[e.TableEvent]:
    if command.comment_id in state.comments:
        # A resend (same command id) never gets here: it is acked with its first positions.
        raise CommentExists(
            f"there is already a comment {command.comment_id!r} at this table: "
            "a new comment needs a new id"
        )
    if command.question not in command.questions:
        raise UnknownQuestion(f"there is no question {command.question!r} in this meeting")
    text = clean_text(command.text)
    if command.parent is not None:
        _check_parent(state, command.parent, command.question)
    return [
        e.CommentAdded(
            comment_id=command.comment_id,
            question=command.question,
            text=text,
            parent=command.parent,
            rotation=command.rotation,
            group=command.group,
            phase=command.phase,
            late=command.late,
            typed_at=command.typed_at,
            clamped=command.clamped,
            by=command.by,
        )
    ]


def _move(command: MoveComment, state: TableState) -> list[e.TableEvent]:
    comment = _live(state, command.comment_id)
    if command.question not in command.questions:
        raise UnknownQuestion(f"there is no question {command.question!r} in this meeting")
    if comment.parent is not None:
        raise InvalidPlace("move its top-level comment, or un-nest this sub-bullet first")
    if comment.question == command.question:
        return []
    return [e.CommentMoved(comment_id=comment.comment_id, question=command.question, by=command.by)]


def _nest(command: NestComment, state: TableState) -> list[e.TableEvent]:
    comment = _live(state, command.comment_id)
    if comment.parent == command.parent:
        return []
    if command.parent == comment.comment_id:
        raise InvalidParent("a comment cannot be its own sub-bullet")
    if comment.parent is not None:
        raise InvalidPlace("un-nest this sub-bullet before nesting it elsewhere")
    if any(not state.comments[c].retracted for c in state.children(comment.comment_id)):
        raise InvalidPlace("a comment with sub-bullets cannot become one (one level only)")
    _check_parent(state, command.parent, comment.question)
    return [e.CommentNested(comment_id=comment.comment_id, parent=command.parent, by=command.by)]


def _check_parent(state: TableState, parent_id: str, question: str) -> None:
    parent = state.comments.get(parent_id)
    if parent is None or parent.retracted:
        raise InvalidParent("the parent is not a comment of this table")
    if parent.question != question:
        raise InvalidParent("the parent is under another question")
    if parent.parent is not None:
        raise InvalidParent("sub-bullets are one level deep: the parent is itself a sub-bullet")


def _known(state: TableState, comment_id: str) -> Comment:
    comment = state.comments.get(comment_id)
    if comment is None:
        raise UnknownComment("there is no such comment at this table")
    return comment


def _live(state: TableState, comment_id: str) -> Comment:
    comment = _known(state, comment_id)
    if comment.retracted or (
        comment.parent is not None and state.comments[comment.parent].retracted
    ):
        raise UnknownComment("that comment was retracted")
    return comment
