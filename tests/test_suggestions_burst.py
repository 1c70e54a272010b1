"""A burst of comments costs the lead's suggestions one recomputation, not one per comment
(``server.live.suggestions.DELAY``): the live views and the suggester on a real SQLite file and
a real PostgreSQL, the burst committed in one append so that it reaches the views at once.
Counted by what the lead is pushed (each push carries the position it was computed at), with
a marker comment after the burst instead of a wait for nothing more to come."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore, now_micros
from events.tables import rules as comments
from events.tables.events import CommentAdded
from harness import patience
from harness.servers import rehearsal_started_now
from server.live.suggestions import LiveSuggestions
from server.live.views import LiveViews

pytestmark = pytest.mark.asyncio

MEETING = "burst"
TABLET = Metadata(actor="facilitator", device_id="tablet-1")


def _comment(n: int, text: str) -> NewEvent:
    added = CommentAdded(
        comment_id=f"c-{n}",
        question="working-well",
        text=text,
        parent=None,
        rotation=1,
        group="A",
        phase="roundtables",
        late=False,
        typed_at=now_micros(),
        by="tablet-1",
    )
    return NewEvent(added, f"{MEETING}-c-{n}", TABLET)  # type: ignore[arg-type]


async def _pushed(pushes: asyncio.Queue[bytes]) -> int:
    """The position the next push was computed at."""
    async with asyncio.timeout(patience.seconds(15)):
        return int(orjson.loads(await pushes.get())["position"])


async def test_a_burst_of_comments_is_one_recomputation(store: EventStore) -> None:
    await rehearsal_started_now(store, MEETING)
    views = LiveViews(store)
    await views.start()
    suggestions = LiveSuggestions(views)
    pushes: asyncio.Queue[bytes] = asyncio.Queue()
    try:
        suggestions.watch(MEETING, pushes.put_nowait)
        assert await _pushed(pushes) == views.position

        burst = [_comment(n, f"More detox beds, point {n}") for n in range(60)]
        stream = comments.stream_id(MEETING, 1)
        result = await store.append(stream, burst, meeting_id=MEETING, expected_version=0)
        assert await _pushed(pushes) == result.positions[-1]  # one push for all sixty

        marker = await store.append(
            stream, [_comment(60, "Detox")], meeting_id=MEETING, expected_version=60
        )
        assert await _pushed(pushes) == marker.positions[-1]  # and none between
    finally:
        await suggestions.stop()
        await views.stop()
