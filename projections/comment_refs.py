"""What the wall and topic views show of one comment, read from its table's state.

Both views name comments by (table, id) and show them as they stand now: current text, and
nothing of a retracted comment (or of a sub-bullet of one). Counts per table and rotation are
how the lead sees how widely a theme or topic was heard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from events.tables.rules import Comment, TableState

Tables = Mapping[int, TableState]
"""The state of every table of the meeting, by number."""


def live(tables: Tables, table: int, comment_id: str) -> Comment | None:
    """The comment if it is in the views: known and neither it nor its parent retracted."""
    state = tables.get(table)
    if state is None:
        return None
    comment = state.comments.get(comment_id)
    if comment is None or comment.retracted:
        return None
    if comment.parent is not None and state.comments[comment.parent].retracted:
        return None
    return comment


def shown(table: int, comment: Comment) -> dict[str, Any]:
    return {
        "table": table,
        "comment_id": comment.comment_id,
        "question": comment.question,
        "parent": comment.parent,
        "text": comment.text,
        "rotation": comment.rotation,
        "group": comment.group,
        "late": comment.late,
        "typed_at": comment.typed_at,
        "starred": comment.starred,
    }


def counts(comments: Iterable[tuple[int, Comment]]) -> dict[str, Any]:
    """How many comments per table and per rotation (``null``: typed outside the rotations)."""
    pairs = list(comments)
    tables = Counter(table for table, _ in pairs)
    rotations = Counter(comment.rotation for _, comment in pairs)
    return {
        "count": len(pairs),
        "tables": [{"table": t, "comments": n} for t, n in sorted(tables.items())],
        "rotations": [
            {"rotation": r, "comments": n}
            for r, n in sorted(rotations.items(), key=lambda item: (item[0] is None, item[0] or 0))
        ],
    }
