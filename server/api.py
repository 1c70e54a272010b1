"""JSON endpoints. For now the meeting view: ``/api/meetings`` and ``/api/meetings/{id}``.

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

JSON = "application/json"


def _json(data: Any, status_code: int = 200) -> Response:
    return Response(canonical(data), status_code=status_code, media_type=JSON)


async def list_meetings(request: Request) -> Response:
    """Every meeting in the log: id, title, date, status and where its clock stands."""
    store: EventStore = request.app.state.store
    listed = []
    for meeting_id in await meetings.meeting_ids(store):
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
    view = await meetings.load(store, meeting_id)
    if view.state.plan is None:
        return _json(
            {"code": "unknown_meeting", "message": f"there is no meeting {meeting_id!r}"},
            status_code=404,
        )
    return _json(render(view))
