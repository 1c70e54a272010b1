"""The theme wall's state, and how one event changes it.

``ThemeWallState`` is the immutable wall the decider and the views read. ``Wall`` is the same
wall while it is being folded: plain dicts and a list, changed in place, so that folding a
meeting's whole themes stream costs one step per event instead of a copy of every placement
and of the undo history per event. ``apply`` is the one place the facts are applied (and
reverted, for an undo); the decider's ``evolve`` thaws, applies and freezes, and a rebuild
applies many events between two freezes (``projections.theme_wall.WallDraft``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from events.themes import events as e
from events.themes.events import CommentRef

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


class Wall:
    """A ``ThemeWallState`` being folded: mutable, private to its folder until ``freeze``."""

    __slots__ = ("_holes", "actions", "created", "done", "key_order", "placed", "themes")

    def __init__(self, state: ThemeWallState) -> None:
        """The wall of ``state``, thawed (``state`` is left as it was)."""
        self.themes = dict(state.themes)
        self.placed = dict(state.placed)
        self.key_order = dict(state.key_order)
        self.done = list(state.done)
        self.actions = state.actions
        self.created = state.created
        self._holes = False
        """Whether a comment was taken out of ``placed`` since it was last copied whole."""

    def freeze(self, *, last: bool = False) -> ThemeWallState:
        """An immutable copy; the wall can go on changing without touching it. ``last``: the
        wall is not used again, so its dicts are handed over, not copied."""
        if last:
            themes, placed, key_order = self.themes, self.placed, self.key_order
        else:
            if self._holes:
                # A dict that had keys removed is copied key by key, each hashed again (a
                # comment ref's hash is Python code): several times slower than copying one
                # without holes, which the live views do after every themes event. Rebuilt
                # once here, it copies fast until the next removal.
                self.placed, self._holes = dict(self.placed), False
            themes, placed, key_order = dict(self.themes), dict(self.placed), dict(self.key_order)
        done = tuple(self.done)
        return ThemeWallState(themes, placed, key_order, done, self.actions, self.created)

    def apply(self, event: e.ThemeEvent) -> None:
        themes = self.themes
        match event:
            case e.ThemeRenamed(theme_id=tid, title=title):
                themes[tid] = replace(themes[tid], title=title)
            case e.ThemeMarkedKey(theme_id=tid) | e.ThemeUnmarkedKey(theme_id=tid):
                key = isinstance(event, e.ThemeMarkedKey)
                theme = themes[tid]
                order = tuple(t for t in self.key_order.get(theme.scope, ()) if t != tid)
                themes[tid] = replace(theme, key=key)
                self._order(theme.scope, (*order, tid) if key else order)
            case e.KeyThemesOrdered(topic=topic, question=question, theme_ids=ids):
                hidden = tuple(t for t in self.key_order.get((topic, question), ()) if t not in ids)
                self._order((topic, question), ids + hidden)
            case e.GroupingUndone():
                self._revert(self.done.pop()[1])
            case _:
                self.actions += 1
                self.done.append((self.actions, event))
                self._group(event)

    def _group(self, event: e.GroupingEvent) -> None:
        placed = self.placed
        match event:
            case e.ThemeCreated(theme_id=tid):
                self._create(tid, event.title, event.topic, event.question)
            case e.CommentAddedToTheme(theme_id=tid, comment=ref):
                placed[ref] = tid
            case e.CommentRemovedFromTheme(comment=ref):
                self._unplace(ref)
            case e.ThemesMerged(theme_id=tid, into=into, comments=refs):
                self.themes[tid] = replace(self.themes[tid], merged_into=into)
                placed.update(dict.fromkeys(refs, into))
            case e.ThemeSplit(theme_id=tid, new_theme_id=new, comments=refs):
                old = self.themes[tid]
                self._create(new, event.title, old.topic, old.question)
                placed.update(dict.fromkeys(refs, new))
            case e.SuggestionAccepted(theme_id=tid, comments=refs):
                if event.new:
                    self._create(tid, event.title, event.topic, event.question)
                placed.update(dict.fromkeys(refs, tid))

    def _revert(self, event: e.GroupingEvent) -> None:
        """Back to the wall as it was before ``event`` (the latest grouping action not undone)."""
        placed = self.placed
        match event:
            case e.ThemeCreated(theme_id=tid):
                self._remove(tid)
            case e.CommentAddedToTheme(comment=ref, previous=previous):
                if previous is None:
                    self._unplace(ref)
                else:
                    placed[ref] = previous
            case e.CommentRemovedFromTheme(theme_id=tid, comment=ref):
                placed[ref] = tid
            case (
                e.ThemesMerged(theme_id=tid, comments=refs)
                | e.ThemeSplit(theme_id=tid, comments=refs)
            ):
                if isinstance(event, e.ThemeSplit):
                    self._remove(event.new_theme_id)
                else:
                    self.themes[tid] = replace(self.themes[tid], merged_into=None)
                placed.update(dict.fromkeys(refs, tid))
            case e.SuggestionAccepted(theme_id=tid, comments=refs, previous=previous):
                if event.new:
                    self._remove(tid)
                for ref in refs:
                    self._unplace(ref)
                placed.update(
                    (ref, old) for ref, old in zip(refs, previous, strict=True) if old is not None
                )

    def _unplace(self, ref: CommentRef) -> None:
        self.placed.pop(ref, None)
        self._holes = True

    def _create(self, theme_id: str, title: str, topic: str | None, question: str | None) -> None:
        self.created += 1
        self.themes[theme_id] = Theme(theme_id, title, topic, question, self.created)

    def _remove(self, theme_id: str) -> None:
        scope = self.themes.pop(theme_id).scope
        self._order(scope, tuple(t for t in self.key_order.get(scope, ()) if t != theme_id))

    def _order(self, scope: Scope, order: tuple[str, ...]) -> None:
        """Replace ``scope``'s key order (moved last; left out when empty: one state, one form)."""
        self.key_order.pop(scope, None)
        if order:
            self.key_order[scope] = order
