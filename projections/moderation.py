"""The lead's moderation of the projected wall, folded from the meeting's moderation stream:
the rule in force and the lead's last word on each comment, with when it was said.

Sent in the ``state`` message (view ``moderation``) to the lead's page and the wall, which
decide with ``events.themes.moderation.since`` (the wall's copy) which comments the room sees; a
replay folds the same view at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from events.log.envelope import Recorded
from events.themes import moderation
from events.themes.moderation import Choice, Standing


@dataclass(frozen=True, slots=True)
class ModerationView:
    standing: Standing = field(default_factory=Standing)
    position: int = 0


class ModerationDraft:
    """The view being folded: the lead's choices gathered in place, one step per event, and
    frozen into a ``ModerationView`` only when read (kept until the next event), so that a
    meeting whose lead approved thousands of comments is not copied whole per approval."""

    __slots__ = ("_view", "choices", "minutes", "position", "rule")

    def __init__(self, view: ModerationView) -> None:
        standing = view.standing
        self.rule, self.minutes = standing.rule, standing.minutes
        self.choices = dict(standing.choices)
        self.position = view.position
        self._view: ModerationView | None = view

    def apply(self, record: Recorded) -> None:
        """Apply one event of the moderation stream."""
        event = record.decode()
        match event:
            case moderation.WallRuleSet(rule=rule, minutes=minutes):
                self.rule, self.minutes = rule, minutes
            case moderation.CommentApproved() | moderation.CommentTakenOff():
                approved = isinstance(event, moderation.CommentApproved)
                self.choices[(event.table, event.comment_id)] = Choice(approved, record.recorded_at)
            case _:
                return
        self.position = record.position
        self._view = None

    def view(self, *, last: bool = False) -> ModerationView:
        """The view as it stands, immutable: later events do not change it. ``last``: the
        draft is not used again, so its choices are handed over, not copied."""
        if self._view is None:
            choices = MappingProxyType(self.choices if last else dict(self.choices))
            self._view = ModerationView(Standing(self.rule, self.minutes, choices), self.position)
        return self._view


def evolve(view: ModerationView, record: Recorded) -> ModerationView:
    """The view with one event of the moderation stream applied (``view`` is left as it was)."""
    draft = ModerationDraft(view)
    draft.apply(record)
    return draft.view(last=True)


def render(view: ModerationView) -> dict[str, Any]:
    """JSON-ready data: the rule, its minutes, and each choice as ``[table, comment id,
    approved, at]`` in table and id order."""
    standing = view.standing
    return {
        "rule": standing.rule,
        "minutes": standing.minutes,
        "choices": [
            [table, comment_id, choice.approved, choice.at]
            for (table, comment_id), choice in sorted(standing.choices.items())
        ],
    }
