"""The theme wall and topic views: what they show, and that they are canonical and rebuildable."""

from __future__ import annotations

import random
from typing import Any

import orjson

from events.log.codec import Event, codec
from events.log.envelope import Metadata, Recorded
from events.meeting.plan import Plan, Question, Table, Topic
from events.tables import events as c
from events.themes import events as t
from events.themes import rules as themes
from events.themes.events import CommentRef
from projections import theme_wall, topic
from projections.catalog import Catalog, fold

M = "m"
PLAN = Plan(
    meeting_id=M,
    title="Evening",
    date="2023-06-15",
    venue="Lounge",
    timezone="America/Vancouver",
    topics=(Topic(topic_id="health", title="Health"), Topic(topic_id="streets", title="Streets")),
    questions=(
        Question(question_id="well", prompt="Working?"),
        Question(question_id="advocacy", prompt="Advocacy?"),
    ),
    tables=(
        Table(number=1, topic_id="health"),
        Table(number=2, topic_id="health"),
        Table(number=3, topic_id="streets"),
    ),
)


def records(*items: tuple[str, Event]) -> list[Recorded]:
    versions: dict[str, int] = {}
    out = []
    for position, (stream, event) in enumerate(items, start=1):
        versions[stream] = versions.get(stream, 0) + 1
        name, schema, data = codec.encode(event)
        out.append(
            Recorded(
                position=position,
                stream_id=stream,
                version=versions[stream],
                meeting_id=M,
                event_id=f"e{position}",
                type=name,
                schema=schema,
                data=data,
                digest="",
                metadata=Metadata(),
                recorded_at=1000 + position,
                hash="",
            )
        )
    return out


def added(cid: str, text: str, rotation: int, parent: str | None = None) -> c.CommentAdded:
    return c.CommentAdded(
        comment_id=cid,
        question="advocacy",
        text=text,
        parent=parent,
        rotation=rotation,
        group=None,
        phase="roundtables",
        late=False,
        typed_at=rotation * 100 + len(cid),
        by="tablet",
    )


LOG = records(
    ("table-m-1", added("a", "Detox beds", 1)),
    ("table-m-1", added("a1", "Dry", 1, parent="a")),
    ("table-m-2", added("b", "Sobering centre", 2)),
    ("table-m-3", added("s", "Lighting", 2)),
    ("themes-m", t.ThemeCreated(theme_id="x", title="Beds", topic=None, question=None, by="L")),
    (
        "themes-m",
        t.ThemeCreated(theme_id="h", title="H", topic="health", question="advocacy", by="L"),
    ),
    *(
        ("themes-m", t.CommentAddedToTheme(theme_id="x", comment=ref, previous=None, by="L"))
        for ref in (CommentRef(1, "a"), CommentRef(2, "b"), CommentRef(3, "s"))
    ),
    ("themes-m", t.ThemeMarkedKey(theme_id="h", by="L")),
    ("table-m-1", c.CommentEdited(comment_id="a", text="Detox and treatment beds", by="t")),
    ("table-m-2", c.CommentRetracted(comment_id="b", by="t")),
    ("table-m-1", c.CommentStarred(comment_id="a1", by="t")),
)


def views(log: list[Recorded]) -> tuple[dict[str, Any], dict[str, Any]]:
    folded = fold(log)
    tables = {n: folded.table(M, n).state for n in (1, 2, 3)}
    wall = folded.wall(M)
    return theme_wall.render(wall, PLAN, tables), topic.render_all(PLAN, tables, wall.state)


def test_the_wall_shows_current_text_drops_retracted_and_counts() -> None:
    wall, _ = views(LOG)
    cross = wall["topics"][-1]
    assert cross["topic"] is None
    (theme,) = cross["questions"][-1]["themes"]
    assert [x["text"] for x in theme["comments"]] == ["Detox and treatment beds", "Lighting"]
    assert theme["count"] == 2
    assert theme["tables"] == [{"table": 1, "comments": 1}, {"table": 3, "comments": 1}]
    assert theme["rotations"] == [{"rotation": 1, "comments": 1}, {"rotation": 2, "comments": 1}]
    health = wall["topics"][0]["questions"][1]
    assert health["key_themes"] == ["h"]
    assert health["themes"][0]["key_rank"] == 1
    assert wall["undo"] == {  # names what it would undo: the theme's title, the comment
        "action": 5,
        "event_type": "CommentAddedToTheme",
        "theme_id": "x",
        "title": "Beds",
        "comments": [[3, "s"]],
    }


def test_a_restored_comment_comes_back_in_its_theme() -> None:
    restored = records(
        *((r.stream_id, r.decode()) for r in LOG),
        ("table-m-2", c.CommentRestored(comment_id="b", by="t")),
    )
    wall, _ = views(restored)
    (theme,) = wall["topics"][-1]["questions"][-1]["themes"]
    assert theme["count"] == 3


def test_the_topic_view_has_every_live_comment_of_its_tables_with_its_theme() -> None:
    _, topics = views(LOG)
    advocacy = topics["health"]["questions"][1]
    shown = [(x["table"], x["comment_id"], x["theme"], x["starred"]) for x in advocacy["comments"]]
    assert shown == [(1, "a", "x", False), (1, "a1", None, True)]
    assert topics["health"]["tables"] == [1, 2]
    assert topics["streets"]["counts"]["count"] == 1


def test_the_views_are_canonical_and_the_same_however_often_rebuilt() -> None:
    first, second = views(LOG), views(list(LOG))
    assert orjson.dumps(first, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        second, option=orjson.OPT_SORT_KEYS
    )

    def no_floats(value: Any) -> bool:
        if isinstance(value, dict):
            return all(no_floats(v) for v in value.values())
        if isinstance(value, list):
            return all(no_floats(v) for v in value)
        return not isinstance(value, float)

    assert no_floats(first)


def _grouping(rng: random.Random, state: themes.ThemeWallState, n: int) -> t.ThemeEvent:
    """A valid next event of a lead grouping at random: themes made, filled, emptied, merged,
    split, renamed, marked key and ordered, suggestions accepted, and undone."""
    live = sorted(tid for tid, theme in state.themes.items() if not theme.ended)
    ref = CommentRef(rng.randint(1, 3), f"c{rng.randrange(60)}")
    placed = sorted(state.placed)
    choice = rng.randrange(10) if live else 0
    if choice == 0 or (len(live) < 2 and choice in (3, 4)):
        return t.ThemeCreated(
            theme_id=f"th{n}", title=f"Theme {n}", topic=None, question=None, by="l"
        )
    tid, other = rng.choice(live), rng.choice(live)
    members = state.members(tid)
    if choice == 1 or (choice == 2 and not placed):
        return t.CommentAddedToTheme(
            theme_id=tid, comment=ref, previous=state.placed.get(ref), by="l"
        )
    if choice == 2:
        gone = rng.choice(placed)
        return t.CommentRemovedFromTheme(theme_id=state.placed[gone], comment=gone, by="l")
    if choice == 3 and tid != other:
        return t.ThemesMerged(theme_id=tid, into=other, comments=members, by="l")
    if choice == 4 and members:
        out = tuple(members[: rng.randint(1, len(members))])
        return t.ThemeSplit(
            theme_id=tid, new_theme_id=f"th{n}", title="Split", comments=out, by="l"
        )
    if choice == 5:
        refs = tuple(
            sorted({CommentRef(rng.randint(1, 3), f"c{rng.randrange(60)}") for _ in "abc"})
        )
        new = rng.random() < 0.5
        return t.SuggestionAccepted(
            suggestion_id=f"s{n}",
            theme_id=f"th{n}" if new else tid,
            new=new,
            title=f"Suggested {n}",
            topic=None,
            question=None,
            comments=refs,
            previous=tuple(state.placed.get(r) for r in refs),
            by="l",
        )
    if choice == 6:
        return t.ThemeRenamed(theme_id=tid, title=f"Renamed {n}", by="l")
    if choice == 7:
        key = state.themes[tid].key
        return (t.ThemeUnmarkedKey if key else t.ThemeMarkedKey)(theme_id=tid, by="l")
    if choice == 8 and state.key_themes((None, None)):
        order = tuple(reversed(state.key_themes((None, None))))
        return t.KeyThemesOrdered(topic=None, question=None, theme_ids=order, by="l")
    if state.done:
        return t.GroupingUndone(action=state.done[-1][0], by="l")
    return t.ThemeRenamed(theme_id=tid, title=f"Renamed {n}", by="l")


def test_a_wall_folded_in_place_equals_one_folded_event_by_event() -> None:
    """A long grouping history folded at once (the rebuild's in-place fold) equals the decider's
    own fold event by event; and a catalog read after every event hands out views that never
    change afterwards, each equal to the decider's state at its moment."""
    rng = random.Random(29)
    state, states, log = themes.initial_state, [], []
    for n in range(1500):
        event = _grouping(rng, state, n)
        state = themes.evolve(state, event)
        states.append(state)
        log.append((f"themes-{M}", event))
    recorded = records(*log)
    assert sum(isinstance(event, t.GroupingUndone) for _, event in log) > 50

    at_once = fold(recorded)
    assert at_once.wall(M).state == state
    read = Catalog()
    seen = []
    for record, expected in zip(recorded, states, strict=True):
        read.apply(record)
        view = read.wall(M)
        assert view.state == expected
        seen.append((view, orjson.dumps(theme_wall.outline(view))))
    for (view, outline), expected in zip(seen, states, strict=True):
        assert view.state == expected  # read earlier, unchanged since
        assert orjson.dumps(theme_wall.outline(view)) == outline
    assert theme_wall.dumps(read.wall(M), PLAN, {}) == theme_wall.dumps(at_once.wall(M), PLAN, {})
    assert read.wall(M).event_positions == at_once.wall(M).event_positions
    assert len(at_once.wall(M).event_positions) == len(recorded)
