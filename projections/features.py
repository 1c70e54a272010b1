"""A comment as weighted features: its words and the glossary concepts it names.

Weights are fixed, not learned from the meeting (no IDF): the similarity of two comments
then depends on those two comments alone, so adding a comment never changes the
similarity of two others, and suggestions can be kept up to date one comment at a time.
Measured on the Kamloops evening, corpus weighting also did worse: in comments of three
or four words it lets one rare, unshared word outweigh the idea two comments share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from events.suggestions.text import GENERIC_STEMS, tokens
from projections.glossary_match import Matcher

CONCEPT = "="
"""Prefix of concept features; word features are bare stems, which never start with it."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of feature counts; a word counts 1."""

    concept: float = 1.5
    """A glossary concept names the idea more surely than any one word does."""
    broader: float = 0.6
    """A broader concept, as a share of ``concept``: "detox" is a kind of recovery service."""
    generic: float = 0.3
    """A word that frames a point ("increase", "improve") rather than makes it."""


@dataclass(frozen=True, slots=True)
class Vector:
    """Features sorted by name, so every sum over them runs in one order."""

    features: tuple[tuple[str, float], ...]
    norm: float

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> Vector:
        features = tuple(sorted(weights.items()))
        return cls(features, math.sqrt(sum(w * w for _, w in features)))


def vector(text: str, matcher: Matcher, weights: Weights) -> Vector:
    """The features of ``text``: each counted once, at the highest weight it gets."""
    concepts, rest = matcher.match(tokens(text))
    found: dict[str, float] = {}

    def put(feature: str, weight: float) -> None:
        found[feature] = max(found.get(feature, 0.0), weight)

    for word in rest:
        if len(word.stem) > 1 and not word.stem.isdigit():
            put(word.stem, weights.generic if word.stem in GENERIC_STEMS else 1.0)
    for concept in concepts:
        put(CONCEPT + concept, weights.concept)
        for broader in matcher.broader.get(concept, ()):
            put(CONCEPT + broader, weights.concept * weights.broader)
    return Vector.of(found)


def cosine(a: Vector, b: Vector) -> float:
    """The cosine of two vectors; 0 when either has no feature."""
    if not a.norm or not b.norm:
        return 0.0
    other = dict(b.features)
    dot = 0.0
    for feature, weight in a.features:
        if feature in other:
            dot += weight * other[feature]
    return dot / (a.norm * b.norm)
