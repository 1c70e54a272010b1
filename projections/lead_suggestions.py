"""The theme suggestions offered on the lead's page, from the log's state alone.

``MeetingSuggester`` keeps a ``Suggester`` (``projections.suggestions``) in step with the live
comments of a meeting's tables: a comment is keyed ``"<table>/<comment id>"`` (ids are only
unique per table), added when it is live, replaced when its text changes, removed when it (or
its parent) is retracted, and added back when restored. ``offered`` then turns the groups into
what the lead is shown, given the wall and the lead's choices (docs/themes.md):

- a group's comments already in a theme are not suggested again as a new theme: if some are
  in a theme, the suggestion is to add the others to the theme holding most of them (it
  ``joins`` it); comments in any other theme are left where the lead put them;
- a group whose comments are all in themes is not shown;
- a group at least half of whose comments (two at least) were in one dismissed suggestion is
  the same idea and is not shown again.

Everything here depends on the comments, the wall and the choices only, never on time or on
the order things arrived, so the same log gives the same suggestions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from events.meeting.plan import Plan
from events.suggestions import rules as choices_rules
from events.suggestions.glossary import Glossary
from events.suggestions.rules import SuggestionsState
from events.themes.events import CommentRef
from events.themes.rules import ThemeWallState
from projections.comment_refs import Tables, live
from projections.suggestions import Comment, Suggester, Suggestion


def key(ref: CommentRef) -> str:
    """The Suggester's id of a comment."""
    return f"{ref.table}/{ref.comment_id}"


def ref_of(comment_key: str) -> CommentRef:
    table, comment_id = comment_key.split("/", 1)
    return CommentRef(int(table), comment_id)


class MeetingSuggester:
    """A meeting's live comments in a ``Suggester``, synced one table at a time."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._suggester = Suggester(glossary)
        self._held: dict[int, dict[str, str]] = {}

    def __len__(self) -> int:
        return len(self._suggester)

    def sync(self, plan: Plan, tables: Tables, numbers: Iterable[int]) -> None:
        """Bring the comments of tables ``numbers`` in step with ``tables``: only what changed
        costs anything (an added, edited, retracted or restored comment)."""
        for number in sorted(set(numbers)):
            held = self._held.setdefault(number, {})
            state = tables.get(number)
            table = plan.table(number)
            topic = table.topic_id if table is not None else ""
            wanted: dict[str, Comment] = {}
            for cid in sorted(state.comments if state is not None else ()):
                found = live(tables, number, cid)
                if found is not None and not found.erased:  # no words left to match
                    ref_key = key(CommentRef(number, cid))
                    wanted[ref_key] = Comment(
                        ref_key, number, topic, found.question, found.text, found.parent
                    )
            for gone in sorted(set(held) - set(wanted)):
                self._suggester.remove(gone)
                del held[gone]
            for ref_key, comment in wanted.items():
                if held.get(ref_key) != comment.text:
                    self._suggester.add(comment)
                    held[ref_key] = comment.text

    def suggestions(self) -> list[Suggestion]:
        return self._suggester.suggestions()

    @property
    def held_out(self) -> int:
        """Comments beyond the suggester's bound, not suggested (``projections.suggestions``)."""
        return len(self._suggester.held_out)


def suggestion_id(refs: Iterable[CommentRef]) -> str:
    """A suggestion's id: a hash of its sorted (table, comment id) pairs."""
    text = "\n".join(f"{r.table}\t{r.comment_id}" for r in sorted(set(refs)))
    return "s-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def dismissed(group: frozenset[CommentRef], choices: SuggestionsState) -> bool:
    """Whether ``group`` is an idea the lead dismissed: at least half of its comments, and two
    at least, were in one dismissed suggestion."""
    for refs in choices.dismissed.values():
        shared = len(group & refs)
        if shared >= 2 and 2 * shared >= len(group):
            return True
    return False


def offered(
    found: list[Suggestion], wall: ThemeWallState, choices: SuggestionsState, plan: Plan
) -> list[dict[str, Any]]:
    """The suggestions to show the lead, from the Suggester's groups ``found``."""
    shown: list[dict[str, Any]] = []
    for suggestion in found:
        refs = [ref_of(k) for k in suggestion.comments]
        unplaced = [r for r in refs if r not in wall.placed]
        if not unplaced:
            continue
        joins = _joins(refs, unplaced, wall, plan)
        in_theme = [r for r in refs if joins is not None and wall.placed.get(r) == joins]
        if joins is None and len(unplaced) < 2:
            continue
        group = frozenset(unplaced + in_theme)
        if dismissed(group, choices):
            continue
        shown.append(
            {
                "id": suggestion_id(group),
                "title": suggestion.title,
                "comments": [[r.table, r.comment_id] for r in unplaced],
                "tables": sorted({r.table for r in group}),
                "joins": None
                if joins is None
                else {
                    "theme_id": joins,
                    "title": wall.themes[joins].title,
                    "comments": [[r.table, r.comment_id] for r in in_theme],
                },
            }
        )
    return shown


def _joins(
    refs: list[CommentRef], unplaced: list[CommentRef], wall: ThemeWallState, plan: Plan
) -> str | None:
    """The theme holding most of the group's comments (the earliest made, on a tie), if it can
    take the others (a theme with a topic takes only comments of tables on it)."""
    counts: dict[str, int] = {}
    for ref in refs:
        theme_id = wall.placed.get(ref)
        if theme_id is not None and not wall.themes[theme_id].ended:
            counts[theme_id] = counts.get(theme_id, 0) + 1
    if not counts:
        return None
    best = min(counts, key=lambda t: (-counts[t], wall.themes[t].created, t))
    topic = wall.themes[best].topic
    if topic is not None:
        for ref in unplaced:
            table = plan.table(ref.table)
            if table is None or table.topic_id != topic:
                return None
    return best


def render(
    position: int,
    choices: SuggestionsState,
    glossary: Glossary,
    suggestions: list[dict[str, Any]],
    held_out: int = 0,
) -> dict[str, Any]:
    """The ``suggestions`` message: the offered suggestions (none when switched off), whether
    they are on, how many comments are beyond the suggester's bound, and the meeting's
    glossary for the lead to edit."""
    return {
        "type": "suggestions",
        "position": position,
        "enabled": choices.enabled,
        "suggestions": suggestions if choices.enabled else [],
        "dismissed": len(choices.dismissed),
        "held_out": held_out,
        "glossary": choices_rules.to_json(glossary),
    }
