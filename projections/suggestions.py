"""Theme suggestions: groups of comments that say the same thing, across tables, offline.

The lead should not have to spot by eye that "Sobering centre" at table 2 and "Treatment
and recovery beds" at table 1 are one idea. ``Suggester`` keeps a meeting's comments as
feature vectors (``features``), links every pair that shares a feature by cosine
similarity, and groups the comments by average linkage (``grouping``). Nothing is
downloaded or random: the same comments, in any order, give the same suggestions, so a
replay shows what the lead saw. A new comment costs its own links and the regrouping of
its own component, which keeps a meeting of thousands of comments live (bench/).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from projections.features import Vector, Weights, vector
from projections.glossary import EMPTY, Glossary, Matcher
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


class Suggester:
    """A meeting's suggestions, kept up to date as comments are added, edited or removed."""

    def __init__(self, glossary: Glossary = EMPTY, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._matcher = Matcher(glossary)
        self._comments: dict[str, Comment] = {}
        self._vectors: dict[str, Vector] = {}
        self._postings: dict[str, dict[str, float]] = {}
        self._links: dict[str, dict[str, float]] = {}
        self._blocks = Blocks(self.settings.threshold, self.settings.largest_block)
        self._grouped: dict[frozenset[str], list[Suggestion]] = {}

    def __len__(self) -> int:
        return len(self._comments)

    def add(self, comment: Comment) -> None:
        """Add ``comment``, or replace the one with its id (an edit)."""
        if comment.id in self._comments:
            self.remove(comment.id)
        new = vector(comment.text, self._matcher, self.settings.weights)
        dots: dict[str, float] = {}
        for feature, weight in new.features:
            postings = self._postings.setdefault(feature, {})
            for other, other_weight in postings.items():
                dots[other] = dots.get(other, 0.0) + weight * other_weight
            postings[comment.id] = weight
        self._comments[comment.id] = comment
        self._vectors[comment.id] = new
        links = self._links[comment.id] = {}
        for other, dot in dots.items():
            links[other] = self._links[other][comment.id] = dot / (
                new.norm * self._vectors[other].norm
            )
        self._blocks.add(comment.id, links)

    def remove(self, comment_id: str) -> None:
        """Forget a comment (retracted); its component is regrouped without it."""
        if self._comments.pop(comment_id, None) is None:
            return
        for feature, _ in self._vectors.pop(comment_id).features:
            del self._postings[feature][comment_id]
        own = self._links.pop(comment_id)
        for other in own:
            del self._links[other][comment_id]
        self._blocks.remove(comment_id, own, self._links)
        self._grouped = {key: g for key, g in self._grouped.items() if comment_id not in key}

    def suggestions(self) -> list[Suggestion]:
        """Every group of two or more, the ideas heard at most tables first."""
        grouped: dict[frozenset[str], list[Suggestion]] = {}
        for block in self._blocks.parts():
            known = self._grouped.get(block)
            if known is None:
                groups = average_link(block, self._links, self.settings.threshold)
                known = [self._suggestion(group) for group in groups]
            grouped[block] = known
        self._grouped = grouped
        found = [suggestion for suggestions in grouped.values() for suggestion in suggestions]
        return sorted(found, key=lambda s: (-len(s.tables), -len(s.comments), s.comments))

    def _suggestion(self, group: tuple[str, ...]) -> Suggestion:
        scores = centrality(group, self._links)
        middle = min(group, key=lambda c: (-scores[c], len(self._comments[c].text), c))
        tables = sorted({self._comments[c].table for c in group})
        return Suggestion(title(self._comments[middle].text), group, tuple(tables))


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
