"""Theme suggestions: groups of comments that say the same thing, across tables, offline.

The lead should not have to spot by eye that "Sobering centre" at table 2 and "Treatment
and recovery beds" at table 1 are one idea. ``Suggester`` keeps a meeting's comments as
feature vectors (``features``), links every pair that shares a feature by cosine
similarity, and groups the comments by average linkage (``grouping``). Nothing is
downloaded or random: the same comments, in any order, give the same suggestions, so a
replay shows what the lead saw. A new comment costs its own links and the regrouping of
its own component, which keeps a meeting of thousands of comments live (bench/).

Memory is bounded by the server, not by what tablets type. Comments with the same features
(the same words once stemmed, whatever their case, punctuation, numbers or order) are near
duplicates and fold into one node: a thousand copies of one comment cost one node and no
links (they used to cost a million links). And a meeting holds at most ``max_comments``
distinct nodes and ``max_links`` links: a comment that would go beyond is held out of the
suggestions (``held_out``; the lead's panel says how many), until the server restarts with
fewer comments live. Below the bound, the order comments came in never matters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from events.suggestions.glossary import EMPTY, Glossary
from projections.features import Vector, Weights, vector
from projections.glossary_match import Matcher
from projections.grouping import Blocks, average_link, centrality

TITLE_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment as the method needs it; ``topic``, ``question`` and ``parent`` are context.

    Ideas cross tables, topics and questions, so only ``text`` decides similarity. A
    sub-bullet is a comment like any other and is matched on its own words.
    """

    id: str
    table: int
    topic: str
    question: str
    text: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed theme: a short title and its comment ids, sorted."""

    title: str
    comments: tuple[str, ...]
    tables: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float = 0.45
    """The least average similarity within a group (cosine, 0 to 1)."""
    largest_block: int = 200
    """The most comments grouped at once; bounds the work a new comment costs (``Blocks``)."""
    weights: Weights = field(default_factory=Weights)
    max_comments: int = 5000
    """Distinct comments (nodes) a meeting's suggester holds."""
    max_links: int = 1_000_000
    """Links (pairs of comments sharing a feature) it holds: about 110 MB."""


class Suggester:
    """A meeting's suggestions, kept up to date as comments are added, edited or removed."""

    def __init__(self, glossary: Glossary = EMPTY, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._matcher = Matcher(glossary)
        self._comments: dict[str, Comment] = {}
        self._alike: dict[tuple[tuple[str, float], ...], set[str]] = {}
        """The comments of each node, by the node's features (near duplicates)."""
        self._node_of: dict[str, str] = {}
        """Each comment's node: the smallest comment id of its near duplicates."""
        self._vectors: dict[str, Vector] = {}
        self._postings: dict[str, dict[str, float]] = {}
        self._links: dict[str, dict[str, float]] = {}
        self._blocks = Blocks(self.settings.threshold, self.settings.largest_block)
        self._grouped: dict[frozenset[str], list[Suggestion]] = {}
        self._link_count = 0
        self._blank: set[str] = set()
        self.held_out: set[str] = set()
        """Comments beyond the bound (``max_comments``, ``max_links``): not suggested."""

    def __len__(self) -> int:
        return len(self._comments) + len(self._blank)

    @property
    def nodes(self) -> int:
        """Distinct comments held (near duplicates count once)."""
        return len(self._vectors)

    def add(self, comment: Comment) -> None:
        """Add ``comment``, or replace the one with its id (an edit)."""
        if comment.id in self._comments or comment.id in self.held_out | self._blank:
            self.remove(comment.id)
        new = vector(comment.text, self._matcher, self.settings.weights)
        if not new.features:  # "?" or "123": like nothing, so never suggested
            self._blank.add(comment.id)
            return
        alike = self._alike.get(new.features)
        if alike is None:
            if not self._add_node(comment.id, new):
                self.held_out.add(comment.id)
                return
            alike = self._alike[new.features] = set()
        self._comments[comment.id] = comment
        alike.add(comment.id)
        self._renode(alike, new)

    def remove(self, comment_id: str) -> None:
        """Forget a comment (retracted); its component is regrouped without it."""
        self.held_out.discard(comment_id)
        self._blank.discard(comment_id)
        if self._comments.pop(comment_id, None) is None:
            return
        node = self._node_of.pop(comment_id)
        new = self._vectors[node]
        alike = self._alike[new.features]
        alike.discard(comment_id)
        if not alike:
            del self._alike[new.features]
            self._remove_node(node)
        else:
            self._renode(alike, new)

    def _renode(self, alike: set[str], new: Vector) -> None:
        """Near duplicates changed: their node is named by the smallest id among them, so
        the node does not depend on the order they came in."""
        head = min(alike)
        node = next((self._node_of[c] for c in alike if c in self._node_of), head)
        if node != head:
            self._remove_node(node)
            self._add_node(head, new, bounded=False)
        for member in alike:
            self._node_of[member] = head
        self._grouped = {key: g for key, g in self._grouped.items() if head not in key}

    def _add_node(self, node: str, new: Vector, *, bounded: bool = True) -> bool:
        """Add a node and its links; ``False`` (nothing added) if it would go beyond the bound."""
        dots: dict[str, float] = {}
        for feature, weight in new.features:
            for other, other_weight in self._postings.get(feature, {}).items():
                dots[other] = dots.get(other, 0.0) + weight * other_weight
        if bounded and (
            len(self._vectors) >= self.settings.max_comments
            or self._link_count + len(dots) > self.settings.max_links
        ):
            return False
        for feature, weight in new.features:
            self._postings.setdefault(feature, {})[node] = weight
        self._vectors[node] = new
        links = self._links[node] = {}
        for other, dot in dots.items():
            links[other] = self._links[other][node] = dot / (new.norm * self._vectors[other].norm)
        self._link_count += len(links)
        self._blocks.add(node, links)
        return True

    def _remove_node(self, node: str) -> None:
        for feature, _ in self._vectors.pop(node).features:
            del self._postings[feature][node]
        own = self._links.pop(node)
        for other in own:
            del self._links[other][node]
        self._link_count -= len(own)
        self._blocks.remove(node, own, self._links)
        self._grouped = {key: g for key, g in self._grouped.items() if node not in key}

    def suggestions(self) -> list[Suggestion]:
        """Every group of two or more comments, the ideas heard at most tables first."""
        grouped: dict[frozenset[str], list[Suggestion]] = {}
        for block in self._blocks.parts():
            known = self._grouped.get(block)
            if known is None:
                groups = average_link(block, self._links, self.settings.threshold)
                known = [self._suggestion(group) for group in groups]
            grouped[block] = known
        self._grouped = grouped
        found = [suggestion for suggestions in grouped.values() for suggestion in suggestions]
        in_groups = {self._node_of[c] for suggestion in found for c in suggestion.comments}
        for alike in self._alike.values():  # near duplicates alone are a group too
            head = min(alike)
            if len(alike) > 1 and head not in in_groups:
                found.append(self._suggestion((head,)))
        return sorted(found, key=lambda s: (-len(s.tables), -len(s.comments), s.comments))

    def _suggestion(self, group: tuple[str, ...]) -> Suggestion:
        scores = centrality(group, self._links)
        members = [c for node in group for c in self._alike[self._vectors[node].features]]
        middle = min(
            members,
            key=lambda c: (-scores[self._node_of[c]], len(self._comments[c].text), c),
        )
        tables = sorted({self._comments[c].table for c in members})
        return Suggestion(title(self._comments[middle].text), tuple(sorted(members)), tuple(tables))


def suggest(
    comments: Iterable[Comment], glossary: Glossary = EMPTY, settings: Settings | None = None
) -> list[Suggestion]:
    """The suggestions for ``comments`` at once: what a ``Suggester`` fed them one by one gives."""
    suggester = Suggester(glossary, settings)
    for comment in comments:
        suggester.add(comment)
    return suggester.suggestions()


def title(text: str) -> str:
    """``text`` on one line, cut at a word before ``TITLE_LENGTH`` characters.

    A cut inside brackets drops the bracket, so no title ends "(municipal…".
    """
    line = " ".join(text.split())
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rindex("(")]
    return cut.rstrip(" ,;:-/\u2013\u2014") + "…"
