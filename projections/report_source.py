"""Everything a summary report is made from, folded from one meeting's events up to a point.

The report of a published version is the meeting as the log stood at that version's
``ReportPublished`` event; a draft is the meeting as it stands. Either way it is a fold of
the meeting's events in position order up to one position, so the same log and the same
point give the same report, byte for byte. The fold also keeps the meeting's hash-chain head
and event count at that point: the report's footer, for ``roundtable verify``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from events.log.chain import GENESIS
from events.log.envelope import Recorded
from events.report import events as e
from events.report import rules as report
from events.report.rules import ReportState
from events.tables import events as comment_events
from events.tables.rules import table_number
from events.themes.rules import ThemeWallState
from events.voting import VotingState
from projections.catalog import Catalog
from projections.meeting import MeetingView
from projections.table import TableView


@dataclass(frozen=True, slots=True)
class Publication:
    """One published version: where its event is in the log and the chain head there."""

    version: int
    position: int
    published_at: int
    head: str
    events: int


@dataclass(slots=True)
class ReportSource:
    """The meeting, its tables, the lead's themes, the room's vote and the report stream, at
    ``position``."""

    meeting_id: str
    meeting: MeetingView = field(default_factory=MeetingView)
    tables: Mapping[int, TableView] = field(default_factory=dict)
    edited_at: dict[tuple[int, str], int] = field(default_factory=dict)
    """When each comment's text was last corrected (``CommentEdited``), by (table, id)."""
    wall: ThemeWallState = field(default_factory=ThemeWallState)
    report: ReportState = field(default_factory=ReportState)
    voting: VotingState = field(default_factory=VotingState)
    publications: list[Publication] = field(default_factory=list)
    position: int = 0
    recorded_at: int = 0
    events: int = 0
    head: str = GENESIS

    @property
    def closed(self) -> bool:
        return self.meeting.state.clock.closed_at is not None


def fold(meeting_id: str, records: Iterable[Recorded], upto: int | None = None) -> ReportSource:
    """The source after the meeting's ``records`` (in position order) up to ``upto``.

    The meeting, its tables, the wall, the vote and the report's own stream are the catalog's
    folds (``projections.catalog``, the same as ``roundtable rebuild`` and the live server);
    what only the report needs (where each version was published, when each comment was last
    corrected) is gathered here.
    """
    source = ReportSource(meeting_id)
    catalog = Catalog()
    report_stream = report.stream_id(meeting_id)
    for record in records:
        if record.meeting_id != meeting_id:
            continue
        if upto is not None and record.position > upto:
            break
        catalog.apply(record)
        if record.stream_id == report_stream and record.type == e.ReportPublished.type:
            _published(source, record)
        elif record.type == comment_events.CommentEdited.type:
            number = table_number(record.stream_id, meeting_id)
            event = record.decode()
            assert isinstance(event, comment_events.CommentEdited)
            if number is not None:
                source.edited_at[(number, event.comment_id)] = record.recorded_at
        source.events += 1
        source.head = record.hash
        source.position = record.position
        source.recorded_at = record.recorded_at
    scene = catalog.scene(meeting_id)
    source.meeting, source.tables, source.wall = scene.meeting, scene.tables, scene.wall.state
    source.voting, source.report = scene.voting.state, scene.rules.report.state
    return source


def _published(source: ReportSource, record: Recorded) -> None:
    event = record.decode()
    assert isinstance(event, e.ReportPublished)
    publication = Publication(
        event.version, record.position, record.recorded_at, record.hash, source.events + 1
    )
    source.publications.append(publication)


def published_position(records: Iterable[Recorded], meeting_id: str, version: int) -> int | None:
    """Where version ``version`` of the meeting's report was published, if it was."""
    stream = report.stream_id(meeting_id)
    for record in records:
        if record.stream_id == stream and record.type == e.ReportPublished.type:
            event = record.decode()
            assert isinstance(event, e.ReportPublished)
            if event.version == version:
                return record.position
    return None
