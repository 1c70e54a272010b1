"""The Kamloops evening as commands and events, local times, and a time source tests drive."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, time
from typing import Any

from events.instants import SECOND, local_instant
from events.meeting import rules as meeting
from events.meeting.commands import ScheduleMeeting
from events.meeting.events import MeetingEvent
from events.meeting.plan import AgendaItem
from server import seed, template

TZ = "America/Vancouver"
DAY = date(2023, 6, 15)


def local(clock: str, day: date = DAY) -> int:
    """The instant of ``HH:MM`` or ``HH:MM:SS`` on the Kamloops evening, in Kamloops."""
    at = local_instant(day, time.fromisoformat(clock), TZ)
    assert at is not None
    return at


def kamloops_data() -> dict[str, Any]:
    return template.read(seed.KAMLOOPS)


def kamloops(meeting_id: str = "kamloops", **changes: Any) -> ScheduleMeeting:
    """The command that schedules the Kamloops evening (``changes`` replace its fields)."""
    return replace(template.schedule_command(kamloops_data(), meeting_id), **changes)


def scheduled(command: ScheduleMeeting | None = None) -> list[MeetingEvent]:
    """The events that the Kamloops evening (or ``command``) is scheduled with."""
    return meeting.decide(command or kamloops(), meeting.initial_state)


def item(item_id: str, kind: str, start: str, end: str | None, title: str = "") -> AgendaItem:
    return AgendaItem(
        item_id=item_id,
        kind=kind,
        title=title or item_id.title(),
        start=local(start),
        end=None if end is None else local(end),
    )


class FakeTime:
    """A clock the test moves: ``now()`` for the store and the meeting clock, ``sleep`` too.

    ``sleep`` moves time forward by what was asked and records it, so the meeting clock's own
    loop runs an evening in no time at all.
    """

    def __init__(self, start: int) -> None:
        self.instant = start
        self.sleeps: list[float] = []
        self.until: int | None = None
        self.reached = asyncio.Event()

    def now(self) -> int:
        return self.instant

    def set(self, clock: str) -> int:
        self.instant = local(clock)
        return self.instant

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.instant += round(seconds * SECOND)
        if self.until is not None and self.instant >= self.until:
            self.reached.set()
            await asyncio.Event().wait()  # the end of the test's evening: wait to be cancelled
        await asyncio.sleep(0)
