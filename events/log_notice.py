"""What an append on PostgreSQL tells the other processes: its events, or where they end.

Each process publishes what the others commit to its own subscribers (``events.log_listener``).
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
"""``data`` and ``metadata`` in the table's column order (``events.schema``)."""
_WIDTH = 12
"""The table's columns."""

Row = tuple[object, ...]


def encode(rows: Sequence[Row]) -> str:
    """The notification for an append of ``rows``: the rows, or their last position."""
    payload = orjson.dumps([_text(row) for row in rows])
    return payload.decode() if len(payload) <= LIMIT else str(rows[-1][0])


def decode(payload: str) -> tuple[int, list[Row]]:
    """The last position a notification names and the rows it carries (none if it only
    names the position). Raises ``ValueError`` on anything else."""
    if payload.isdigit():
        return int(payload), []
    try:
        rows = orjson.loads(payload)
        if not isinstance(rows, list) or not rows:
            raise ValueError("no events")
        for row in rows:
            if not isinstance(row, list) or len(row) != _WIDTH or not isinstance(row[0], int):
                raise ValueError("rows that are not the log's")
        return rows[-1][0], [_row(row) for row in rows]
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
