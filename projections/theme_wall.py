"""The theme wall: the lead's themes per topic and question, and the cross-topic ones.

The view folds the meeting's themes stream with the theme decider's own fold
(``events.themes.wall``; ``WallDraft`` folds it in place, for rebuilds and the live views); what a
theme's comments say comes from the table states at render time, so an edit at a table shows
on the wall at once and a retracted comment drops out of its theme (and comes back if
restored). ``render`` is canonical JSON-ready data: ints, strings, booleans and nulls, so the
view rebuilt from position 0 gives the same bytes as the live one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events.log.codec import canonical
from events.log.envelope import Recorded
from events.meeting.plan import Plan
from events.themes import events as e
from events.themes.events import CommentRef
from events.themes.rules import Scope, Theme, ThemeWallState
from events.themes.wall import Wall
from projections.comment_refs import Tables, counts, live, shown


@dataclass(frozen=True, slots=True)
class ThemeWallView:
    meeting_id: str
    state: ThemeWallState = field(default_factory=ThemeWallState)
    event_positions: dict[str, int] = field(default_factory=dict)
    """Where each event id is in the log: a resent command is acked with its positions."""
    version: int = 0
    position: int = 0


class WallDraft:
    """A theme wall view being folded: changed in place, one step per event, and frozen into a
    ``ThemeWallView`` only when someone reads it (``view()``, kept until the next event). A
    rebuild of a meeting whose lead grouped thousands of comments would otherwise copy every
    placement, the undo history and every event's position per event."""

    __slots__ = ("_view", "event_positions", "meeting_id", "position", "version", "wall")

    def __init__(self, view: ThemeWallView) -> None:
        self.meeting_id = view.meeting_id
        self.wall = Wall(view.state)
        self.event_positions = dict(view.event_positions)
        self.version = view.version
        self.position = view.position
        self._view: ThemeWallView | None = view

    def apply(self, record: Recorded) -> None:
        """Apply one event of the themes stream."""
        event = record.decode()
        assert isinstance(event, e.ThemeEvent)
        self.wall.apply(event)
        self.event_positions[record.event_id] = record.position
        self.version = record.version
        self.position = record.position
        self._view = None

    def view(self, *, last: bool = False) -> ThemeWallView:
        """The view as it stands, immutable: later events do not change it. ``last``: the
        draft is not used again, so its dicts are handed over, not copied."""
        if self._view is None:
            positions = self.event_positions if last else dict(self.event_positions)
            state = self.wall.freeze(last=last)
            self._view = ThemeWallView(
                self.meeting_id, state, positions, self.version, self.position
            )
        return self._view


def evolve(view: ThemeWallView, record: Recorded) -> ThemeWallView:
    """``view`` with one event of the themes stream applied (``view`` is left as it was)."""
    draft = WallDraft(view)
    draft.apply(record)
    return draft.view(last=True)


def render(view: ThemeWallView, plan: Plan, tables: Tables) -> dict[str, Any]:
    """The wall as data: for each topic (in the meeting's order, then cross-topic ``null``) and
    each question (then ``null``, any question), its themes in order of creation and its key
    themes in the lead's order."""
    state = view.state
    members: dict[str, list[CommentRef]] = {}
    for ref, theme_id in sorted(state.placed.items()):
        members.setdefault(theme_id, []).append(ref)
    by_scope: dict[Scope, list[Theme]] = {}
    for theme in sorted(state.themes.values(), key=lambda t: t.created):
        if not theme.ended:
            by_scope.setdefault(theme.scope, []).append(theme)
    topics: list[str | None] = [*(t.topic_id for t in plan.topics), None]
    questions: list[str | None] = [*(q.question_id for q in plan.questions), None]
    return {
        "meeting_id": view.meeting_id,
        "version": view.version,
        "position": view.position,
        "topics": [
            {
                "topic": topic,
                "questions": [
                    _scope(state, (topic, question), by_scope, members, tables)
                    for question in questions
                ],
            }
            for topic in topics
        ],
        "undo": _undo(state),
    }


def _scope(
    state: ThemeWallState,
    scope: Scope,
    by_scope: dict[Scope, list[Theme]],
    members: dict[str, list[CommentRef]],
    tables: Tables,
) -> dict[str, Any]:
    key = state.key_themes(scope)
    return {
        "question": scope[1],
        "themes": [
            _theme(t, key, members.get(t.theme_id, []), tables) for t in by_scope.get(scope, [])
        ],
        "key_themes": list(key),
    }


def _theme(
    theme: Theme, key: tuple[str, ...], refs: list[CommentRef], tables: Tables
) -> dict[str, Any]:
    found = [(ref.table, c) for ref in refs if (c := live(tables, ref.table, ref.comment_id))]
    found.sort(key=lambda pair: (pair[1].typed_at, pair[0], pair[1].comment_id))
    return {
        "id": theme.theme_id,
        "title": theme.title,
        "topic": theme.topic,
        "question": theme.question,
        "key": theme.key,
        "key_rank": key.index(theme.theme_id) + 1 if theme.theme_id in key else None,
        "comments": [shown(table, comment) for table, comment in found],
        **counts(found),
    }


def outline(view: ThemeWallView) -> dict[str, Any]:
    """The themes without their comments' texts: each live theme (in order of creation) with
    its members as ``[table, comment id]``, the key themes of every scope in order, and what
    an undo would revert. Pages that already hold the tables join the two; it is small
    enough to send whole after every theme event, so no page repeats the grouping rules."""
    state = view.state
    members: dict[str, list[list[Any]]] = {}
    for ref, theme_id in sorted(state.placed.items()):
        members.setdefault(theme_id, []).append([ref.table, ref.comment_id])
    live_themes = sorted((t for t in state.themes.values() if not t.ended), key=lambda t: t.created)
    scopes = sorted({t.scope for t in live_themes}, key=lambda s: (s[0] or "", s[1] or ""))
    return {
        "position": view.position,
        "version": view.version,
        "themes": [
            {
                "id": t.theme_id,
                "title": t.title,
                "topic": t.topic,
                "question": t.question,
                "key": t.key,
                "comments": members.get(t.theme_id, []),
            }
            for t in live_themes
        ],
        "key_themes": [
            {"topic": topic, "question": question, "theme_ids": list(key)}
            for topic, question in scopes
            if (key := state.key_themes((topic, question)))
        ],
        "undo": _undo(state),
    }


def _undo(state: ThemeWallState) -> dict[str, Any] | None:
    """What an undo would revert now, or ``null``: for the lead page's button, which names
    it in the lead's words (the theme's ``title``; the other theme's for a merge or a split;
    the comments moved, which the page knows the texts of)."""
    if not state.done:
        return None
    action, event = state.done[-1]
    undo: dict[str, Any] = {
        "action": action,
        "event_type": event.type,
        "theme_id": event.theme_id,
        "title": state.themes[event.theme_id].title,
    }
    match event:
        case e.CommentAddedToTheme(comment=ref) | e.CommentRemovedFromTheme(comment=ref):
            undo["comments"] = [[ref.table, ref.comment_id]]
        case e.ThemesMerged(into=into, comments=refs):
            undo["into_title"] = state.themes[into].title
            undo["comments"] = [[ref.table, ref.comment_id] for ref in refs]
        case (
            e.ThemeSplit(title=title, comments=refs)
            | e.SuggestionAccepted(title=title, comments=refs)
        ):
            undo["new_title"] = title
            undo["comments"] = [[ref.table, ref.comment_id] for ref in refs]
    return undo


def dumps(view: ThemeWallView, plan: Plan, tables: Tables) -> bytes:
    return canonical(render(view, plan, tables))
