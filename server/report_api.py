"""HTTP endpoints of the summary report: read it, run staff commands on it, download it.

Reading and downloading need ``record.read`` (the lead and staff) and work during the
meeting too (the report is then a draft, and says so). Editing needs ``report.edit`` and
publishing ``report.publish``: staff only, once the lead has closed the meeting. A command is
``{"id", "name", "data"}``, like a websocket command; the id makes a retry harmless.
"""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.envelope import Metadata
from projections.meeting import status
from projections.report_formats import FORMATS, export, filename
from projections.report_formats.html import CSP
from server import reports
from server.access import BadRequest, UnknownMeeting
from server.auth import Auth, request_grant
from server.permissions import ACTIONS, Forbidden
from server.responses import NO_STORE, allowed, command_id_of, json_response, read_body
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
    meeting is closed): the positions of the events it made."""
    grant = await request_grant(request)
    body = await read_body(request)
    name = body.get("name")
    data = reports.check(str(name), body.get("data"))
    command_id = command_id_of(body)
    store = request.app.state.store
    meeting_id = request.path_params["meeting_id"]
    auth: Auth = request.app.state.auth
    view = await auth.meeting(meeting_id)
    action = "report.publish" if name == reports.PUBLISH else "report.edit"
    closed = status(view.state) == "closed"
    auth.require(grant, action, meeting_id=meeting_id, meeting_closed=closed)
    plan = view.state.plan
    if plan is None:
        raise UnknownMeeting(f"there is no meeting {meeting_id!r}")
    built = await reports.build(store, plan, str(name), data, grant.device_id)
    metadata = Metadata(actor=grant.role, device_id=grant.device_id, correlation_id=command_id)
    outcome = await reports.run(store, meeting_id, built, command_id=command_id, metadata=metadata)
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
