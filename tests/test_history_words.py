"""A history's changes in people's words (projections/history_words.py): a spec table of
change → sentence, with the names the meeting knew things by. No id or data structure may
show in a sentence."""

from __future__ import annotations

from typing import Any

import pytest

from projections.history_words import Names, said

NAMES = Names(
    themes={"th-1": "Detox beds", "th-2": "Treatment", "th-3": "Sobering centre"},
    comments={(2, "c1"): "More detox beds at RIH", (2, "c2"): "Sobering centre", (3, "c9"): "Beds"},
    questions={"working-well": "What's working well?", "advocacy": "Where to advocate?"},
    topics={"social-health": "Social and Health Infrastructure"},
)


def change(event: str, **fields: tuple[Any, Any]) -> dict[str, Any]:
    return {
        "event_type": event,
        "changes": [{"field": k, "old": old, "new": new} for k, (old, new) in fields.items()],
    }


COMMENT = [
    (
        change(
            "CommentAdded",
            text=(None, "Sobering centre"),
            question=(None, "advocacy"),
            parent=(None, "c1"),
            retracted=(None, False),
            starred=(None, False),
        ),
        "added “Sobering centre” under “Where to advocate?”, as a sub-point of"
        " “More detox beds at RIH”",
    ),
    (
        change("CommentEdited", text=("Sobering", "Sobering centre")),
        "changed the text from “Sobering” to “Sobering centre”",
    ),
    (
        change("CommentMoved", question=("working-well", "advocacy")),
        "moved it from “What's working well?” to “Where to advocate?”",
    ),
    (change("CommentMoved", parent=("c1", None)), "made it a point of its own"),
    (change("CommentStarred", starred=(False, True)), "starred it"),
    (change("CommentUnstarred", starred=(True, False)), "took its star away"),
    (change("CommentRetracted", retracted=(False, True)), "retracted it"),
    (change("CommentRestored", retracted=(True, False)), "restored it"),
    (change("CommentAddedToTheme", theme=(None, "th-1")), "put it in the theme “Detox beds”"),
    (
        change("CommentAddedToTheme", theme=("th-1", "th-2")),
        "moved it from the theme “Detox beds” to “Treatment”",
    ),
    (
        change("GroupingUndone", theme=("th-1", None)),
        "undid the last grouping: took it out of the theme “Detox beds”",
    ),
]

THEME = [
    (
        change(
            "ThemeCreated",
            title=(None, "Detox beds"),
            topic=(None, "social-health"),
            question=(None, "advocacy"),
            key=(None, False),
            merged_into=(None, None),
            comments=(None, []),
        ),
        "created the theme “Detox beds” in Social and Health Infrastructure,"
        " for “Where to advocate?”",
    ),
    (
        change("ThemeSplit", title=(None, "Sobering centre"), comments=(None, [[2, "c2"]])),
        "created the theme “Sobering centre” across topics, for any question,"
        " with “Sobering centre” (table 2)",
    ),
    (
        change("ThemeRenamed", title=("Beds", "Detox beds")),
        "renamed it from “Beds” to “Detox beds”",
    ),
    (change("ThemeMarkedKey", key=(False, True)), "marked it a key theme"),
    (change("ThemeUnmarkedKey", key=(True, False)), "unmarked it as a key theme"),
    (
        change("CommentAddedToTheme", comments=([], [[2, "c1"]])),
        "put “More detox beds at RIH” (table 2) in it",
    ),
    (
        change("ThemesMerged", comments=([[2, "c1"]], [[2, "c1"], [2, "c2"], [3, "c9"]])),
        "put “Sobering centre” (table 2) and “Beds” (table 3) in it",
    ),
    (
        change("CommentRemovedFromTheme", comments=([[2, "c1"], [2, "c2"]], [[2, "c2"]])),
        "took “More detox beds at RIH” (table 2) out of it",
    ),
    (change("ThemesMerged", merged_into=(None, "th-2")), "merged it into “Treatment”"),
    (
        change("GroupingUndone", merged_into=("th-2", None)),
        "undid the last grouping: brought it back out of “Treatment”",
    ),
    (
        change("GroupingUndone", title=("Detox beds", None), comments=([], None)),
        "undid the last grouping: removed the theme (its creation was undone)",
    ),
    (
        change("CommentAddedToTheme", comments=([], [[2, "gone"]])),
        "put a comment at table 2 in it",
    ),
]


@pytest.mark.parametrize(("given", "then"), COMMENT)
def test_a_comment_change_in_words(given: dict[str, Any], then: str) -> None:
    assert said(given, NAMES, table=2) == then


@pytest.mark.parametrize(("given", "then"), THEME)
def test_a_theme_change_in_words(given: dict[str, Any], then: str) -> None:
    assert said(given, NAMES) == then


def test_many_comments_are_named_three_then_counted() -> None:
    refs = [[2, "c1"], [2, "c2"], [3, "c9"], [3, "x"], [3, "y"]]
    assert said(change("ThemesMerged", comments=([], refs)), NAMES) == (
        "put “More detox beds at RIH” (table 2), “Sobering centre” (table 2),"
        " “Beds” (table 3) and 2 more in it"
    )
