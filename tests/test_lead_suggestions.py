"""Accepting a suggestion is one grouping action; the dismissal rule; the glossary edits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from events.suggestions import rules as suggestions
from events.suggestions.glossary import Concept, Glossary, GlossaryError
from events.themes import events as e
from events.themes import rules as themes
from events.themes.commands import AcceptSuggestion, WrongTopic
from events.themes.events import CommentRef
from events.themes.rules import ThemeWallState
from projections.lead_suggestions import dismissed, suggestion_id

A, B, C, D, E = (CommentRef(n, f"c{n}") for n in range(1, 6))
FOUND = {
    ref: ("social-health" if ref.table == 1 else "crime-prevention", "advocacy")
    for ref in (A, B, C)
}


def wall(*events: e.ThemeEvent) -> ThemeWallState:
    state = themes.initial_state
    for event in events:
        state = themes.evolve(state, event)
    return state


def accept(**fields: object) -> AcceptSuggestion:
    command = AcceptSuggestion(
        suggestion_id="s-1",
        theme_id="new",
        title=" Beds ",
        into=None,
        comments=(B, A),
        found=FOUND,
        by="lead",
    )
    return replace(command, **fields)  # type: ignore[arg-type]


def test_accepting_makes_a_theme_with_its_comments_and_one_undo_reverts_all_of_it() -> None:
    before = wall(
        e.ThemeCreated(theme_id="old", title="Old", topic=None, question=None, by="lead"),
        e.CommentAddedToTheme(theme_id="old", comment=A, previous=None, by="lead"),
    )
    (event,) = themes.decide(accept(), before)
    assert event == e.SuggestionAccepted(
        suggestion_id="s-1",
        theme_id="new",
        new=True,
        title="Beds",
        topic=None,
        question="advocacy",
        comments=(A, B),
        previous=("old", None),
        by="lead",
    )
    after = themes.evolve(before, event)
    assert after.members("new") == (A, B)
    assert after.done[-1] == (3, event)
    (undo,) = themes.decide(themes.UndoGrouping(action=3, by="lead"), after)
    undone = themes.evolve(after, undo)
    assert "new" not in undone.themes
    assert undone.placed == {A: "old"}


def test_accepting_into_a_theme_adds_only_what_is_not_in_it_and_respects_its_topic() -> None:
    before = wall(
        e.ThemeCreated(theme_id="t", title="T", topic="social-health", question=None, by="lead"),
        e.CommentAddedToTheme(theme_id="t", comment=A, previous=None, by="lead"),
    )
    assert themes.decide(accept(into="t", comments=(A,)), before) == []
    with pytest.raises(WrongTopic):
        themes.decide(accept(into="t", comments=(A, B)), before)
    with pytest.raises(themes.UnknownComment):
        themes.decide(accept(comments=(A, D)), before)


def test_a_group_mostly_of_dismissed_comments_is_the_same_idea() -> None:
    state = suggestions.evolve(
        suggestions.initial_state,
        suggestions_event := e_dismissed(suggestion_id([A, B]), (A, B)),
    )
    assert suggestions_event.comments == (A, B)
    assert dismissed(frozenset({A, B}), state)
    assert dismissed(frozenset({A, B, C}), state)  # a new comment joined it
    assert dismissed(frozenset({A, B, C, D}), state)  # half
    assert not dismissed(frozenset({A, B, C, D, E}), state)  # mostly new: offered again
    assert not dismissed(frozenset({A, C}), state)  # one comment is not an idea


def e_dismissed(sid: str, refs: tuple[CommentRef, ...]) -> suggestions.e.SuggestionDismissed:
    (event,) = suggestions.decide(
        suggestions.DismissSuggestion(suggestion_id=sid, comments=refs, by="lead"),
        suggestions.initial_state,
    )
    assert isinstance(event, suggestions.e.SuggestionDismissed)
    return event


def test_suggestion_ids_depend_on_the_comments_only() -> None:
    assert suggestion_id([B, A, A]) == suggestion_id([A, B]) != suggestion_id([A, C])


def test_glossary_edits_replace_in_place_add_last_and_never_leave_a_broken_glossary() -> None:
    base = Glossary("seed", (Concept("a", ("alpha",)), Concept("b", ("beta",), broader=("a",))))
    state = suggestions.initial_state
    for command in (
        suggestions.SetGlossaryConcept(concept=Concept("a", ("alpha", "first")), base=base, by="l"),
        suggestions.SetGlossaryConcept(concept=Concept("c", ("gamma",)), base=base, by="l"),
    ):
        for event in suggestions.decide(command, state):
            state = suggestions.evolve(state, event)
    glossary = suggestions.glossary(state, base)
    assert [c.id for c in glossary.concepts] == ["a", "b", "c"]
    assert glossary.concepts[0].phrases == ("alpha", "first")
    with pytest.raises(GlossaryError, match="under 'a'"):
        suggestions.decide(
            suggestions.RemoveGlossaryConcept(concept_id="a", base=base, by="l"), state
        )
    with pytest.raises(suggestions.UnknownConcept):
        suggestions.decide(
            suggestions.RemoveGlossaryConcept(concept_id="z", base=base, by="l"), state
        )
    (removed,) = suggestions.decide(
        suggestions.RemoveGlossaryConcept(concept_id="c", base=base, by="l"), state
    )
    assert [
        c.id for c in suggestions.glossary(suggestions.evolve(state, removed), base).concepts
    ] == [
        "a",
        "b",
    ]
