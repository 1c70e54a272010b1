"""Finding a glossary's concepts in a comment's words, for the suggestions' features.

The glossary itself (its concepts and the rules a valid one keeps) is the domain's:
``events.suggestions.glossary``; this is the read side's use of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from events.suggestions.glossary import Glossary, Key, keys
from events.suggestions.text import Token


class Matcher:
    """Finds a glossary's phrases in a comment's words: longest first, left to right."""

    def __init__(self, glossary: Glossary) -> None:
        self.broader = {c.id: c.broader for c in glossary.concepts}
        by_first: dict[str, list[tuple[Key, str]]] = {}
        for concept in glossary.concepts:
            named = [keys(p) for p in concept.phrases] + [(f"^{a}",) for a in concept.acronyms]
            for key in named:
                by_first.setdefault(key[0], []).append((key, concept.id))
        self._by_first = {first: _longest_first(found) for first, found in by_first.items()}

    def match(self, words: Sequence[Token]) -> tuple[list[str], list[Token]]:
        """The concepts named in ``words`` (in order, repeats kept) and the words left over."""
        content = [w for w in words if not w.stop]
        concepts: list[str] = []
        rest: list[Token] = []
        i = 0
        while i < len(content):
            found = self._at(content, i)
            if found is None:
                rest.append(content[i])
                i += 1
            else:
                length, concept = found
                concepts.append(concept)
                i += length
        return concepts, rest

    def _at(self, content: Sequence[Token], i: int) -> tuple[int, str] | None:
        word = content[i]
        candidates = self._by_first.get(word.stem, [])
        if word.caps:
            candidates = _longest_first(candidates + self._by_first.get(f"^{word.caps}", []))
        for key, concept in candidates:
            end = i + len(key)
            if end <= len(content) and all(
                _fits(k, w) for k, w in zip(key, content[i:end], strict=True)
            ):
                return len(key), concept
        return None


def _longest_first(found: list[tuple[Key, str]]) -> list[tuple[Key, str]]:
    return sorted(set(found), key=lambda kc: (-len(kc[0]), kc))


def _fits(key: str, word: Token) -> bool:
    return key == f"^{word.caps}" if key.startswith("^") else key == word.stem
