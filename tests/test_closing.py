"""Close means closed: the closing rule as a spec table (``events.meeting.closing``).

Given when the meeting closed (``None``: open), when a request of each kind arrives (by the
server's clock), then: taken (``"taken"``), taken and marked late (``"late"``) or refused
(``meeting_closed``).
"""

from __future__ import annotations

import pytest

from events.meeting.closing import GRACE, Request, admit
from events.meeting.errors import MeetingIsClosed

CLOSED = 1_686_884_700_000_000  # 20:25 on the Kamloops evening
T, L, C, J, R = Request.TABLE, Request.LEAD, Request.CLOSE, Request.JOIN, Request.REPORT

SPEC: list[tuple[Request, int | None, int, str]] = [
    # given the meeting is open, everything is taken as the other rules say
    (T, None, CLOSED, "taken"),
    (L, None, CLOSED, "taken"),
    (C, None, CLOSED, "taken"),
    (J, None, CLOSED, "taken"),
    (R, None, CLOSED, "taken"),
    # given it closed: a table's waiting commands within the grace window are taken, late
    (T, CLOSED, CLOSED, "late"),
    (T, CLOSED, CLOSED + GRACE - 1, "late"),
    (T, CLOSED, CLOSED + GRACE, "late"),
    (T, CLOSED, CLOSED + GRACE + 1, "meeting_closed"),
    (T, CLOSED, CLOSED + 60 * GRACE, "meeting_closed"),
    # the lead's live work is refused at once
    (L, CLOSED, CLOSED, "meeting_closed"),
    (L, CLOSED, CLOSED + 1, "meeting_closed"),
    # closing again changes nothing, and is not refused
    (C, CLOSED, CLOSED + 1, "taken"),
    (C, CLOSED, CLOSED + 60 * GRACE, "taken"),
    # no tablet joins a closed meeting
    (J, CLOSED, CLOSED, "meeting_closed"),
    (J, CLOSED, CLOSED + 1, "meeting_closed"),
    # staff's report work goes on
    (R, CLOSED, CLOSED + 1, "taken"),
    (R, CLOSED, CLOSED + 10_000 * GRACE, "taken"),
]


@pytest.mark.parametrize(("request_", "closed_at", "arrived_at", "outcome"), SPEC)
def test_the_closing_rule(
    request_: Request, closed_at: int | None, arrived_at: int, outcome: str
) -> None:
    if outcome == "meeting_closed":
        with pytest.raises(MeetingIsClosed) as refused:
            admit(request_, closed_at, arrived_at)
        assert refused.value.code == "meeting_closed"
        assert "closed" in str(refused.value)
    else:
        assert admit(request_, closed_at, arrived_at) is (outcome == "late")


def test_every_kind_of_request_is_in_the_spec() -> None:
    assert {row[0] for row in SPEC} == set(Request)
    assert {row[0] for row in SPEC if row[1] is not None and row[3] == "meeting_closed"} == {
        T,
        L,
        J,
    }
