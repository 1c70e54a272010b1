"""How far one grouping of comments agrees with another, pair by pair.

Suggestions are judged against groups made by reading the comments: every pair of comments
put together by the suggestions is right if the reading put them together too (precision),
and every pair the reading put together should be found (recall). Pairs rather than whole
groups, so a group that is nearly right counts as nearly right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class Agreement:
    suggested: int
    """Pairs of comments that the suggestions put in one group."""
    labelled: int
    """Pairs of comments that the labels put in one group."""
    shared: int
    """Pairs in both."""

    @property
    def precision(self) -> float | None:
        """None when nothing was suggested: no pair, so no wrong pair either."""
        return self.shared / self.suggested if self.suggested else None

    @property
    def recall(self) -> float:
        return self.shared / self.labelled if self.labelled else 0.0

    @property
    def f1(self) -> float:
        precision, recall = self.precision or 0.0, self.recall
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of comments that share a group, as sorted tuples."""
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def pairwise(suggested: Iterable[Iterable[str]], labelled: Iterable[Iterable[str]]) -> Agreement:
    """The agreement of ``suggested`` groups with ``labelled`` groups."""
    ours, theirs = pairs(suggested), pairs(labelled)
    return Agreement(len(ours), len(theirs), len(ours & theirs))
