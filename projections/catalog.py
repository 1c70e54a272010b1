"""Every view of the log, folded in one place: the live server, ``roundtable rebuild`` and
``replay``, the reports, the HTTP reads and the tokens' checks all read these folds.

``ROUTES`` is the one table of how a stream is folded: its kind (``meeting``, ``table``,
``themes``...: its id without the meeting) names the fold that applies its events to the
meeting's views. The views are folded in place, one step per event (a table as a
``TableDraft``; the others are small immutable views, replaced), and handed out frozen: a view
read now does not change when the next event is folded.

The API is small on purpose: ``apply`` folds one event, ``scene`` gives one meeting's views as
they stand (and ``resume`` starts a catalog from one), ``meeting_ids`` lists the meetings, and
the per-view look-ups (``meeting``, ``table``, ``wall``...) read one view without building a
scene. ``rendered`` gives each view's canonical JSON, the bytes the live server sends.

**A new view** is one field of ``Folds`` and ``Scene``, one fold function, and one row in
``ROUTES`` (or one more view in an existing row's fold, when it reads a stream already routed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from events.devices.rules import DevicesState
from events.log.envelope import Recorded
from events.suggestions.rules import SuggestionsState
from events.tables.rules import table_number
from projections import announcements, report_back, theme_wall
from projections import meeting as meeting_view
from projections import table as table_view
from projections import voting as voting_view
from projections.announcements import AnnouncementsView
from projections.comment_refs import Tables
from projections.meeting import MeetingView
from projections.moderation import ModerationDraft, ModerationView
from projections.report_back import Freeze, Sources
from projections.screens import Scene
from projections.stream_state import Rules, RulesDraft, StreamState
from projections.table import TableDraft, TableView
from projections.theme_wall import ThemeWallView, WallDraft
from projections.voting import VotingView


@dataclass(frozen=True, slots=True)
class Rendered:
    """One view as canonical JSON, with how many events went into it."""

    name: str
    events: int
    position: int
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(slots=True)
class Folds:
    """One meeting's views as they are folded (private to the catalog: its look-ups and
    ``scene`` hand them out frozen)."""

    meeting_id: str
    meeting: MeetingView = field(default_factory=MeetingView)
    tables: dict[int, TableDraft] = field(default_factory=dict)
    wall: WallDraft | None = None
    announcements: AnnouncementsView = field(default_factory=AnnouncementsView)
    freeze: Freeze = field(default_factory=Freeze)
    moderation: ModerationDraft = field(default_factory=lambda: ModerationDraft(ModerationView()))
    voting: VotingView = field(default_factory=VotingView)
    rules: RulesDraft = field(default_factory=lambda: RulesDraft(Rules()))

    def table(self, number: int) -> TableView:
        draft = self.tables.get(number)
        return draft.view() if draft else TableView(self.meeting_id, number)

    def states(self) -> Tables:
        """The state of every table that has an event, by number."""
        return {number: draft.view().state for number, draft in self.tables.items()}

    def the_wall(self) -> ThemeWallView:
        return self.wall.view() if self.wall else ThemeWallView(self.meeting_id)


Step = Callable[[Recorded], None]
"""What one event of a stream does to its meeting's views."""
Route = Callable[[Folds, str], Step]
"""A kind of stream's fold: given a meeting's folds and one of its streams, the step each
event of that stream takes (bound once per stream, so an event costs one look-up and one call)."""


def _each(fold: Callable[[Folds, Recorded], None]) -> Route:
    """The route of a stream folded by ``fold(folds, record)``."""

    def bind(folds: Folds, stream_id: str) -> Step:
        return partial(fold, folds)

    return bind


def _meeting(folds: Folds, record: Recorded) -> None:
    folds.meeting = meeting_view.evolve(folds.meeting, record)


def _table(folds: Folds, stream_id: str) -> Step:
    """A table's events go straight to its draft (its number read once, from the stream id)."""
    number = table_number(stream_id, folds.meeting_id)
    assert number is not None
    draft = folds.tables.get(number) or TableDraft(TableView(folds.meeting_id, number))
    folds.tables[number] = draft
    return draft.apply


def _wall(folds: Folds, stream_id: str) -> Step:
    """The themes stream's events go straight to the meeting's wall draft."""
    draft = folds.wall = folds.wall or WallDraft(ThemeWallView(folds.meeting_id))
    return draft.apply


def _messages(folds: Folds, record: Recorded) -> None:
    """What the room is shown (``announcements``) and what the messages' rules decide on."""
    folds.announcements = announcements.evolve(folds.announcements, record)
    folds.rules.messages.apply(record)


def _moderation(folds: Folds, record: Recorded) -> None:
    """What the wall is shown of the lead's moderation, and what its rules decide on."""
    folds.moderation.apply(record)
    folds.rules.moderation.apply(record)


def _freeze(folds: Folds, record: Recorded) -> None:
    sources = Sources(folds.meeting, folds.states(), folds.the_wall())
    folds.freeze = report_back.evolve(folds.freeze, record, sources)


def _suggestions(folds: Folds, stream_id: str) -> Step:
    return folds.rules.suggestions.apply


def _devices(folds: Folds, stream_id: str) -> Step:
    return folds.rules.devices.apply


def _voting(folds: Folds, record: Recorded) -> None:
    folds.voting = voting_view.evolve(folds.voting, record)


def _report(folds: Folds, stream_id: str) -> Step:
    return folds.rules.report.apply


ROUTES: dict[str, Route] = {
    "meeting": _each(_meeting),
    "table": _table,
    "themes": _wall,
    "messages": _each(_messages),
    "moderation": _each(_moderation),
    "report-back": _each(_freeze),
    "suggestions": _suggestions,
    "devices": _devices,
    "voting": _each(_voting),
    "summary": _report,
}
"""How each kind of stream is folded: the one routing of events to views."""


def kind(stream_id: str, meeting_id: str) -> str:
    """A stream's kind: its id without the meeting's (and without a table's number)."""
    if table_number(stream_id, meeting_id) is not None:
        return "table"
    return stream_id.removesuffix(f"-{meeting_id}")


def _skip(record: Recorded) -> None:
    """An event of a stream of a kind ``ROUTES`` has no row for."""


class Catalog:
    """The views of a whole log (or of the events given), folded one event at a time."""

    def __init__(self) -> None:
        self.position = 0
        self._folds: dict[str, Folds] = {}
        self._steps: dict[str, Step] = {}
        """Each stream's step, bound to its meeting's folds (a stream stays in one meeting)."""
        self._streams: dict[str, list[str]] = {}
        """Each meeting's streams that have a step."""
        self.unrouted: set[str] = set()
        """The kinds of stream folded so far that ``ROUTES`` does not route."""

    def apply(self, record: Recorded) -> None:
        """Fold one event (the log's next)."""
        step = self._steps.get(record.stream_id)
        if step is None:
            step = self._steps[record.stream_id] = self._bind(record)
            self._streams.setdefault(record.meeting_id, []).append(record.stream_id)
        step(record)
        self.position = record.position

    def _bind(self, record: Recorded) -> Step:
        """The step of the record's stream, the first time the stream is folded here."""
        stream_kind = kind(record.stream_id, record.meeting_id)
        route = ROUTES.get(stream_kind)
        if route is None:
            self.unrouted.add(stream_kind)
            return _skip
        return route(self._of(record), record.stream_id)

    def _of(self, record: Recorded) -> Folds:
        folds = self._folds.get(record.meeting_id)
        if folds is None:
            folds = self._folds[record.meeting_id] = Folds(record.meeting_id)
        return folds

    @classmethod
    def resume(cls, scene: Scene, position: int) -> Catalog:
        """A catalog of one meeting, resumed from its ``scene`` at ``position`` (a replay
        checkpoint, or a meeting folded again): later events fold on from there, the scene
        unchanged."""
        catalog = cls()
        catalog.position = position
        catalog._folds[scene.meeting_id] = _thaw(scene)
        return catalog

    def replace_meeting(self, scene: Scene) -> None:
        """Put ``scene`` in place of the meeting's views (an erasure's fold again of the
        meeting, ``server.live.views``)."""
        self._folds[scene.meeting_id] = _thaw(scene)
        for stream in self._streams.pop(scene.meeting_id, ()):
            del self._steps[stream]  # bound to the old folds

    def meeting_ids(self) -> list[str]:
        return sorted(self._folds)

    def scene(self, meeting_id: str) -> Scene:
        """The meeting's views as they stand (empty ones for a meeting not in the log)."""
        folds = self._folds.get(meeting_id) or Folds(meeting_id)
        return Scene(
            meeting_id=meeting_id,
            meeting=folds.meeting,
            tables={number: draft.view() for number, draft in folds.tables.items()},
            wall=folds.the_wall(),
            announcements=folds.announcements,
            moderation=folds.moderation.view(),
            voting=folds.voting,
            freeze=folds.freeze,
            rules=folds.rules.view(),
        )

    def _get(self, meeting_id: str) -> Folds:
        return self._folds.get(meeting_id) or Folds(meeting_id)

    def meeting(self, meeting_id: str) -> MeetingView | None:
        """The meeting's view (``None``: the meeting was never scheduled in the log)."""
        folds = self._folds.get(meeting_id)
        return folds.meeting if folds is not None and folds.meeting.version else None

    def table(self, meeting_id: str, number: int) -> TableView:
        return self._get(meeting_id).table(number)

    def table_states(self, meeting_id: str) -> Tables:
        """The state of every table of the meeting that has an event, by number."""
        return self._get(meeting_id).states()

    def wall(self, meeting_id: str) -> ThemeWallView:
        return self._get(meeting_id).the_wall()

    def announced(self, meeting_id: str) -> AnnouncementsView:
        return self._get(meeting_id).announcements

    def moderated(self, meeting_id: str) -> ModerationView:
        """The lead's moderation of the meeting's projected wall."""
        return self._get(meeting_id).moderation.view()

    def voted(self, meeting_id: str) -> VotingView:
        """The room's dot vote in the meeting."""
        return self._get(meeting_id).voting

    def freeze(self, meeting_id: str) -> Freeze:
        return self._get(meeting_id).freeze

    def sources(self, meeting_id: str) -> Sources:
        """What the meeting's report-back is drawn from, as it stands now."""
        folds = self._get(meeting_id)
        return Sources(folds.meeting, folds.states(), folds.the_wall())

    def rules(self, meeting_id: str) -> Rules:
        """The meeting's streams as their rules see them (messages, moderation, suggestions,
        devices): what commands on them are decided against."""
        return self._get(meeting_id).rules.view()

    def choices(self, meeting_id: str) -> StreamState[SuggestionsState]:
        """The lead's choices about the meeting's theme suggestions."""
        return self._get(meeting_id).rules.suggestions.view()

    def devices(self, meeting_id: str) -> DevicesState:
        """Which devices joined the meeting, which were revoked, each table's code generation."""
        return self._get(meeting_id).rules.devices.state

    def rendered(self) -> list[Rendered]:
        """Every meeting's view, its tables by number and its theme wall, meeting by meeting."""
        views = []
        for meeting_id in self.meeting_ids():
            folds = self._folds[meeting_id]
            view, plan = folds.meeting, folds.meeting.state.plan
            if view.version:
                name = f"meeting-view-{meeting_id}"
                views.append(Rendered(name, view.version, view.position, meeting_view.dumps(view)))
            questions = [q.question_id for q in plan.questions] if plan else []
            for number in sorted(folds.tables):
                table = folds.table(number)
                body = table_view.dumps(table, questions)
                name = f"table-view-{meeting_id}-{number}"
                views.append(Rendered(name, table.version, table.position, body))
            if folds.wall is not None and plan is not None:
                wall = folds.wall.view()
                body = theme_wall.dumps(wall, plan, folds.states())
                name = f"theme-wall-{meeting_id}"
                views.append(Rendered(name, wall.version, wall.position, body))
        return views


def _thaw(scene: Scene) -> Folds:
    return Folds(
        scene.meeting_id,
        scene.meeting,
        {number: TableDraft(view) for number, view in scene.tables.items()},
        WallDraft(scene.wall),
        scene.announcements,
        scene.freeze,
        ModerationDraft(scene.moderation),
        scene.voting,
        RulesDraft(scene.rules),
    )


def fold(records: Iterable[Recorded]) -> Catalog:
    """A catalog of ``records`` (in position order), from nothing."""
    catalog = Catalog()
    for record in records:
        catalog.apply(record)
    return catalog
