"""The lead's messages: the builds of ``send_message`` and ``clear_message`` (rows in
``server.live.command_table``), and the clock's ending of messages whose phase or minutes are over.

A message's id is the id of the command that sent it, so a resend names the same message. The
phase a message ends with is the one under way when it is sent, on the server's clock.
"""

from __future__ import annotations

from functools import partial

from events import messages
from events.decider import execute
from events.log.envelope import Metadata
from events.log.store import EventStore
from events.meeting import rules as meeting
from events.meeting.rules import MeetingState
from server.live.sent import Sent


def send_message(sent: Sent) -> messages.SendMessage:
    """The message, ending with the phase under way (if any, and unless it says otherwise)."""
    view = sent.views.meeting(sent.meeting_id)
    assert view is not None
    clock = meeting.as_of(view.state, sent.now).clock
    running = clock.spans[-1] if clock.spans and clock.spans[-1].ended is None else None
    ends = sent.data.get("ends") or (messages.WITH_PHASE if running else messages.UNTIL_CLEARED)
    return messages.SendMessage(
        text=sent.data["text"],
        by=sent.by,
        message_id=sent.command_id,
        at=sent.now,
        ends=ends,
        minutes=sent.data.get("minutes"),
        phase=running.phase if running else None,
        rotation=running.rotation if running else None,
    )


def clear_message(sent: Sent) -> messages.ClearMessage:
    return messages.ClearMessage(by=sent.by, at=sent.now)


async def end_due(store: EventStore, meeting_id: str, state: MeetingState, at: int) -> int | None:
    """End the meeting's message if it fell due by ``at``; when the next one falls due."""
    clock = meeting.as_of(state, at).clock
    outcome = await execute(
        store,
        messages,
        messages.EndDueMessage(at=at, clock=clock),
        stream_id=messages.stream_id(meeting_id),
        meeting_id=meeting_id,
        command_id=f"clock/messages/{meeting_id}/{at}",
        natural_key=partial(messages.natural_key, meeting_id),
        metadata=Metadata(actor="clock"),
    )
    return messages.next_due(outcome.state)
