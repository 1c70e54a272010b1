"""Who may join a table, as a spec table (``events.devices.joining``).

Given whose code was typed (``None``: nobody's), whether the meeting named exists and when it
closed, when the join arrives (by the server's clock), then: the table joined, or the refusal
and its reason.
"""

from __future__ import annotations

import pytest

from events.devices.joining import Found, JoinRefused, admit
from events.meeting.closing import GRACE
from events.meeting.errors import MeetingIsClosed

CLOSED = 1_686_884_700_000_000  # 20:25 on the Kamloops evening
M = "kamloops"
TABLE_3 = Found(M, 3, current=True)
REPLACED = Found(M, 3, current=False)
ELSEWHERE = Found("penticton", 3, current=True)

SPEC: list[tuple[Found | None, bool, int | None, int, int | str]] = [
    # given this meeting's current code, the tablet joins its table, until the close
    (TABLE_3, True, None, CLOSED, 3),
    (TABLE_3, True, CLOSED, CLOSED, "closed — tablets can no longer join it"),
    (TABLE_3, True, CLOSED, CLOSED + GRACE, "closed — tablets can no longer join it"),
    # a code that does not open this meeting's table says why, open or closed
    (REPLACED, True, None, CLOSED, "this join code of table 3 was replaced: ask the lead"),
    (ELSEWHERE, True, None, CLOSED, "this join code is for another meeting, not 'kamloops'"),
    (None, True, None, CLOSED, "this join code is not right: check it against the join sheet"),
    (None, True, CLOSED, CLOSED + 1, "this join code is not right"),
    (REPLACED, True, CLOSED, CLOSED + 1, "was replaced: ask the lead"),
    # no such meeting: the link is wrong, whatever the code
    (None, False, None, CLOSED, "there is no meeting 'kamloops': check the join link"),
    (ELSEWHERE, False, None, CLOSED, "there is no meeting 'kamloops'"),
]


@pytest.mark.parametrize(("found", "known", "closed_at", "arrived_at", "then"), SPEC)
def test_who_may_join(
    found: Found | None, known: bool, closed_at: int | None, arrived_at: int, then: int | str
) -> None:
    if isinstance(then, int):
        assert admit(M, found, known, closed_at, arrived_at) == then
        return
    refusal = MeetingIsClosed if then.startswith("closed") else JoinRefused
    with pytest.raises(refusal, match=then) as refused:
        admit(M, found, known, closed_at, arrived_at)
    assert refused.value.code == (
        "meeting_closed" if refusal is MeetingIsClosed else "join_refused"
    )
