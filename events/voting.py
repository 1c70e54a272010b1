"""The room's dot vote on the key themes, in the meeting's stream ``voting-<meeting_id>``.

The lead opens a round of voting on the key themes of one topic or of all of them, with a
number of dots per phone, and closes it; rounds follow one another (one topic at a time).
A participant's phone is a random id the server gave it (no name, no personal data, not a
device of the meeting): in each round it places up to ``dots`` dots, several on one theme if
it likes, and takes them back to move them while the round is open. Where phones cannot
reach the server, the lead enters the dots counted on paper for a theme. Closing the meeting
closes voting: the shell refuses dots once the meeting is closed, and every view shows the
round closed (``projections.voting``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from events.errors import DomainError
from events.log.codec import Event, codec, record

Shown = Literal["live", "after"]
SHOWN: tuple[Shown, ...] = ("live", "after")
"""When the counts are shown: as they arrive, or once the round is closed."""
MAX_DOTS = 10
"""Most dots a phone gets in one round."""
MAX_PAPER = 100_000
"""Most dots counted on paper for one theme (a typing slip past it is refused)."""


class VotingRefused(DomainError):
    """The lead's voting command makes no sense now (a bad number of dots, nothing to vote on)."""

    code = "invalid_voting"


class VotingIsClosed(DomainError):
    """A dot arrived when no round is open."""

    code = "voting_closed"

    def __init__(self) -> None:
        super().__init__("Voting is closed: your dots were not changed. Thank you for voting.")


class NoDotsLeft(DomainError):
    code = "no_dots_left"

    def __init__(self, dots: int) -> None:
        super().__init__(f"All your {dots} dots are placed: take one back to move it.")


class NotInVote(DomainError):
    """The theme is not one of this round's (or the phone has no dot on it to take back)."""

    code = "not_in_vote"


@codec.register
@record
class VotingOpened(Event):
    """Round ``round`` opened on ``themes`` (the key themes of ``topic``, or of every topic
    when null, as they stood), ``dots`` per phone, counts shown ``shown`` (live or after)."""

    type = "VotingOpened"
    round: int
    topic: str | None
    themes: tuple[str, ...]
    dots: int
    shown: str
    by: str


@codec.register
@record
class VotingClosed(Event):
    """The lead closed round ``round``: its dots are final."""

    type = "VotingClosed"
    round: int
    by: str


@codec.register
@record
class DotPlaced(Event):
    """Phone ``phone`` placed a dot on ``theme_id`` in round ``round``."""

    type = "DotPlaced"
    round: int
    phone: str
    theme_id: str


@codec.register
@record
class DotTakenBack(Event):
    """Phone ``phone`` took back one of its dots on ``theme_id`` in round ``round``."""

    type = "DotTakenBack"
    round: int
    phone: str
    theme_id: str


@codec.register
@record
class PaperDotsCounted(Event):
    """The lead entered ``dots`` counted on paper for ``theme_id`` (replacing any earlier
    paper count of it)."""

    type = "PaperDotsCounted"
    theme_id: str
    dots: int
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenVoting:
    topic: str | None
    themes: tuple[str, ...]
    """The key themes in scope now (the shell reads them off the wall)."""
    dots: int
    shown: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseVoting:
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceDot:
    phone: str
    theme_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeBackDot:
    phone: str
    theme_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CountPaperDots:
    theme_id: str
    dots: int
    known: bool
    """Whether the theme is a theme of the meeting (the shell looks it up)."""
    by: str


VotingCommand = OpenVoting | CloseVoting | PlaceDot | TakeBackDot | CountPaperDots
VotingEvent = VotingOpened | VotingClosed | DotPlaced | DotTakenBack | PaperDotsCounted


@dataclass(frozen=True, slots=True)
class Round:
    number: int
    topic: str | None
    themes: tuple[str, ...]
    dots: int
    shown: str
    open: bool = True
    ballots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each phone's dots in this round, by theme id (a theme once per dot), in placing order."""


@dataclass(frozen=True, slots=True)
class VotingState:
    rounds: tuple[Round, ...] = ()
    paper: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> Round | None:
        """The last round opened (open or closed), if any."""
        return self.rounds[-1] if self.rounds else None

    @property
    def open(self) -> Round | None:
        current = self.current
        return current if current is not None and current.open else None


initial_state = VotingState()


def stream_id(meeting_id: str) -> str:
    return f"voting-{meeting_id}"


def decide(command: VotingCommand, state: VotingState) -> list[VotingEvent]:
    """The lead's choice or the phone's dot as an event; closing a closed round records
    nothing, and neither does a paper count equal to the one in force."""
    match command:
        case OpenVoting(topic=topic, themes=themes, dots=dots, shown=shown, by=by):
            if state.open is not None:
                raise VotingRefused("voting is open already: close it before opening another")
            if not 1 <= dots <= MAX_DOTS:
                raise VotingRefused(f"each phone gets 1 to {MAX_DOTS} dots, not {dots}")
            if shown not in SHOWN:
                raise VotingRefused(f"counts are shown 'live' or 'after' the close, not {shown!r}")
            if not themes:
                where = "this topic" if topic is not None else "any topic"
                raise VotingRefused(f"there are no key themes on {where} to vote on yet")
            number = len(state.rounds) + 1
            return [
                VotingOpened(
                    round=number, topic=topic, themes=themes, dots=dots, shown=shown, by=by
                )
            ]
        case CloseVoting(by=by):
            current = state.open
            return [] if current is None else [VotingClosed(round=current.number, by=by)]
        case PlaceDot(phone=phone, theme_id=theme_id):
            current = _open(state)
            if theme_id not in current.themes:
                raise NotInVote("that theme is not in this vote: reload the page to see the vote")
            if len(current.ballots.get(phone, ())) >= current.dots:
                raise NoDotsLeft(current.dots)
            return [DotPlaced(round=current.number, phone=phone, theme_id=theme_id)]
        case TakeBackDot(phone=phone, theme_id=theme_id):
            current = _open(state)
            if theme_id not in current.ballots.get(phone, ()):
                raise NotInVote("you have no dot on that theme to take back")
            return [DotTakenBack(round=current.number, phone=phone, theme_id=theme_id)]
        case CountPaperDots(theme_id=theme_id, dots=dots, known=known, by=by):
            if not known:
                raise NotInVote(f"there is no theme {theme_id!r} in this meeting")
            if not 0 <= dots <= MAX_PAPER:
                raise VotingRefused(f"dots counted on paper are 0 to {MAX_PAPER}, not {dots}")
            if state.paper.get(theme_id, 0) == dots:
                return []
            return [PaperDotsCounted(theme_id=theme_id, dots=dots, by=by)]


def _open(state: VotingState) -> Round:
    current = state.open
    if current is None:
        raise VotingIsClosed()
    return current


def evolve(state: VotingState, event: VotingEvent) -> VotingState:
    match event:
        case VotingOpened(round=number, topic=topic, themes=themes, dots=dots, shown=shown):
            return replace(state, rounds=(*state.rounds, Round(number, topic, themes, dots, shown)))
        case VotingClosed(round=number):
            return _with_round(state, number, lambda r: replace(r, open=False))
        case DotPlaced(round=number, phone=phone, theme_id=theme_id):
            return _with_round(state, number, lambda r: _ballot(r, phone, (theme_id,)))
        case DotTakenBack(round=number, phone=phone, theme_id=theme_id):
            return _with_round(state, number, lambda r: _ballot(r, phone, (), without=theme_id))
        case PaperDotsCounted(theme_id=theme_id, dots=dots):
            return replace(state, paper={**state.paper, theme_id: dots})


def _with_round(state: VotingState, number: int, change: Callable[[Round], Round]) -> VotingState:
    rounds = tuple(change(r) if r.number == number else r for r in state.rounds)
    return replace(state, rounds=rounds)


def _ballot(
    current: Round, phone: str, added: tuple[str, ...], without: str | None = None
) -> Round:
    """The round with ``phone``'s dots changed: ``added`` appended, or one dot on ``without``
    (its last) taken back."""
    dots = current.ballots.get(phone, ())
    if without is not None:
        last = len(dots) - 1 - dots[::-1].index(without)
        dots = dots[:last] + dots[last + 1 :]
    ballots = {**current.ballots, phone: dots + added}
    if not ballots[phone]:
        del ballots[phone]
    return replace(current, ballots=ballots)
