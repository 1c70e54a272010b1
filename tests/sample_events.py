"""Event types for store tests, in a codec of their own so the real registry stays clean."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from events.log.codec import Codec, Event
from events.log.envelope import Metadata, NewEvent

test_codec = Codec()


@test_codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class Noted(Event):
    """A line of text was noted (schema 2: ``lang`` was added, older notes are English)."""

    type = "Noted"
    schema = 2
    text: str
    lang: str


@test_codec.upcaster("Noted", from_schema=1)
def _noted_v1_to_v2(data: dict[str, object]) -> dict[str, object]:
    return {**data, "lang": "en"}


def note(text: str, event_id: str | None = None, actor: str | None = None) -> NewEvent:
    return NewEvent(
        Noted(text=text, lang="en"),
        event_id or str(uuid.uuid4()),
        Metadata(actor=actor, device_id="tablet-1", correlation_id="c-1"),
    )
