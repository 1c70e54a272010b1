"""What a device is shown of one meeting: every view, as one list, rendered from one scene.

The websocket's ``state`` message renders ``STATE`` and ``roundtable replay`` renders
``VIEWS`` (the same, and the report-back), so a view replayed at a position is the view a
device was sent at that position, byte for byte. A ``Scene`` is the meeting's folds at one
position (the live views now, or the log folded up to a moment). A new view is one more line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from events.meeting.plan import Plan
from projections import announcements, moderation, report_back, theme_wall, topic, voting
from projections import meeting as meeting_view
from projections import table as table_view
from projections.announcements import AnnouncementsView
from projections.comment_refs import Tables
from projections.meeting import MeetingView
from projections.moderation import ModerationView
from projections.report_back import Freeze
from projections.stream_state import Rules
from projections.table import TableView
from projections.theme_wall import ThemeWallView
from projections.voting import VotingView


@dataclass(frozen=True, slots=True, kw_only=True)
class Scene:
    """One meeting's folds at one position."""

    meeting_id: str
    meeting: MeetingView
    tables: Mapping[int, TableView]
    """Every table with an event, by number (a table without one is shown empty)."""
    wall: ThemeWallView
    announcements: AnnouncementsView = field(default_factory=AnnouncementsView)
    moderation: ModerationView = field(default_factory=ModerationView)
    freeze: Freeze = field(default_factory=Freeze)
    voting: VotingView = field(default_factory=VotingView)
    rules: Rules = field(default_factory=Rules)
    """The streams no screen shows but their rules (messages, moderation, suggestions,
    devices): the catalog keeps them with the meeting's other views."""

    @property
    def plan(self) -> Plan:
        plan = self.meeting.state.plan
        assert plan is not None, "a meeting is shown once it is scheduled"
        return plan

    def states(self) -> Tables:
        return {number: view.state for number, view in self.tables.items()}

    def table(self, number: int) -> TableView:
        return self.tables.get(number) or TableView(self.meeting_id, number)


Render = Callable[[Scene, tuple[int, ...]], Any]
"""A view's data, from the scene and the numbers of the tables the device is shown."""


@dataclass(frozen=True, slots=True)
class View:
    name: str
    render: Render
    tablet: bool = False
    """A facilitator's tablet is sent it too (a tablet gets only its own table's events, so
    a view of the whole meeting would go stale on it)."""


def _tables(scene: Scene, numbers: tuple[int, ...]) -> dict[str, Any]:
    questions = [q.question_id for q in scene.plan.questions]
    return {str(n): table_view.render(scene.table(n), questions) for n in numbers}


def render_voting(scene: Scene) -> dict[str, Any]:
    """The ``voting`` view (also pushed alone after each voting event, ``server.live.views``)."""
    closed_at = scene.meeting.state.clock.closed_at
    return voting.render(scene.voting, scene.plan, scene.wall.state, closed_at)


def render_report_back(scene: Scene) -> dict[str, Any]:
    """The ``report_back`` view (also what ``GET /api/meetings/{id}/report-back`` sends)."""
    return report_back.render(scene.meeting, scene.states(), scene.wall, scene.freeze)


STATE: tuple[View, ...] = (
    View("meeting", lambda scene, _: meeting_view.render(scene.meeting), tablet=True),
    View("announcements", lambda scene, _: announcements.render(scene.announcements), tablet=True),
    View("tables", _tables, tablet=True),
    View("wall", lambda scene, _: theme_wall.render(scene.wall, scene.plan, scene.states())),
    View("topics", lambda scene, _: topic.render_all(scene.plan, scene.states(), scene.wall.state)),
    View("themes", lambda scene, _: theme_wall.outline(scene.wall)),
    View("moderation", lambda scene, _: moderation.render(scene.moderation)),
    View("voting", lambda scene, _: render_voting(scene)),
)
"""The views the websocket's ``state`` message carries."""

VIEWS: tuple[View, ...] = (
    *STATE,
    View("report_back", lambda scene, _: render_report_back(scene)),
)
"""Every view of the meeting: the state message's, and the report-back (which the
presentation page fetches over HTTP, ``GET /api/meetings/{id}/report-back``)."""


def render(
    scene: Scene,
    *,
    tablet: bool = False,
    table: int | None = None,
    views: tuple[View, ...] = STATE,
) -> dict[str, Any]:
    """The ``views``, by name, as a lead or observer is sent them; for a ``tablet``, as its
    tablet is (its own ``table``, and only the views a tablet keeps current)."""
    if tablet:
        numbers: tuple[int, ...] = () if table is None else (table,)
        return {v.name: v.render(scene, numbers) for v in views if v.tablet}
    numbers = tuple(t.number for t in scene.plan.tables)
    return {v.name: v.render(scene, numbers) for v in views}
