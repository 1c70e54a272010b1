"""The HTTP endpoint of erasure: the staff page's button (after the close) and the lead's
(during the meeting) both post here; ``comment.erase`` says who may when."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.log.envelope import Metadata
from projections.meeting import status
from server import erasure
from server.auth import Auth, request_grant
from server.http.responses import command_id_of, json_response, read_body


async def erase(request: Request) -> Response:
    """``POST /api/meetings/{id}/erasures {"id", "data"}``: erase a comment's words; the
    erasure's position and how many payloads it set to null (a resend: the first's)."""
    grant = await request_grant(request)
    body = await read_body(request)
    data = erasure.check(body.get("data"))
    command_id = command_id_of(body)
    store = request.app.state.store
    meeting_id = request.path_params["meeting_id"]
    auth: Auth = request.app.state.auth
    view = await auth.meeting(meeting_id)
    closed = status(view.state) == "closed"
    auth.require(grant, "comment.erase", meeting_id=meeting_id, meeting_closed=closed)
    metadata = Metadata(actor=grant.role, device_id=grant.device_id, correlation_id=command_id)
    done = await erasure.erase(store, meeting_id, data, command_id=command_id, metadata=metadata)
    return json_response(
        {
            "id": command_id,
            "position": done.position,
            "payloads": done.payloads,
            "duplicate": done.duplicate,
        }
    )


routes = [Route("/api/meetings/{meeting_id}/erasures", erase, methods=["POST"])]
