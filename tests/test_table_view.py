"""The table view's render: its canonical JSON is written straight from structs
(``projections.table.dumps``), and must be byte for byte the canonical JSON of its data
(``render``), which the live server sends; views handed out do not change afterwards."""

from __future__ import annotations

import pytest

from events.log.codec import canonical
from events.tables import events as e
from projections.table import TableDraft, TableView, dumps, render
from tests.test_comments import added
from tests.test_projection_theme_wall import records

QUESTIONS = ["working-well", "coordination"]
BY = "tablet-1"
ODD = 'quote " back \\ tab \t control \x01 Kúkpi7 → 🙂 \u2028'


def _history() -> list[e.TableEvent]:
    """Every kind of table event, with a sub-bullet kept, one retracted and one under a
    retracted parent."""
    return [
        added("a", ODD),
        added("a1", "Dry housing", parent="a"),
        added("a2", "gone", parent="a"),
        added("b", "Car 40", question="coordination"),
        added("b1", "under b", question="coordination", parent="b"),
        added("c"),
        e.CommentEdited(comment_id="a", text=ODD + " (edited)", by=BY),
        e.CommentRetracted(comment_id="a2", by=BY),
        e.CommentStarred(comment_id="c", by=BY),
        e.CommentReordered(comment_id="c", after=None, by=BY),
        e.CommentMoved(comment_id="b", question="working-well", by=BY),
        e.CommentNested(comment_id="c", parent="b", by=BY),
        e.CommentUnnested(comment_id="c", by=BY),
        e.CommentRetracted(comment_id="b", by=BY),
        e.CommentRestored(comment_id="b", by=BY),
        e.CommentRetracted(comment_id="b", by=BY),
        added("d", "typed long before", question="coordination"),
    ]


def _views() -> list[TableView]:
    """The view after each event, each read from the draft as the event was folded."""
    draft = TableDraft(TableView("m", 1))
    views = []
    for record in records(*(("table-m-1", event) for event in _history())):
        draft.apply(record)
        views.append(draft.view())
    return views


def test_dumps_is_the_canonical_json_of_render_after_every_event() -> None:
    for view in _views():
        assert dumps(view, QUESTIONS) == canonical(render(view, QUESTIONS))


def test_what_the_view_shows() -> None:
    working, coordination = render(_views()[-1], QUESTIONS)["questions"]
    (a, c) = working["comments"]  # b was retracted, and its sub-bullet with it
    assert (a["id"], a["text"], a["edited"]) == ("a", ODD + " (edited)", True)
    assert [child["id"] for child in a["children"]] == ["a1"]
    assert "children" not in a["children"][0]
    assert (c["id"], c["starred"], c["children"]) == ("c", True, [])
    assert [comment["id"] for comment in coordination["comments"]] == ["d"]


def test_a_view_handed_out_does_not_change_when_the_next_events_are_folded() -> None:
    draft = TableDraft(TableView("m", 1))
    folded = records(*(("table-m-1", event) for event in _history()))
    draft.apply(folded[0])
    view = draft.view()
    before = dumps(view, QUESTIONS)
    for record in folded[1:]:
        draft.apply(record)
    assert dumps(view, QUESTIONS) == before
    with pytest.raises(AttributeError):
        view.state.comments["a"].text = "changed"  # type: ignore[misc]
