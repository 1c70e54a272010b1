"""The websocket protocol's messages: what a client may send, and every error code.

Messages are JSON objects ``{"type": ..., ...}``. Commands are
``{"type": "command", "id": <command id>, "name": <command>, "data": {...}}``; the id is the
client's and makes a resend harmless. Each command's fields are in its row of
``server.live.command_table``. ``docs/protocol.md`` documents every message, field
and code here, and a test keeps the two in step.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

import orjson

from events.errors import RoundtableError, StoreError
from events.meeting.clock import MAX_EXTENSION_MINUTES
from events.messages import MAX_MESSAGE
from events.tables.rules import MAX_TEXT
from events.themes.commands import MAX_TITLE

MAX_FRAME = 64 * 1024
"""Largest message the server reads, in bytes; a larger one is refused, the socket stays open."""

MAX_ID = 64
"""Longest id (a command's, a comment's, a theme's...), in characters."""
ID_CHARACTERS = "A-Z a-z 0-9 - _ . : ~"
"""What an id is made of: ASCII letters, digits and these marks; nothing that could be a
control, a direction override, a line break or markup."""
_ID_PATTERN = re.compile(rf"[A-Za-z0-9_.:~-]{{1,{MAX_ID}}}")
MAX_DEPTH = 6
"""Deepest nesting of objects and lists in a message (a command's ``data.comments[0]`` is 4)."""
MAX_ITEMS = 1000
"""Most entries in one object or list of a message."""
INT64 = (-(2**63), 2**63 - 1)
"""The range of every whole number the server takes."""
HELLO_TIMEOUT = 10.0
"""Seconds a websocket has to say ``hello`` after it opens (``server.gate`` caps how many
may wait at once)."""
HEARTBEAT_SECONDS = 15.0
SEND_BUFFER_BYTES = 4 * 1024 * 1024
"""Bytes waiting for one slow client before the server closes it (it resumes on reconnect);
``SEND_BUFFER_BYTES`` in the environment sets another."""

ERROR_CODES: dict[str, str] = {
    "not_json": "the message is not JSON (or not UTF-8)",
    "too_large": f"the message is larger than {MAX_FRAME} bytes",
    "bad_message": "the message is JSON but not a message object of a known shape, or it nests "
    f"deeper than {MAX_DEPTH} or has an object or list of more than {MAX_ITEMS} entries",
    "unknown_type": "the message's type is not one the server knows",
    "unknown_command": "the command's name is not one the server knows",
    "invalid_field": "a field is missing, has the wrong type, is out of bounds, or is not allowed",
    "hello_first": "the first message must be hello, and only once",
    "hello_late": "no hello in time (HELLO_SECONDS, 10 by default), or too many connections were "
    "waiting to say hello and this was the oldest: reconnect",
    "token_refused": "the token is missing, malformed, forged, or for a rotated key",
    "token_expired": "the token has expired",
    "device_revoked": "the lead signed this device out",
    "forbidden": "this device's role may not do that (here)",
    "unknown_table": "there is no such table in this meeting",
    "unknown_meeting": "there is no such meeting",
    "invalid_text": "the text shows nothing (empty or invisible characters only) or holds "
    "control characters",
    "text_too_long": f"the text is longer than {MAX_TEXT} characters",
    "unknown_comment": "there is no such (live) comment at this table",
    "comment_erased": "the comment's words were erased: it cannot be edited",
    "comment_exists": "the table already has a comment with this id, from another command",
    "unknown_question": "there is no such question in this meeting",
    "invalid_parent": "the parent is not a top-level comment of the same table and question",
    "invalid_place": "the comment cannot go there",
    "unknown_theme": "there is no such theme (or it was merged into another)",
    "invalid_theme": "the theme command cannot be done on the wall as it stands",
    "invalid_title": f"the theme title shows nothing, is longer than {MAX_TITLE} characters, "
    "or is not one line",
    "unknown_topic": "there is no such topic in this meeting",
    "wrong_topic": "the comment's table is on another topic than the theme",
    "nothing_to_undo": "there is no grouping action left to undo",
    "stale_undo": "another lead changed the grouping since; the undo would revert their action",
    "invalid_suggestion": "a dismissal names no comments, or too many",
    "bad_glossary": "the glossary edit would leave a glossary the method cannot read",
    "unknown_concept": "there is no such concept in the meeting's glossary",
    "invalid_message": f"the message shows nothing, is longer than {MAX_MESSAGE} characters, "
    "or is not one line",
    "invalid_moderation": "the wall's rule is not off, approve or after, or its minutes are wrong",
    "invalid_voting": "voting is open already, there are no key themes to vote on, or the "
    "number of dots or the counts' showing is out of bounds",
    "not_in_vote": "the theme is not in this vote (or not in the meeting, or the phone has no "
    "dot on it to take back)",
    "voting_closed": "voting is closed (by the lead, or with the meeting)",
    "no_dots_left": "the phone has placed all its dots of this round",
    "meeting_refused": "the meeting's rules refuse that clock command now",
    "meeting_not_open": "the meeting is not open yet",
    "meeting_closed": "the meeting is closed: nothing more is taken (see closing, above)",
    "roundtables_not_started": "the roundtables have not started",
    "roundtables_already_started": "the roundtables have already started",
    "clock_not_running": "nothing is counting down, so there is nothing to pause",
    "clock_already_paused": "the clock is already paused",
    "clock_not_paused": "the clock is not paused",
    "rotation_not_running": "the rotation named is not the one running now",
    "invalid_minutes": f"an extension is 1 to {MAX_EXTENSION_MINUTES} minutes",
    "no_such_phase": "the agenda has no such item after the roundtables",
    "phase_already_passed": "the meeting is already past that phase",
    "wrong_expected_version": "other server processes kept changing the command's stream for "
    "10 s while it was decided; send it again",
    "duplicate_event_id": "the command's id was used before for a command on another stream",
    "commit_failed": "the server could not store it; it is not saved: keep it, send it again",
    "internal_error": "something went wrong on the server; send it again",
}

STORE_MESSAGES: dict[str, str] = {
    "wrong_expected_version": "the table changed while this was decided; it is not saved: "
    "send it again",
    "duplicate_event_id": "this command id was used before, for another command: "
    "send this one with a new id",
    "commit_failed": "the server could not store it; it is not saved: keep it and send it "
    "again in a moment",
}
"""What the sender of a command the store could not take is told: what to do, never what the
database said (that goes to the server's log)."""


def on_the_wire(error: RoundtableError) -> tuple[str, str, bool]:
    """``(code, message, logged)`` for the error a sender gets: a refusal as it is; a store
    failure in the plain words above; anything else as ``internal_error``. ``logged``: the
    details belong in the server's log, not in the message."""
    if isinstance(error, StoreError):
        code = error.code if error.code in STORE_MESSAGES else "commit_failed"
        return code, STORE_MESSAGES[code], code == "commit_failed"
    if error.code in ERROR_CODES:
        return error.code, str(error), False
    return "internal_error", ERROR_CODES["internal_error"], True


ID_FIELDS = frozenset({"into", "after", "parent", "question", "topic"})
"""Fields that hold an id without ending in ``_id``."""

Spec = dict[str, tuple[type | tuple[type, ...], bool]]
"""field -> (accepted types, required)."""

MAX_WAITING = 1_000_000
"""The largest outbox count a tablet may report in a ``status`` message."""


class ProtocolError(RoundtableError):
    """A message the server cannot act on; ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: str, message: str) -> None:
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code


def decode(frame: str | bytes) -> dict[str, Any]:
    """One message from a frame, or a ``ProtocolError`` saying what is wrong with it."""
    size = len(frame.encode() if isinstance(frame, str) else frame)
    if size > MAX_FRAME:
        raise ProtocolError("too_large", f"the message has {size} bytes; at most {MAX_FRAME}")
    try:
        message = orjson.loads(frame)
    except orjson.JSONDecodeError as error:
        raise ProtocolError("not_json", f"the message is not JSON: {error}") from error
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", 'a message is a JSON object with a string "type"')
    _check_shape(message)
    return message


def _check_shape(message: dict[str, Any]) -> None:
    """Refuse a message nested deeper than ``MAX_DEPTH`` or with a container of more than
    ``MAX_ITEMS`` entries, before anything is built from it (one pass, no recursion)."""
    waiting: list[tuple[Any, int]] = [(message, 1)]
    while waiting:
        value, depth = waiting.pop()
        if depth > MAX_DEPTH:
            raise ProtocolError("bad_message", f"the message nests deeper than {MAX_DEPTH}")
        if len(value) > MAX_ITEMS:
            raise ProtocolError(
                "bad_message", f"an object or list has more than {MAX_ITEMS} entries"
            )
        items = value.values() if isinstance(value, dict) else value
        waiting += [(item, depth + 1) for item in items if isinstance(item, dict | list)]


def is_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` is an id: 1 to ``MAX_ID`` of ``ID_CHARACTERS``."""
    return isinstance(value, str) and _ID_PATTERN.fullmatch(value) is not None


def message_id(message: dict[str, Any]) -> str | None:
    """The client's id of a message, if it has a usable one (errors echo it)."""
    value = message.get("id")
    return value if is_id(value) else None


def number(value: object) -> int | float | None:
    """``value`` if it is a JSON number (a ``pong`` echoes only that), else ``None``."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def command(message: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """``(command id, name, data)`` of a command message; the data is checked against the
    command's row (``server.live.command_table``, by ``checked``)."""
    command_id = message_id(message)
    if command_id is None:
        raise ProtocolError("invalid_field", f'"id" must be 1 to {MAX_ID} of {ID_CHARACTERS}')
    name = message.get("name")
    if not isinstance(name, str):
        raise ProtocolError("unknown_command", f"there is no command {name!r}")
    data = message.get("data", {})
    if not isinstance(data, dict):
        raise ProtocolError("invalid_field", '"data" must be an object')
    return command_id, name, data


def checked(name: str, spec: Spec, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` if it has the fields of ``spec``, each of its types; ``invalid_field`` if not."""
    unknown = sorted(set(data) - set(spec))
    if unknown:
        raise ProtocolError("invalid_field", f"{name} has no field {unknown[0]!r}")
    values: dict[str, Any] = {}
    for field, (types, required) in spec.items():
        if field not in data:
            if required:
                raise ProtocolError("invalid_field", f"{name} needs {field!r}")
            continue
        value = data[field]
        accepted = types if isinstance(types, tuple) else (types,)
        if (isinstance(value, bool) and bool not in accepted) or not isinstance(value, types):
            expected = " or ".join("null" if t is type(None) else t.__name__ for t in accepted)
            raise ProtocolError("invalid_field", f"{name}: {field!r} must be {expected}")
        if (field.endswith("_id") or field in ID_FIELDS) and not (value is None or is_id(value)):
            raise ProtocolError(
                "invalid_field", f"{name}: {field!r} must be 1 to {MAX_ID} of {ID_CHARACTERS}"
            )
        if isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
            raise ProtocolError("invalid_field", f"{name}: {field!r} must be a 64-bit integer")
        values[field] = value
    return values
