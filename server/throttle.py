"""How many wrong join codes the server checks, and how many voting requests it takes: per
address, and in all.

A join code is the only thing a stranger on the venue network can try without a token. Each
wrong code spends a token from its address's bucket and from the server's; buckets refill
steadily. An address whose bucket is empty has its codes refused unchecked (``Throttled``,
HTTP 429, "wait N s") until a tenth of it is back: that bounds guessing from one address. When the
server's bucket is empty (wrong codes from many addresses at once), an address that got a
code wrong lately must wait too, while an address with a clean record is still checked: a
tablet scanning its sheet joins through a flood.

The per-address bucket is generous because a venue's 1,000 tablets and 300 phones may share
one NAT address and each may mistype once or twice; a code has about 40 bits, so even the
refill rate leaves guessing hopeless (docs/reliability.md has the arithmetic).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from events.errors import RoundtableError


class Throttled(RoundtableError):
    """Too many wrong join codes lately: from this address, or (after one of its own) in all."""

    code = "join_throttled"
    words = "too many wrong join codes just now: wait {wait} s, then scan the sheet again"

    def __init__(self, wait: float) -> None:
        self.wait = max(1, math.ceil(wait))
        super().__init__(self.words.format(wait=self.wait))


class VotesThrottled(Throttled):
    """Too many voting requests lately: from this address, or from all phones together."""

    code = "vote_throttled"
    words = "Too many votes are arriving just now: wait {wait} s, then try again."


REOPEN = 0.1
"""An empty bucket opens again only once this share of it is back: a flood is held off for
a while (20 s for an address), not let through one try per refilled token."""


@dataclass(slots=True)
class Bucket:
    """A token bucket: ``size`` tokens at most, ``rate`` back per second; once empty, shut
    until ``REOPEN`` of it is back."""

    size: float
    rate: float
    tokens: float
    at: float
    shut: bool = False

    def level(self, now: float) -> float:
        self.tokens = min(self.size, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return self.tokens

    def wait(self, now: float) -> float:
        """Seconds until it takes a try again (0: now)."""
        level = self.level(now)
        if level < 1:
            self.shut = True
        needed = max(1.0, self.size * REOPEN) if self.shut else 1.0
        if level >= needed:
            self.shut = False
            return 0.0
        return (needed - level) / self.rate


PER_ADDRESS = (200, 1.0)
"""Wrong codes one address may send at once, and per second after (a venue's NAT)."""
OVERALL = (500, 5.0)
"""Wrong codes the server checks at once, and per second after, from all addresses."""
ADDRESSES = 10_000
"""Addresses remembered; the longest-quiet are forgotten first (memory stays bounded)."""


def _recent(
    buckets: OrderedDict[str, Bucket], address: str, shape: tuple[float, float], now: float
) -> Bucket:
    """``address``'s bucket (a full one if it has none), moved to the most recent end; the
    longest-quiet addresses beyond ``ADDRESSES`` are forgotten, so memory stays bounded."""
    own = buckets.pop(address, None)
    if own is None:
        own = Bucket(shape[0], shape[1], shape[0], now)
    buckets[address] = own
    while len(buckets) > ADDRESSES:
        buckets.popitem(last=False)
    return own


class _Buckets:
    """A bucket per address (the most recent ``ADDRESSES`` of them) beside one for the whole
    server, for one kind of request: what the join throttle and the voting cap both keep."""

    def __init__(
        self,
        per_address: tuple[float, float],
        overall: tuple[float, float],
        clock: Callable[[], float],
    ) -> None:
        self._per_address = per_address
        self._clock = clock
        self._overall = Bucket(overall[0], overall[1], overall[0], clock())
        self._addresses: OrderedDict[str, Bucket] = OrderedDict()
        self.refused = 0
        """Requests refused unread so far (the benchmarks report them)."""


class JoinThrottle(_Buckets):
    """The buckets of wrong join codes (``check`` before, ``wrong`` after a wrong one)."""

    def __init__(
        self,
        per_address: tuple[float, float] = PER_ADDRESS,
        overall: tuple[float, float] = OVERALL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(per_address, overall, clock)

    def check(self, address: str) -> None:
        """Raise ``Throttled`` if a code from ``address`` is not to be checked now."""
        now = self._clock()
        own = self._addresses.get(address)
        if own is None:
            return  # a clean record: always checked
        wait = own.wait(now)
        if not wait and own.level(now) < own.size:  # it got a code wrong lately
            wait = self._overall.wait(now)
        if wait:
            self.refused += 1
            raise Throttled(wait)

    def wrong(self, address: str) -> None:
        """A wrong code from ``address`` was checked: it costs a token of each bucket."""
        now = self._clock()
        own = _recent(self._addresses, address, self._per_address, now)
        own.tokens = own.level(now) - 1
        self._overall.tokens = max(0.0, self._overall.level(now) - 1)


VOTES_PER_ADDRESS = (3000, 50.0)
"""Voting requests one address may send at once, and per second after: 300 phones behind
one NAT address each ask for an id, the ballot, and place and move their dots (about 10
requests a phone) at once."""
VOTES_OVERALL = (6000, 200.0)
"""Voting requests the server takes at once, and per second after, from all addresses: the
global cap that bounds the work phones can cause, whoever they are."""


class RequestCap(_Buckets):
    """Every voting request spends a token of its address's bucket and of the server's;
    when either is empty (``Bucket``: shut until a tenth is back) it is refused unread
    (``VotesThrottled``, HTTP 429, "wait N s")."""

    def __init__(
        self,
        per_address: tuple[float, float] = VOTES_PER_ADDRESS,
        overall: tuple[float, float] = VOTES_OVERALL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(per_address, overall, clock)

    def take(self, address: str) -> None:
        """Spend a request from ``address``, or raise ``VotesThrottled``."""
        now = self._clock()
        own = _recent(self._addresses, address, self._per_address, now)
        wait = max(own.wait(now), self._overall.wait(now))
        if wait:
            self.refused += 1
            raise VotesThrottled(wait)
        own.tokens -= 1
        self._overall.tokens -= 1
