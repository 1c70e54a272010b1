"""Which writer decides a protocol command, after checking who may send it.

Table commands go to the table's writer (with the server's context: placement, questions),
theme commands to the meeting's theme writer, the lead's clock controls to the meeting's
decider, the lead's messages, wall hold and wall moderation straight to their streams.
The websocket only parses and acknowledges; the routing and the permissions live here.
"""

from __future__ import annotations

from typing import Any

from events import closing, comments, moderation, typed_time
from events.closing import Request
from events.decider import execute
from events.envelope import Metadata
from events.meeting_errors import MeetingIsClosed
from events.store import EventStore, now_micros
from server import announcements, clock_commands, meetings
from server import report_back as report_back_shell
from server import suggestions as suggestion_shell
from server import themes as theme_shell
from server.auth import Auth
from server.protocol import ProtocolError
from server.suggestions import LiveSuggestions, SuggestionWriter
from server.tables import TableWriter
from server.themes import ThemeWriter
from server.tokens import Grant
from server.views import LiveViews

STAR_COMMANDS = ("star_comment", "unstar_comment")
MODERATION_COMMANDS = ("set_wall_rule", "approve_comment", "take_off_wall")
TABLE_COMMANDS = frozenset(
    {
        "add_comment",
        "edit_comment",
        "retract_comment",
        "restore_comment",
        "move_comment",
        "reorder_comment",
        "nest_comment",
        "unnest_comment",
        *STAR_COMMANDS,
    }
)


class Dispatcher:
    """Runs the commands of every connection of this process."""

    def __init__(
        self,
        store: EventStore,
        views: LiveViews,
        tables: TableWriter,
        themes: ThemeWriter,
        auth: Auth,
        suggestions: SuggestionWriter | None = None,
        live_suggestions: LiveSuggestions | None = None,
    ) -> None:
        self.store = store
        self.views = views
        self.tables = tables
        self.themes = themes
        self.auth = auth
        self.suggestions = suggestions or SuggestionWriter(store, views)
        self.live_suggestions = live_suggestions

    async def run(
        self, grant: Grant, command_id: str, name: str, data: dict[str, Any]
    ) -> tuple[int, ...]:
        """The positions of the events the command made (or made before, for a resend)."""
        metadata = Metadata(actor=grant.role, device_id=grant.device_id, correlation_id=command_id)
        if name not in TABLE_COMMANDS:
            self._admit(grant, Request.CLOSE if name == "close_meeting" else Request.LEAD)
        if name in theme_shell.NAMES:
            self.auth.require(grant, "theme.edit", meeting_id=grant.meeting_id)
            command = theme_shell.build(self.views, grant.meeting_id, grant.device_id, name, data)
            return await self.themes.run(
                grant.meeting_id, command, command_id=command_id, metadata=metadata
            )
        if name in suggestion_shell.NAMES:
            return await self._suggestion(grant, command_id, name, data, metadata)
        if name in clock_commands.NAMES:
            self.auth.require(grant, "clock.control", meeting_id=grant.meeting_id)
            outcome = await meetings.run(
                self.store,
                grant.meeting_id,
                clock_commands.build(name, data, now_micros()),
                command_id=command_id,
                metadata=metadata,
            )
            return outcome.positions
        if name in report_back_shell.NAMES:
            return await report_back_shell.run(
                self.store, self.auth, grant, name, command_id, metadata
            )
        if name in announcements.NAMES:
            return await self._announce(grant, command_id, name, data, metadata)
        if name in MODERATION_COMMANDS:
            return await self._moderate(grant, command_id, name, data, metadata)
        table = data.pop("table", grant.table)
        if table is None:
            raise ProtocolError("invalid_field", f"{name} needs 'table' for a {grant.role}")
        action = "comment.star" if name in STAR_COMMANDS else "comment.write"
        self.auth.require(grant, action, meeting_id=grant.meeting_id, table=table)
        try:
            late, refusal = self._admit(grant, Request.TABLE), None
        except MeetingIsClosed as closed:  # a resend of what was taken is still acked
            late, refusal = True, closed
        command = table_command(self.tables, grant, table, name, data, late=late)
        return await self.tables.run(
            grant.meeting_id,
            table,
            command,
            command_id=command_id,
            metadata=metadata,
            refusal=refusal,
        )

    def _admit(self, grant: Grant, request: Request) -> bool:
        """The closing rule (``events.closing``) at the server's clock: whether a table's
        command is taken late after the close; ``MeetingIsClosed`` when it is not taken."""
        view = self.views.meeting(grant.meeting_id)
        closed_at = view.state.clock.closed_at if view is not None else None
        return closing.admit(request, closed_at, now_micros())

    async def _suggestion(
        self,
        grant: Grant,
        command_id: str,
        name: str,
        data: dict[str, Any],
        metadata: Metadata,
    ) -> tuple[int, ...]:
        """Accepting goes to the theme wall (one grouping action); the rest to the meeting's
        suggestions stream."""
        self.auth.require(grant, "theme.edit", meeting_id=grant.meeting_id)
        meeting_id, by = grant.meeting_id, grant.device_id
        if name == "accept_suggestion":
            accept = suggestion_shell.build_accept(self.views, meeting_id, by, data)
            return await self.themes.run(
                meeting_id, accept, command_id=command_id, metadata=metadata
            )
        command = suggestion_shell.build(self.views, meeting_id, by, name, data)
        return await self.suggestions.run(
            meeting_id, command, command_id=command_id, metadata=metadata
        )

    async def _announce(
        self,
        grant: Grant,
        command_id: str,
        name: str,
        data: dict[str, Any],
        metadata: Metadata,
    ) -> tuple[int, ...]:
        self.auth.require(grant, "message.send", meeting_id=grant.meeting_id)
        view = self.views.meeting(grant.meeting_id)
        assert view is not None
        command = announcements.build(
            name, data, view.state, grant.device_id, command_id, now_micros()
        )
        outcome = await announcements.run(
            self.store, grant.meeting_id, command, command_id=command_id, metadata=metadata
        )
        return outcome.positions

    async def _moderate(
        self,
        grant: Grant,
        command_id: str,
        name: str,
        data: dict[str, Any],
        metadata: Metadata,
    ) -> tuple[int, ...]:
        """The lead's rule for raw comments on the projected wall, or their word on one."""
        self.auth.require(grant, "wall.moderate", meeting_id=grant.meeting_id)
        by = grant.device_id
        command: moderation.ModerationCommand
        if name == "set_wall_rule":
            command = moderation.SetWallRule(rule=data["rule"], minutes=data.get("minutes"), by=by)
        else:
            table, comment_id = data["table"], data["comment_id"]
            if comment_id not in self.views.table(grant.meeting_id, table).state.comments:
                raise ProtocolError("unknown_comment", f"table {table} has no comment {comment_id}")
            kind = (
                moderation.ApproveComment if name == "approve_comment" else moderation.TakeOffWall
            )
            command = kind(table=table, comment_id=comment_id, by=by)
        outcome = await execute(
            self.store,
            moderation,
            command,
            stream_id=moderation.stream_id(grant.meeting_id),
            meeting_id=grant.meeting_id,
            command_id=command_id,
            metadata=metadata,
        )
        return outcome.positions


def table_command(
    tables: TableWriter,
    grant: Grant,
    table: int,
    name: str,
    data: dict[str, Any],
    *,
    late: bool = False,
) -> comments.TableCommand:
    """The table command for a checked protocol command, with the server's context; ``late``:
    the closing rule took it after the close."""
    by = grant.device_id
    questions = tables.questions(grant.meeting_id, table)
    match name:
        case "add_comment":
            now = now_micros()
            typed_at, clamped = typed_time.placed(
                data.get("typed_at"), opened_at=tables.opened_at(grant.meeting_id), arrived_at=now
            )
            placed = tables.placement(grant.meeting_id, table, typed_at, now)
            return comments.AddComment(
                comment_id=data["comment_id"],
                question=data["question"],
                text=data["text"],
                parent=data.get("parent"),
                questions=questions,
                rotation=placed.rotation,
                group=placed.group,
                phase=placed.phase,
                late=placed.late or late,
                typed_at=typed_at,
                clamped=clamped,
                by=by,
            )
        case "edit_comment":
            return comments.EditComment(comment_id=data["comment_id"], text=data["text"], by=by)
        case "retract_comment":
            return comments.RetractComment(comment_id=data["comment_id"], by=by)
        case "restore_comment":
            return comments.RestoreComment(comment_id=data["comment_id"], by=by)
        case "move_comment":
            return comments.MoveComment(
                comment_id=data["comment_id"], question=data["question"], questions=questions, by=by
            )
        case "reorder_comment":
            return comments.ReorderComment(
                comment_id=data["comment_id"], after=data["after"], by=by
            )
        case "nest_comment":
            return comments.NestComment(comment_id=data["comment_id"], parent=data["parent"], by=by)
        case "unnest_comment":
            return comments.UnnestComment(comment_id=data["comment_id"], by=by)
        case "star_comment":
            return comments.StarComment(comment_id=data["comment_id"], by=by)
        case "unstar_comment":
            return comments.UnstarComment(comment_id=data["comment_id"], by=by)
    raise ProtocolError("unknown_command", f"there is no command {name!r}")
