"""What of the tables' raw comments the projected wall may quote, decided by the lead, in the
meeting's stream ``moderation-<meeting_id>``.

The wall shows the lead's themes and their counts; a comment itself goes on it only under the
lead's rule: ``off`` (the default: none), ``approve`` (each one the lead approves) or
``after`` (every comment ``minutes`` after it reached the server, unless the lead took it off
first; approving shows it at once). Taking a comment off removes it from every wall at once,
whatever the rule. Each choice is an event, so a replay shows what the room saw. The lead's
page, the log and the report keep every comment: this is about the projector only.

``since`` is the one rule of when a comment is on the wall; the wall page carries a copy of it
(``client/js/wall_rule.js``) that the tests check against the same spec table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from events.errors import DomainError
from events.instants import MINUTE
from events.log.codec import Event, codec

Rule = Literal["off", "approve", "after"]
RULES: tuple[Rule, ...] = ("off", "approve", "after")
MAX_MINUTES = 60
"""Longest wait of the ``after`` rule: an hour is a whole rotation and more."""


class ModerationRefused(DomainError):
    code = "invalid_moderation"


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class WallRuleSet(Event):
    """From now, raw comments go on the projected wall under ``rule`` (``minutes``: the wait
    of the ``after`` rule, else null)."""

    type = "WallRuleSet"
    rule: str
    minutes: int | None
    by: str


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class CommentApproved(Event):
    """The lead approved comment ``comment_id`` of ``table`` for the projected wall."""

    type = "CommentApproved"
    table: int
    comment_id: str
    by: str


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class CommentTakenOff(Event):
    """The lead took comment ``comment_id`` of ``table`` off the projected wall."""

    type = "CommentTakenOff"
    table: int
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetWallRule:
    rule: str
    minutes: int | None
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveComment:
    table: int
    comment_id: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeOffWall:
    table: int
    comment_id: str
    by: str


ModerationCommand = SetWallRule | ApproveComment | TakeOffWall
ModerationEvent = WallRuleSet | CommentApproved | CommentTakenOff
Ref = tuple[int, str]
"""A comment: its table and its id."""


@dataclass(frozen=True, slots=True)
class ModerationState:
    rule: str = "off"
    minutes: int | None = None
    taken_off: frozenset[Ref] = frozenset()


initial_state = ModerationState()


def stream_id(meeting_id: str) -> str:
    return f"moderation-{meeting_id}"


def decide(command: ModerationCommand, state: ModerationState) -> list[ModerationEvent]:
    """The choice as an event; choosing the rule in force, or taking off a comment that is off,
    records nothing. Approving always records: the lead approves the words they read now (a
    comment edited since its last approval needs a new one)."""
    match command:
        case SetWallRule(rule=rule, minutes=minutes, by=by):
            if rule not in RULES:
                raise ModerationRefused(
                    f"the wall's rule is one of {', '.join(RULES)}, not {rule!r}"
                )
            if rule == "after":
                if minutes is None or not 1 <= minutes <= MAX_MINUTES:
                    raise ModerationRefused(f"'after' needs minutes from 1 to {MAX_MINUTES}")
            elif minutes is not None:
                raise ModerationRefused(f"minutes go with the 'after' rule only, not {rule!r}")
            if (rule, minutes) == (state.rule, state.minutes):
                return []
            return [WallRuleSet(rule=rule, minutes=minutes, by=by)]
        case ApproveComment(table=table, comment_id=comment_id, by=by):
            return [CommentApproved(table=table, comment_id=comment_id, by=by)]
        case TakeOffWall(table=table, comment_id=comment_id, by=by):
            if (table, comment_id) in state.taken_off:
                return []
            return [CommentTakenOff(table=table, comment_id=comment_id, by=by)]


def evolve(state: ModerationState, event: ModerationEvent) -> ModerationState:
    match event:
        case WallRuleSet(rule=rule, minutes=minutes):
            return ModerationState(rule, minutes, state.taken_off)
        case CommentApproved(table=table, comment_id=comment_id):
            off = state.taken_off - {(table, comment_id)}
            return ModerationState(state.rule, state.minutes, off)
        case CommentTakenOff(table=table, comment_id=comment_id):
            off = state.taken_off | {(table, comment_id)}
            return ModerationState(state.rule, state.minutes, off)


@dataclass(frozen=True, slots=True)
class Choice:
    """The lead's last word on one comment: ``approved`` or not (taken off), and when (µs)."""

    approved: bool
    at: int


@dataclass(frozen=True, slots=True)
class Standing:
    """The rule in force and the lead's last word on each comment, as the wall needs them."""

    rule: str = "off"
    minutes: int | None = None
    choices: Mapping[Ref, Choice] = field(default_factory=lambda: MappingProxyType({}))


def since(standing: Standing, ref: Ref, added_at: int, edited_at: int | None = None) -> int | None:
    """When (µs) comment ``ref``, recorded at ``added_at`` (and last edited at ``edited_at``),
    goes on the wall under the rule in force; ``None``: not under this rule. It is on the wall
    at ``now`` when the instant has come: ``since(...) is not None and since(...) <= now``. An
    approval is for the words the lead read: a comment edited after it waits again (under
    ``after``, its minutes count from the edit)."""
    choice = standing.choices.get(ref)
    if standing.rule == "off" or (choice is not None and not choice.approved):
        return None
    words = added_at if edited_at is None else max(added_at, edited_at)
    if choice is not None and choice.at >= words:
        return choice.at
    if standing.rule == "after" and standing.minutes is not None:
        return words + standing.minutes * MINUTE
    return None
