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


def evolve(view: ModerationView, record: Recorded) -> ModerationView:
    """The view with one event of the moderation stream applied (``view`` is left as it was)."""
    event = record.decode()
    standing = view.standing
    match event:
        case moderation.WallRuleSet(rule=rule, minutes=minutes):
            standing = Standing(rule, minutes, standing.choices)
        case moderation.CommentApproved() | moderation.CommentTakenOff():
            approved = isinstance(event, moderation.CommentApproved)
            choices = dict(standing.choices)
            choices[(event.table, event.comment_id)] = Choice(approved, record.recorded_at)
            standing = Standing(standing.rule, standing.minutes, MappingProxyType(choices))
        case _:
            return view
    return ModerationView(standing, record.position)


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
