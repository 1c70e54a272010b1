"""JSON endpoints. For now the meeting view: ``/api/meetings`` and ``/api/meetings/{id}``,
for any device token of that meeting, or an organiser's (``docs/security.md``).

Bodies are canonical JSON (sorted keys, no floats; instants are microseconds since the epoch,
UTC), so that the same view always gives the same bytes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from projections.meeting import render, status
from server.auth import Auth, request_grant
from server.http.responses import json_response
from server.tokens import ORGANISERS

JSON = "application/json"


async def list_meetings(request: Request) -> Response:
    """The token's meeting (a token is for one), or every meeting for an organiser's: title,
    date, venue, status, where its clock is."""
    auth: Auth = request.app.state.auth
    grant = await request_grant(request)
    listed = []
    for meeting_id in await auth.meeting_ids():
        if grant.meeting_id not in (meeting_id, ORGANISERS):
            continue  # a token is for one meeting: the others are not listed
        view = await auth.meeting(meeting_id)
        plan, clock = view.state.plan, view.state.clock
        assert plan is not None
        listed.append(
            {
                "meeting_id": meeting_id,
                "title": plan.title,
                "date": plan.date,
                "venue": plan.venue,
                "status": status(view.state),
                "phase": clock.phase,
                "rotation": clock.rotation,
            }
        )
    return json_response({"meetings": listed})


async def show_meeting(request: Request) -> Response:
    """One meeting's view: structure, clock, schedule and the clock's record."""
    meeting_id = request.path_params["meeting_id"]
    auth: Auth = request.app.state.auth
    auth.require(await request_grant(request), "meeting.read", meeting_id=meeting_id)
    view = await auth.meeting(meeting_id)
    if view.state.plan is None:
        return json_response(
            {"code": "unknown_meeting", "message": f"there is no meeting {meeting_id!r}"},
            status_code=404,
        )
    return json_response(render(view))
