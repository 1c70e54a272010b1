"""The suggestions decider: the lead's dismissals, the switch and the meeting's glossary.

One stream per meeting (``suggestions-<meeting_id>``). Every meeting starts with suggestions
on and the glossary it was seeded with (the shell passes it in: Roundtable ships the Kamloops
one); each edit is a whole concept set or removed, and the glossary that results must still be
valid (``events.suggestions.glossary``), so a lead can never store one the method cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from events.errors import DomainError
from events.suggestions import events as e
from events.suggestions.glossary import Concept, Glossary
from events.themes.events import CommentRef

MAX_DISMISSED_COMMENTS = 500
"""The most comments one dismissal names (a suggestion is a handful of them)."""


class UnknownConcept(DomainError):
    code = "unknown_concept"


class InvalidSuggestion(DomainError):
    code = "invalid_suggestion"


@dataclass(frozen=True, slots=True, kw_only=True)
class DismissSuggestion:
    suggestion_id: str
    comments: tuple[CommentRef, ...]
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SwitchSuggestions:
    enabled: bool
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetGlossaryConcept:
    concept: Concept
    base: Glossary
    """The glossary the meeting was seeded with."""
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveGlossaryConcept:
    concept_id: str
    base: Glossary
    by: str


SuggestionsCommand = (
    DismissSuggestion | SwitchSuggestions | SetGlossaryConcept | RemoveGlossaryConcept
)


@dataclass(frozen=True, slots=True)
class SuggestionsState:
    enabled: bool = True
    dismissed: dict[str, frozenset[CommentRef]] = field(default_factory=dict)
    """Each dismissed suggestion's comments, by its id, in the order dismissed."""
    edits: dict[str, Concept | None] = field(default_factory=dict)
    """The glossary's edited concepts, by id, in the order first edited (``None``: removed)."""


initial_state = SuggestionsState()


def stream_id(meeting_id: str) -> str:
    return f"suggestions-{meeting_id}"


def glossary(state: SuggestionsState, base: Glossary) -> Glossary:
    """The meeting's glossary: ``base`` with the lead's edits (replaced in place, new ones last)."""
    concepts = [state.edits.get(c.id, c) for c in base.concepts]
    known = {c.id for c in base.concepts}
    concepts += [c for cid, c in state.edits.items() if cid not in known]
    return Glossary(base.name, tuple(c for c in concepts if c is not None))


def decide(command: SuggestionsCommand, state: SuggestionsState) -> list[e.SuggestionsEvent]:
    match command:
        case DismissSuggestion(suggestion_id=sid, comments=refs, by=by):
            if sid in state.dismissed:
                return []
            if not refs or len(refs) > MAX_DISMISSED_COMMENTS:
                raise InvalidSuggestion(
                    f"a dismissal names 1 to {MAX_DISMISSED_COMMENTS} comments of the suggestion"
                )
            return [
                e.SuggestionDismissed(suggestion_id=sid, comments=tuple(sorted(set(refs))), by=by)
            ]
        case SwitchSuggestions(enabled=enabled, by=by):
            return (
                [] if enabled == state.enabled else [e.SuggestionsSwitched(enabled=enabled, by=by)]
            )
        case SetGlossaryConcept(concept=concept, base=base, by=by):
            current = glossary(state, base)
            if concept in current.concepts:
                return []
            edited = replace(state, edits={**state.edits, concept.id: concept})
            _check(glossary(edited, base))
            return [
                e.GlossaryConceptSet(
                    concept_id=concept.id,
                    phrases=concept.phrases,
                    acronyms=concept.acronyms,
                    broader=concept.broader,
                    note=concept.note,
                    by=by,
                )
            ]
        case RemoveGlossaryConcept(concept_id=cid, base=base, by=by):
            if all(c.id != cid for c in glossary(state, base).concepts):
                raise UnknownConcept(f"the glossary has no concept {cid!r}")
            _check(glossary(replace(state, edits={**state.edits, cid: None}), base))
            return [e.GlossaryConceptRemoved(concept_id=cid, by=by)]


def _check(result: Glossary) -> None:
    """Refuse an edit that leaves a glossary the method cannot read (``GlossaryError``)."""
    Glossary.from_json(to_json(result))


def to_json(glossary: Glossary) -> dict[str, object]:
    """A glossary in its JSON form (docs/themes.md)."""
    return {
        "name": glossary.name,
        "concepts": [concept_json(c) for c in glossary.concepts],
    }


def concept_json(concept: Concept) -> dict[str, object]:
    return {
        "id": concept.id,
        "phrases": list(concept.phrases),
        "acronyms": list(concept.acronyms),
        "broader": list(concept.broader),
        "note": concept.note,
    }


def evolve(state: SuggestionsState, event: e.SuggestionsEvent) -> SuggestionsState:
    match event:
        case e.SuggestionDismissed(suggestion_id=sid, comments=refs):
            return replace(state, dismissed={**state.dismissed, sid: frozenset(refs)})
        case e.SuggestionsSwitched(enabled=enabled):
            return replace(state, enabled=enabled)
        case e.GlossaryConceptSet():
            concept = Concept(
                event.concept_id, event.phrases, event.acronyms, event.broader, event.note
            )
            return replace(state, edits={**state.edits, event.concept_id: concept})
        case e.GlossaryConceptRemoved(concept_id=cid):
            return replace(state, edits={**state.edits, cid: None})
