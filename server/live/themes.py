"""The theme commands' builds: what the theme-wall rules cannot see, looked up for them.

The meeting's topics and questions, whether a comment is live at its table (the live table
views) and which topic that table is on. The rows are in ``server.live.command_table`` (decided one
at a time per meeting against the live wall, so two lead windows editing at once are applied
in one order); the rules in ``events.themes.commands``.
"""

from __future__ import annotations

from typing import Any

from events.meeting.plan import Plan
from events.themes.commands import (
    AddToTheme,
    CreateTheme,
    MarkKeyTheme,
    OrderKeyThemes,
    RemoveFromTheme,
    SplitTheme,
    UndoGrouping,
    UnmarkKeyTheme,
)
from events.themes.events import CommentRef
from projections.comment_refs import live
from server.live.protocol import MAX_ID, ProtocolError
from server.live.sent import Sent
from server.live.tables import check_table


def create_theme(sent: Sent) -> CreateTheme:
    plan, data = sent.plan, sent.data
    return CreateTheme(
        theme_id=data["theme_id"],
        title=data["title"],
        topic=data.get("topic"),
        question=data.get("question"),
        topics=frozenset(t.topic_id for t in plan.topics),
        questions=frozenset(q.question_id for q in plan.questions),
        by=sent.by,
    )


def add_to_theme(sent: Sent) -> AddToTheme:
    """Whether the comment is live at its table, and its table's topic, looked up."""
    ref = comment_ref(sent.plan, "add_to_theme", sent.data)
    table = sent.plan.table(ref.table)
    tables = sent.views.table_states(sent.meeting_id)
    return AddToTheme(
        theme_id=sent.data["theme_id"],
        comment=ref,
        live=live(tables, ref.table, ref.comment_id) is not None,
        topic=table.topic_id if table is not None else None,
        by=sent.by,
    )


def remove_from_theme(sent: Sent) -> RemoveFromTheme:
    ref = comment_ref(sent.plan, "remove_from_theme", sent.data)
    return RemoveFromTheme(theme_id=sent.data["theme_id"], comment=ref, by=sent.by)


def split_theme(sent: Sent) -> SplitTheme:
    data = sent.data
    return SplitTheme(
        theme_id=data["theme_id"],
        new_theme_id=data["new_theme_id"],
        title=data["title"],
        comments=tuple(comment_ref(sent.plan, "split_theme", item) for item in data["comments"]),
        by=sent.by,
    )


def undo_grouping(sent: Sent) -> UndoGrouping:
    return UndoGrouping(action=sent.data.get("action"), by=sent.by)


def set_key_theme(sent: Sent) -> MarkKeyTheme | UnmarkKeyTheme:
    key = MarkKeyTheme if sent.data["key"] else UnmarkKeyTheme
    return key(theme_id=sent.data["theme_id"], by=sent.by)


def order_key_themes(sent: Sent) -> OrderKeyThemes:
    data = sent.data
    ids = data["theme_ids"]
    if not all(isinstance(i, str) for i in ids):
        raise ProtocolError("invalid_field", "order_key_themes: 'theme_ids' must be strings")
    return OrderKeyThemes(
        topic=data["topic"], question=data["question"], theme_ids=tuple(ids), by=sent.by
    )


def comment_ref(plan: Plan, name: str, item: Any) -> CommentRef:
    """A comment reference ``{"table": int, "comment_id": str}``, checked (suggestions'
    lists check each of theirs the same way)."""
    if not isinstance(item, dict):
        raise ProtocolError("invalid_field", f"{name}: a comment is {{table, comment_id}}")
    table, cid = item.get("table"), item.get("comment_id")
    if isinstance(table, bool) or not isinstance(table, int):
        raise ProtocolError("invalid_field", f"{name}: 'table' must be int")
    if not isinstance(cid, str) or not 0 < len(cid) <= MAX_ID:
        raise ProtocolError(
            "invalid_field", f"{name}: 'comment_id' must be 1 to {MAX_ID} characters"
        )
    return CommentRef(check_table(plan, table), cid)
