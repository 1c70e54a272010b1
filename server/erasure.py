"""The shell around erasure: look up what carries a comment's words, append the erasure and
null those payloads in one transaction (``events.erasure``).

The staff page, the lead and ``roundtable erase`` all come here. The erasure goes into the
comment's table stream, decided against that stream as stored and appended at the version it
read, so an edit that arrives meanwhile is decided again with it. A resend (the same command
id) returns what the first made and erases nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from events import erasure
from events.decider import derived_id
from events.errors import WrongExpectedVersion
from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore
from events.report import rules as report
from events.tables import rules as comments
from events.tables.events import CommentErased
from events.themes import rules as themes
from server.access import BadRequest, UnknownMeeting
from server.meetings import load

ATTEMPTS = 5
FIELDS: dict[str, type] = {
    "table": int,
    "comment_id": str,
    "reason": str,
    "show_reason": bool,
    "themes": list,
    "key_themes": list,
}
"""The fields of an ``erase_comment`` command's data; ``themes`` and ``key_themes`` may be
left out (none)."""


@dataclass(frozen=True, slots=True)
class Erased:
    """What an erasure did: where it is in the log, how many payloads it nulled."""

    position: int
    payloads: int
    duplicate: bool


def check(data: Any) -> dict[str, Any]:
    """The command's data with every field of its type, else ``BadRequest`` naming it."""
    if not isinstance(data, dict):
        raise BadRequest("erase_comment: 'data' must be an object")
    checked = {"themes": [], "key_themes": [], "show_reason": False, **data}
    for key, kind in FIELDS.items():
        value = checked.get(key)
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise BadRequest(f"erase_comment: {key!r} is required and must be {kind.__name__}")
    for key in ("themes", "key_themes"):
        if not all(isinstance(i, str) for i in checked[key]):
            raise BadRequest(f"erase_comment: {key!r} must be a list of ids")
    return checked


async def table_of(store: EventStore, meeting_id: str, comment_id: str) -> int:
    """The table whose comment ``comment_id`` is (ids are the tablets' own: one table, but
    a command line names only the comment)."""
    view = await load(store, meeting_id)
    plan = view.state.plan
    if plan is None:
        raise UnknownMeeting(f"there is no meeting {meeting_id!r}")
    found = []
    for table in plan.tables:
        records = await store.read_stream(comments.stream_id(meeting_id, table.number))
        if any(r.type == "CommentAdded" and _names(r.decode(), comment_id) for r in records):
            found.append(table.number)
    if len(found) != 1:
        where = "no table" if not found else f"tables {', '.join(map(str, found))}"
        raise erasure.ErasureRefused(f"comment {comment_id!r} is at {where} of this meeting")
    return found[0]


def _names(event: object, comment_id: str) -> bool:
    return getattr(event, "comment_id", None) == comment_id


async def erase(
    store: EventStore,
    meeting_id: str,
    data: dict[str, Any],
    *,
    command_id: str,
    metadata: Metadata,
    now: datetime | None = None,
) -> Erased:
    """Erase the comment ``data`` names (checked by ``check``) and what quotes it."""
    view = await load(store, meeting_id)
    plan = view.state.plan
    if plan is None:
        raise UnknownMeeting(f"there is no meeting {meeting_id!r}")
    if plan.table(data["table"]) is None:
        raise erasure.ErasureRefused(f"there is no table {data['table']} in this meeting")
    day = (now or datetime.now(UTC)).astimezone(ZoneInfo(plan.timezone)).date().isoformat()
    command = erasure.EraseComment(
        table=data["table"],
        comment_id=data["comment_id"],
        reason=data["reason"],
        show_reason=data["show_reason"],
        themes=tuple(data["themes"]),
        key_themes=tuple(data["key_themes"]),
        on=day,
        by=metadata.device_id or metadata.actor or "",
    )
    stream_id = comments.stream_id(meeting_id, command.table)
    event_id = derived_id(f"{command_id}/0")
    for attempt in range(ATTEMPTS):
        table = await store.read_stream(stream_id)
        done = next((r for r in table if r.event_id == event_id), None)
        if done is not None:
            erased = done.decode()
            assert isinstance(erased, CommentErased)
            return Erased(done.position, len(erased.erased), True)
        event = erasure.decide(
            command,
            table,
            await store.read_stream(themes.stream_id(meeting_id)),
            await store.read_stream(report.stream_id(meeting_id)),
        )
        try:
            result = await store.append(
                stream_id,
                [NewEvent(event, event_id, metadata)],
                meeting_id=meeting_id,
                expected_version=table[-1].version if table else 0,
                erase=[item.event_id for item in event.erased],
            )
        except WrongExpectedVersion:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return Erased(result.positions[0], len(event.erased), result.duplicate)
    raise AssertionError("unreachable: the last attempt raises or returns")
