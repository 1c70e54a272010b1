"""The theme-wall decider, rule by rule and refusal by refusal, as given/when/then."""

from __future__ import annotations

import pytest

from events.decider import fold
from events.log.codec import codec
from events.tables.rules import UnknownComment, UnknownQuestion
from events.themes import events as e
from events.themes import rules as themes
from events.themes.commands import (
    AddToTheme,
    CreateTheme,
    InvalidTheme,
    MarkKeyTheme,
    MergeThemes,
    OrderKeyThemes,
    RemoveFromTheme,
    RenameTheme,
    SplitTheme,
    TitleRefused,
    UndoGrouping,
    UnknownTopic,
    UnmarkKeyTheme,
    WrongTopic,
)
from events.themes.events import CommentRef
from events.themes.rules import NothingToUndo, StaleUndo, UnknownTheme
from tests.spec import Spec

TOPICS = frozenset({"crime-prevention", "health"})
QUESTIONS = frozenset({"working-well", "coordination", "advocacy"})
BY = "lead-1"
wall = Spec(themes)
C1, C2, C3 = CommentRef(1, "c1"), CommentRef(2, "c1"), CommentRef(3, "c9")


def create(
    tid: str,
    title: str = "Detox beds",
    topic: str | None = "health",
    question: str | None = "advocacy",
) -> CreateTheme:
    return CreateTheme(
        theme_id=tid,
        title=title,
        topic=topic,
        question=question,
        topics=TOPICS,
        questions=QUESTIONS,
        by=BY,
    )


def created(
    tid: str,
    title: str = "Detox beds",
    topic: str | None = "health",
    question: str | None = "advocacy",
) -> e.ThemeCreated:
    return e.ThemeCreated(theme_id=tid, title=title, topic=topic, question=question, by=BY)


def put(tid: str, ref: CommentRef, live: bool = True, topic: str = "health") -> AddToTheme:
    return AddToTheme(theme_id=tid, comment=ref, live=live, topic=topic, by=BY)


def put_in(tid: str, ref: CommentRef, previous: str | None = None) -> e.CommentAddedToTheme:
    return e.CommentAddedToTheme(theme_id=tid, comment=ref, previous=previous, by=BY)


def test_create_a_theme() -> None:
    wall.given().when(create("t1", "  Detox beds ")).then(created("t1"))


def test_create_a_cross_topic_theme_for_any_question() -> None:
    wall.given().when(create("t1", topic=None, question=None)).then(
        created("t1", topic=None, question=None)
    )


def test_create_again_is_nothing_new_but_another_theme_with_the_id_is_refused() -> None:
    wall.given(created("t1")).when(create("t1")).then_nothing()
    wall.given(created("t1")).when(create("t1", "Housing")).then_raises(InvalidTheme)


@pytest.mark.parametrize("title", ["", "   ", "x" * 121, "two\nlines"])
def test_a_bad_title_is_refused(title: str) -> None:
    wall.given().when(create("t1", title)).then_raises(TitleRefused)
    wall.given(created("t1")).when(RenameTheme(theme_id="t1", title=title, by=BY)).then_raises(
        TitleRefused
    )


def test_a_title_of_120_characters_is_taken() -> None:
    wall.given().when(create("t1", "x" * 120)).then(created("t1", "x" * 120))


def test_an_unknown_topic_or_question_is_refused() -> None:
    wall.given().when(create("t1", topic="weather")).then_raises(UnknownTopic)
    wall.given().when(create("t1", question="why")).then_raises(UnknownQuestion)


def test_rename() -> None:
    rename = RenameTheme(theme_id="t1", title="Treatment beds", by=BY)
    wall.given(created("t1")).when(rename).then(
        e.ThemeRenamed(theme_id="t1", title="Treatment beds", by=BY)
    )
    wall.given(created("t1", "Treatment beds")).when(rename).then_nothing()
    wall.given().when(rename).then_raises(UnknownTheme)


def test_put_a_comment_in_and_again_is_nothing_new() -> None:
    wall.given(created("t1")).when(put("t1", C1)).then(put_in("t1", C1))
    wall.given(created("t1"), put_in("t1", C1)).when(put("t1", C1)).then_nothing()


def test_putting_a_comment_in_another_theme_moves_it() -> None:
    wall.given(created("t1"), created("t2"), put_in("t1", C1)).when(put("t2", C1)).then(
        put_in("t2", C1, previous="t1")
    )
    state = fold(themes, [created("t1"), created("t2"), put_in("t1", C1), put_in("t2", C1, "t1")])
    assert state.members("t1") == ()
    assert state.members("t2") == (C1,)


def test_a_comment_that_is_not_live_at_its_table_is_refused() -> None:
    wall.given(created("t1")).when(put("t1", C1, live=False)).then_raises(UnknownComment)


def test_a_topic_theme_takes_only_its_topic_a_cross_topic_theme_any() -> None:
    wall.given(created("t1")).when(put("t1", C1, topic="crime-prevention")).then_raises(WrongTopic)
    wall.given(created("x", topic=None)).when(put("x", C1, topic="crime-prevention")).then(
        put_in("x", C1)
    )


def test_put_in_an_unknown_theme_is_refused() -> None:
    wall.given().when(put("t1", C1)).then_raises(UnknownTheme)


def test_take_a_comment_out() -> None:
    take = RemoveFromTheme(theme_id="t1", comment=C1, by=BY)
    wall.given(created("t1"), put_in("t1", C1)).when(take).then(
        e.CommentRemovedFromTheme(theme_id="t1", comment=C1, by=BY)
    )
    wall.given(created("t1")).when(take).then_nothing()  # already out: a second window
    wall.given().when(take).then_raises(UnknownTheme)


def test_merge_moves_the_comments_and_ends_the_merged_theme() -> None:
    history = (created("t1"), created("t2"), put_in("t1", C2), put_in("t1", C1), put_in("t2", C3))
    merge = MergeThemes(theme_id="t1", into="t2", by=BY)
    merged = e.ThemesMerged(theme_id="t1", into="t2", comments=(C1, C2), by=BY)
    wall.given(*history).when(merge).then(merged)
    state = fold(themes, [*history, merged])
    assert state.members("t2") == (C1, C2, C3)
    wall.given(*history, merged).when(put("t1", C3)).then_raises(UnknownTheme, "merged into")


def test_merging_a_theme_into_itself_is_refused() -> None:
    merge = MergeThemes(theme_id="t1", into="t1", by=BY)
    wall.given(created("t1")).when(merge).then_raises(InvalidTheme, "itself")


def test_merge_across_topics_only_into_a_cross_topic_theme() -> None:
    history = (created("t1"), created("t2", topic="crime-prevention"), created("x", topic=None))
    wall.given(*history).when(MergeThemes(theme_id="t1", into="t2", by=BY)).then_raises(
        InvalidTheme
    )
    wall.given(*history).when(MergeThemes(theme_id="x", into="t1", by=BY)).then_raises(InvalidTheme)
    wall.given(*history).when(MergeThemes(theme_id="t1", into="x", by=BY)).then(
        e.ThemesMerged(theme_id="t1", into="x", comments=(), by=BY)
    )


def test_split_makes_a_new_theme_of_some_comments() -> None:
    history = (created("t1"), put_in("t1", C1), put_in("t1", C2))
    split = SplitTheme(theme_id="t1", new_theme_id="t3", title="Sobering", comments=(C2, C2), by=BY)
    event = e.ThemeSplit(theme_id="t1", new_theme_id="t3", title="Sobering", comments=(C2,), by=BY)
    wall.given(*history).when(split).then(event)
    state = fold(themes, [*history, event])
    assert (state.members("t1"), state.members("t3")) == ((C1,), (C2,))
    assert state.themes["t3"].scope == ("health", "advocacy")


def test_splitting_out_nothing_or_what_is_not_in_the_theme_is_refused() -> None:
    history = (created("t1"), created("t2"), put_in("t1", C1), put_in("t2", C2))

    def split(*refs: CommentRef, new: str = "t3") -> SplitTheme:
        return SplitTheme(theme_id="t1", new_theme_id=new, title="New", comments=refs, by=BY)

    wall.given(*history).when(split()).then_raises(InvalidTheme, "at least one")
    wall.given(*history).when(split(C2)).then_raises(InvalidTheme, "only comments")
    wall.given(*history).when(split(C1, new="t2")).then_raises(InvalidTheme, "new id")


def test_undo_reverts_the_latest_grouping_action_then_the_one_before() -> None:
    history = [created("t1"), put_in("t1", C1), created("t2"), put_in("t2", C1, previous="t1")]
    wall.given(*history).when(UndoGrouping(action=None, by=BY)).then(
        e.GroupingUndone(action=4, by=BY)
    )
    state = fold(themes, [*history, e.GroupingUndone(action=4, by=BY)])
    assert state.placed == {C1: "t1"}
    state = fold(themes, [*history, e.GroupingUndone(action=4, by=BY)])
    wall.given(*history, e.GroupingUndone(action=4, by=BY)).when(
        UndoGrouping(action=None, by=BY)
    ).then(e.GroupingUndone(action=3, by=BY))
    state = fold(themes, [*history, *(e.GroupingUndone(action=n, by=BY) for n in (4, 3, 2, 1))])
    assert state == themes.initial_state.__class__(actions=4, created=2)


def test_undo_of_a_merge_and_of_a_split_restores_both_themes() -> None:
    base = [created("t1"), created("t2"), put_in("t1", C1), put_in("t2", C2), put_in("t1", C3)]
    before = fold(themes, base)
    for action in (
        e.ThemesMerged(theme_id="t1", into="t2", comments=(C1, C3), by=BY),
        e.ThemeSplit(theme_id="t1", new_theme_id="t9", title="New", comments=(C3,), by=BY),
    ):
        after = fold(themes, [*base, action, e.GroupingUndone(action=6, by=BY)])
        assert after.themes == before.themes
        assert after.placed == before.placed


def test_undo_of_a_take_out_puts_it_back() -> None:
    history = [
        created("t1"),
        put_in("t1", C1),
        e.CommentRemovedFromTheme(theme_id="t1", comment=C1, by=BY),
        e.GroupingUndone(action=3, by=BY),
    ]
    assert fold(themes, history).placed == {C1: "t1"}


def test_rename_and_key_themes_are_not_undone() -> None:
    history = [
        created("t1"),
        e.ThemeRenamed(theme_id="t1", title="Beds", by=BY),
        e.ThemeMarkedKey(theme_id="t1", by=BY),
    ]
    wall.given(*history).when(UndoGrouping(action=None, by=BY)).then(
        e.GroupingUndone(action=1, by=BY)
    )


def test_nothing_to_undo_and_a_stale_undo_are_refused() -> None:
    wall.given().when(UndoGrouping(action=None, by=BY)).then_raises(NothingToUndo)
    history = [created("t1"), e.GroupingUndone(action=1, by=BY)]
    wall.given(*history).when(UndoGrouping(action=None, by=BY)).then_raises(NothingToUndo)
    wall.given(created("t1"), created("t2")).when(UndoGrouping(action=1, by=BY)).then_raises(
        StaleUndo, "number 2"
    )
    wall.given(created("t1"), created("t2")).when(UndoGrouping(action=2, by=BY)).then(
        e.GroupingUndone(action=2, by=BY)
    )


def test_mark_and_unmark_a_key_theme() -> None:
    mark, unmark = MarkKeyTheme(theme_id="t1", by=BY), UnmarkKeyTheme(theme_id="t1", by=BY)
    marked = e.ThemeMarkedKey(theme_id="t1", by=BY)
    wall.given(created("t1")).when(mark).then(marked)
    wall.given(created("t1"), marked).when(mark).then_nothing()
    wall.given(created("t1"), marked).when(unmark).then(e.ThemeUnmarkedKey(theme_id="t1", by=BY))
    wall.given(created("t1")).when(unmark).then_nothing()
    wall.given().when(mark).then_raises(UnknownTheme)


def key_history() -> list[e.ThemeEvent]:
    return [
        created("a"),
        created("b"),
        created("c"),
        created("other", question="coordination"),
        *(e.ThemeMarkedKey(theme_id=t, by=BY) for t in ("a", "b", "c", "other")),
    ]


def test_order_the_key_themes_of_a_topic_and_question() -> None:
    order = OrderKeyThemes(topic="health", question="advocacy", theme_ids=("c", "a", "b"), by=BY)
    ordered = e.KeyThemesOrdered(
        topic="health", question="advocacy", theme_ids=("c", "a", "b"), by=BY
    )
    wall.given(*key_history()).when(order).then(ordered)
    state = fold(themes, [*key_history(), ordered])
    assert state.key_themes(("health", "advocacy")) == ("c", "a", "b")
    assert state.key_themes(("health", "coordination")) == ("other",)
    wall.given(*key_history(), ordered).when(order).then_nothing()


@pytest.mark.parametrize("ids", [("a", "b"), ("a", "b", "c", "other"), ("a", "a", "b", "c")])
def test_an_order_that_is_not_exactly_the_key_themes_is_refused(ids: tuple[str, ...]) -> None:
    order = OrderKeyThemes(topic="health", question="advocacy", theme_ids=ids, by=BY)
    wall.given(*key_history()).when(order).then_raises(InvalidTheme, "every key theme")


def test_a_merged_key_theme_leaves_the_order_and_comes_back_with_an_undo() -> None:
    merged = e.ThemesMerged(theme_id="a", into="b", comments=(), by=BY)
    state = fold(themes, [*key_history(), merged])
    assert state.key_themes(("health", "advocacy")) == ("b", "c")
    state = fold(themes, [*key_history(), merged, e.GroupingUndone(action=5, by=BY)])
    assert state.key_themes(("health", "advocacy")) == ("a", "b", "c")


def test_every_theme_event_round_trips_through_the_codec() -> None:
    for event in [
        created("t1"),
        put_in("t1", C1, "t0"),
        e.ThemesMerged(theme_id="t1", into="t2", comments=(C1, C2), by=BY),
        e.KeyThemesOrdered(topic=None, question=None, theme_ids=("a",), by=BY),
    ]:
        name, schema, data = codec.encode(event)
        assert codec.decode(name, schema, data) == event
