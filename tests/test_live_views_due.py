"""The live views' meeting as of an instant (``LiveViews.meeting_as_of``, which places every
comment): it works out when the clock next falls due once per change of the meeting's view,
and always equals the rules' own ``as_of``, before that instant, at it and after it, and once
the view has changed (on SQLite and PostgreSQL, as every store test)."""

from __future__ import annotations

import pytest

from events.instants import MINUTE
from events.log.store import EventStore
from events.meeting import rules as meeting
from events.meeting.commands import EndRotation
from harness.servers import rehearsal_started_now
from server import meetings
from server.live.views import LiveViews

pytestmark = pytest.mark.asyncio

MEETING = "due"


async def test_the_meeting_as_of_an_instant_is_the_rules_own(store: EventStore) -> None:
    now = await rehearsal_started_now(store, MEETING)
    views = LiveViews(store)
    await views.start()
    try:
        for rotation in (1, 2):  # as first folded, then after the lead ends rotation 1 early
            view = views.meeting(MEETING)
            assert view is not None
            due = meeting.next_due(view.state)
            assert due is not None
            for instant in (due - 1, due, due + 90 * MINUTE):
                expected = meeting.as_of(view.state, instant)
                assert views.meeting_as_of(MEETING, instant) == expected
            end = EndRotation(rotation=rotation, at=now + rotation * MINUTE)
            ended = await meetings.run(store, MEETING, end, command_id=f"end-{rotation}")
            await views.wait_for(ended.positions[-1])
            assert meeting.next_due(views.meeting(MEETING).state) != due  # type: ignore[union-attr]
    finally:
        await views.stop()
