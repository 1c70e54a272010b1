"""Who may do what: one table of actions and the roles allowed each, checked in one place.

Every HTTP route and websocket command names its action and calls ``check`` (through
``Auth.require``). The same table is in ``docs/security.md``, and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.errors import RoundtableError
from server.tokens import ORGANISERS, Grant, Role


class Forbidden(RoundtableError):
    """A valid token asking for something its role, table or meeting does not allow."""

    code = "forbidden"


@dataclass(frozen=True, slots=True)
class Rule:
    """``what`` is refused in plain words; ``own_table``: a facilitator only for their table;
    ``closed_only``: only once the meeting is closed (the record is final); ``lead_until_close``:
    the lead only until then (the room's business), the others' ``closed_only`` still holds."""

    roles: frozenset[Role]
    what: str
    own_table: bool = False
    closed_only: bool = False
    lead_until_close: bool = False


def _rule(roles: str, what: str, **options: bool) -> Rule:
    return Rule(frozenset(roles.split()), what, **options)  # type: ignore[arg-type]


EVERYONE = "lead facilitator observer staff"
ACTIONS: dict[str, Rule] = {
    "meeting.read": _rule(f"{EVERYONE} organiser", "see the meeting"),
    "meeting.plan": _rule("organiser", "create, copy or plan meetings"),
    "table.read": _rule("lead facilitator observer staff", "read a table", own_table=True),
    "comment.write": _rule("lead facilitator", "write comments", own_table=True),
    "comment.star": _rule("lead facilitator", "star comments", own_table=True),
    "clock.control": _rule("lead", "run the clock"),
    "theme.edit": _rule("lead", "edit themes"),
    "message.send": _rule("lead", "send messages to the tables"),
    "wall.moderate": _rule("lead", "choose what the projected wall shows"),
    "voting.run": _rule("lead", "open and close voting, or enter dots counted on paper"),
    "devices.manage": _rule("lead", "see or revoke devices"),
    "links.create": _rule("lead organiser", "create sign-in links or print join sheets"),
    "wall.read": _rule("lead observer staff facilitator", "see the theme wall"),
    "report.read": _rule("lead observer staff facilitator", "see the report-back"),
    "record.read": _rule("lead staff", "read the report or export it (every table's comments)"),
    "report.present": _rule("lead", "freeze or unfreeze the report-back"),
    "report.edit": _rule("staff", "edit the report", closed_only=True),
    "report.publish": _rule("staff", "publish the report", closed_only=True),
    "log.export": _rule("staff", "export the log", closed_only=True),
    "replay.read": _rule("staff lead", "replay the meeting"),
    "comment.erase": _rule(
        "lead staff", "erase a comment's words", closed_only=True, lead_until_close=True
    ),
}

_NAMES: dict[str, str] = {
    "lead": "the lead",
    "facilitator": "a table facilitator",
    "observer": "an observer",
    "staff": "staff",
    "organiser": "an organiser",
}


def check(
    grant: Grant,
    action: str,
    *,
    meeting_id: str,
    table: int | None = None,
    meeting_closed: bool = False,
) -> None:
    """Return if ``grant`` may do ``action``; else raise ``Forbidden`` saying what and why."""
    rule = ACTIONS[action]  # an unknown action is a bug in the caller, not a refusal
    if (grant.role == "organiser") != (grant.meeting_id == ORGANISERS):
        raise Forbidden("this token's role and scope do not go together")
    if grant.meeting_id not in (meeting_id, ORGANISERS) and meeting_id != ORGANISERS:
        raise Forbidden("this link is for another meeting")  # (the server's: said by role)
    who = _NAMES[grant.role]
    if grant.role not in rule.roles:
        allowed = " or ".join(sorted(_NAMES[r] for r in rule.roles))
        raise Forbidden(f"{who} cannot {rule.what}: only {allowed} can")
    if rule.own_table and grant.role == "facilitator":
        if table is None:
            raise Forbidden(f"{who} can only {rule.what} of their own table (table {grant.table})")
        if table != grant.table:
            verb = {"comment.write": "write to", "comment.star": "star comments at"}.get(
                action, "read"
            )
            raise Forbidden(f"a facilitator of table {grant.table} cannot {verb} table {table}")
    if rule.lead_until_close and grant.role == "lead":
        if meeting_closed:
            raise Forbidden(f"{who} can {rule.what} only until the meeting is closed; then staff")
    elif rule.closed_only and not meeting_closed:
        raise Forbidden(f"{who} can {rule.what} only after the meeting is closed")
