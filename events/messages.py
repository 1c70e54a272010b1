"""What the lead tells the room, in the meeting's stream ``messages-<meeting_id>``: short
messages to every tablet ("2 minutes left", "please move to your next table") and the
projected wall's hold screen (shown during the presentations). Each is a fact of the evening,
so a replay shows it when the room saw it.

A message has a life: it ends when the lead clears it, when the phase it was about ends (a
time warning with its rotation), after the minutes the lead chose, or when the meeting closes;
a newer message replaces it. Its end is an event too (``MessageEnded``): the clock writes it
when it falls due (``ending``), so tablets and the wall drop the message at that moment and a
replay shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.errors import DomainError
from events.instants import MINUTE
from events.log.codec import Event, codec
from events.meeting.schedule import Clock
from events.one_line import clean_line

MAX_MESSAGE = 200
"""Longest message, in code points after trimming: it is read at a glance on a tablet."""


LONGEST_MINUTES = 120
"""The longest a message may be timed to last, in minutes."""

UNTIL_CLEARED, WITH_PHASE, FOR_MINUTES = "cleared", "phase", "minutes"
ENDS = (UNTIL_CLEARED, WITH_PHASE, FOR_MINUTES)
"""How a message ends: when the lead clears it, with the phase (or rotation) it was sent in,
or after a number of minutes. Every message also ends when a newer one or the close comes."""


class MessageRefused(DomainError):
    code = "invalid_message"


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(Event):
    """The lead sent ``text`` to every tablet of the meeting, to end as ``ends`` says: at
    ``until`` (``"minutes"``) or when the ``phase``/``rotation`` it was sent in ends
    (``"phase"``)."""

    type = "MessageSent"
    schema = 2
    text: str
    by: str
    message_id: str = ""
    ends: str = UNTIL_CLEARED
    until: int | None = None
    phase: str | None = None
    rotation: int | None = None


@codec.upcaster("MessageSent", 1)
def _message_sent_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Messages sent before they had a life lasted until the next one."""
    return {**data, "message_id": "", "ends": UNTIL_CLEARED}


@codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEnded(Event):
    """The message ``message_id`` ended at ``due``: ``"cleared"`` by the lead, its ``"phase"``
    ended, its ``"minutes"`` ran out, or the meeting ``"closed"``."""

    type = "MessageEnded"
    message_id: str
    reason: str
    due: int
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
    """Send ``text``; the shell fills in the phase and rotation on at ``at``."""

    text: str
    by: str
    message_id: str
    at: int
    ends: str = UNTIL_CLEARED
    minutes: int | None = None
    phase: str | None = None
    rotation: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClearMessage:
    """The lead takes the message off every tablet and the wall now."""

    by: str
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EndDueMessage:
    """The clock's tick: end the message if its phase, its minutes or the meeting are over."""

    at: int
    clock: Clock


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldWall:
    """Hold (``held``) or show the projected wall; asking for what already is changes nothing."""

    held: bool
    by: str


MessagesEvent = MessageSent | MessageEnded | WallHeld | WallShown
MessagesCommand = SendMessage | ClearMessage | EndDueMessage | HoldWall


@dataclass(frozen=True, slots=True)
class MessagesState:
    sent: int = 0
    held: bool = False
    current: MessageSent | None = None
    """The message on the tablets now, if any."""


initial_state = MessagesState()


def stream_id(meeting_id: str) -> str:
    return f"messages-{meeting_id}"


def decide(command: MessagesCommand, state: MessagesState) -> list[MessagesEvent]:
    match command:
        case HoldWall(held=held, by=by):
            if held == state.held:
                return []
            return [WallHeld(by=by) if held else WallShown(by=by)]
        case ClearMessage(by=by, at=at):
            if state.current is None:
                return []
            return [
                MessageEnded(message_id=state.current.message_id, reason="cleared", due=at, by=by)
            ]
        case EndDueMessage(at=at, clock=clock):
            ended = ending(state.current, clock, at)
            return [] if ended is None else [ended]
        case SendMessage():
            return [_sent(command)]


def _sent(command: SendMessage) -> MessageSent:
    text = clean_line(command.text, what="a message", most=MAX_MESSAGE, refused=MessageRefused)
    if command.ends not in ENDS:
        raise MessageRefused(f"a message ends {', '.join(ENDS)}; not {command.ends!r}")
    until = None
    if command.ends == FOR_MINUTES:
        minutes = command.minutes
        if minutes is None or not 1 <= minutes <= LONGEST_MINUTES:
            raise MessageRefused(f"a timed message lasts 1 to {LONGEST_MINUTES} minutes")
        until = command.at + minutes * MINUTE
    if command.ends == WITH_PHASE and command.phase is None:
        raise MessageRefused("there is no phase under way for the message to end with")
    return MessageSent(
        text=text,
        by=command.by,
        message_id=command.message_id,
        ends=command.ends,
        until=until,
        phase=command.phase if command.ends == WITH_PHASE else None,
        rotation=command.rotation if command.ends == WITH_PHASE else None,
    )


def ending(message: MessageSent | None, clock: Clock, at: int) -> MessageEnded | None:
    """The end of ``message`` if it fell due by ``at``, on the meeting's ``clock`` as of then:
    with the close, when its minutes ran out, or when the phase it was sent in ended."""
    if message is None:
        return None
    dues = []
    if clock.closed_at is not None and clock.closed_at <= at:
        dues.append((clock.closed_at, "closed"))
    if message.until is not None and message.until <= at:
        dues.append((message.until, FOR_MINUTES))
    if message.ends == WITH_PHASE:
        over = _phase_ended(message, clock)
        if over is not None and over <= at:
            dues.append((over, WITH_PHASE))
    if not dues:
        return None
    due, reason = min(dues)
    return MessageEnded(message_id=message.message_id, reason=reason, due=due, by="clock")


def natural_key(meeting_id: str, event: Event) -> str | None:
    """A message ends once: the clock's end of it gets the same id in every process."""
    if isinstance(event, MessageEnded) and event.by == "clock":
        return f"{meeting_id}/{event.type}/{event.message_id}"
    return None


def next_due(state: MessagesState) -> int | None:
    """When the current message's minutes run out (its phase's end is the meeting's due)."""
    return None if state.current is None else state.current.until


def _phase_ended(message: MessageSent, clock: Clock) -> int | None:
    """When the span the message was sent in ended (``None`` while it runs)."""
    for span in reversed(clock.spans):
        if span.phase == message.phase and span.rotation == message.rotation:
            return span.ended
    return None


def evolve(state: MessagesState, event: MessagesEvent) -> MessagesState:
    match event:
        case MessageSent():
            return MessagesState(state.sent + 1, state.held, event)
        case MessageEnded(message_id=message_id):
            current = state.current
            if current is not None and current.message_id == message_id:
                current = None
            return MessagesState(state.sent, state.held, current)
        case WallHeld():
            return MessagesState(state.sent, True, state.current)
        case WallShown():
            return MessagesState(state.sent, False, state.current)
    return state
