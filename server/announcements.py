"""The shell around the messages decider: the lead's messages and wall hold over the socket,
and the clock's ending of messages whose phase or minutes are over.

A message's id is the id of the command that sent it, so a resend names the same message. The
phase a message ends with is the one under way when it is sent, on the server's clock.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from events import meeting, messages
from events.decider import Outcome, execute
from events.envelope import Metadata
from events.meeting import MeetingState
from events.store import EventStore

NAMES = frozenset({"send_message", "clear_message", "hold_wall"})


def build(
    name: str, data: dict[str, Any], state: MeetingState, by: str, command_id: str, now: int
) -> messages.MessagesCommand:
    """The messages command for a checked protocol command."""
    if name == "hold_wall":
        return messages.HoldWall(held=data["held"], by=by)
    if name == "clear_message":
        return messages.ClearMessage(by=by, at=now)
    clock = meeting.as_of(state, now).clock
    running = clock.spans[-1] if clock.spans and clock.spans[-1].ended is None else None
    ends = data.get("ends") or (messages.WITH_PHASE if running else messages.UNTIL_CLEARED)
    return messages.SendMessage(
        text=data["text"],
        by=by,
        message_id=command_id,
        at=now,
        ends=ends,
        minutes=data.get("minutes"),
        phase=running.phase if running else None,
        rotation=running.rotation if running else None,
    )


async def run(
    store: EventStore,
    meeting_id: str,
    command: messages.MessagesCommand,
    *,
    command_id: str,
    metadata: Metadata | None = None,
) -> Outcome:
    """Decide ``command`` against the meeting's messages stream and append what it decides."""
    return await execute(
        store,
        messages,
        command,
        stream_id=messages.stream_id(meeting_id),
        meeting_id=meeting_id,
        command_id=command_id,
        natural_key=partial(messages.natural_key, meeting_id),
        metadata=metadata,
    )


async def end_due(store: EventStore, meeting_id: str, state: MeetingState, at: int) -> int | None:
    """End the meeting's message if it fell due by ``at``; when the next one falls due."""
    clock = meeting.as_of(state, at).clock
    outcome = await run(
        store,
        meeting_id,
        messages.EndDueMessage(at=at, clock=clock),
        command_id=f"clock/messages/{meeting_id}/{at}",
        metadata=Metadata(actor="clock"),
    )
    return messages.next_due(outcome.state)
