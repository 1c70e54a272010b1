"""Instants: whole microseconds since the Unix epoch, UTC, the log's one unit of time.

Every time a meeting event holds (an agenda item's start, a rotation's due instant, the
moment the lead paused) is such an int, like the store's ``recorded_at``: arithmetic on them
is exact and needs no time zone. Local wall-clock times exist only at the edges: reading a
template and showing a time to a person, both in the meeting's IANA time zone.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
SECOND = 1_000_000
MINUTE = 60 * SECOND


@functools.lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ``ValueError`` when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not an IANA time zone") from error


def from_datetime(moment: datetime) -> int:
    """The instant of an aware ``datetime``."""
    return (moment - EPOCH) // MICROSECOND


def to_datetime(instant: int, timezone: str) -> datetime:
    """The wall-clock ``datetime`` of ``instant`` in ``timezone``."""
    return (EPOCH + instant * MICROSECOND).astimezone(zone(timezone))


def local_instant(day: date, clock: time, timezone: str) -> int | None:
    """The instant at which the wall clock in ``timezone`` shows ``day`` ``clock``.

    ``None`` when that wall-clock time does not exist there (skipped by a daylight-saving
    change); an ambiguous one (repeated by the change) is its first occurrence.
    """
    moment = datetime.combine(day, clock, tzinfo=zone(timezone))
    instant = from_datetime(moment)
    shown = to_datetime(instant, timezone)
    if (shown.date(), shown.time()) != (day, clock):
        return None
    return instant


def hhmm(instant: int, timezone: str) -> str:
    """``18:50``: the wall-clock time of ``instant`` in ``timezone``, to the minute."""
    return to_datetime(instant, timezone).strftime("%H:%M")


def iso(instant: int, timezone: str) -> str:
    """``2023-06-15T18:50:00-07:00``: the instant as local ISO 8601 with its UTC offset."""
    return to_datetime(instant, timezone).isoformat(timespec="seconds")
