"""Close means closed: what a meeting still takes once the lead has closed it.

One rule, pure, judged by the server's clock when a request arrives (never by what a tablet
claims). Before the close everything goes on as the other rules say. After it:

- a table's commands (what a tablet's outbox holds: comments added, edited, moved, starred)
  are still taken for ``GRACE`` after the close, a new comment marked late, so a point typed
  just before the close on a tablet that was reconnecting is not lost; later they are
  refused (``meeting_closed``) and the tablet offers its text for copying;
- the lead's live work (themes, suggestions, messages, the wall, the report-back, the clock)
  is refused at once: the lead's laptop is in the room and saw the close;
- closing again changes nothing (it is acked with no event);
- no tablet joins any more;
- staff's report work, reading, replay and exports are not writes of the evening and go on,
  like the lead's care of the devices (signing a lost tablet out, links for staff).

Issue 20's placement rule (bell, grace, break) extends ``admit`` for the moments before the
close; ``GRACE`` is the one constant of the close's window.
"""

from __future__ import annotations

from enum import Enum

from events.instants import SECOND
from events.meeting.errors import MeetingIsClosed

GRACE_SECONDS = 60
"""How long after the close a table's waiting commands are still taken (marked late)."""
GRACE = GRACE_SECONDS * SECOND


class Request(Enum):
    """What is asked of a meeting, as the closing rule tells them apart."""

    TABLE = "table"
    """A table's command: comments and stars, from a tablet's outbox (or the lead at a table)."""
    LEAD = "lead"
    """The lead's live work: themes, suggestions, messages, the wall, report-back, clock."""
    CLOSE = "close"
    """Closing the meeting."""
    JOIN = "join"
    """A tablet joining a table with its join code."""
    REPORT = "report"
    """Staff's report work, reading, replay and exports."""


def admit(request: Request, closed_at: int | None, arrived_at: int) -> bool:
    """Whether ``request``, arriving at ``arrived_at``, is taken late because the meeting
    closed just before; ``MeetingIsClosed`` when it is not taken at all."""
    if closed_at is None or request in (Request.CLOSE, Request.REPORT):
        return False
    if request is Request.TABLE and arrived_at <= closed_at + GRACE:
        return True
    if request is Request.JOIN:
        raise MeetingIsClosed("meeting", "closed — tablets can no longer join it")
    raise MeetingIsClosed("meeting", "closed — nothing more can be added or changed; thank you")
