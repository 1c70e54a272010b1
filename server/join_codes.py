"""Every join code of every meeting on this server, found in one look-up.

A typed code used to be compared with each table's code of the meeting, then (to say why it
was wrong) with every other meeting's, each folded from the log again: a wrong code cost
time in proportion to the meetings held (2 s with 40). Here the codes (current and replaced)
are kept by their digest, refreshed as the live views take in a meeting's plan or a code's
replacement, so a code costs the same with 1 meeting or 1,000. Keys are HMAC digests of the
normalised code, so no look-up compares the typed letters with a real code.
"""

from __future__ import annotations

import hashlib
import hmac

from events.devices import rules as devices
from events.devices.joining import Found
from events.log.envelope import Recorded
from events.meeting import rules as meeting
from server.access import join_code, normal
from server.live.views import LiveViews


class JoinCodes:
    """The join codes of the meetings in ``views``, kept in step with them."""

    def __init__(self, secret: bytes, views: LiveViews) -> None:
        self._secret = secret
        self._views = views
        self._codes: dict[bytes, Found] = {}
        self._of_meeting: dict[str, list[bytes]] = {}
        self._made_from: dict[str, tuple[object, object]] = {}
        views.listen_all(self.seen)

    def _key(self, code: str) -> bytes:
        return hmac.new(self._secret, normal(code).encode(), hashlib.sha256).digest()

    def find(self, code: str) -> Found | None:
        return self._codes.get(self._key(code))

    def seen(self, record: Recorded) -> None:
        """Called by the live views with every event: a meeting's plan or a code replaced."""
        meeting_id = record.meeting_id
        if record.stream_id in (meeting.stream_id(meeting_id), devices.stream_id(meeting_id)):
            self._refresh(meeting_id)

    def _refresh(self, meeting_id: str) -> None:
        view = self._views.meeting(meeting_id)
        plan = view.state.plan if view is not None else None
        state = self._views.devices(meeting_id)
        made_from = (plan, state.code_generations)
        if self._made_from.get(meeting_id) == made_from:
            return  # a device joined, or the clock moved: the codes are as they were
        self._made_from[meeting_id] = made_from
        for key in self._of_meeting.pop(meeting_id, ()):
            del self._codes[key]
        if plan is None:
            return
        keys = self._of_meeting[meeting_id] = []
        for table in plan.tables:
            latest = state.generation(table.number)
            for generation in range(latest + 1):
                key = self._key(join_code(self._secret, meeting_id, table.number, generation))
                self._codes[key] = Found(meeting_id, table.number, generation == latest)
                keys.append(key)
