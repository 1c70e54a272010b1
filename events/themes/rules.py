"""The theme-wall decider: how the lead groups the meeting's comments into themes.

One stream per meeting (``themes-<meeting_id>``), so that two lead windows editing at once
are decided one after the other against the same wall. A comment is in at most one theme.

**Undo** is meeting-wide and last-in first-out: ``UndoGrouping`` reverts the most recent
grouping action (create, put in, take out, merge, split) that is not yet undone, whoever
made it, as a new event; undoing again goes one further back. Renaming and key themes are not
grouping actions: they have their own inverse (rename again, unmark). A client may name the
action it means to undo; if another lead acted meanwhile, the undo is refused (``stale_undo``)
rather than reverting something its person never saw.

The shell passes in what the rules cannot see: the meeting's topics and questions, and for a
comment whether it is live at its table and the topic of that table.
"""

from __future__ import annotations

from events.errors import DomainError
from events.tables.rules import UnknownComment
from events.themes import events as e
from events.themes.commands import (
    AcceptSuggestion,
    AddToTheme,
    CreateTheme,
    InvalidTheme,
    MarkKeyTheme,
    MergeThemes,
    OrderKeyThemes,
    RemoveFromTheme,
    RenameTheme,
    SplitTheme,
    ThemeCommand,
    UndoGrouping,
    UnmarkKeyTheme,
    WrongTopic,
    check_comment,
    check_scope,
    clean_title,
)
from events.themes.wall import Scope, Theme, ThemeWallState, Wall

__all__ = [
    "AcceptSuggestion",
    "AddToTheme",
    "CreateTheme",
    "MarkKeyTheme",
    "MergeThemes",
    "OrderKeyThemes",
    "RemoveFromTheme",
    "RenameTheme",
    "Scope",
    "SplitTheme",
    "Theme",
    "ThemeCommand",
    "ThemeWallState",
    "UndoGrouping",
    "UnmarkKeyTheme",
    "decide",
    "evolve",
    "initial_state",
    "stream_id",
]


class UnknownTheme(DomainError):
    code = "unknown_theme"


class NothingToUndo(DomainError):
    code = "nothing_to_undo"


class StaleUndo(DomainError):
    code = "stale_undo"


initial_state = ThemeWallState()


def stream_id(meeting_id: str) -> str:
    return f"themes-{meeting_id}"


def decide(command: ThemeCommand, state: ThemeWallState) -> list[e.ThemeEvent]:
    match command:
        case CreateTheme(theme_id=tid, by=by):
            title = clean_title(command.title)
            check_scope(command.topic, command.question, command.topics, command.questions)
            old = state.themes.get(tid)
            if old is not None:
                if (old.title, old.scope) == (title, (command.topic, command.question)):
                    return []
                raise InvalidTheme("there is already a theme with this id")
            return [
                e.ThemeCreated(
                    theme_id=tid, title=title, topic=command.topic, question=command.question, by=by
                )
            ]
        case RenameTheme(theme_id=tid, by=by):
            title = clean_title(command.title)
            theme = _live(state, tid)
            return (
                [] if title == theme.title else [e.ThemeRenamed(theme_id=tid, title=title, by=by)]
            )
        case AddToTheme(theme_id=tid, comment=ref, by=by):
            theme = _live(state, tid)
            check_comment(command, theme.topic)
            previous = state.placed.get(ref)
            if previous == tid:
                return []
            return [e.CommentAddedToTheme(theme_id=tid, comment=ref, previous=previous, by=by)]
        case RemoveFromTheme(theme_id=tid, comment=ref, by=by):
            _live(state, tid)
            if state.placed.get(ref) != tid:
                return []  # already out (another lead window took it out first)
            return [e.CommentRemovedFromTheme(theme_id=tid, comment=ref, by=by)]
        case MergeThemes(theme_id=tid, into=into, by=by):
            merged, kept = _live(state, tid), _live(state, into)
            if tid == into:
                raise InvalidTheme("a theme cannot be merged into itself")
            if kept.topic is not None and merged.topic != kept.topic:
                raise InvalidTheme(
                    "a theme can only be merged into one of its own topic, or a cross-topic one"
                )
            return [e.ThemesMerged(theme_id=tid, into=into, comments=state.members(tid), by=by)]
        case SplitTheme(theme_id=tid, new_theme_id=new, by=by):
            title = clean_title(command.title)
            _live(state, tid)
            refs = tuple(sorted(set(command.comments)))
            if not refs:
                raise InvalidTheme("name at least one comment of the theme to split out")
            if any(state.placed.get(ref) != tid for ref in refs):
                raise InvalidTheme("only comments of this theme can be split out of it")
            if new in state.themes:
                raise InvalidTheme("there is already a theme with the new id")
            return [e.ThemeSplit(theme_id=tid, new_theme_id=new, title=title, comments=refs, by=by)]
        case AcceptSuggestion():
            return _accept(command, state)
        case UndoGrouping(action=action, by=by):
            if not state.done:
                raise NothingToUndo("there is no grouping action left to undo")
            last = state.done[-1][0]
            if action is not None and action != last:
                raise StaleUndo(f"the last grouping action is now number {last}, not {action}")
            return [e.GroupingUndone(action=last, by=by)]
        case MarkKeyTheme(theme_id=tid, by=by):
            return [] if _live(state, tid).key else [e.ThemeMarkedKey(theme_id=tid, by=by)]
        case UnmarkKeyTheme(theme_id=tid, by=by):
            return [e.ThemeUnmarkedKey(theme_id=tid, by=by)] if _live(state, tid).key else []
        case OrderKeyThemes(topic=topic, question=question, theme_ids=ids, by=by):
            current = state.key_themes((topic, question))
            if sorted(ids) != sorted(current) or len(set(ids)) != len(ids):
                raise InvalidTheme("name every key theme of this topic and question, once each")
            if tuple(ids) == current:
                return []
            return [e.KeyThemesOrdered(topic=topic, question=question, theme_ids=tuple(ids), by=by)]


def _accept(command: AcceptSuggestion, state: ThemeWallState) -> list[e.ThemeEvent]:
    """One grouping action: a new theme with the comments, or the comments into ``into``."""
    refs = tuple(sorted(set(command.comments)))
    if not refs:
        raise InvalidTheme("a suggestion to accept names at least one comment")
    gone = next((ref for ref in refs if ref not in command.found), None)
    if gone is not None:
        raise UnknownComment(f"there is no live comment {gone.comment_id!r} at table {gone.table}")
    if command.into is not None:
        theme = _live(state, command.into)
        if theme.topic is not None and any(command.found[r][0] != theme.topic for r in refs):
            raise WrongTopic("this theme is for another topic; the suggestion spans others")
        moving = tuple(ref for ref in refs if state.placed.get(ref) != theme.theme_id)
        if not moving:
            return []
        tid, title, scope, new = theme.theme_id, theme.title, theme.scope, False
    else:
        tid, title, new, moving = command.theme_id, clean_title(command.title), True, refs
        if tid in state.themes:
            raise InvalidTheme("there is already a theme with this id")
        topics = {command.found[r][0] for r in refs}
        questions = {command.found[r][1] for r in refs}
        scope = (
            next(iter(topics)) if len(topics) == 1 else None,
            next(iter(questions)) if len(questions) == 1 else None,
        )
    return [
        e.SuggestionAccepted(
            suggestion_id=command.suggestion_id,
            theme_id=tid,
            new=new,
            title=title,
            topic=scope[0],
            question=scope[1],
            comments=moving,
            previous=tuple(state.placed.get(ref) for ref in moving),
            by=command.by,
        )
    ]


def _live(state: ThemeWallState, theme_id: str) -> Theme:
    theme = state.themes.get(theme_id)
    if theme is None:
        raise UnknownTheme("there is no such theme")
    if theme.merged_into is not None:
        into = state.themes[theme.merged_into].title
        raise UnknownTheme(f"that theme was merged into {into!r}")
    return theme


# Evolve ---------------------------------------------------------------------------------


def evolve(state: ThemeWallState, event: e.ThemeEvent) -> ThemeWallState:
    """The decider's evolve: ``state`` with one event applied (``state`` is left as it was)."""
    wall = Wall(state)
    wall.apply(event)
    return wall.freeze(last=True)
