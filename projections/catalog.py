"""Every view of the log in one fold: each meeting's view, its tables, its theme wall, what
the lead announced, the lead's moderation of the wall, the report-back's freeze and the
room's dot vote.

What ``roundtable rebuild``, ``roundtable replay`` and the replay benchmark compute. Each
stream is routed once (by its id) to the fold of its kind; the tables are folded in place
(``TableDraft``) and frozen only when read, so a rebuild costs one step per event.
``scene`` gives one meeting's views as they stand, for ``projections.screens`` to render;
``rendered`` gives each view's canonical JSON, the bytes the live server renders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from events import meeting, messages, moderation, themes, voting
from events import report_back as rb
from events.comments import table_number
from events.envelope import Recorded
from projections import announcements, report_back, theme_wall
from projections import meeting as meeting_view
from projections import moderation as moderation_view
from projections import table as table_view
from projections import voting as voting_view
from projections.announcements import AnnouncementsView
from projections.comment_refs import Tables
from projections.meeting import MeetingProjection, MeetingView
from projections.moderation import ModerationView
from projections.report_back import Freeze, Sources
from projections.screens import Scene
from projections.table import TableDraft, TableView
from projections.theme_wall import ThemeWallView
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
    """One meeting's folds (private to the catalog: read them through ``Catalog``)."""

    meeting_id: str
    meeting: MeetingView = field(default_factory=MeetingView)
    tables: dict[int, TableDraft] = field(default_factory=dict)
    wall: ThemeWallView | None = None
    announcements: AnnouncementsView = field(default_factory=AnnouncementsView)
    freeze: Freeze = field(default_factory=Freeze)
    moderation: ModerationView = field(default_factory=ModerationView)
    voting: VotingView = field(default_factory=VotingView)

    def table(self, number: int) -> TableView:
        draft = self.tables.get(number)
        return draft.view() if draft else TableView(self.meeting_id, number)

    def states(self) -> Tables:
        """The state of every table that has an event, by number."""
        return {number: draft.view().state for number, draft in self.tables.items()}

    def the_wall(self) -> ThemeWallView:
        return self.wall or ThemeWallView(self.meeting_id)


Route = Callable[[Folds, Recorded], None]


class Catalog:
    """The views of a whole log (or of the events given), folded one event at a time."""

    def __init__(self) -> None:
        self.position = 0
        self._folds: dict[str, Folds] = {}
        self._routes: dict[str, tuple[Route, Folds]] = {}
        """Each stream's fold and its meeting's folds (a stream stays in one meeting)."""

    def apply(self, record: Recorded) -> None:
        routed = self._routes.get(record.stream_id)
        if routed is None:
            folds = self._folds.get(record.meeting_id)
            if folds is None:
                folds = self._folds[record.meeting_id] = Folds(record.meeting_id)
            routed = self._routes[record.stream_id] = (_route(record), folds)
        route, folds = routed
        route(folds, record)
        self.position = record.position

    @classmethod
    def resume(cls, scene: Scene, position: int) -> Catalog:
        """A catalog of one meeting, resumed from its ``scene`` at ``position`` (a replay
        checkpoint): that meeting's later events fold on from there, the scene unchanged."""
        catalog = cls()
        catalog.position = position
        catalog._folds[scene.meeting_id] = Folds(
            scene.meeting_id,
            scene.meeting,
            {number: TableDraft(view) for number, view in scene.tables.items()},
            scene.wall,
            scene.announcements,
            scene.freeze,
            scene.moderation,
            scene.voting,
        )
        return catalog

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
            moderation=folds.moderation,
            voting=folds.voting,
            freeze=folds.freeze,
        )

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
                wall = folds.wall
                body = theme_wall.dumps(wall, plan, folds.states())
                name = f"theme-wall-{meeting_id}"
                views.append(Rendered(name, wall.version, wall.position, body))
        return views


def _route(record: Recorded) -> Route:
    """How events of ``record``'s stream are folded (the stream's kind, from its id)."""
    meeting_id, stream = record.meeting_id, record.stream_id
    if stream == meeting.stream_id(meeting_id):
        return _meeting(MeetingProjection(meeting_id))
    if (number := table_number(stream, meeting_id)) is not None:
        return _table(number)
    if stream == themes.stream_id(meeting_id):
        return _wall
    if stream == messages.stream_id(meeting_id):
        return _announcement
    if stream == moderation.stream_id(meeting_id):
        return _moderation
    if stream == rb.stream_id(meeting_id):
        return _freeze
    if stream == voting.stream_id(meeting_id):
        return _voting
    return _skip


def _meeting(projection: MeetingProjection) -> Route:
    def apply(folds: Folds, record: Recorded) -> None:
        folds.meeting = projection.apply(folds.meeting, record)

    return apply


def _table(number: int) -> Route:
    def apply(folds: Folds, record: Recorded) -> None:
        draft = folds.tables.get(number)
        if draft is None:
            draft = folds.tables[number] = TableDraft(TableView(folds.meeting_id, number))
        draft.apply(record)

    return apply


def _wall(folds: Folds, record: Recorded) -> None:
    folds.wall = theme_wall.evolve(folds.the_wall(), record)


def _announcement(folds: Folds, record: Recorded) -> None:
    folds.announcements = announcements.evolve(folds.announcements, record)


def _moderation(folds: Folds, record: Recorded) -> None:
    folds.moderation = moderation_view.evolve(folds.moderation, record)


def _voting(folds: Folds, record: Recorded) -> None:
    folds.voting = voting_view.evolve(folds.voting, record)


def _freeze(folds: Folds, record: Recorded) -> None:
    sources = Sources(folds.meeting, folds.states(), folds.the_wall())
    folds.freeze = report_back.evolve(folds.freeze, record, sources)


def _skip(folds: Folds, record: Recorded) -> None:
    """A stream no view reads (the devices' sign-ins, say)."""
