"""The lead's choices about suggestions (dismissed, switched, glossary), folded from the meeting's
``suggestions-<meeting_id>`` stream with the decider's own ``evolve``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from events import suggestion_events as e
from events import suggestions
from events.envelope import Recorded
from events.suggestions import SuggestionsState


@dataclass(frozen=True, slots=True)
class ChoicesView:
    meeting_id: str
    state: SuggestionsState = field(default_factory=SuggestionsState)
    event_positions: dict[str, int] = field(default_factory=dict)
    """Where each event id is in the log: a resent command is acked with its positions."""
    version: int = 0
    position: int = 0


class ChoicesProjection:
    """The choices of one meeting, from its suggestions stream (other streams are skipped)."""

    def __init__(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        self.stream_id = suggestions.stream_id(meeting_id)
        self.name = f"suggestion-choices-{meeting_id}"

    def initial(self) -> ChoicesView:
        return ChoicesView(self.meeting_id)

    def apply(self, view: ChoicesView, record: Recorded) -> ChoicesView:
        if record.stream_id != self.stream_id:
            return view
        return evolve(view, record)


def evolve(view: ChoicesView, record: Recorded) -> ChoicesView:
    event = record.decode()
    assert isinstance(event, e.SuggestionsEvent)
    return replace(
        view,
        state=suggestions.evolve(view.state, event),
        event_positions={**view.event_positions, record.event_id: record.position},
        version=record.version,
        position=record.position,
    )
