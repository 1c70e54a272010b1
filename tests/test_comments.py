"""The table decider, rule by rule and refusal by refusal, as given/when/then."""

from __future__ import annotations

import pytest

from events.decider import fold
from events.tables import events as e
from events.tables import rules as comments
from events.tables.rules import (
    AddComment,
    CommentExists,
    EditComment,
    InvalidParent,
    InvalidPlace,
    MoveComment,
    NestComment,
    ReorderComment,
    RestoreComment,
    RetractComment,
    TextRefused,
    TextTooLong,
    UnknownComment,
    UnknownQuestion,
    UnnestComment,
)
from tests.spec import Spec

QUESTIONS = frozenset({"working-well", "coordination", "advocacy"})
table = Spec(comments)


def add(
    cid: str,
    text: str = "Car 40",
    question: str = "working-well",
    parent: str | None = None,
    **context: object,
) -> AddComment:
    values: dict[str, object] = {
        "rotation": 1,
        "group": "A",
        "phase": "roundtables",
        "late": False,
        "typed_at": 1_686_880_000_000_000,
        "by": "tablet-1",
    }
    values.update(context)
    return AddComment(
        comment_id=cid, question=question, text=text, parent=parent, questions=QUESTIONS, **values
    )  # type: ignore[arg-type]


def added(
    cid: str, text: str = "Car 40", question: str = "working-well", parent: str | None = None
) -> e.CommentAdded:
    return e.CommentAdded(
        comment_id=cid,
        question=question,
        text=text,
        parent=parent,
        rotation=1,
        group="A",
        phase="roundtables",
        late=False,
        typed_at=1_686_880_000_000_000,
        by="tablet-1",
    )


def test_a_comment_is_added_with_its_context() -> None:
    table.when(add("c1")).then(added("c1"))


def test_a_comment_id_already_at_the_table_is_refused() -> None:
    """A resend (same command id) is acked before the rule is asked; another command with
    the same comment id is a conflict the sender must hear of, not an empty ack."""
    table.given(added("c1")).when(add("c1", "other words")).then_raises(
        CommentExists, "already a comment 'c1'"
    )


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200b\u200b \u200d", "\ufeff", " \u2060 ", "\u3164", "\u0301", "\u2800"]
)
def test_text_that_shows_nothing_is_refused(text: str) -> None:
    table.when(add("c1", text)).then_raises(TextRefused, "needs some text")


def test_a_line_or_paragraph_separator_is_refused() -> None:
    for separator in ("\u2028", "\u2029"):
        table.when(add("c1", f"a{separator}b")).then_raises(TextRefused, "control characters")


@pytest.mark.parametrize(
    "text",
    [
        "Kúkpi7",
        "Tk'emlúps te Secwépemc",
        "→ detox",
        "— and",
        "🙂 thanks",
        "שלום עולם",
        "'catch & release'",
        "<script>alert(1)</script>",
    ],
)
def test_unicode_and_markup_are_kept_exactly(text: str) -> None:
    table.when(add("c1", text)).then(added("c1", text))


def test_the_ends_are_trimmed_and_nothing_else() -> None:
    table.when(add("c1", "  two  spaces inside \u00a0")).then(added("c1", "two  spaces inside"))


def test_empty_text_is_refused() -> None:
    table.when(add("c1", "   ")).then_raises(TextRefused, "needs some text")


def test_two_thousand_code_points_pass_and_one_more_is_refused() -> None:
    table.when(add("c1", "é" * 2000)).then(added("c1", "é" * 2000))
    table.when(add("c1", "é" * 2001)).then_raises(TextTooLong, "at most 2000")


@pytest.mark.parametrize("control", ["\n", "\t", "\x00", "\x1b", "\x7f"])
def test_control_characters_are_refused(control: str) -> None:
    table.when(add("c1", f"a{control}b")).then_raises(TextRefused, "control characters")


def test_an_unknown_question_is_refused() -> None:
    table.when(add("c1", question="weather")).then_raises(UnknownQuestion, "weather")


def test_a_sub_bullet_goes_under_a_parent_of_the_same_question() -> None:
    table.given(added("p")).when(add("c", parent="p")).then(added("c", parent="p"))


def test_a_parent_from_another_question_is_refused() -> None:
    table.given(added("p", question="advocacy")).when(add("c", parent="p")).then_raises(
        InvalidParent, "another question"
    )


def test_a_parent_from_another_table_or_unknown_is_refused() -> None:
    table.when(add("c", parent="elsewhere")).then_raises(InvalidParent, "not a comment")


def test_nesting_is_one_level_deep() -> None:
    table.given(added("p"), added("c", parent="p")).when(add("g", parent="c")).then_raises(
        InvalidParent, "one level"
    )


def test_edit_keeps_the_new_text_and_same_text_is_nothing() -> None:
    table.given(added("c1")).when(EditComment(comment_id="c1", text=" CSO's ", by="t2")).then(
        e.CommentEdited(comment_id="c1", text="CSO's", by="t2")
    )
    table.given(added("c1")).when(
        EditComment(comment_id="c1", text="Car 40", by="t")
    ).then_nothing()


def test_editing_an_unknown_or_retracted_comment_is_refused() -> None:
    table.when(EditComment(comment_id="x", text="a", by="t")).then_raises(UnknownComment)
    table.given(added("c1"), e.CommentRetracted(comment_id="c1", by="t")).when(
        EditComment(comment_id="c1", text="a", by="t")
    ).then_raises(UnknownComment, "retracted")


def test_retract_and_restore() -> None:
    table.given(added("c1")).when(RetractComment(comment_id="c1", by="t")).then(
        e.CommentRetracted(comment_id="c1", by="t")
    )
    retracted = (added("c1"), e.CommentRetracted(comment_id="c1", by="t"))
    table.given(*retracted).when(RetractComment(comment_id="c1", by="t")).then_nothing()
    table.given(*retracted).when(RestoreComment(comment_id="c1", by="t")).then(
        e.CommentRestored(comment_id="c1", by="t")
    )
    table.given(added("c1")).when(RestoreComment(comment_id="c1", by="t")).then_nothing()


def test_a_sub_bullet_of_a_retracted_parent_cannot_be_restored_alone() -> None:
    table.given(
        added("p"),
        added("c", parent="p"),
        e.CommentRetracted(comment_id="c", by="t"),
        e.CommentRetracted(comment_id="p", by="t"),
    ).when(RestoreComment(comment_id="c", by="t")).then_raises(InvalidPlace)


def test_move_to_another_question_takes_the_sub_bullets_along() -> None:
    history = (added("p"), added("c", parent="p"), added("q"))
    table.given(*history).when(
        MoveComment(comment_id="p", question="advocacy", questions=QUESTIONS, by="t")
    ).then(e.CommentMoved(comment_id="p", question="advocacy", by="t"))
    state = fold(comments, (*history, e.CommentMoved(comment_id="p", question="advocacy", by="t")))
    assert state.comments["c"].question == "advocacy"
    assert state.order["q:advocacy"] == ("p",)
    assert state.order["q:working-well"] == ("q",)
    assert state.order["p"] == ("c",)


def test_moving_a_sub_bullet_or_to_an_unknown_question_is_refused() -> None:
    history = (added("p"), added("c", parent="p"))
    table.given(*history).when(
        MoveComment(comment_id="c", question="advocacy", questions=QUESTIONS, by="t")
    ).then_raises(InvalidPlace)
    table.given(*history).when(
        MoveComment(comment_id="p", question="nope", questions=QUESTIONS, by="t")
    ).then_raises(UnknownQuestion)
    table.given(*history).when(
        MoveComment(comment_id="p", question="working-well", questions=QUESTIONS, by="t")
    ).then_nothing()


def test_reorder_within_a_list() -> None:
    history = (added("a"), added("b"), added("c"))
    table.given(*history).when(ReorderComment(comment_id="c", after=None, by="t")).then(
        e.CommentReordered(comment_id="c", after=None, by="t")
    )
    state = fold(comments, (*history, e.CommentReordered(comment_id="c", after="a", by="t")))
    assert state.order["q:working-well"] == ("a", "c", "b")
    table.given(*history, added("x", question="advocacy")).when(
        ReorderComment(comment_id="c", after="x", by="t")
    ).then_raises(InvalidPlace, "same list")


def test_nest_and_unnest() -> None:
    history = (added("a"), added("b"), added("c"))
    table.given(*history).when(NestComment(comment_id="b", parent="a", by="t")).then(
        e.CommentNested(comment_id="b", parent="a", by="t")
    )
    nested = (*history, e.CommentNested(comment_id="b", parent="a", by="t"))
    state = fold(comments, nested)
    assert state.order["q:working-well"] == ("a", "c")
    assert state.order["a"] == ("b",)
    table.given(*nested).when(UnnestComment(comment_id="b", by="t")).then(
        e.CommentUnnested(comment_id="b", by="t")
    )
    state = fold(comments, (*nested, e.CommentUnnested(comment_id="b", by="t")))
    assert state.order["q:working-well"] == ("a", "b", "c")


def test_nesting_refusals() -> None:
    history = (added("a"), added("b"), added("k", parent="b"), added("z", question="advocacy"))
    table.given(*history).when(NestComment(comment_id="a", parent="a", by="t")).then_raises(
        InvalidParent, "its own"
    )
    table.given(*history).when(NestComment(comment_id="b", parent="a", by="t")).then_raises(
        InvalidPlace, "one level"
    )
    table.given(*history).when(NestComment(comment_id="a", parent="z", by="t")).then_raises(
        InvalidParent, "another question"
    )
    table.given(*history).when(NestComment(comment_id="a", parent="k", by="t")).then_raises(
        InvalidParent, "one level"
    )
    table.given(*history).when(UnnestComment(comment_id="a", by="t")).then_raises(
        InvalidPlace, "not a sub-bullet"
    )
