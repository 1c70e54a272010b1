"""What every JSON endpoint shares: canonical JSON bodies, and checking a route's grant.

Bodies are canonical JSON (sorted keys, no floats; instants are microseconds since the epoch,
UTC), so that the same view always gives the same bytes.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from events.log.codec import canonical
from server import access
from server.auth import Auth, check_origin, request_grant
from server.tokens import Grant

MAX_BODY = 16_384
MAX_ID = 64
NO_STORE = {"Cache-Control": "no-store"}
"""For answers that hold a secret (a join code, a sign-in link) or change at every call."""


def json_response(
    data: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(canonical(data), status_code, headers, media_type="application/json")


async def allowed(
    request: Request, action: str, *, closed: bool = False
) -> tuple[Auth, Grant, str]:
    """The app's ``Auth``, the request's grant and the route's meeting id, once the grant may
    do ``action`` there (``closed``: the meeting is closed, for the closed-only actions)."""
    auth: Auth = request.app.state.auth
    grant = await request_grant(request)
    meeting_id = request.path_params["meeting_id"]
    auth.require(grant, action, meeting_id=meeting_id, meeting_closed=closed)
    return auth, grant, meeting_id


async def read_body(request: Request, *, limit: int = MAX_BODY) -> dict[str, Any]:
    """A write's JSON object, from this server's own pages (``Origin``), at most ``limit``
    bytes (``MAX_BODY`` unless the route takes more, as a whole plan does)."""
    check_origin(request)
    raw = await request.body()
    if len(raw) > limit:
        raise access.BadRequest(f"the request body is over {limit} bytes")
    try:
        data = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError as error:
        raise access.BadRequest("the request body is not JSON") from error
    if not isinstance(data, dict):
        raise access.BadRequest("the request body must be a JSON object")
    return data


def command_id_of(body: dict[str, Any]) -> str:
    """A command's ``id`` from its body (a new one if it has none): the id that makes a retry
    harmless."""
    value = body.get("id") or str(uuid.uuid4())
    if not isinstance(value, str) or len(value) > MAX_ID:
        raise access.BadRequest(f"id: a string of 1 to {MAX_ID} characters")
    return value
