"""A stream as its rules see it: the decider's own state, folded with the decider's own
``evolve``, with the stream's version and where each of its events is in the log.

The view that holds no more than the rules do (the lead's suggestion choices, the devices, the
messages' and the moderation's rules, the summary report's): commands on such a stream are
decided against it (``server.live.streams``), and ``event_positions`` is what the resend rule reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from events import messages
from events.decider import Decider
from events.devices import rules as devices
from events.devices.rules import DevicesState
from events.log.envelope import Recorded
from events.messages import MessagesState
from events.report import rules as report
from events.report.rules import ReportState
from events.suggestions import rules as suggestions
from events.suggestions.rules import SuggestionsState
from events.themes import moderation
from events.themes.moderation import ModerationState

StateT = TypeVar("StateT")


@dataclass(frozen=True, slots=True)
class StreamState(Generic[StateT]):
    state: StateT
    version: int = 0
    position: int = 0
    event_positions: Mapping[str, int] = field(default_factory=dict)


def evolve(
    rules: Decider[StateT, Any], view: StreamState[StateT], record: Recorded
) -> StreamState[StateT]:
    """``view`` with one event of its stream applied (``view`` is left as it was)."""
    return StreamState(
        rules.evolve(view.state, record.decode()),
        record.version,
        record.position,
        {**view.event_positions, record.event_id: record.position},
    )


def _empty(rules: Decider[StateT, Any]) -> Callable[[], StreamState[StateT]]:
    return lambda: StreamState(rules.initial_state)


@dataclass(frozen=True, slots=True)
class Rules:
    """One meeting's streams whose views hold no more than their rules' state."""

    messages: StreamState[MessagesState] = field(default_factory=_empty(messages))
    moderation: StreamState[ModerationState] = field(default_factory=_empty(moderation))
    suggestions: StreamState[SuggestionsState] = field(default_factory=_empty(suggestions))
    devices: StreamState[DevicesState] = field(default_factory=_empty(devices))
    report: StreamState[ReportState] = field(default_factory=_empty(report))
    """The summary report staff write after the meeting (its sentences, redactions,
    publications): what their commands are decided against."""
