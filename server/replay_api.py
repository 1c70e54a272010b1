"""JSON endpoints for looking back at an evening (staff and the lead, ``replay.read``).

``/api/meetings/{id}/history``: every change to one comment (``?table=N&comment=ID``) or one
theme (``?theme=ID``), with who, when, and the old and new values, read from the log.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.store import EventStore
from projections import history
from server.access import BadRequest
from server.access_api import _allowed, _json


async def thing_history(request: Request) -> Response:
    """``GET /api/meetings/{id}/history?table=N&comment=ID`` or ``?theme=ID``."""
    _, _, meeting_id = await _allowed(request, "replay.read")
    store: EventStore = request.app.state.store
    query = request.query_params
    records = [r async for r in store.read_all(meeting_id=meeting_id)]
    if "theme" in query:
        changes = history.theme_history(records, meeting_id, query["theme"])
        subject = {"theme": query["theme"]}
    elif "comment" in query and query.get("table", "").isdigit():
        table = int(query["table"])
        changes = history.comment_history(records, meeting_id, table, query["comment"])
        subject = {"table": table, "comment": query["comment"]}
    else:
        raise BadRequest("history: ask for ?table=N&comment=ID or ?theme=ID")
    names = history.labels(records)
    for change in changes:
        change["who"] = names.get(change["by"] or "", change["by"])
    return _json({**subject, "changes": changes})


routes = [Route("/api/meetings/{meeting_id}/history", thing_history)]
