"""Stars in the table decider: a facilitator marks the comments that matter most."""

from __future__ import annotations

from events.decider import fold
from events.tables import events as e
from events.tables import rules as comments
from events.tables.rules import RetractComment, StarComment, UnknownComment, UnstarComment
from projections.table import TableView, render
from tests.spec import Spec
from tests.test_comments import added

table = Spec(comments)
BY = "tablet-1"


def test_star_a_comment_and_again_is_nothing_new() -> None:
    star = StarComment(comment_id="c1", by=BY)
    starred = e.CommentStarred(comment_id="c1", by=BY)
    table.given(added("c1")).when(star).then(starred)
    table.given(added("c1"), starred).when(star).then_nothing()


def test_unstar_a_starred_comment_only() -> None:
    unstar = UnstarComment(comment_id="c1", by=BY)
    starred = e.CommentStarred(comment_id="c1", by=BY)
    table.given(added("c1"), starred).when(unstar).then(e.CommentUnstarred(comment_id="c1", by=BY))
    table.given(added("c1")).when(unstar).then_nothing()


def test_an_unknown_or_retracted_comment_cannot_be_starred() -> None:
    star = StarComment(comment_id="c1", by=BY)
    table.given().when(star).then_raises(UnknownComment)
    retracted = e.CommentRetracted(comment_id="c1", by=BY)
    table.given(added("c1"), retracted).when(star).then_raises(UnknownComment)
    assert comments.decide(RetractComment(comment_id="c1", by=BY), fold(comments, [added("c1")]))


def test_the_table_view_shows_the_star() -> None:
    history = [added("c1"), added("c2"), e.CommentStarred(comment_id="c2", by=BY)]
    view = TableView(
        "m",
        1,
        state=fold(comments, history),
        added_at={"c1": 1, "c2": 2},
        changed_at={"c1": 1, "c2": 3},
    )
    rendered = render(view, ["working-well"])
    assert [c["starred"] for c in rendered["questions"][0]["comments"]] == [False, True]
