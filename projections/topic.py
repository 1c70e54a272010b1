"""The topic view: every live comment of one topic, across its tables and rotations, per
question, with the theme each is in (so the lead's page shows what is still unthemed).

It keeps no state of its own: it is rendered from the table states and the theme wall's state,
which are folds of the log, so the view rebuilt from position 0 is the same, byte for byte.
Within a question, comments are by table, then in the table's own order, each top-level
comment followed by its sub-bullets.
"""

from __future__ import annotations

from typing import Any

from events.log.codec import canonical
from events.meeting.plan import Plan
from events.tables.rules import Comment
from events.themes.events import CommentRef
from events.themes.rules import ThemeWallState
from projections.comment_refs import Tables, counts, live, shown


def render(plan: Plan, topic_id: str, tables: Tables, wall: ThemeWallState) -> dict[str, Any]:
    topic = plan.topic(topic_id)
    numbers = [t.number for t in plan.tables if t.topic_id == topic_id]
    everything: list[tuple[int, Comment]] = []
    questions = []
    for question in plan.questions:
        found = list(_outline(tables, numbers, question.question_id))
        everything.extend(found)
        questions.append(
            {
                "question": question.question_id,
                "comments": [_comment(wall, table, c) for table, c in found],
                "counts": counts(found),
            }
        )
    return {
        "topic": topic_id,
        "title": topic.title if topic is not None else None,
        "tables": numbers,
        "questions": questions,
        "counts": counts(everything),
    }


def render_all(plan: Plan, tables: Tables, wall: ThemeWallState) -> dict[str, Any]:
    """Every topic's view, by topic id."""
    return {t.topic_id: render(plan, t.topic_id, tables, wall) for t in plan.topics}


def _outline(tables: Tables, numbers: list[int], question: str) -> list[tuple[int, Comment]]:
    found = []
    for number in numbers:
        state = tables.get(number)
        if state is None:
            continue
        for cid in state.order.get(f"q:{question}", ()):
            for each in (cid, *state.children(cid)):
                comment = live(tables, number, each)
                if comment is not None:
                    found.append((number, comment))
    return found


def _comment(wall: ThemeWallState, table: int, comment: Comment) -> dict[str, Any]:
    return {
        **shown(table, comment),
        "theme": wall.placed.get(CommentRef(table, comment.comment_id)),
    }


def dumps(plan: Plan, topic_id: str, tables: Tables, wall: ThemeWallState) -> bytes:
    return canonical(render(plan, topic_id, tables, wall))
