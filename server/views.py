"""Live views: every meeting, table, theme-wall and announcements view of this process, kept
current by one subscription (the topic views are rendered from these).

The websocket hands a connecting client these views as they stand at one position, then the
events after it; the table command shell decides against them. ``wait_for(position)`` lets a
writer hold its table's lock until the view has caught up with its own append, so the next
command at that table is decided against a state that includes it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable

import orjson

from events import (
    comments,
    devices,
    erasure,
    meeting,
    messages,
    moderation,
    report_back,
    suggestions,
    themes,
    voting,
)
from events.device_events import DeviceEvent
from events.devices import DevicesState
from events.envelope import Recorded
from events.errors import SubscriptionFellBehind
from events.store import EventStore
from events.subscription import Subscription
from projections import announcements, suggestion_choices, theme_wall
from projections import moderation as moderation_view
from projections import report_back as report_back_view
from projections import table as table_view
from projections import voting as voting_view
from projections.catalog import Catalog
from projections.comment_refs import Tables
from projections.meeting import MeetingProjection, MeetingView
from projections.screens import Scene, render_voting
from projections.table import TableView
from projections.theme_wall import ThemeWallView
from server import dormant

Listener = Callable[[Recorded], None]


class LiveViews:
    """The meeting, table and theme-wall views of the whole log, folded as events commit."""

    def __init__(self, store: EventStore, *, kept: int = dormant.KEPT) -> None:
        """``kept``: how many closed meetings may be awake at once (``server.dormant``)."""
        self._store = store
        self.position = 0
        self.meetings: dict[str, MeetingView] = {}
        self.tables: dict[tuple[str, int], TableView] = {}
        self.walls: dict[str, ThemeWallView] = {}
        self.freezes: dict[str, report_back_view.Freeze] = {}
        self.choice_views: dict[str, suggestion_choices.ChoicesView] = {}
        self.announcements: dict[str, announcements.AnnouncementsView] = {}
        self.moderations: dict[str, moderation_view.ModerationView] = {}
        self.votes: dict[str, voting_view.VotingView] = {}
        self._voting_messages: dict[str, tuple[tuple[int, bool], bytes]] = {}
        self.device_states: dict[str, DevicesState] = {}
        self._outlines: dict[str, tuple[int, bytes]] = {}
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._listeners: dict[str, set[Listener]] = {}
        self._stream_listeners: dict[str, set[Listener]] = {}
        self._all_listeners: list[Listener] = []
        self._followers: Counter[str] = Counter()
        """How many listeners follow each meeting (a followed meeting is not put to sleep)."""
        self._dormant: set[str] = set()
        """Closed meetings of which only the light streams are folded (``server.dormant``)."""
        self._awake = dormant.Awake(kept)
        self._waking = asyncio.Lock()

    def listen(
        self, meeting_id: str, listener: Listener, streams: frozenset[str] | None = None
    ) -> None:
        """Call ``listener`` with every later event of the meeting (of ``streams`` only, if
        given), right after the views include it: one subscription fans out to every
        connection, none waits for another, and a tablet is not even asked about the events
        of the other tables."""
        self._followers[meeting_id] += 1
        if streams is None:
            self._listeners.setdefault(meeting_id, set()).add(listener)
        for stream in streams or ():
            self._stream_listeners.setdefault(stream, set()).add(listener)

    def listen_all(self, listener: Listener) -> None:
        """Call ``listener`` with every event of every meeting, for good (start-up wiring)."""
        self._all_listeners.append(listener)

    def unlisten(
        self, meeting_id: str, listener: Listener, streams: frozenset[str] | None = None
    ) -> None:
        self._followers[meeting_id] -= 1
        if streams is None:
            self._listeners.get(meeting_id, set()).discard(listener)
        for stream in streams or ():
            self._stream_listeners.get(stream, set()).discard(listener)

    async def start(self) -> None:
        """Catch up with the log (every meeting not closed; of the closed ones, only what
        ``server.dormant`` says), then follow it."""
        last = await self._store.last_position()
        records, self._dormant = await dormant.start_records(self._store, last)
        for record in records:
            self.apply(record)
        self.position = last
        subscription = self._store.subscribe(after=last)
        self._task = asyncio.create_task(self._follow(subscription), name="live-views")

    async def wake(self, meeting_id: str) -> None:
        """Fold the meeting now if it is dormant, before a request or connection reads it:
        every request and connection that names a meeting calls this first."""
        if meeting_id in self._dormant:
            async with self._waking:
                if meeting_id in self._dormant:
                    await self._fold_again(meeting_id, lambda: self.position)
                    self._dormant.discard(meeting_id)
        elif meeting_id not in self._awake:
            return  # never dormant: a meeting not closed at start-up, or not in the log
        for asleep in self._awake.opened(meeting_id, lambda m: self._followers[m] > 0):
            self._drop(asleep)
            self._dormant.add(asleep)

    def is_dormant(self, meeting_id: str) -> bool:
        return meeting_id in self._dormant

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self, subscription: Subscription) -> None:
        while True:
            try:
                async for record in subscription:
                    if record.type == erasure.ERASED:
                        await self._refold(record)
                    else:
                        self.apply(record)
                    async with self._changed:
                        self._changed.notify_all()
                return
            except SubscriptionFellBehind as behind:
                subscription = self._store.subscribe(after=behind.position)

    def apply(self, record: Recorded) -> None:
        """Fold one event (of a dormant meeting, only if of its light streams: the rest is
        read from the log when it wakes, and a table cannot be folded from its middle)."""
        meeting_id = record.meeting_id
        if meeting_id not in self._dormant or record.stream_id in dormant.light_streams(meeting_id):
            self._fold(record)
        self.position = record.position
        self._notify(record)

    async def _refold(self, record: Recorded) -> None:
        """An erasure: fold the meeting's views again from the log, where the words are gone
        now (the erased events read as their stand-ins), so that no view of this process keeps
        them and each equals a rebuild. (A dormant meeting is folded from the log when it
        wakes, with the stand-ins already.)"""
        if record.meeting_id not in self._dormant:
            await self._fold_again(record.meeting_id, lambda: record.position)
        self.position = record.position
        self._notify(record)

    async def _fold_again(self, meeting_id: str, upto: Callable[[], int]) -> None:
        """Fold the meeting's views from the log up to ``upto()``, with the rebuild's own fold
        (``Catalog``), and put them in place of the old ones at once. ``upto`` is asked again
        after each read, so that events the live fold took meanwhile are read too. (The
        devices and the suggestion choices are not the catalog's: they stay.)"""
        catalog, after = Catalog(), 0
        while (target := upto()) > after:
            async for earlier in self._store.read_all(after, meeting_id=meeting_id):
                if earlier.position > target:
                    break
                catalog.apply(earlier)
            after = target
        scene = catalog.scene(meeting_id)
        self._drop(meeting_id)
        self.meetings[meeting_id] = scene.meeting
        self.tables.update(((meeting_id, n), view) for n, view in scene.tables.items())
        self.walls[meeting_id] = scene.wall
        self.announcements[meeting_id] = scene.announcements
        self.moderations[meeting_id] = scene.moderation
        self.freezes[meeting_id] = scene.freeze
        self.votes[meeting_id] = scene.voting

    def _drop(self, meeting_id: str) -> None:
        """Drop the meeting's views that the catalog folds, all but its meeting view."""
        for key in [k for k in self.tables if k[0] == meeting_id]:
            del self.tables[key]
        for views in (self.walls, self.announcements, self.moderations, self.freezes, self.votes):
            views.pop(meeting_id, None)
        self._outlines.pop(meeting_id, None)
        self._voting_messages.pop(meeting_id, None)

    def _fold(self, record: Recorded) -> None:
        if record.stream_id == meeting.stream_id(record.meeting_id):
            projection = MeetingProjection(record.meeting_id)
            view = self.meetings.get(record.meeting_id) or projection.initial()
            self.meetings[record.meeting_id] = projection.apply(view, record)
        elif (number := comments.table_number(record.stream_id, record.meeting_id)) is not None:
            key = (record.meeting_id, number)
            table = self.tables.get(key) or TableView(*key)
            self.tables[key] = table_view.evolve(table, record)
        elif record.stream_id == themes.stream_id(record.meeting_id):
            wall = self.walls.get(record.meeting_id) or ThemeWallView(record.meeting_id)
            self.walls[record.meeting_id] = theme_wall.evolve(wall, record)
        elif record.stream_id == messages.stream_id(record.meeting_id):
            said = self.announcements.get(record.meeting_id) or announcements.AnnouncementsView()
            self.announcements[record.meeting_id] = announcements.evolve(said, record)
        elif record.stream_id == moderation.stream_id(record.meeting_id):
            moderated = self.moderated(record.meeting_id)
            self.moderations[record.meeting_id] = moderation_view.evolve(moderated, record)
        elif record.stream_id == voting.stream_id(record.meeting_id):
            voted = self.voted(record.meeting_id)
            self.votes[record.meeting_id] = voting_view.evolve(voted, record)
        elif record.stream_id == suggestions.stream_id(record.meeting_id):
            chosen = self.choices(record.meeting_id)
            self.choice_views[record.meeting_id] = suggestion_choices.evolve(chosen, record)
        elif record.stream_id == devices.stream_id(record.meeting_id):
            state = self.devices(record.meeting_id)
            event = record.decode()
            assert isinstance(event, DeviceEvent)
            self.device_states[record.meeting_id] = devices.evolve(state, event)
        elif record.stream_id == report_back.stream_id(record.meeting_id):
            self.freezes[record.meeting_id] = report_back_view.evolve(
                self.freeze(record.meeting_id), record, self.sources(record.meeting_id)
            )

    def _notify(self, record: Recorded) -> None:
        for listener in self._all_listeners:
            listener(record)
        for listener in list(self._listeners.get(record.meeting_id, ())):
            listener(record)
        for listener in list(self._stream_listeners.get(record.stream_id, ())):
            listener(record)

    async def wait_for(self, position: int) -> None:
        """Until every event up to ``position`` is in the views."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.position >= position)

    def meeting(self, meeting_id: str) -> MeetingView | None:
        return self.meetings.get(meeting_id)

    def table(self, meeting_id: str, number: int) -> TableView:
        return self.tables.get((meeting_id, number)) or TableView(meeting_id, number)

    def devices(self, meeting_id: str) -> DevicesState:
        """Which devices joined the meeting, which were revoked, each table's code generation."""
        return self.device_states.get(meeting_id) or devices.initial_state

    def wall(self, meeting_id: str) -> ThemeWallView:
        return self.walls.get(meeting_id) or ThemeWallView(meeting_id)

    def themes_message(self, meeting_id: str) -> tuple[int, bytes]:
        """The wall's version and its ``themes`` push (``theme_wall.outline``), encoded once
        per version for every page that reads the wall."""
        wall = self.wall(meeting_id)
        cached = self._outlines.get(meeting_id)
        if cached is None or cached[0] != wall.version:
            message = orjson.dumps({"type": "themes", **theme_wall.outline(wall)})
            cached = self._outlines[meeting_id] = (wall.version, message)
        return cached

    def announced(self, meeting_id: str) -> announcements.AnnouncementsView:
        return self.announcements.get(meeting_id) or announcements.AnnouncementsView()

    def moderated(self, meeting_id: str) -> moderation_view.ModerationView:
        """The lead's moderation of the meeting's projected wall."""
        return self.moderations.get(meeting_id) or moderation_view.ModerationView()

    def voted(self, meeting_id: str) -> voting_view.VotingView:
        """The room's dot vote in the meeting."""
        return self.votes.get(meeting_id) or voting_view.VotingView()

    def voting_message(self, meeting_id: str) -> bytes:
        """The ``voting`` push as the vote stands (its last event, and whether the meeting is
        closed), encoded once per change for every page that shows it."""
        meeting_view = self.meeting(meeting_id)
        closed = meeting_view is not None and meeting_view.state.clock.closed_at is not None
        version = (self.voted(meeting_id).position, closed)
        cached = self._voting_messages.get(meeting_id)
        if cached is None or cached[0] != version:
            view = render_voting(self.scene(meeting_id))
            cached = (version, orjson.dumps({"type": "voting", **view}))
            self._voting_messages[meeting_id] = cached
        return cached[1]

    def choices(self, meeting_id: str) -> suggestion_choices.ChoicesView:
        """The lead's choices about the meeting's theme suggestions (``server.suggestions``)."""
        return self.choice_views.get(meeting_id) or suggestion_choices.ChoicesView(meeting_id)

    def freeze(self, meeting_id: str) -> report_back_view.Freeze:
        return self.freezes.get(meeting_id) or report_back_view.Freeze()

    def sources(self, meeting_id: str) -> report_back_view.Sources:
        """What the meeting's report-back is drawn from, as it stands now."""
        meeting_view = self.meeting(meeting_id) or MeetingView()
        tables, wall = self.table_states(meeting_id), self.wall(meeting_id)
        return report_back_view.Sources(meeting_view, tables, wall)

    def scene(self, meeting_id: str) -> Scene:
        """The meeting's views as they stand, for ``projections.screens`` to render."""
        return Scene(
            meeting_id=meeting_id,
            meeting=self.meeting(meeting_id) or MeetingView(),
            tables={n: v for (m, n), v in self.tables.items() if m == meeting_id},
            wall=self.wall(meeting_id),
            announcements=self.announced(meeting_id),
            moderation=self.moderated(meeting_id),
            freeze=self.freeze(meeting_id),
            voting=self.voted(meeting_id),
        )

    def table_states(self, meeting_id: str) -> Tables:
        """The state of every table of the meeting that has a comment, by number."""
        return {n: v.state for (m, n), v in self.tables.items() if m == meeting_id}
