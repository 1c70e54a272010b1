"""The report-back on the server: the view itself over HTTP for the presentation page (the
lead's freeze and unfreeze commands are rows in ``server.live.command_table``).

The page follows the meeting over the websocket like every screen, and fetches
``GET /api/meetings/{id}/report-back`` again when an event may have changed it, so the view
is rendered here, by ``projections.report_back``, and never computed twice in two languages.
While frozen the server renders the frozen sources, whatever the page asks.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from events.log.codec import canonical
from projections import report_back as report_back_view
from server.auth import Auth, request_grant
from server.http.api import JSON
from server.live.views import LiveViews


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
