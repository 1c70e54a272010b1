"""Documentation is a checked artifact: every event type is in docs/events.md."""

from __future__ import annotations

import re
from pathlib import Path

import events
from events.log.codec import codec

DOCS = Path(__file__).parent.parent / "docs"


def test_every_registered_event_type_is_documented() -> None:
    assert events.meeting_events  # importing ``events`` registers every type
    headings = set(re.findall(r"^### (\w+)$", (DOCS / "events.md").read_text(), re.M))
    missing = sorted(set(codec.types) - headings)
    assert not missing, f"docs/events.md has no '### Name' entry for {missing}"
    assert len(codec.types) >= 10


def test_no_documented_event_type_is_unknown() -> None:
    headings = set(re.findall(r"^### (\w+)$", (DOCS / "events.md").read_text(), re.M))
    assert not headings - set(codec.types), "docs/events.md describes types that do not exist"
