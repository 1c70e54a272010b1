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


class StreamDraft(Generic[StateT]):
    """A stream's view being folded: its rules' state evolved, the event's position added in
    place, and frozen into a ``StreamState`` only when read (kept until the next event), so
    that a long stream (the moderation's, one event per comment approved) is not copied whole
    per event."""

    __slots__ = ("_rules", "_view", "event_positions", "position", "state", "version")

    def __init__(self, rules: Decider[StateT, Any], view: StreamState[StateT]) -> None:
        self._rules = rules
        self.state = view.state
        self.event_positions = dict(view.event_positions)
        self.version = view.version
        self.position = view.position
        self._view: StreamState[StateT] | None = view

    def apply(self, record: Recorded) -> None:
        self.state = self._rules.evolve(self.state, record.decode())
        self.event_positions[record.event_id] = record.position
        self.version = record.version
        self.position = record.position
        self._view = None

    def view(self) -> StreamState[StateT]:
        """The view as it stands, immutable: later events do not change it."""
        if self._view is None:
            positions = dict(self.event_positions)
            self._view = StreamState(self.state, self.version, self.position, positions)
        return self._view


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


class RulesDraft:
    """One meeting's ``Rules`` being folded, a ``StreamDraft`` per stream (read: ``view``)."""

    __slots__ = ("devices", "messages", "moderation", "report", "suggestions")

    def __init__(self, rules: Rules) -> None:
        self.messages = StreamDraft(messages, rules.messages)
        self.moderation = StreamDraft(moderation, rules.moderation)
        self.suggestions = StreamDraft(suggestions, rules.suggestions)
        self.devices = StreamDraft(devices, rules.devices)
        self.report = StreamDraft(report, rules.report)

    def view(self) -> Rules:
        return Rules(
            self.messages.view(),
            self.moderation.view(),
            self.suggestions.view(),
            self.devices.view(),
            self.report.view(),
        )
