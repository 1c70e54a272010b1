"""What an append on PostgreSQL tells the other processes: its events, or where they end.

Each process publishes what the others commit to its own subscribers (``events.log.log_listener``).
Reading those events back cost every process one query per notification burst; so the
notification carries the new rows themselves (in the table's column order, the two byte
columns in base64) whenever they fit in PostgreSQL's payload limit, and only the last
position when they do not, which sends the listener back to reading the log.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import orjson

LIMIT = 7999
"""The largest payload ``pg_notify`` takes, in bytes."""
_BYTES = (7, 9)
"""``data`` and ``metadata`` in the table's column order (``events.log.schema``)."""
_WIDTH = 12
"""The table's columns."""

Row = tuple[object, ...]


def encode(rows: Sequence[Row]) -> str:
    """The notification for an append of ``rows``: their last position, then the rows
    themselves if they fit."""
    last = str(rows[-1][0])
    payload = f"{last} ".encode() + orjson.dumps([_text(row) for row in rows])
    return payload.decode() if len(payload) <= LIMIT else last


def last(payload: str) -> int:
    """The last position a notification names, read without decoding its rows (a process
    skips its own commits' notifications on this alone)."""
    head = payload.split(" ", 1)[0]
    if not head.isdigit():
        raise ValueError(f"not a log notice: {payload[:40]!r}")
    return int(head)


def rows(payload: str) -> list[Row]:
    """The rows a notification carries; none if it names only the last position."""
    if " " not in payload:
        return []
    try:
        found = orjson.loads(payload.split(" ", 1)[1])
        if not isinstance(found, list) or not found:
            raise ValueError("no events")
        for row in found:
            if not isinstance(row, list) or len(row) != _WIDTH or not isinstance(row[0], int):
                raise ValueError("rows that are not the log's")
        return [_row(row) for row in found]
    except ValueError as error:  # orjson's and base64's errors are ValueErrors too
        raise ValueError(f"not a log notice: {error}") from error


def _text(row: Row) -> list[object]:
    values = list(row)
    for i in _BYTES:
        if isinstance(values[i], bytes):
            values[i] = base64.b64encode(values[i]).decode()  # type: ignore[arg-type]
    return values


def _row(values: list[object]) -> Row:
    for i in _BYTES:
        if isinstance(values[i], str):
            values[i] = base64.b64decode(values[i], validate=True)  # type: ignore[arg-type]
    return tuple(values)
