"""Every fact about the comments of one table, in its stream ``table-<meeting_id>-<number>``.

A comment is a top-level point under a question or a sub-bullet under one (one level deep,
as in the published report). ``by`` is the device that caused the event. Moving or retracting
a top-level comment takes its sub-bullets along; that is how every view applies these events,
so a move or a retraction is one event however many sub-bullets follow it.
"""

from __future__ import annotations

from typing import Any

from events.log.codec import Event, codec
from events.log.codec import record as _record


@codec.register
@_record
class CommentAdded(Event):
    """A facilitator typed a comment (at the end of its question, or of its parent's
    sub-bullets), in the rotation, group and phase in effect when it was typed; ``late`` when
    it reached the server after that rotation ended (a tablet catching up) or in the grace
    window after the close (``events.meeting.closing``). ``typed_at`` is the tablet's claim kept
    within
    [the meeting's opening, the arrival]; ``clamped`` when it had to be moved
    (``events.tables.typed_time``; logs written before it have no ``clamped``: false)."""

    type = "CommentAdded"
    comment_id: str
    question: str
    text: str
    parent: str | None
    rotation: int | None
    group: str | None
    phase: str
    late: bool
    typed_at: int
    clamped: bool = False
    by: str


@codec.register
@_record
class CommentEdited(Event):
    """A comment's text was corrected; the event holds the whole new text."""

    type = "CommentEdited"
    comment_id: str
    text: str
    by: str


@codec.register
@_record
class CommentRetracted(Event):
    """A comment (with its sub-bullets) was withdrawn; it stays in the log, not in the views."""

    type = "CommentRetracted"
    comment_id: str
    by: str


@codec.register
@_record
class CommentRestored(Event):
    """A retracted comment (with its sub-bullets) was brought back: the undo of a retraction."""

    type = "CommentRestored"
    comment_id: str
    by: str


@codec.register
@_record
class CommentMoved(Event):
    """A top-level comment (with its sub-bullets) was moved to the end of another question."""

    type = "CommentMoved"
    comment_id: str
    question: str
    by: str


@codec.register
@_record
class CommentReordered(Event):
    """A comment was put right after ``after`` among its siblings (``None``: first)."""

    type = "CommentReordered"
    comment_id: str
    after: str | None
    by: str


@codec.register
@_record
class CommentNested(Event):
    """A top-level comment with no sub-bullets became the last sub-bullet of ``parent``."""

    type = "CommentNested"
    comment_id: str
    parent: str
    by: str


@codec.register
@_record
class CommentUnnested(Event):
    """A sub-bullet became a top-level comment, placed right after its former parent."""

    type = "CommentUnnested"
    comment_id: str
    by: str


@codec.register
@_record
class CommentStarred(Event):
    """The table's facilitator (or the lead) marked the comment as one that matters most."""

    type = "CommentStarred"
    comment_id: str
    by: str


@codec.register
@_record
class CommentUnstarred(Event):
    """A comment's star was taken off."""

    type = "CommentUnstarred"
    comment_id: str
    by: str


@_record
class ErasedPayload:
    """One event whose payload an erasure set to null: where it was, and its ``stand_in``,
    the payload as stored with its words replaced by the erasure's marker, so that a view can
    still place what the words belonged to (``events.erasure``)."""

    event_id: str
    position: int
    type: str
    stand_in: dict[str, Any]


@codec.register
@_record
class CommentErased(Event):
    """The comment's words were erased for good (privacy law): the payloads of ``erased`` (its
    addition, its edits, and the ``themes`` titles and ``key_themes`` sentences staff chose)
    were set to null in the same transaction. Where the words were, views show ``marker``
    ("[erased on DATE]", with the ``reason`` when ``show_reason``)."""

    type = "CommentErased"
    comment_id: str
    reason: str
    show_reason: bool
    on: str
    marker: str
    erased: tuple[ErasedPayload, ...]
    themes: tuple[str, ...]
    key_themes: tuple[str, ...]
    by: str


TableEvent = (
    CommentAdded
    | CommentEdited
    | CommentRetracted
    | CommentRestored
    | CommentMoved
    | CommentReordered
    | CommentNested
    | CommentUnnested
    | CommentStarred
    | CommentUnstarred
    | CommentErased
)
