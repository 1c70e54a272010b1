"""Meetings as the server handles them: run a command against one, load its view, list them.

The thin layer between transports (HTTP, the command line, the clock, later websockets) and
the meeting decider, so that each of them names a meeting by its id and nothing else.
"""

from __future__ import annotations

from functools import partial

from events.decider import Outcome, execute
from events.log.envelope import Metadata
from events.log.store import EventStore
from events.meeting import rules as meeting
from events.meeting.commands import MeetingCommand
from projections import catalog
from projections.meeting import MeetingView


async def run(
    store: EventStore,
    meeting_id: str,
    command: MeetingCommand,
    *,
    command_id: str,
    actor: str | None = None,
    metadata: Metadata | None = None,
) -> Outcome:
    """Decide ``command`` for the meeting and append its events (a resend appends nothing)."""
    return await execute(
        store,
        meeting,
        command,
        stream_id=meeting.stream_id(meeting_id),
        meeting_id=meeting_id,
        command_id=command_id,
        natural_key=partial(meeting.natural_key, meeting_id),
        metadata=metadata or Metadata(actor=actor),
    )


async def load(store: EventStore, meeting_id: str) -> MeetingView:
    """The meeting's view, folded from its stream by the catalog (empty when there is no such
    meeting): for the command line, which has no live views (the server reads its own)."""
    folded = catalog.fold(await store.read_stream(meeting.stream_id(meeting_id)))
    return folded.meeting(meeting_id) or MeetingView()


async def free_id(store: EventStore, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``...: the first that names no meeting yet."""
    candidate, n = base, 1
    while await store.stream_version(meeting.stream_id(candidate)) > 0:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


async def meeting_ids(store: EventStore) -> list[str]:
    """Every meeting that has been scheduled in this log, by id."""
    ids = []
    for meeting_id in await store.meeting_ids():
        if await store.stream_version(meeting.stream_id(meeting_id)) > 0:
            ids.append(meeting_id)
    return ids
