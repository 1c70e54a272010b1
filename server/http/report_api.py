"""HTTP endpoints of the summary report: read it, run staff commands on it, download it.

Reading and downloading need ``record.read`` (the lead and staff) and work during the
meeting too (the report is then a draft, and says so). Editing needs ``report.edit`` and
publishing ``report.publish``: staff only, once the lead has closed the meeting. A command is
``{"id", "name", "data"}``, like a websocket command, and runs as one (its row in
``server.live.command_table``); the id makes a retry harmless.
"""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projections.report_formats import FORMATS, export, filename
from projections.report_formats.html import CSP
from server import reports
from server.access import BadRequest, UnknownMeeting
from server.auth import Auth, request_grant
from server.http.responses import NO_STORE, allowed, command_id_of, json_response, read_body
from server.live.command_table import REPORT_COMMANDS
from server.live.dispatch import Dispatcher
from server.live.protocol import ProtocolError
from server.permissions import ACTIONS, Forbidden
from server.tokens import Grant


async def _grant(request: Request, action: str, *, closed: bool = False) -> tuple[Grant, str]:
    _, grant, meeting_id = await allowed(request, action, closed=closed)
    return grant, meeting_id


def _version(request: Request) -> int | None:
    raw = request.query_params.get("version")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest("version: a published version number, 1 or more")
    return int(raw)


async def show(request: Request) -> Response:
    """``GET /api/meetings/{id}/report[?version=N]``: the report as data; for staff, also
    what their page edits (versions, redactions with reasons, the wall's key themes); for
    whoever may erase now, what erasing needs (each comment's theme, the erased ones)."""
    grant, meeting_id = await _grant(request, "record.read")
    loaded = await reports.load(request.app.state.store, meeting_id, _version(request))
    body: dict[str, Any] = {"report": loaded.report}
    if grant.role in ACTIONS["report.edit"].roles:
        body["editor"] = reports.editor(loaded.source)
    auth: Auth = request.app.state.auth
    closed = loaded.source.closed
    with contextlib.suppress(Forbidden):  # the lead during the meeting, staff after it
        auth.require(grant, "comment.erase", meeting_id=meeting_id, meeting_closed=closed)
        body["eraser"] = reports.eraser(loaded.source)
    return json_response(body, headers=NO_STORE)


async def command(request: Request) -> Response:
    """``POST /api/meetings/{id}/report/commands {"id", "name", "data"}`` (staff, after the
    meeting is closed): the positions of the events it made. Run as a websocket command is
    (``server.live.dispatch``: its row in ``server.live.command_table.REPORT_COMMANDS``, its fields,
    its
    permission, decided against the report's live view)."""
    grant = await request_grant(request)
    body = await read_body(request)
    command_id = command_id_of(body)
    meeting_id = request.path_params["meeting_id"]
    state = request.app.state
    if state.views.meeting(meeting_id) is None:
        raise UnknownMeeting(f"there is no meeting {meeting_id!r}")
    data = body.get("data")
    if not isinstance(data, dict):
        raise BadRequest(f"{body.get('name')}: 'data' must be an object")
    dispatcher = Dispatcher(state.views, state.streams, state.auth)
    try:
        name = str(body.get("name"))
        outcome = await dispatcher.run(grant, command_id, name, data, REPORT_COMMANDS, meeting_id)
    except ProtocolError as error:
        raise BadRequest(str(error)) from error
    return json_response(
        {
            "id": command_id,
            "positions": list(outcome.positions),
            "events": [event.type for event in outcome.events],
            "duplicate": outcome.duplicate,
            "published": outcome.state.published,
        }
    )


async def download(request: Request) -> Response:
    """``GET /api/meetings/{id}/report/export/{format}[?version=N]``: the report as a file."""
    _, meeting_id = await _grant(request, "record.read")
    name = request.path_params["format"]
    if name not in FORMATS:
        raise BadRequest(f"format: one of {', '.join(FORMATS)}")
    loaded = await reports.load(request.app.state.store, meeting_id, _version(request))
    headers = {
        "Content-Disposition": f'attachment; filename="{filename(loaded.report, name)}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": f"{CSP}; sandbox",
    }
    return Response(
        export(loaded.report, name), headers=headers, media_type=FORMATS[name].media_type
    )


routes = [
    Route("/api/meetings/{meeting_id}/report", show),
    Route("/api/meetings/{meeting_id}/report/commands", command, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/report/export/{format}", download),
]
