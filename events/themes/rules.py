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

from dataclasses import dataclass, field, replace

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
from events.themes.events import CommentRef

__all__ = [
    "AcceptSuggestion",
    "AddToTheme",
    "CreateTheme",
    "MarkKeyTheme",
    "MergeThemes",
    "OrderKeyThemes",
    "RemoveFromTheme",
    "RenameTheme",
    "SplitTheme",
    "ThemeCommand",
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


Scope = tuple[str | None, str | None]
"""(topic, question) of a theme; ``None`` for cross-topic, or for any question."""


@dataclass(frozen=True, slots=True)
class Theme:
    theme_id: str
    title: str
    topic: str | None
    question: str | None
    created: int
    """Its place among the themes, in order of creation (for a stable wall)."""
    merged_into: str | None = None
    """The theme it was merged into: it has ended (and comes back if the merge is undone)."""
    key: bool = False

    @property
    def ended(self) -> bool:
        return self.merged_into is not None

    @property
    def scope(self) -> Scope:
        return (self.topic, self.question)


@dataclass(frozen=True, slots=True)
class ThemeWallState:
    themes: dict[str, Theme] = field(default_factory=dict)
    placed: dict[CommentRef, str] = field(default_factory=dict)
    key_order: dict[Scope, tuple[str, ...]] = field(default_factory=dict)
    """The key themes of each scope in order (an ended one keeps its place, hidden)."""
    done: tuple[tuple[int, e.GroupingEvent], ...] = ()
    """The grouping actions not undone, numbered, newest last."""
    actions: int = 0
    created: int = 0

    def members(self, theme_id: str) -> tuple[CommentRef, ...]:
        return tuple(sorted(ref for ref, t in self.placed.items() if t == theme_id))

    def key_themes(self, scope: Scope) -> tuple[str, ...]:
        return tuple(t for t in self.key_order.get(scope, ()) if not self.themes[t].ended)


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
    match event:
        case e.ThemeRenamed(theme_id=tid, title=title):
            return _with_theme(state, replace(state.themes[tid], title=title))
        case e.ThemeMarkedKey(theme_id=tid) | e.ThemeUnmarkedKey(theme_id=tid):
            key = isinstance(event, e.ThemeMarkedKey)
            theme = state.themes[tid]
            order = tuple(t for t in state.key_order.get(theme.scope, ()) if t != tid)
            state = _with_theme(state, replace(theme, key=key))
            return replace(
                state,
                key_order=_ordered(state.key_order, theme.scope, (*order, tid) if key else order),
            )
        case e.KeyThemesOrdered(topic=topic, question=question, theme_ids=ids):
            hidden = tuple(t for t in state.key_order.get((topic, question), ()) if t not in ids)
            return replace(
                state, key_order=_ordered(state.key_order, (topic, question), ids + hidden)
            )
        case e.GroupingUndone():
            (_, undone), done = state.done[-1], state.done[:-1]
            return replace(_revert(state, undone), done=done)
        case _:
            number = state.actions + 1
            state = replace(state, actions=number, done=(*state.done, (number, event)))
            return _apply(state, event)


def _apply(state: ThemeWallState, event: e.GroupingEvent) -> ThemeWallState:
    match event:
        case e.ThemeCreated(theme_id=tid):
            theme = Theme(tid, event.title, event.topic, event.question, state.created + 1)
            return replace(_with_theme(state, theme), created=state.created + 1)
        case e.CommentAddedToTheme(theme_id=tid, comment=ref):
            return replace(state, placed={**state.placed, ref: tid})
        case e.CommentRemovedFromTheme(comment=ref):
            return replace(state, placed=_unplaced(state.placed, (ref,)))
        case e.ThemesMerged(theme_id=tid, into=into, comments=refs):
            state = _with_theme(state, replace(state.themes[tid], merged_into=into))
            return replace(state, placed={**state.placed, **dict.fromkeys(refs, into)})
        case e.ThemeSplit(theme_id=tid, new_theme_id=new, comments=refs):
            old = state.themes[tid]
            theme = Theme(new, event.title, old.topic, old.question, state.created + 1)
            state = replace(_with_theme(state, theme), created=state.created + 1)
            return replace(state, placed={**state.placed, **dict.fromkeys(refs, new)})
        case e.SuggestionAccepted(theme_id=tid, comments=refs):
            if event.new:
                theme = Theme(tid, event.title, event.topic, event.question, state.created + 1)
                state = replace(_with_theme(state, theme), created=state.created + 1)
            return replace(state, placed={**state.placed, **dict.fromkeys(refs, tid)})


def _revert(state: ThemeWallState, event: e.GroupingEvent) -> ThemeWallState:
    """The state as it was before ``event`` (the latest grouping action not undone)."""
    match event:
        case e.ThemeCreated(theme_id=tid):
            return _without_theme(state, tid)
        case e.CommentAddedToTheme(comment=ref, previous=previous):
            if previous is None:
                return replace(state, placed=_unplaced(state.placed, (ref,)))
            return replace(state, placed={**state.placed, ref: previous})
        case e.CommentRemovedFromTheme(theme_id=tid, comment=ref):
            return replace(state, placed={**state.placed, ref: tid})
        case (
            e.ThemesMerged(theme_id=tid, comments=refs) | e.ThemeSplit(theme_id=tid, comments=refs)
        ):
            if isinstance(event, e.ThemeSplit):
                state = _without_theme(state, event.new_theme_id)
            else:
                state = _with_theme(state, replace(state.themes[tid], merged_into=None))
            return replace(state, placed={**state.placed, **dict.fromkeys(refs, tid)})
        case e.SuggestionAccepted(theme_id=tid, comments=refs, previous=previous):
            if event.new:
                state = _without_theme(state, tid)
            back = {ref: old for ref, old in zip(refs, previous, strict=True) if old is not None}
            placed = {**_unplaced(state.placed, refs), **back}
            return replace(state, placed=placed)


def _with_theme(state: ThemeWallState, theme: Theme) -> ThemeWallState:
    return replace(state, themes={**state.themes, theme.theme_id: theme})


def _without_theme(state: ThemeWallState, theme_id: str) -> ThemeWallState:
    scope = state.themes[theme_id].scope
    order = tuple(t for t in state.key_order.get(scope, ()) if t != theme_id)
    return replace(
        state,
        themes={t: theme for t, theme in state.themes.items() if t != theme_id},
        key_order=_ordered(state.key_order, scope, order),
    )


def _ordered(
    key_order: dict[Scope, tuple[str, ...]], scope: Scope, order: tuple[str, ...]
) -> dict[Scope, tuple[str, ...]]:
    """The key orders with ``scope``'s replaced (and left out when empty: one state, one form)."""
    rest = {s: o for s, o in key_order.items() if s != scope}
    return {**rest, scope: order} if order else rest


def _unplaced(placed: dict[CommentRef, str], refs: tuple[CommentRef, ...]) -> dict[CommentRef, str]:
    return {ref: t for ref, t in placed.items() if ref not in refs}
