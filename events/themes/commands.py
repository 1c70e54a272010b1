"""The theme-wall commands, their refusals and the checks they share (``events.themes.rules``
decides them).

A command carries what the shell looked up for it: the meeting's topics and questions, and
whether a comment is live at its table and which topic that table is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.errors import DomainError
from events.one_line import clean_line
from events.tables.rules import UnknownComment, UnknownQuestion
from events.themes.events import CommentRef

MAX_TITLE = 120
"""Longest theme title, in code points after trimming: a title is read from the back of a room."""


class InvalidTheme(DomainError):
    code = "invalid_theme"


class TitleRefused(DomainError):
    code = "invalid_title"


class UnknownTopic(DomainError):
    code = "unknown_topic"


class WrongTopic(DomainError):
    code = "wrong_topic"


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateTheme:
    theme_id: str
    title: str
    topic: str | None
    question: str | None
    topics: frozenset[str]
    questions: frozenset[str]
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RenameTheme:
    theme_id: str
    title: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddToTheme:
    theme_id: str
    comment: CommentRef
    live: bool
    """The comment is at its table and not retracted (the shell looked)."""
    topic: str | None
    """The topic of the comment's table."""
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveFromTheme:
    theme_id: str
    comment: CommentRef
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeThemes:
    theme_id: str
    into: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SplitTheme:
    theme_id: str
    new_theme_id: str
    title: str
    comments: tuple[CommentRef, ...]
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UndoGrouping:
    action: int | None
    """The action the client means to undo (as the wall showed it), or ``None``: the latest."""
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkKeyTheme:
    theme_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmarkKeyTheme:
    theme_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderKeyThemes:
    topic: str | None
    question: str | None
    theme_ids: tuple[str, ...]
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptSuggestion:
    """Accept a theme suggestion in one action: a new theme ``theme_id`` titled ``title``
    (``into`` ``None``), or the existing theme ``into``, takes ``comments``."""

    suggestion_id: str
    theme_id: str
    title: str
    into: str | None
    comments: tuple[CommentRef, ...]
    found: dict[CommentRef, tuple[str, str]]
    """(topic of its table, question) of each of ``comments`` that is live (the shell looked)."""
    by: str


ThemeCommand = (
    AcceptSuggestion
    | CreateTheme
    | RenameTheme
    | AddToTheme
    | RemoveFromTheme
    | MergeThemes
    | SplitTheme
    | UndoGrouping
    | MarkKeyTheme
    | UnmarkKeyTheme
    | OrderKeyThemes
)


def clean_title(title: str) -> str:
    """The title as stored: ends trimmed; refused if empty, too long or not one line."""
    return clean_line(title, what="a theme title", most=MAX_TITLE, refused=TitleRefused)


def check_scope(
    topic: str | None, question: str | None, topics: frozenset[str], questions: frozenset[str]
) -> None:
    if topic is not None and topic not in topics:
        raise UnknownTopic(f"there is no topic {topic!r} in this meeting")
    if question is not None and question not in questions:
        raise UnknownQuestion(f"there is no question {question!r} in this meeting")


def check_comment(command: AddToTheme, theme_topic: str | None) -> None:
    if not command.live:
        raise UnknownComment(
            f"there is no live comment {command.comment.comment_id!r} "
            f"at table {command.comment.table}"
        )
    if theme_topic is not None and command.topic != theme_topic:
        raise WrongTopic("this theme is for another topic; put the comment in a cross-topic theme")
