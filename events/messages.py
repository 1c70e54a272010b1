"""What the lead tells the room, in the meeting's stream ``messages-<meeting_id>``: short
messages to every tablet ("2 minutes left", "please move to your next table") and the
projected wall's hold screen (shown during the presentations). Each is a fact of the evening,
so a replay shows it when the room saw it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from events.codec import Event, codec
from events.errors import DomainError

MAX_MESSAGE = 200
"""Longest message, in code points after trimming: it is read at a glance on a tablet."""


class MessageRefused(DomainError):
    code = "invalid_message"


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(Event):
    """The lead sent ``text`` to every tablet of the meeting."""

    type = "MessageSent"
    text: str
    by: str


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class WallHeld(Event):
    """The projected wall shows its hold screen instead of the comments."""

    type = "WallHeld"
    by: str


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class WallShown(Event):
    """The projected wall shows the comments again."""

    type = "WallShown"
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SendMessage:
    text: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldWall:
    """Hold (``held``) or show the projected wall; asking for what already is changes nothing."""

    held: bool
    by: str


MessagesEvent = MessageSent | WallHeld | WallShown


@dataclass(frozen=True, slots=True)
class MessagesState:
    sent: int = 0
    held: bool = False


initial_state = MessagesState()


def stream_id(meeting_id: str) -> str:
    return f"messages-{meeting_id}"


def decide(command: SendMessage | HoldWall, state: MessagesState) -> list[MessagesEvent]:
    if isinstance(command, HoldWall):
        if command.held == state.held:
            return []
        return [WallHeld(by=command.by) if command.held else WallShown(by=command.by)]
    text = command.text.strip()
    if not text:
        raise MessageRefused("a message needs some text")
    if len(text) > MAX_MESSAGE:
        raise MessageRefused(f"a message is at most {MAX_MESSAGE} characters; this has {len(text)}")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise MessageRefused("a message is one line, without control characters")
    return [MessageSent(text=text, by=command.by)]


def evolve(state: MessagesState, event: MessagesEvent) -> MessagesState:
    match event:
        case MessageSent():
            return MessagesState(state.sent + 1, state.held)
        case WallHeld():
            return MessagesState(state.sent, True)
        case WallShown():
            return MessagesState(state.sent, False)
