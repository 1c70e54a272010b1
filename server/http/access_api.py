"""HTTP endpoints for access: join a table, sign in, the lead's devices, links and sheets.

Writes need a JSON body and, from a browser, an ``Origin`` of this server; credentials are
``Authorization: Bearer`` tokens, never cookies, so another site cannot act for a user.
Refusals are ``{"code", "message"}`` with the status ``STATUS`` gives their class.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from events.devices.joining import JoinRefused
from events.errors import DomainError, RoundtableError
from server import access
from server.addresses import base_for_request
from server.auth import Forbidden, request_grant
from server.http.responses import NO_STORE, allowed, json_response, read_body
from server.pages import sheets
from server.throttle import Throttled
from server.tokens import Grant, TokenRefused
from server.voting import PhoneRefused, UnknownVote

STATUS: dict[type[RoundtableError], int] = {
    Throttled: 429,
    access.BadRequest: 400,
    TokenRefused: 401,
    Forbidden: 403,
    JoinRefused: 403,
    access.UnknownMeeting: 404,
    PhoneRefused: 403,
    UnknownVote: 404,
    DomainError: 409,
}


async def refused(request: Request, error: Exception) -> Response:
    """The exception handler for every ``RoundtableError`` an endpoint raises."""
    assert isinstance(error, RoundtableError)
    status = next((STATUS[c] for c in type(error).__mro__ if c in STATUS), 400)
    headers = {"Retry-After": str(error.wait)} if isinstance(error, Throttled) else None
    return json_response({"code": error.code, "message": str(error)}, status, headers=headers)


def _device(token: str, grant: Grant) -> Response:
    data = {
        "token": token,
        "device_id": grant.device_id,
        "meeting_id": grant.meeting_id,
        "role": grant.role,
        "table": grant.table,
        "expires": grant.expires,
    }
    return json_response(data, headers=NO_STORE)


async def join(request: Request) -> Response:
    """``POST /api/join {"meeting", "code", "label"?, "token"?}``: become a table's tablet
    (``token``: the one this browser already holds for the meeting, so a rejoin is no ghost)."""
    data = await read_body(request)
    name = access.label(data.get("label"))
    state = request.app.state
    address = request.client.host if request.client is not None else "unknown"
    asked = (data.get("meeting"), data.get("code"), name, data.get("token"))
    token, grant = await access.join(state.auth, state.join_codes, state.throttle, address, asked)
    return _device(token, grant)


async def sign_in(request: Request) -> Response:
    """``POST /api/signin {"token", "label"?}``: use a one-time sign-in link's token."""
    data = await read_body(request)
    name = access.label(data.get("label"))
    token, grant = await access.sign_in(request.app.state.auth, data.get("token"), name)
    return _device(token, grant)


async def session(request: Request) -> Response:
    """``GET /api/session``: what the bearer's token grants (a page checks it on load)."""
    grant = await request_grant(request)
    return json_response(
        {
            "device_id": grant.device_id,
            "meeting_id": grant.meeting_id,
            "role": grant.role,
            "table": grant.table,
            "expires": grant.expires,
        }
    )


async def devices(request: Request) -> Response:
    """``GET /api/meetings/{id}/devices`` (lead): every device that joined, and if revoked."""
    auth, _, meeting_id = await allowed(request, "devices.manage")
    return json_response({"devices": access.device_list(await auth.devices(meeting_id))})


async def revoke(request: Request) -> Response:
    """``POST /api/meetings/{id}/devices/{device_id}/revoke`` (lead): sign a device out."""
    await read_body(request)
    auth, grant, meeting_id = await allowed(request, "devices.manage")
    device_id = request.path_params["device_id"]
    await access.revoke(auth, meeting_id, device_id, grant)
    return json_response({"device_id": device_id, "revoked": True})


async def replace_join_code(request: Request) -> Response:
    """``POST /api/meetings/{id}/tables/{n}/join-code`` (lead): the old code joins no more."""
    await read_body(request)
    auth, grant, meeting_id = await allowed(request, "devices.manage")
    plan, _ = await access.load_plan(auth, meeting_id)
    table = request.path_params["table"]
    if plan.table(table) is None:
        raise access.BadRequest(f"table: meeting {meeting_id!r} has no table {table}")
    await access.replace_code(auth, meeting_id, table, grant)
    codes = access.current_codes(auth.secret, plan, await auth.devices(meeting_id))
    return json_response({"table": table, "code": codes[table]}, headers=NO_STORE)


async def create_link(request: Request) -> Response:
    """``POST /api/meetings/{id}/links {"role"}`` (lead): a one-time sign-in link."""
    data = await read_body(request)
    auth, _, meeting_id = await allowed(request, "links.create")
    await access.load_plan(auth, meeting_id)
    base = base_for_request(request.app.state.settings, str(request.base_url))
    url, link = await access.signin_link(auth, base, meeting_id, data.get("role"))  # type: ignore[arg-type]
    body = {"url": url, "link_id": link.device_id, "role": link.role, "expires": link.expires}
    return json_response(body, headers=NO_STORE)


async def join_sheets(request: Request) -> HTMLResponse:
    """``GET /api/meetings/{id}/join-sheets`` (lead): printable, one page per table."""
    auth, _, meeting_id = await allowed(request, "links.create")
    plan, _ = await access.load_plan(auth, meeting_id)
    codes = access.current_codes(auth.secret, plan, await auth.devices(meeting_id))
    base = base_for_request(request.app.state.settings, str(request.base_url))
    return HTMLResponse(sheets.join_sheets(plan, codes, base), headers=NO_STORE)


async def table_cards(request: Request) -> HTMLResponse:
    """``GET /api/meetings/{id}/table-cards`` (any role): the cards that stand on the tables."""
    auth, _, meeting_id = await allowed(request, "meeting.read")
    plan, _ = await access.load_plan(auth, meeting_id)
    return HTMLResponse(sheets.table_cards(plan))
