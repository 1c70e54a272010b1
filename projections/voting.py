"""The room's dot vote, folded from the meeting's voting stream: the rounds, each phone's
dots, the paper counts, and what every screen is shown of them.

``render`` is the ``voting`` view of the websocket's ``state`` (and of its ``voting`` push
after each voting event) for the lead's page, the presentation and the wall, and what a
replay folds at any moment. While a round counted ``after`` is open, its counts are not
rendered at all (not hidden by the page: absent), so no screen can show them early. A closed
meeting closes voting in every view, whatever the stream says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from events import voting
from events.log.envelope import Recorded
from events.meeting.plan import Plan
from events.themes.rules import ThemeWallState
from events.voting import VotingState


@dataclass(frozen=True, slots=True)
class VotingView:
    state: VotingState = field(default_factory=VotingState)
    version: int = 0
    position: int = 0
    event_positions: dict[str, int] = field(default_factory=dict)


def evolve(view: VotingView, record: Recorded) -> VotingView:
    """The view with one event of the voting stream applied (``view`` is left as it was)."""
    event = record.decode()
    assert isinstance(event, voting.VotingEvent)
    return VotingView(
        voting.evolve(view.state, event),
        record.version,
        record.position,
        {**view.event_positions, record.event_id: record.position},
    )


def dots(state: VotingState) -> Counter[str]:
    """The phones' dots on each theme, over every round."""
    placed: Counter[str] = Counter()
    for held in state.rounds:
        for ballot in held.ballots.values():
            placed.update(ballot)
    return placed


def phones(state: VotingState) -> int:
    """How many phones hold at least one dot, over every round."""
    return len({phone for held in state.rounds for phone in held.ballots})


def is_open(state: VotingState, closed_at: int | None) -> bool:
    """Whether phones may vote now: a round is open and the meeting is not closed."""
    return state.open is not None and closed_at is None


def render(
    view: VotingView, plan: Plan, wall: ThemeWallState, closed_at: int | None
) -> dict[str, Any]:
    """JSON-ready data: the last round (``round`` null before the first), whether it is open,
    its themes in the lead's order with their titles and topic, and, unless a round counted
    ``after`` is open, every theme's dots from phones and on paper and how many phones voted
    (``counts`` null while hidden)."""
    state = view.state
    current = state.current
    open_now = is_open(state, closed_at)
    themes = []
    for theme_id in current.themes if current is not None else ():
        theme = wall.themes.get(theme_id)
        topic = plan.topic(theme.topic) if theme is not None and theme.topic else None
        themes.append(
            {
                "theme_id": theme_id,
                "title": theme.title if theme is not None else "",
                "topic": topic.topic_id if topic is not None else None,
                "topic_title": topic.title if topic is not None else None,
            }
        )
    hidden = open_now and current is not None and current.shown == "after"
    placed = dots(state)
    counts = None
    if not hidden:
        counts = {
            "phones": phones(state),
            "dots": dict(sorted(placed.items())),
            "paper": dict(sorted(state.paper.items())),
        }
    return {
        "round": current.number if current is not None else None,
        "open": open_now,
        "topic": current.topic if current is not None else None,
        "dots": current.dots if current is not None else None,
        "shown": current.shown if current is not None else None,
        "themes": themes,
        "counts": counts,
    }
