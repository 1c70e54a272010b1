"""The theme wall and topic views: what they show, and that they are canonical and rebuildable."""

from __future__ import annotations

from typing import Any

import orjson

from events.log.codec import Event, codec
from events.log.envelope import Metadata, Recorded
from events.meeting.plan import Plan, Question, Table, Topic
from events.tables import events as c
from events.themes import events as t
from events.themes.events import CommentRef
from projections import theme_wall, topic
from projections.catalog import fold

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
