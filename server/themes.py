"""The shell around the theme-wall decider: lookups for its commands, one writer per meeting.

Theme commands of one meeting are decided one at a time (a lock per meeting) against the live
wall, after it includes the meeting's last theme append, so two lead windows editing at once
are applied in one order and both see the same wall. What the rules cannot see is looked up
here: the meeting's topics and questions, and whether a comment is live at its table (the
live table views) and which topic that table is on.
"""

from __future__ import annotations

from typing import Any

from events import themes
from events.envelope import Metadata
from events.plan import Plan
from events.store import EventStore
from events.theme_events import CommentRef
from events.theme_rules import (
    AddToTheme,
    CreateTheme,
    MarkKeyTheme,
    MergeThemes,
    OrderKeyThemes,
    RemoveFromTheme,
    RenameTheme,
    SplitTheme,
    ThemeCommand,
    UndoGrouping,
    UnmarkKeyTheme,
)
from projections.comment_refs import live
from server.protocol import MAX_ID, ProtocolError
from server.streams import StreamWriter
from server.tables import NoSuchTable
from server.views import LiveViews

NAMES = frozenset(
    {
        "create_theme",
        "rename_theme",
        "add_to_theme",
        "remove_from_theme",
        "merge_themes",
        "split_theme",
        "undo_grouping",
        "set_key_theme",
        "order_key_themes",
    }
)
"""The websocket commands on the theme wall (each needs ``theme.edit``)."""


class ThemeWriter:
    """Runs theme commands for every meeting in this process."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._views = views
        self._writer = StreamWriter(store, views)

    async def run(
        self, meeting_id: str, command: ThemeCommand, *, command_id: str, metadata: Metadata
    ) -> tuple[int, ...]:
        """Decide and append ``command`` on the meeting's wall (``server.streams``; a resend,
        an undo sent twice included, is recognised before deciding)."""
        return await self._writer.run(
            ("themes", meeting_id),
            stream_id=themes.stream_id(meeting_id),
            meeting_id=meeting_id,
            view=lambda: self._views.wall(meeting_id),
            decide=lambda view: themes.decide(command, view.state),
            command_id=command_id,
            metadata=metadata,
        )


def build(
    views: LiveViews, meeting_id: str, by: str, name: str, data: dict[str, Any]
) -> ThemeCommand:
    """The theme command for a checked protocol command, with what the shell looked up."""
    view = views.meeting(meeting_id)
    plan = view.state.plan if view is not None else None
    assert plan is not None  # the connection's hello checked the meeting
    tid = data.get("theme_id", "")
    match name:
        case "create_theme":
            return CreateTheme(
                theme_id=tid,
                title=data["title"],
                topic=data.get("topic"),
                question=data.get("question"),
                topics=frozenset(t.topic_id for t in plan.topics),
                questions=frozenset(q.question_id for q in plan.questions),
                by=by,
            )
        case "rename_theme":
            return RenameTheme(theme_id=tid, title=data["title"], by=by)
        case "add_to_theme":
            ref = _ref(plan, name, data)
            table = plan.table(ref.table)
            return AddToTheme(
                theme_id=tid,
                comment=ref,
                live=live(views.table_states(meeting_id), ref.table, ref.comment_id) is not None,
                topic=table.topic_id if table is not None else None,
                by=by,
            )
        case "remove_from_theme":
            return RemoveFromTheme(theme_id=tid, comment=_ref(plan, name, data), by=by)
        case "merge_themes":
            return MergeThemes(theme_id=tid, into=data["into"], by=by)
        case "split_theme":
            refs = tuple(_ref(plan, name, item) for item in data["comments"])
            return SplitTheme(
                theme_id=tid,
                new_theme_id=data["new_theme_id"],
                title=data["title"],
                comments=refs,
                by=by,
            )
        case "undo_grouping":
            return UndoGrouping(action=data.get("action"), by=by)
        case "set_key_theme":
            key = MarkKeyTheme if data["key"] else UnmarkKeyTheme
            return key(theme_id=tid, by=by)
        case "order_key_themes":
            ids = data["theme_ids"]
            if not all(isinstance(i, str) for i in ids):
                raise ProtocolError("invalid_field", f"{name}: 'theme_ids' must be strings")
            return OrderKeyThemes(
                topic=data["topic"], question=data["question"], theme_ids=tuple(ids), by=by
            )
    raise ProtocolError("unknown_command", f"there is no command {name!r}")


def _ref(plan: Plan, name: str, item: Any) -> CommentRef:
    """A comment reference ``{"table": int, "comment_id": str}``, checked."""
    if not isinstance(item, dict):
        raise ProtocolError("invalid_field", f"{name}: a comment is {{table, comment_id}}")
    table, cid = item.get("table"), item.get("comment_id")
    if isinstance(table, bool) or not isinstance(table, int):
        raise ProtocolError("invalid_field", f"{name}: 'table' must be int")
    if not isinstance(cid, str) or not 0 < len(cid) <= MAX_ID:
        raise ProtocolError(
            "invalid_field", f"{name}: 'comment_id' must be 1 to {MAX_ID} characters"
        )
    if plan.table(table) is None:
        raise NoSuchTable(f"there is no table {table} in this meeting")
    return CommentRef(table, cid)
