"""The report-back on the server: the lead's freeze and unfreeze commands, and the view itself
over HTTP for the presentation page.

The page follows the meeting over the websocket like every screen, and fetches
``GET /api/meetings/{id}/report-back`` again when an event may have changed it, so the view
is rendered here, by ``projections.report_back``, and never computed twice in two languages.
While frozen the server renders the frozen sources, whatever the page asks.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from events import report_back
from events.codec import canonical
from events.decider import execute
from events.envelope import Metadata
from events.store import EventStore
from projections import report_back as report_back_view
from server.api import JSON
from server.auth import Auth, request_grant
from server.tokens import Grant
from server.views import LiveViews

NAMES = frozenset({"freeze_report_back", "unfreeze_report_back"})
"""The websocket commands on the report-back (each needs ``report.present``)."""


async def run(
    store: EventStore, auth: Auth, grant: Grant, name: str, command_id: str, metadata: Metadata
) -> tuple[int, ...]:
    """Freeze or unfreeze the meeting's report-back; the positions of what it wrote."""
    auth.require(grant, "report.present", meeting_id=grant.meeting_id)
    freeze = name == "freeze_report_back"
    by = grant.device_id
    command = (
        report_back.FreezeReportBack(by=by) if freeze else report_back.UnfreezeReportBack(by=by)
    )
    outcome = await execute(
        store,
        report_back,
        command,
        stream_id=report_back.stream_id(grant.meeting_id),
        meeting_id=grant.meeting_id,
        command_id=command_id,
        metadata=metadata,
    )
    return outcome.positions


async def show(request: Request) -> Response:
    """``GET /api/meetings/{id}/report-back`` (``report.read``): ``{"position", "report_back"}``,
    the view as of ``position`` in the log (the frozen one while frozen)."""
    meeting_id = request.path_params["meeting_id"]
    auth: Auth = request.app.state.auth
    auth.require(await request_grant(request), "report.read", meeting_id=meeting_id)
    views: LiveViews = request.app.state.views
    position = views.position
    sources = views.sources(meeting_id)
    body = report_back_view.render(
        sources.meeting, sources.tables, sources.wall, views.freeze(meeting_id)
    )
    data = canonical({"position": position, "report_back": body})
    return Response(data, media_type=JSON, headers={"Cache-Control": "no-store"})
