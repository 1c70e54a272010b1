"""The room's dot vote: the decider as given/when/then tables, and its fold."""

from __future__ import annotations

from typing import Any

import pytest

from events import voting
from events.voting import (
    CloseVoting,
    CountPaperDots,
    DotPlaced,
    DotTakenBack,
    NoDotsLeft,
    NotInVote,
    OpenVoting,
    PaperDotsCounted,
    PlaceDot,
    TakeBackDot,
    VotingClosed,
    VotingIsClosed,
    VotingOpened,
    VotingRefused,
)
from projections.voting import dots, phones
from server.throttle import RequestCap, VotesThrottled
from tests.spec import Spec

vote = Spec(voting)
BY = "lead-laptop"
THEMES = ("t1", "t2", "t3")


def opened(number: int = 1, dots: int = 3, shown: str = "live", topic: str | None = "1") -> Any:
    return VotingOpened(round=number, topic=topic, themes=THEMES, dots=dots, shown=shown, by=BY)


def placed(phone: str, theme: str, number: int = 1) -> DotPlaced:
    return DotPlaced(round=number, phone=phone, theme_id=theme)


OPEN = OpenVoting(topic="1", themes=THEMES, dots=3, shown="live", by=BY)

DECISIONS = [
    # (given, when, then)
    ((), OPEN, [opened()]),
    ((opened(), VotingClosed(round=1, by=BY)), OPEN, [opened(2)]),
    ((opened(),), CloseVoting(by=BY), [VotingClosed(round=1, by=BY)]),
    ((), CloseVoting(by=BY), []),
    ((opened(), VotingClosed(round=1, by=BY)), CloseVoting(by=BY), []),
    ((opened(),), PlaceDot(phone="p", theme_id="t2"), [placed("p", "t2")]),
    ((opened(), placed("p", "t2")), PlaceDot(phone="p", theme_id="t2"), [placed("p", "t2")]),
    (
        (opened(), placed("p", "t2")),
        TakeBackDot(phone="p", theme_id="t2"),
        [DotTakenBack(round=1, phone="p", theme_id="t2")],
    ),
    (
        (opened(dots=1), placed("p", "t1")),
        PlaceDot(phone="q", theme_id="t1"),
        [placed("q", "t1")],
    ),
    (
        (),
        CountPaperDots(theme_id="t1", dots=7, known=True, by=BY),
        [PaperDotsCounted(theme_id="t1", dots=7, by=BY)],
    ),
    (
        (PaperDotsCounted(theme_id="t1", dots=7, by=BY),),
        CountPaperDots(theme_id="t1", dots=7, known=True, by=BY),
        [],
    ),
]


@pytest.mark.parametrize(("given", "when", "then"), DECISIONS)
def test_decisions(given: tuple[object, ...], when: object, then: list[object]) -> None:
    vote.given(*given).when(when).then(*then)


REFUSALS = [
    ((opened(),), OPEN, VotingRefused, "open already"),
    (
        (),
        OpenVoting(topic="1", themes=THEMES, dots=0, shown="live", by=BY),
        VotingRefused,
        "1 to 10",
    ),
    (
        (),
        OpenVoting(topic="1", themes=THEMES, dots=11, shown="live", by=BY),
        VotingRefused,
        "1 to 10",
    ),
    (
        (),
        OpenVoting(topic="1", themes=THEMES, dots=3, shown="never", by=BY),
        VotingRefused,
        "'live'",
    ),
    (
        (),
        OpenVoting(topic="1", themes=(), dots=3, shown="live", by=BY),
        VotingRefused,
        "this topic",
    ),
    (
        (),
        OpenVoting(topic=None, themes=(), dots=3, shown="live", by=BY),
        VotingRefused,
        "any topic",
    ),
    ((), PlaceDot(phone="p", theme_id="t1"), VotingIsClosed, "Voting is closed"),
    (
        (opened(), VotingClosed(round=1, by=BY)),
        PlaceDot(phone="p", theme_id="t1"),
        VotingIsClosed,
        "closed",
    ),
    (
        (opened(), placed("p", "t1"), VotingClosed(round=1, by=BY)),
        TakeBackDot(phone="p", theme_id="t1"),
        VotingIsClosed,
        "closed",
    ),
    ((opened(),), PlaceDot(phone="p", theme_id="t9"), NotInVote, "not in this vote"),
    ((opened(),), TakeBackDot(phone="p", theme_id="t1"), NotInVote, "no dot"),
    ((opened(), placed("q", "t1")), TakeBackDot(phone="p", theme_id="t1"), NotInVote, "no dot"),
    (
        (opened(dots=2), placed("p", "t1"), placed("p", "t1")),
        PlaceDot(phone="p", theme_id="t2"),
        NoDotsLeft,
        "All your 2 dots",
    ),
    ((), CountPaperDots(theme_id="t9", dots=1, known=False, by=BY), NotInVote, "no theme"),
    ((), CountPaperDots(theme_id="t1", dots=-1, known=True, by=BY), VotingRefused, "0 to"),
]


@pytest.mark.parametrize(("given", "when", "error", "match"), REFUSALS)
def test_refusals(
    given: tuple[object, ...], when: object, error: type[Exception], match: str
) -> None:
    vote.given(*given).when(when).then_raises(error, match)


def test_a_taken_back_dot_frees_one_for_another_theme_and_the_tally_follows() -> None:
    history = [
        opened(dots=2),
        placed("p", "t1"),
        placed("p", "t1"),
        DotTakenBack(round=1, phone="p", theme_id="t1"),
        placed("p", "t3"),
        placed("q", "t3"),
        DotTakenBack(round=1, phone="q", theme_id="t3"),
        VotingClosed(round=1, by=BY),
        opened(number=2, dots=1),
        placed("q", "t2", number=2),
    ]
    state = voting.initial_state
    for event in history:
        state = voting.evolve(state, event)
    assert state.rounds[0].ballots == {"p": ("t1", "t3")}
    assert dict(dots(state)) == {"t1": 1, "t3": 1, "t2": 1}
    assert phones(state) == 2
    assert state.open is not None
    assert state.open.number == 2


class Clock:
    """A clock the test moves by hand (the cap's buckets refill with it)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_voting_cap_lets_300_phones_behind_one_address_through() -> None:
    """300 phones behind one NAT address: ten requests each at once (an id, the ballot, five
    dots, a move and a reload) pass; a flood from that address is then held off until a tenth
    of its bucket is back, while another address still votes."""
    clock = Clock()
    cap = RequestCap(clock=clock)
    for _ in range(300 * 10):
        cap.take("10.0.0.1")
    assert cap.refused == 0
    with pytest.raises(VotesThrottled) as held:
        cap.take("10.0.0.1")
    assert held.value.code == "vote_throttled"
    assert held.value.wait == 6  # 300 requests back at 50 a second
    assert "wait 6 s" in str(held.value)
    cap.take("10.0.0.2")  # a phone on another address is not held by this one's flood
    clock.now += 6
    cap.take("10.0.0.1")


def test_the_global_cap_holds_every_address_once_spent() -> None:
    clock = Clock()
    cap = RequestCap(per_address=(100, 1.0), overall=(250, 10.0), clock=clock)
    for n in range(250):
        cap.take(f"10.0.{n // 100}.1")
    with pytest.raises(VotesThrottled) as held:
        cap.take("10.0.9.9")  # a fresh address: the server's bucket is empty
    assert held.value.wait == 3  # a tenth of 250 back at 10 a second
    clock.now += 3
    cap.take("10.0.9.9")
    assert cap.refused == 1
