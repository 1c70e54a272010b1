"""A websocket command as it arrived, with what the server knows about it then: what each
command row's ``build`` reads to make its domain command (``server.live.command_table``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from events.meeting.plan import Plan
from server.live.views import LiveViews


@dataclass(frozen=True, slots=True)
class Sent:
    """One command from one device: its checked data and the server's context at arrival."""

    views: LiveViews
    meeting_id: str
    by: str
    """The sending device's id."""
    command_id: str
    data: dict[str, Any]
    now: int
    """When it arrived, on the server's clock (never the sender's)."""
    table: int | None = None
    """The table a table command is for (from its data, or the tablet's own)."""
    late: bool = False
    """The closing rule takes it, marked late (``events.meeting.closing``)."""

    @property
    def plan(self) -> Plan:
        view = self.views.meeting(self.meeting_id)
        plan = view.state.plan if view is not None else None
        assert plan is not None  # the hello (or the report's HTTP route) checked the meeting
        return plan


Build = Callable[[Sent], Any]
"""How a row's checked data becomes its domain command."""


def with_fields(kind: Callable[..., Any], *names: str) -> Build:
    """The build of a command made of the named data fields and the sender."""

    def build(sent: Sent) -> Any:
        return kind(**{name: sent.data[name] for name in names}, by=sent.by)

    return build


def at_arrival(kind: Callable[..., Any], *names: str) -> Build:
    """The build of a clock command made of the named data fields, at the server's instant."""

    def build(sent: Sent) -> Any:
        return kind(**{name: sent.data[name] for name in names}, at=sent.now)

    return build
