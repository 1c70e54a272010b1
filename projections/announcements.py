"""What the lead has told the room: the latest message to the tablets and whether the
projected wall is on its hold screen; from the meeting's messages stream.

A tablet that connects (or reconnects) after a message still shows it until the message
ends (``MessageEnded``: cleared, its phase or minutes over, the meeting closed), and a wall
opened during the presentations opens on its hold screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events import messages
from events.log.envelope import Recorded


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    at: int
    """When it was recorded (µs, UTC): the tablets show how long ago it was sent."""
    position: int
    message_id: str
    ends: str
    until: int | None


@dataclass(frozen=True, slots=True)
class AnnouncementsView:
    message: Message | None = None
    wall_held: bool = False
    position: int = 0


def evolve(view: AnnouncementsView, record: Recorded) -> AnnouncementsView:
    """The view with one event of the messages stream applied."""
    event = record.decode()
    match event:
        case messages.MessageSent(text=text, message_id=message_id, ends=ends, until=until):
            message = Message(text, record.recorded_at, record.position, message_id, ends, until)
            return AnnouncementsView(message, view.wall_held, record.position)
        case messages.MessageEnded(message_id=message_id):
            current = view.message
            if current is not None and current.message_id == message_id:
                current = None
            return AnnouncementsView(current, view.wall_held, record.position)
        case messages.WallHeld():
            return AnnouncementsView(view.message, True, record.position)
        case messages.WallShown():
            return AnnouncementsView(view.message, False, record.position)
    return view


def render(view: AnnouncementsView) -> dict[str, Any]:
    """JSON-ready data (ints and strings only), as the websocket's ``state`` carries it."""
    message = view.message
    return {
        "message": None
        if message is None
        else {
            "text": message.text,
            "at": message.at,
            "position": message.position,
            "message_id": message.message_id,
            "ends": message.ends,
            "until": message.until,
        },
        "wall_held": view.wall_held,
    }
