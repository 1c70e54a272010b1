"""Every fact about the lead's theme wall of one meeting, in its stream ``themes-<meeting_id>``.

A comment is referenced as (table, comment id), since comment ids are the tablets' own and
only unique within a table. The grouping events (a theme created, a comment put in or taken
out, two themes merged, one split) each carry what it takes to undo them (``previous``, the
comments moved), so ``GroupingUndone`` names only which action it reverts. ``by`` is the
device that caused the event.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.log.codec import Event, codec
from events.log.codec import record as _record


@dataclass(frozen=True, slots=True, order=True)
class CommentRef:
    """One comment of the meeting: its table and its id there."""

    table: int
    comment_id: str


@codec.register
@_record
class ThemeCreated(Event):
    """The lead started a theme (its id is the lead page's own) under a topic and question;
    ``topic`` ``None``: a cross-topic theme; ``question`` ``None``: for any question."""

    type = "ThemeCreated"
    theme_id: str
    title: str
    topic: str | None
    question: str | None
    by: str


@codec.register
@_record
class ThemeRenamed(Event):
    """A theme got a new title (the event holds all of it)."""

    type = "ThemeRenamed"
    theme_id: str
    title: str
    by: str


@codec.register
@_record
class CommentAddedToTheme(Event):
    """A comment was put in a theme; ``previous`` is the theme it left (a comment is in at
    most one theme), so that an undo can put it back."""

    type = "CommentAddedToTheme"
    theme_id: str
    comment: CommentRef
    previous: str | None
    by: str


@codec.register
@_record
class CommentRemovedFromTheme(Event):
    """A comment was taken out of its theme; it is in none now."""

    type = "CommentRemovedFromTheme"
    theme_id: str
    comment: CommentRef
    by: str


@codec.register
@_record
class ThemesMerged(Event):
    """Theme ``theme_id`` ended and its ``comments`` went to ``into``."""

    type = "ThemesMerged"
    theme_id: str
    into: str
    comments: tuple[CommentRef, ...]
    by: str


@codec.register
@_record
class ThemeSplit(Event):
    """Some ``comments`` of ``theme_id`` became a new theme, ``new_theme_id``, under the same
    topic and question."""

    type = "ThemeSplit"
    theme_id: str
    new_theme_id: str
    title: str
    comments: tuple[CommentRef, ...]
    by: str


@codec.register
@_record
class GroupingUndone(Event):
    """The meeting's latest grouping action not yet undone (``action``, numbered from 1 in
    stream order) was reverted."""

    type = "GroupingUndone"
    action: int
    by: str


@codec.register
@_record
class ThemeMarkedKey(Event):
    """A theme became a key theme of its topic and question: last among them."""

    type = "ThemeMarkedKey"
    theme_id: str
    by: str


@codec.register
@_record
class ThemeUnmarkedKey(Event):
    """A theme is no longer a key theme."""

    type = "ThemeUnmarkedKey"
    theme_id: str
    by: str


@codec.register
@_record
class KeyThemesOrdered(Event):
    """The key themes of one topic and question were put in this order (each of them once)."""

    type = "KeyThemesOrdered"
    topic: str | None
    question: str | None
    theme_ids: tuple[str, ...]
    by: str


@codec.register
@_record
class SuggestionAccepted(Event):
    """The lead accepted a theme suggestion (``suggestion_id``, docs/themes.md) in one action:
    a new theme ``theme_id`` with ``title`` under ``topic`` and ``question`` (``new``), or the
    existing theme ``theme_id`` (not ``new``; ``title``, ``topic`` and ``question`` are then
    that theme's), took ``comments``; ``previous`` is, for each of them, the theme it left
    (``None``: none), so that one undo reverts all of it."""

    type = "SuggestionAccepted"
    suggestion_id: str
    theme_id: str
    new: bool
    title: str
    topic: str | None
    question: str | None
    comments: tuple[CommentRef, ...]
    previous: tuple[str | None, ...]
    by: str


GroupingEvent = (
    ThemeCreated
    | CommentAddedToTheme
    | CommentRemovedFromTheme
    | ThemesMerged
    | ThemeSplit
    | SuggestionAccepted
)
ThemeEvent = (
    GroupingEvent
    | ThemeRenamed
    | GroupingUndone
    | ThemeMarkedKey
    | ThemeUnmarkedKey
    | KeyThemesOrdered
)
