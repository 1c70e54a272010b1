"""Closed meetings lie dormant until someone opens one: start-up does not grow with history.

A closed meeting changes no more, and a year of them is most of the log. Start-up
(``server.live.views.LiveViews.start``) therefore folds every event of the meetings that are not
closed, but of a closed meeting only its small streams that the server reads without asking
for the meeting (its plan and clock, its devices, the lead's choices of suggestions); the rest
(tables, wall, messages, moderation, report-back, vote) is folded from the log, with the
rebuild's own fold (``projections.catalog``), when a request or a connection names the
meeting. ``Awake`` keeps at most ``KEPT`` such meetings folded, the least recently opened put
back to sleep first, unless a connection still follows it or a request (or command) that woke
it is not yet done (``LiveViews.awake``); a meeting closed while the server runs joins them when
it closes (``LiveViews.apply``), as if just opened. A meeting is named by a route's
``{meeting_id}`` (``wake_first``), a websocket's hello (``server.live.ws``) and a voting code
(``server.http.voting_api``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from events.devices import rules as devices
from events.log.envelope import Recorded
from events.log.store import EventStore
from events.meeting import rules as meeting
from events.meeting.events import MeetingClosed
from events.suggestions import rules as suggestions
from projections.screens import Scene
from projections.stream_state import Rules
from projections.theme_wall import ThemeWallView

KEPT = 8
"""Closed meetings kept folded at once (a staff member reading last year's reports opens a
few; each costs the memory of its views, up to tens of megabytes for a big evening)."""


def light_streams(meeting_id: str) -> tuple[str, ...]:
    """The streams of a closed meeting that start-up folds: what the server reads of every
    meeting without a request naming it (the meeting list, the clock, sign-ins, join codes)."""
    return (
        meeting.stream_id(meeting_id),
        devices.stream_id(meeting_id),
        suggestions.stream_id(meeting_id),
    )


def asleep(scene: Scene) -> Scene:
    """The meeting's views as a dormant meeting keeps them: what its light streams fold."""
    rules = Rules(suggestions=scene.rules.suggestions, devices=scene.rules.devices)
    return Scene(
        meeting_id=scene.meeting_id,
        meeting=scene.meeting,
        tables={},
        wall=ThemeWallView(scene.meeting_id),
        rules=rules,
    )


async def start_records(store: EventStore, last: int) -> tuple[list[Recorded], set[str]]:
    """What start-up folds of the log up to position ``last``, in position order, and the
    closed meetings it left dormant."""
    records: list[Recorded] = []
    closed: set[str] = set()
    for meeting_id in await store.meeting_ids():
        plan = await store.read_stream(meeting.stream_id(meeting_id))
        if any(r.type == MeetingClosed.type and r.position <= last for r in plan):
            closed.add(meeting_id)
            for stream in light_streams(meeting_id):
                records += await store.read_stream(stream)
        else:
            records += [r async for r in store.read_all(meeting_id=meeting_id, batch=10_000)]
    records = [r for r in records if r.position <= last]
    records.sort(key=lambda r: r.position)
    return records, closed


class Awake:
    """The closed meetings folded since start-up, the most recently opened last."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._order: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, meeting_id: str) -> bool:
        return meeting_id in self._order

    def opened(self, meeting_id: str, followed: Callable[[str], bool]) -> list[str]:
        """Note that ``meeting_id`` was opened; the meetings to put back to sleep to stay
        within ``kept`` (never one that ``followed`` says a connection still follows)."""
        self._order[meeting_id] = None
        self._order.move_to_end(meeting_id)
        asleep: list[str] = []
        for candidate in list(self._order):
            if len(self._order) <= self.kept:
                break
            if candidate != meeting_id and not followed(candidate):
                del self._order[candidate]
                asleep.append(candidate)
        return asleep


def wake_first(routes: list[BaseRoute]) -> None:
    """Make every route whose path names a meeting (``{meeting_id}``) wake it first."""
    for route in routes:
        if isinstance(route, Route) and "{meeting_id}" in route.path:
            route.app = _Waking(route.app)


class _Waking:
    """A route's app, run once the live views hold the meeting its path names, which they
    keep holding until the request is answered (``LiveViews.awake``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with scope["app"].state.views.awake(scope["path_params"]["meeting_id"]):
            await self.app(scope, receive, send)
