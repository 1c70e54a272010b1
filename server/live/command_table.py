"""Every websocket command, as one row of data: the dispatcher (``server.live.dispatch``) is a
lookup
in this table, and nothing else routes a command.

A row says what the command is called, its fields (the protocol's validation:
``server.live.protocol.checked``), the permission it needs (``server.permissions``), what the
closing
rule counts it as (``events.meeting.closing``), the kind of stream it is decided on, and how its
checked
data becomes a domain command (``build``, given a ``server.live.sent.Sent``). Every row is decided
the same way: ``server.live.streams`` against the stream's live view, one command at a time per
stream, with ``events.decider``'s one resend rule and one retry policy.

**A new command** is one row here (and, when its data needs the server's context, a build
beside its stream's other builds) and one case in its decider's ``decide`` in ``events/``,
with its given/when/then spec; ``docs/protocol.md`` lists it (a test checks that it does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from events import messages, voting
from events.decider import Decider
from events.log.codec import Event
from events.meeting import commands as clock
from events.meeting import rules as meeting
from events.meeting.closing import Request
from events.report import commands as report_commands
from events.report import report_back
from events.report import rules as report
from events.suggestions import rules as suggestions
from events.tables import rules as comments
from events.themes import commands as theme_rules
from events.themes import moderation
from events.themes import rules as themes
from projections.meeting import MeetingView
from server import reports
from server import voting as voting_builds
from server.live import announcements, wall_moderation
from server.live import suggestions as suggestion_builds
from server.live import tables as table_builds
from server.live import themes as theme_builds
from server.live.protocol import Spec
from server.live.sent import Build, at_arrival, with_fields
from server.live.streams import StreamView
from server.live.views import LiveViews

View = Callable[[LiveViews, str, int | None], StreamView]


@dataclass(frozen=True, slots=True)
class Stream:
    """A kind of stream commands are decided on: its rules, its id and its live view (what
    its commands are decided against: ``server.live.streams``)."""

    rules: Decider[Any, Any]
    stream_id: Callable[[str, int | None], str]
    view: View
    natural_key: Callable[[str, Event], str | None] | None = None

    @property
    def at_table(self) -> bool:
        """Whether its commands name a table (``data.table``, or the tablet's own)."""
        return self is TABLE


def _meeting_wide(
    rules: Any, view: View, natural_key: Callable[[str, Event], str | None] | None = None
) -> Stream:
    """A stream a meeting has one of: its id is the meeting's (a command's table is no part
    of it)."""
    return Stream(rules, lambda meeting_id, _: rules.stream_id(meeting_id), view, natural_key)


TABLE = Stream(
    comments,
    lambda meeting_id, table: comments.stream_id(meeting_id, table or 0),
    lambda views, meeting_id, table: views.table(meeting_id, table or 0),
)
WALL = _meeting_wide(themes, lambda views, meeting_id, _: views.wall(meeting_id))
SUGGESTIONS = _meeting_wide(suggestions, lambda views, meeting_id, _: views.choices(meeting_id))
CLOCK = _meeting_wide(
    meeting,
    lambda views, meeting_id, _: views.meeting(meeting_id) or MeetingView(),
    meeting.natural_key,
)
MESSAGES = _meeting_wide(
    messages,
    lambda views, meeting_id, _: views.rules(meeting_id).messages,
    messages.natural_key,
)
MODERATION = _meeting_wide(
    moderation,
    lambda views, meeting_id, _: views.rules(meeting_id).moderation,
)
VOTING = _meeting_wide(voting, lambda views, meeting_id, _: views.voted(meeting_id))
REPORT = _meeting_wide(report, lambda views, meeting_id, _: views.rules(meeting_id).report)
REPORT_BACK = _meeting_wide(report_back, lambda views, meeting_id, _: views.freeze(meeting_id))


@dataclass(frozen=True, slots=True)
class Row:
    """One command: name, fields, permission, stream, build, and its kind for the closing rule."""

    name: str
    fields: Spec
    permission: str
    stream: Stream
    build: Build
    request: Request = Request.LEAD

    def natural_key(self, meeting_id: str) -> Callable[[Event], str | None] | None:
        key = self.stream.natural_key
        return partial(key, meeting_id) if key is not None else None


_ID: tuple[type, bool] = (str, True)
_COMMENT: Spec = {"comment_id": _ID, "table": (int, False)}
_REF: Spec = {"table": (int, True), "comment_id": _ID}


def _table(name: str, fields: Spec, build: Build, permission: str = "comment.write") -> Row:
    return Row(name, {**_COMMENT, **fields}, permission, TABLE, build, Request.TABLE)


def _clock(name: str, fields: Spec, build: Build, request: Request = Request.LEAD) -> Row:
    return Row(name, fields, "clock.control", CLOCK, build, request)


ROWS: tuple[Row, ...] = (
    # a table's comments and stars (a tablet's outbox, or the lead at a table)
    _table(
        "add_comment",
        {
            "question": (str, True),
            "text": (str, True),
            "parent": ((str, type(None)), False),
            "rotation": ((int, type(None)), False),
            "typed_at": ((int, type(None)), False),
        },
        table_builds.add_comment,
    ),
    _table(
        "edit_comment",
        {"text": (str, True)},
        with_fields(comments.EditComment, "comment_id", "text"),
    ),
    _table("retract_comment", {}, with_fields(comments.RetractComment, "comment_id")),
    _table("restore_comment", {}, with_fields(comments.RestoreComment, "comment_id")),
    _table("move_comment", {"question": (str, True)}, table_builds.move_comment),
    _table(
        "reorder_comment",
        {"after": ((str, type(None)), True)},
        with_fields(comments.ReorderComment, "comment_id", "after"),
    ),
    _table(
        "nest_comment",
        {"parent": (str, True)},
        with_fields(comments.NestComment, "comment_id", "parent"),
    ),
    _table("unnest_comment", {}, with_fields(comments.UnnestComment, "comment_id")),
    _table("star_comment", {}, with_fields(comments.StarComment, "comment_id"), "comment.star"),
    _table("unstar_comment", {}, with_fields(comments.UnstarComment, "comment_id"), "comment.star"),
    # the theme wall
    Row(
        "create_theme",
        {
            "theme_id": _ID,
            "title": (str, True),
            "topic": ((str, type(None)), False),
            "question": ((str, type(None)), False),
        },
        "theme.edit",
        WALL,
        theme_builds.create_theme,
    ),
    Row(
        "rename_theme",
        {"theme_id": _ID, "title": (str, True)},
        "theme.edit",
        WALL,
        with_fields(theme_rules.RenameTheme, "theme_id", "title"),
    ),
    Row("add_to_theme", {"theme_id": _ID, **_REF}, "theme.edit", WALL, theme_builds.add_to_theme),
    Row(
        "remove_from_theme",
        {"theme_id": _ID, **_REF},
        "theme.edit",
        WALL,
        theme_builds.remove_from_theme,
    ),
    Row(
        "merge_themes",
        {"theme_id": _ID, "into": _ID},
        "theme.edit",
        WALL,
        with_fields(theme_rules.MergeThemes, "theme_id", "into"),
    ),
    Row(
        "split_theme",
        {
            "theme_id": _ID,
            "new_theme_id": _ID,
            "title": (str, True),
            "comments": (list, True),
        },
        "theme.edit",
        WALL,
        theme_builds.split_theme,
    ),
    Row(
        "undo_grouping",
        {"action": ((int, type(None)), False)},
        "theme.edit",
        WALL,
        theme_builds.undo_grouping,
    ),
    Row(
        "set_key_theme",
        {"theme_id": _ID, "key": (bool, True)},
        "theme.edit",
        WALL,
        theme_builds.set_key_theme,
    ),
    Row(
        "order_key_themes",
        {
            "topic": ((str, type(None)), True),
            "question": ((str, type(None)), True),
            "theme_ids": (list, True),
        },
        "theme.edit",
        WALL,
        theme_builds.order_key_themes,
    ),
    # theme suggestions: accepting one is a grouping action on the wall
    Row(
        "accept_suggestion",
        {
            "suggestion_id": _ID,
            "comments": (list, True),
            "theme_id": (str, False),
            "title": (str, False),
            "into": (str, False),
        },
        "theme.edit",
        WALL,
        suggestion_builds.accept_suggestion,
    ),
    Row(
        "dismiss_suggestion",
        {"suggestion_id": _ID, "comments": (list, True)},
        "theme.edit",
        SUGGESTIONS,
        suggestion_builds.dismiss_suggestion,
    ),
    Row(
        "set_suggestions",
        {"enabled": (bool, True)},
        "theme.edit",
        SUGGESTIONS,
        with_fields(suggestions.SwitchSuggestions, "enabled"),
    ),
    Row(
        "set_glossary_concept",
        {"concept": (dict, True)},
        "theme.edit",
        SUGGESTIONS,
        suggestion_builds.set_glossary_concept,
    ),
    Row(
        "remove_glossary_concept",
        {"concept_id": _ID},
        "theme.edit",
        SUGGESTIONS,
        suggestion_builds.remove_glossary_concept,
    ),
    # the lead's messages and the projected wall
    Row(
        "send_message",
        {"text": (str, True), "ends": (str, False), "minutes": (int, False)},
        "message.send",
        MESSAGES,
        announcements.send_message,
    ),
    Row("clear_message", {}, "message.send", MESSAGES, announcements.clear_message),
    Row(
        "hold_wall",
        {"held": (bool, True)},
        "message.send",
        MESSAGES,
        with_fields(messages.HoldWall, "held"),
    ),
    Row(
        "set_wall_rule",
        {"rule": (str, True), "minutes": ((int, type(None)), False)},
        "wall.moderate",
        MODERATION,
        wall_moderation.set_wall_rule,
    ),
    Row("approve_comment", _REF, "wall.moderate", MODERATION, wall_moderation.approve_comment),
    Row("take_off_wall", _REF, "wall.moderate", MODERATION, wall_moderation.take_off_wall),
    # the room's vote (the phones' dots come over HTTP: server.http.voting_api)
    Row(
        "open_voting",
        {
            "topic": ((str, type(None)), False),
            "dots": (int, True),
            "shown": (str, False),
        },
        "voting.run",
        VOTING,
        voting_builds.open_voting,
    ),
    Row("close_voting", {}, "voting.run", VOTING, with_fields(voting.CloseVoting)),
    Row(
        "count_paper_dots",
        {"theme_id": _ID, "dots": (int, True)},
        "voting.run",
        VOTING,
        voting_builds.count_paper_dots,
    ),
    # the report-back
    Row(
        "freeze_report_back",
        {},
        "report.present",
        REPORT_BACK,
        with_fields(report_back.FreezeReportBack),
    ),
    Row(
        "unfreeze_report_back",
        {},
        "report.present",
        REPORT_BACK,
        with_fields(report_back.UnfreezeReportBack),
    ),
    # the clock, stamped with the server's time (never the laptop's)
    _clock("open_meeting", {}, at_arrival(clock.OpenMeeting)),
    _clock(
        "choose_auto_start", {"enabled": (bool, True)}, at_arrival(clock.ChooseAutoStart, "enabled")
    ),
    _clock("start_roundtables", {}, at_arrival(clock.StartRoundtables)),
    _clock("pause_clock", {}, at_arrival(clock.PauseClock)),
    _clock("resume_clock", {}, at_arrival(clock.ResumeClock)),
    _clock(
        "extend_rotation",
        {"rotation": (int, True), "minutes": (int, True)},
        at_arrival(clock.ExtendRotation, "rotation", "minutes"),
    ),
    _clock("end_rotation", {"rotation": (int, True)}, at_arrival(clock.EndRotation, "rotation")),
    _clock("jump_to_break", {}, at_arrival(clock.JumpToBreak)),
    _clock("jump_to_report_back", {}, at_arrival(clock.JumpToReportBack)),
    _clock("close_meeting", {}, at_arrival(clock.CloseMeeting), Request.CLOSE),
)

COMMANDS: dict[str, Row] = {row.name: row for row in ROWS}
"""Every command the websocket takes, by name (``docs/protocol.md`` documents each)."""


def _report(name: str, fields: Spec, build: Build, permission: str = "report.edit") -> Row:
    return Row(name, fields, permission, REPORT, build, Request.REPORT)


def _report_of(name: str, kind: type, fields: Spec, permission: str = "report.edit") -> Row:
    """A report row whose command is made of its data's fields and the sender."""
    return _report(name, fields, with_fields(kind, *fields), permission)


_TEXT: tuple[type, bool] = (str, True)
_REDACTED: Spec = {"table": (int, True), "comment_id": _ID}
REPORT_ROWS: tuple[Row, ...] = (
    _report(
        "write_key_theme",
        {"key_theme_id": _ID, "topic": _TEXT, "question": _TEXT, "text": _TEXT},
        reports.write_key_theme,
    ),
    _report_of(
        "edit_key_theme", report_commands.EditKeyTheme, {"key_theme_id": _ID, "text": _TEXT}
    ),
    _report_of("remove_key_theme", report_commands.RemoveKeyTheme, {"key_theme_id": _ID}),
    _report(
        "order_key_themes",
        {"topic": _TEXT, "question": _TEXT, "key_theme_ids": (list, True)},
        reports.order_key_themes,
    ),
    _report_of("set_front_matter", report_commands.SetFrontMatter, {"part": _TEXT, "text": _TEXT}),
    _report("redact_comment", {**_REDACTED, "reason": _TEXT}, reports.redact_comment),
    _report("unredact_comment", _REDACTED, reports.unredact_comment),
    _report_of(
        "publish_report",
        report_commands.PublishReport,
        {"version": ((int, type(None)), True)},
        "report.publish",
    ),
)
REPORT_COMMANDS: dict[str, Row] = {row.name: row for row in REPORT_ROWS}
"""Staff's commands on the summary report, by name: sent over HTTP
(``POST /api/meetings/{id}/report/commands``, ``server.http.report_api``), run as every websocket
command is (``server.live.dispatch``)."""
