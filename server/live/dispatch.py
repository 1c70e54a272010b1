"""Runs a command (a websocket's, or staff's report command over HTTP): a lookup in
``server.live.command_table``, then the same steps for every row.

Its fields are checked, its sender's permission, the closing rule (``events.meeting.closing``) at
the
server's clock; then it is decided on its stream (``server.live.streams``), built from its data
only once it is known not to be a resend (so a resend of what was taken before the close is
still acked). The websocket only parses and acknowledges.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from events.decider import Outcome
from events.errors import DomainError
from events.log.envelope import Metadata
from events.log.store import now_micros
from events.meeting import closing
from events.meeting.errors import MeetingIsClosed
from server.auth import Auth
from server.live.command_table import COMMANDS, Row
from server.live.protocol import ProtocolError, checked
from server.live.sent import Sent
from server.live.streams import LiveStreams
from server.live.suggestions import LiveSuggestions
from server.live.tables import check_table
from server.live.views import LiveViews
from server.tokens import Grant


class Dispatcher:
    """Runs the commands of every connection of this process."""

    def __init__(
        self,
        views: LiveViews,
        streams: LiveStreams,
        auth: Auth,
        live_suggestions: LiveSuggestions | None = None,
    ) -> None:
        self.views = views
        self.streams = streams
        self.auth = auth
        self.live_suggestions = live_suggestions

    async def run(
        self,
        grant: Grant,
        command_id: str,
        name: str,
        data: dict[str, Any],
        commands: Mapping[str, Row] = COMMANDS,
        meeting_id: str | None = None,
    ) -> Outcome:
        """What the command did: the events it made, and their positions (or the positions
        of those it made before, for a resend). ``commands``: the websocket's, or staff's
        report commands with the meeting their address names (``server.http.report_api``)."""
        row = commands.get(name)
        if row is None:
            raise ProtocolError("unknown_command", f"there is no command {name!r}")
        data = checked(name, row.fields, data)
        meeting_id = meeting_id or grant.meeting_id
        # a dormant meeting's streams are decided folded, and it stays folded until decided
        async with self.views.awake(meeting_id):
            return await self._decide(grant, command_id, row, data, meeting_id)

    async def _decide(
        self, grant: Grant, command_id: str, row: Row, data: dict[str, Any], meeting_id: str
    ) -> Outcome:
        table = self._table(grant, row, data)
        view = self.views.meeting(meeting_id)
        closed_at = view.state.clock.closed_at if view is not None else None
        self.auth.require(
            grant,
            row.permission,
            meeting_id=meeting_id,
            table=table,
            meeting_closed=closed_at is not None,
        )
        now = now_micros()
        refusal: DomainError | None = None
        try:
            late = closing.admit(row.request, closed_at, now)
        except MeetingIsClosed as closed:  # a resend of what was taken is still acked
            late, refusal = False, closed
        if table is not None:
            assert view is not None
            assert view.state.plan is not None  # the connection's hello checked the meeting
            check_table(view.state.plan, table)
        sent = Sent(self.views, meeting_id, grant.device_id, command_id, data, now, table, late)

        def command(_state: Any) -> Any:
            if refusal is not None:
                raise refusal
            return row.build(sent)

        stream = row.stream
        outcome = await self.streams.run(
            stream.rules,
            partial(stream.view, self.views, meeting_id, table),
            command,
            stream_id=stream.stream_id(meeting_id, table),
            meeting_id=meeting_id,
            command_id=command_id,
            metadata=Metadata(
                actor=grant.role, device_id=grant.device_id, correlation_id=command_id
            ),
            natural_key=row.natural_key(meeting_id),
        )
        return outcome

    @staticmethod
    def _table(grant: Grant, row: Row, data: dict[str, Any]) -> int | None:
        """The table a table command is for: its data's, or the tablet's own."""
        if not row.stream.at_table:
            return None
        table: int | None = data.pop("table", grant.table)
        if table is None:
            raise ProtocolError("invalid_field", f"{row.name} needs 'table' for a {grant.role}")
        return table
