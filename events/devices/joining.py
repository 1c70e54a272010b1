"""Who may join a table: the rule a typed join code is judged by, pure, at the server's clock.

A tablet joins the table whose code it typed when the code is one of this meeting's and still
current (the lead has not reprinted that table's sheet since) and the meeting is not closed
(``events.meeting.closing``). A code that is wrong, replaced or another meeting's is refused with a
reason the person at the table can act on, and counts against the address it came from (the
server's throttle); joining a closed meeting is refused as the closing rule says. Joining the
same table again from the same browser is the same device (``events.devices.rules.rejoins``).
"""

from __future__ import annotations

from dataclasses import dataclass

from events.errors import RoundtableError
from events.meeting import closing
from events.meeting.closing import Request


@dataclass(frozen=True, slots=True)
class Found:
    """Whose code a typed code is."""

    meeting_id: str
    table: int
    current: bool
    """``False``: the code was replaced since (the lead reprinted the table's sheet)."""


class JoinRefused(RoundtableError):
    """A join code that is wrong, replaced, or for another meeting."""

    code = "join_refused"


def admit(
    meeting_id: str, found: Found | None, known: bool, closed_at: int | None, arrived_at: int
) -> int:
    """The table a code ``found`` for (``None``: no meeting has it) joins in ``meeting_id``
    (``known``: there is such a meeting), arriving at ``arrived_at``; ``JoinRefused`` for a
    code that does not open this meeting's table, ``MeetingIsClosed`` once it is closed."""
    if found is None or found.meeting_id != meeting_id or not found.current:
        raise JoinRefused(_why_not(meeting_id, found, known))
    closing.admit(Request.JOIN, closed_at, arrived_at)
    return found.table


def _why_not(meeting_id: str, found: Found | None, known: bool) -> str:
    if not known:
        return f"there is no meeting {meeting_id!r}: check the join link"
    if found is not None and found.meeting_id == meeting_id:
        return f"this join code of table {found.table} was replaced: ask the lead"
    if found is not None:
        return f"this join code is for another meeting, not {meeting_id!r}"
    return "this join code is not right: check it against the join sheet"
