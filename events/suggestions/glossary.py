"""A meeting's glossary: the acronyms, local names and synonyms its comments use.

Comments at a community safety meeting say "CSO", "Car 40" or "sobering centre" where
another table says "community service officers", "crisis response team" or "detox". Word
overlap cannot see that these are one idea; the glossary says so. Each concept lists the
phrases that name it, optional acronyms that count only when typed in capitals ("ACT", not
"the Mental Health act"), and optional broader concepts it belongs to ("detox" is a kind of
"recovery care"). A lead edits it as JSON; docs/themes.md describes the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import orjson

from events.errors import RoundtableError
from events.suggestions.text import tokens

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Key = tuple[str, ...]
"""A phrase as the stems to match in order; an acronym is one key, ``^`` and its capitals."""


class GlossaryError(RoundtableError):
    """A glossary that cannot be read; the message names the entry and the problem."""

    code = "bad_glossary"


@dataclass(frozen=True, slots=True)
class Concept:
    """One idea and the ways a comment may name it."""

    id: str
    phrases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Glossary:
    name: str
    concepts: tuple[Concept, ...] = ()

    @classmethod
    def from_json(cls, data: Any) -> Glossary:
        """The glossary in ``data`` (parsed JSON), or a ``GlossaryError`` naming the fault."""
        if not isinstance(data, Mapping):
            raise GlossaryError("glossary: expected a JSON object")
        name = data.get("name", "")
        if not isinstance(name, str):
            raise GlossaryError("glossary.name: expected text")
        entries = data.get("concepts")
        if not isinstance(entries, list):
            raise GlossaryError("glossary.concepts: expected a list")
        concepts = tuple(_concept(entry, f"concepts[{i}]") for i, entry in enumerate(entries))
        _check_across(concepts)
        return cls(name, concepts)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Glossary:
        try:
            return cls.from_json(orjson.loads(raw))
        except orjson.JSONDecodeError as error:
            raise GlossaryError(f"glossary: not JSON ({error})") from None


EMPTY = Glossary("none")


def seeded(name: str = "kamloops") -> Glossary:
    """A glossary shipped with Roundtable, for a meeting made from the template of that name."""
    path = resources.files("events") / "glossaries" / f"{name}.json"
    try:
        return Glossary.from_bytes(path.read_bytes())
    except FileNotFoundError:
        raise GlossaryError(f"no glossary named {name!r} ships with Roundtable") from None


def _check_across(concepts: tuple[Concept, ...]) -> None:
    """Ids are unique, broader concepts exist, and no phrase names two concepts."""
    ids: set[str] = set()
    for concept in concepts:
        if concept.id in ids:
            raise GlossaryError(f"glossary: concept id {concept.id!r} appears twice")
        ids.add(concept.id)
    owner: dict[Key, str] = {}
    for concept in concepts:
        for other in concept.broader:
            if other not in ids:
                raise GlossaryError(f"glossary: {concept.id!r} is under {other!r}, not a concept")
        named = [(p, keys(p)) for p in concept.phrases]
        for phrase, key in named + [(a, (f"^{a}",)) for a in concept.acronyms]:
            if owner.setdefault(key, concept.id) != concept.id:
                raise GlossaryError(
                    f"glossary: {phrase!r} names both {owner[key]!r} and {concept.id!r}"
                )


def _concept(entry: Any, where: str) -> Concept:
    if not isinstance(entry, Mapping):
        raise GlossaryError(f"glossary.{where}: expected an object")
    concept_id = entry.get("id")
    if not isinstance(concept_id, str) or not _ID.fullmatch(concept_id):
        raise GlossaryError(f"glossary.{where}.id: expected a lower-case id like 'sobering-centre'")
    where = f"{where} ({concept_id})"
    phrases = _texts(entry, "phrases", where)
    acronyms = _texts(entry, "acronyms", where)
    broader = _texts(entry, "broader", where)
    for acronym in acronyms:
        if not (acronym.isalnum() and acronym.isupper()):
            raise GlossaryError(
                f"glossary.{where}.acronyms: {acronym!r} is not one word in capitals"
            )
    for phrase in phrases:
        if not keys(phrase):
            raise GlossaryError(f"glossary.{where}.phrases: {phrase!r} has no word to match")
    if concept_id in broader:
        raise GlossaryError(f"glossary.{where}.broader: a concept is not under itself")
    if not phrases and not acronyms:
        raise GlossaryError(f"glossary.{where}: give at least one phrase or acronym")
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise GlossaryError(f"glossary.{where}.note: expected text")
    return Concept(concept_id, phrases, acronyms, broader, note)


def _texts(entry: Mapping[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GlossaryError(f"glossary.{where}.{field}: expected a list of non-empty texts")
    return tuple(value)


def keys(phrase: str) -> Key:
    """A phrase as the stems a comment must hold in order (stop words dropped)."""
    return tuple(token.stem for token in tokens(phrase) if not token.stop)
