"""The lead's clock controls as protocol commands: each becomes a meeting command, stamped
with the server's time (never the laptop's), and is decided by the meeting's own decider.

The clock task watches the meeting's stream, so a pause or an extension takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from events import meeting_commands as m

_Build = Callable[[dict[str, Any], int], m.MeetingCommand]

_BUILDERS: dict[str, _Build] = {
    "open_meeting": lambda data, at: m.OpenMeeting(at=at),
    "choose_auto_start": lambda data, at: m.ChooseAutoStart(enabled=data["enabled"], at=at),
    "start_roundtables": lambda data, at: m.StartRoundtables(at=at),
    "pause_clock": lambda data, at: m.PauseClock(at=at),
    "resume_clock": lambda data, at: m.ResumeClock(at=at),
    "extend_rotation": lambda data, at: m.ExtendRotation(
        rotation=data["rotation"], minutes=data["minutes"], at=at
    ),
    "end_rotation": lambda data, at: m.EndRotation(rotation=data["rotation"], at=at),
    "jump_to_break": lambda data, at: m.JumpToBreak(at=at),
    "jump_to_report_back": lambda data, at: m.JumpToReportBack(at=at),
    "close_meeting": lambda data, at: m.CloseMeeting(at=at),
}

NAMES = frozenset(_BUILDERS)


def build(name: str, data: dict[str, Any], at: int) -> m.MeetingCommand:
    """The meeting command for a checked clock command, at the server's instant ``at``."""
    return _BUILDERS[name](data, at)
