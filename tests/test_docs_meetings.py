"""Meetings are documented: every command, refusal and event has its entry."""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import Path

import pytest

from events.meeting import errors as meeting_errors
from events.meeting import events as meeting_events
from events.meeting.commands import ClockCommand, StructureCommand

DOCS = Path(__file__).parent.parent / "docs"


def headings(name: str) -> set[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return set(re.findall(r"^### (\w+)$", text, flags=re.MULTILINE))


@pytest.mark.parametrize("command", typing.get_args(ClockCommand), ids=lambda c: c.__name__)
def test_every_clock_command_is_documented(command: type) -> None:
    assert command.__name__ in headings("meetings.md")


@pytest.mark.parametrize("command", typing.get_args(StructureCommand), ids=lambda c: c.__name__)
def test_every_structural_command_is_documented(command: type) -> None:
    assert command.__name__ in headings("meetings.md")


def test_every_refusal_is_documented_with_its_code() -> None:
    text = (DOCS / "meetings.md").read_text(encoding="utf-8")
    for name, refusal in inspect.getmembers(meeting_errors, inspect.isclass):
        if (
            issubclass(refusal, meeting_errors.MeetingError)
            and refusal is not meeting_errors.MeetingError
        ):
            assert f"| `{name}` | `{refusal.code}` |" in text


def test_every_meeting_event_is_in_the_event_reference() -> None:
    documented = headings("events.md")
    for event in typing.get_args(meeting_events.MeetingEvent):
        assert event.type in documented
