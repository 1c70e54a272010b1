"""The history of one thing: every change to one comment or one theme, with who made it,
when, and the old and new value of each field that changed.

It is the thing's own fold run event by event and compared before and after, so it says
exactly what the views said at each step: a sub-bullet whose parent moved to another
question shows its own move, and a comment taken out of a theme by an undo shows that too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from events.devices.events import DeviceJoined
from events.log.envelope import Recorded
from events.tables import rules as comments
from events.tables.events import TableEvent
from events.tables.outline import Comment
from events.themes import events as te
from events.themes import rules as themes
from events.themes.events import CommentRef

COMMENT_FIELDS = ("text", "question", "parent", "retracted", "starred", "erased")
THEME_FIELDS = ("title", "topic", "question", "key", "merged_into", "comments")


#: A device with no name in the log, by its role.
ROLES = {"lead": "a lead", "staff": "staff", "observer": "an observer"}


def labels(records: Iterable[Recorded]) -> dict[str, str]:
    """Each device of the meeting by a name people know: its label, else its role and table
    ("the tablet at table 2", "a lead")."""
    named: dict[str, str] = {}
    for record in records:
        if record.type != DeviceJoined.type:
            continue
        event = record.decode()
        assert isinstance(event, DeviceJoined)
        if event.label:
            named[event.device_id] = event.label
        elif event.table is not None:
            named[event.device_id] = f"the tablet at table {event.table}"
        else:
            named[event.device_id] = ROLES.get(event.role, event.role)
    return named


def person(change: dict[str, Any], named: dict[str, str], table: int | None = None) -> str:
    """Who made a change, in words: the device's name, else its role (a tablet at ``table``
    for a comment's history), never a bare device id unless nothing else is known."""
    by, role = change["by"], change.get("actor")
    if by in named:
        return named[by]
    if role == "facilitator":
        return f"the tablet at table {table}" if table is not None else "a tablet"
    return ROLES.get(role or "", by or "someone")


def comment_history(
    records: Iterable[Recorded], meeting_id: str, table: int, comment_id: str
) -> list[dict[str, Any]]:
    """Every change to comment ``comment_id`` of ``table``, oldest first."""
    stream = comments.stream_id(meeting_id, table)
    wall_stream = themes.stream_id(meeting_id)
    ref = CommentRef(table, comment_id)
    state = comments.TableState()
    wall = themes.initial_state
    changes: list[dict[str, Any]] = []
    before = _comment_fields(state.comments.get(comment_id), None)
    for record in records:
        if record.stream_id == stream:
            event = record.decode()
            assert isinstance(event, TableEvent)
            state = comments.evolve(state, event)
        elif record.stream_id == wall_stream:
            wall = themes.evolve(wall, _theme_event(record))
        else:
            continue
        after = _comment_fields(state.comments.get(comment_id), wall.placed.get(ref))
        if after != before:
            changes.append(_change(record, before, after))
            before = after
    return changes


def theme_history(
    records: Iterable[Recorded], meeting_id: str, theme_id: str
) -> list[dict[str, Any]]:
    """Every change to theme ``theme_id`` (title, key, members, merge), oldest first."""
    wall_stream = themes.stream_id(meeting_id)
    wall = themes.initial_state
    changes: list[dict[str, Any]] = []
    before: dict[str, Any] = {}
    for record in records:
        if record.stream_id != wall_stream:
            continue
        wall = themes.evolve(wall, _theme_event(record))
        theme = wall.themes.get(theme_id)
        after = {} if theme is None else _theme_fields(theme, wall.members(theme_id))
        if after != before:
            changes.append(_change(record, before, after))
            before = after
    return changes


def _theme_event(record: Recorded) -> te.ThemeEvent:
    event = record.decode()
    assert isinstance(event, te.ThemeEvent)
    return event


def _comment_fields(comment: Comment | None, theme: str | None) -> dict[str, Any]:
    if comment is None:
        return {}
    return {**{name: getattr(comment, name) for name in COMMENT_FIELDS}, "theme": theme}


def _theme_fields(theme: themes.Theme, members: tuple[CommentRef, ...]) -> dict[str, Any]:
    values = {name: getattr(theme, name) for name in THEME_FIELDS if name != "comments"}
    return {**values, "comments": [[ref.table, ref.comment_id] for ref in members]}


def _change(record: Recorded, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {
        "position": record.position,
        "recorded_at": record.recorded_at,
        "event_type": record.type,
        "by": record.metadata.device_id,
        "actor": record.metadata.actor,
        "changes": [{"field": k, "old": before.get(k), "new": after.get(k)} for k in changed],
    }
