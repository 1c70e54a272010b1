"""JSON endpoints. For now the meeting view: ``/api/meetings`` and ``/api/meetings/{id}``,
for any device token of that meeting (``docs/security.md``).

Bodies are canonical JSON (sorted keys, no floats; instants are microseconds since the epoch,
UTC), so that the same view always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from events.codec import canonical
from events.store import EventStore
from projections.meeting import render, status
from server import meetings
from server.auth import Auth, request_grant

JSON = "application/json"


def _json(data: Any, status_code: int = 200) -> Response:
    return Response(canonical(data), status_code=status_code, media_type=JSON)


async def list_meetings(request: Request) -> Response:
    """The token's meeting (a token is for one): title, date, status, where its clock is."""
    store: EventStore = request.app.state.store
    grant = await request_grant(request)
    listed = []
    for meeting_id in await meetings.meeting_ids(store):
        if meeting_id != grant.meeting_id:
            continue  # a token is for one meeting: the others are not listed
        view = await meetings.load(store, meeting_id)
        plan, clock = view.state.plan, view.state.clock
        assert plan is not None
        listed.append(
            {
                "meeting_id": meeting_id,
                "title": plan.title,
                "date": plan.date,
                "status": status(view.state),
                "phase": clock.phase,
                "rotation": clock.rotation,
            }
        )
    return _json({"meetings": listed})


async def show_meeting(request: Request) -> Response:
    """One meeting's view: structure, clock, schedule and the clock's record."""
    store: EventStore = request.app.state.store
    meeting_id = request.path_params["meeting_id"]
    auth: Auth = request.app.state.auth
    auth.require(await request_grant(request), "meeting.read", meeting_id=meeting_id)
    view = await meetings.load(store, meeting_id)
    if view.state.plan is None:
        return _json(
            {"code": "unknown_meeting", "message": f"there is no meeting {meeting_id!r}"},
            status_code=404,
        )
    return _json(render(view))
