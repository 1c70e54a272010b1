"""Who may do what: every action for every role, tables, meetings and the closed record."""

from __future__ import annotations

import pytest

from server.auth import Auth, Forbidden
from server.permissions import ACTIONS
from server.tokens import ORGANISERS, Grant, Role

MEETING = "kamloops"
ALLOWED: dict[str, set[str]] = {
    "meeting.read": {"lead", "facilitator", "observer", "staff", "organiser"},
    "meeting.plan": {"organiser"},
    "table.read": {"lead", "facilitator", "observer", "staff"},
    "comment.write": {"lead", "facilitator"},
    "comment.star": {"lead", "facilitator"},
    "clock.control": {"lead"},
    "theme.edit": {"lead"},
    "message.send": {"lead"},
    "wall.moderate": {"lead"},
    "voting.run": {"lead"},
    "devices.manage": {"lead"},
    "links.create": {"lead", "organiser"},
    "wall.read": {"lead", "observer", "staff", "facilitator"},
    "report.read": {"lead", "observer", "staff", "facilitator"},
    "record.read": {"lead", "staff"},
    "report.present": {"lead"},
    "report.edit": {"staff"},
    "report.publish": {"staff"},
    "log.export": {"staff"},
    "replay.read": {"staff", "lead"},
    "comment.erase": {"lead", "staff"},
}
ROLES: tuple[Role, ...] = ("lead", "facilitator", "observer", "staff")
"""The roles of one meeting; the organiser's grant is the server's."""


def grant(role: Role, meeting_id: str = MEETING, table: int | None = None) -> Grant:
    if role == "facilitator" and table is None:
        table = 2
    if role == "organiser" and meeting_id == MEETING:
        meeting_id = ORGANISERS
    return Grant(meeting_id=meeting_id, role=role, device_id=f"{role}-1", expires=1, table=table)


def auth() -> Auth:
    return Auth(store=None, secret=b"k")  # type: ignore[arg-type]  # require needs neither


def test_the_table_of_actions_is_the_one_tested_here() -> None:
    assert set(ACTIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", [*ROLES, "organiser"])
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_role_may_do_exactly_its_actions(role: Role, action: str) -> None:
    check = auth().require
    if role in ALLOWED[action]:
        closed = not (ACTIONS[action].lead_until_close and role == "lead")
        check(grant(role), action, meeting_id=MEETING, table=2, meeting_closed=closed)
    else:
        with pytest.raises(Forbidden, match=r"cannot .*: only .* can") as refused:
            check(grant(role), action, meeting_id=MEETING, table=2, meeting_closed=True)
        assert refused.value.code == "forbidden"


def test_a_facilitator_cannot_write_to_another_table() -> None:
    with pytest.raises(Forbidden, match=r"^a facilitator of table 2 cannot write to table 3$"):
        auth().require(grant("facilitator"), "comment.write", meeting_id=MEETING, table=3)
    with pytest.raises(Forbidden, match=r"^a facilitator of table 2 cannot read table 3$"):
        auth().require(grant("facilitator"), "table.read", meeting_id=MEETING, table=3)
    auth().require(grant("facilitator"), "comment.write", meeting_id=MEETING, table=2)


def test_the_lead_writes_to_any_table() -> None:
    for table in (1, 2, 3, 4):
        auth().require(grant("lead"), "comment.write", meeting_id=MEETING, table=table)


def test_a_table_action_without_a_table_is_refused_to_a_facilitator() -> None:
    with pytest.raises(Forbidden, match=r"only write comments of their own table \(table 2\)"):
        auth().require(grant("facilitator"), "comment.write", meeting_id=MEETING)


def test_two_facilitators_of_one_table_both_write_to_it() -> None:
    first = Grant(meeting_id=MEETING, role="facilitator", device_id="a", expires=1, table=2)
    spare = Grant(meeting_id=MEETING, role="facilitator", device_id="b", expires=1, table=2)
    for device in (first, spare):
        auth().require(device, "comment.write", meeting_id=MEETING, table=2)


@pytest.mark.parametrize("role", ROLES)
def test_a_grant_for_another_meeting_is_always_refused(role: Role) -> None:
    for action in ALLOWED:
        with pytest.raises(Forbidden, match=r"^this link is for another meeting$"):
            auth().require(grant(role, "other"), action, meeting_id=MEETING, table=2)


@pytest.mark.parametrize("action", ["report.edit", "report.publish", "log.export"])
def test_staff_finish_the_record_only_after_the_meeting_is_closed(action: str) -> None:
    with pytest.raises(Forbidden, match="only after the meeting is closed"):
        auth().require(grant("staff"), action, meeting_id=MEETING)
    auth().require(grant("staff"), action, meeting_id=MEETING, meeting_closed=True)
    with pytest.raises(Forbidden, match=r"^the lead cannot .*: only staff can$"):
        auth().require(grant("lead"), action, meeting_id=MEETING, meeting_closed=True)


def test_an_observer_writing_is_told_who_can() -> None:
    with pytest.raises(
        Forbidden,
        match=r"^an observer cannot write comments: only a table facilitator or the lead can$",
    ):
        auth().require(grant("observer"), "comment.write", meeting_id=MEETING, table=1)


def test_an_unknown_action_is_a_bug_not_a_refusal() -> None:
    with pytest.raises(KeyError):
        auth().require(grant("lead"), "comment.delete", meeting_id=MEETING)


def test_a_facilitator_stars_only_at_their_own_table() -> None:
    auth().require(grant("facilitator"), "comment.star", meeting_id=MEETING, table=2)
    with pytest.raises(
        Forbidden, match=r"^a facilitator of table 2 cannot star comments at table 3$"
    ):
        auth().require(grant("facilitator"), "comment.star", meeting_id=MEETING, table=3)


def test_an_organisers_grant_is_for_every_meeting_and_only_as_the_servers() -> None:
    for meeting_id in (MEETING, "other", ORGANISERS):
        auth().require(grant("organiser"), "meeting.plan", meeting_id=meeting_id)
        auth().require(grant("organiser"), "links.create", meeting_id=meeting_id)
    scoped = grant("organiser", "other")  # the role, but one meeting's scope: not issued
    with pytest.raises(Forbidden, match="role and scope do not go together"):
        auth().require(scoped, "meeting.read", meeting_id="other")
    with pytest.raises(Forbidden, match=r"^the lead cannot create, copy or plan meetings"):
        auth().require(grant("lead"), "meeting.plan", meeting_id=ORGANISERS)


def test_the_lead_erases_during_the_meeting_and_staff_after_it() -> None:
    auth().require(grant("lead"), "comment.erase", meeting_id=MEETING)
    with pytest.raises(Forbidden, match=r"^the lead can erase a comment's words only until"):
        auth().require(grant("lead"), "comment.erase", meeting_id=MEETING, meeting_closed=True)
    with pytest.raises(Forbidden, match=r"^staff can erase a comment's words only after"):
        auth().require(grant("staff"), "comment.erase", meeting_id=MEETING)
    auth().require(grant("staff"), "comment.erase", meeting_id=MEETING, meeting_closed=True)
    for role in ("facilitator", "observer"):
        with pytest.raises(Forbidden, match="cannot erase a comment's words: only"):
            auth().require(grant(role), "comment.erase", meeting_id=MEETING, meeting_closed=True)
