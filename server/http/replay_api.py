"""JSON endpoints for looking back at an evening (staff and the lead, ``replay.read``).

``/api/meetings/{id}/history``: every change to one comment (``?table=N&comment=ID``) or one
theme (``?theme=ID``), with who, when, the old and new values, and what it did in words
(theme titles and comment texts, ``projections.history_words``), read from the log.
``/api/meetings/{id}/replay/timeline``: the evening at a glance, for the replay page's timeline.
``/api/meetings/{id}/replay/views?position=N`` (or ``?at=19:35``): the meeting's views as they
were then, the ones ``roundtable replay`` gives (``server.replay_cache`` keeps checkpoints).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.errors import RoundtableError
from projections import history, history_words
from server.access import BadRequest, UnknownMeeting
from server.cli.replay import parse_moment
from server.http.responses import allowed, json_response
from server.replay_cache import ReplayCache
from server.replay_timeline import timeline


async def thing_history(request: Request) -> Response:
    """``GET /api/meetings/{id}/history?table=N&comment=ID`` or ``?theme=ID``: each change
    with ``who`` made it (the device's name), and what it did in words (``said``)."""
    _, _, meeting_id = await allowed(request, "replay.read")
    query = request.query_params
    log = await _cache(request).log(meeting_id)
    records = log.records
    table: int | None = None
    if "theme" in query:
        changes = history.theme_history(records, meeting_id, query["theme"])
        subject: dict[str, Any] = {"theme": query["theme"]}
    elif "comment" in query and query.get("table", "").isdigit():
        table = int(query["table"])
        changes = history.comment_history(records, meeting_id, table, query["comment"])
        subject = {"table": table, "comment": query["comment"]}
    else:
        raise BadRequest("history: ask for ?table=N&comment=ID or ?theme=ID")
    plan = log.scene(len(records)).meeting.state.plan if records else None
    known = history_words.names(records, meeting_id, plan)
    who = history.labels(records)
    for change in changes:
        change["who"] = history.person(change, who, table)
        change["said"] = history_words.said(change, known, table)
    return json_response({**subject, "changes": changes})


def _cache(request: Request) -> ReplayCache:
    """The app's replay checkpoints, made on first use."""
    state = request.app.state
    cache = getattr(state, "replay_cache", None)
    if cache is None:
        cache = state.replay_cache = ReplayCache(state.store)
    return cache


async def replay_timeline(request: Request) -> Response:
    """``GET /api/meetings/{id}/replay/timeline``: first and last event, the time zone, the
    agenda, the clock's record, every event as ``[position, recorded_at, type]`` and comments
    per minute per table."""
    _, _, meeting_id = await allowed(request, "replay.read")
    log = await _cache(request).log(meeting_id)
    if not log.records:
        raise UnknownMeeting(f"{meeting_id}: no such meeting in this log")
    return json_response(timeline(log.records, log.scene(len(log.records))))


async def replay_views(request: Request) -> Response:
    """``GET /api/meetings/{id}/replay/views?position=N`` or ``?at=HH:MM[:SS]`` (the meeting's
    local time) or ``?at=ISO``: the meeting's views at that moment, with where it stands."""
    _, _, meeting_id = await allowed(request, "replay.read")
    cache = _cache(request)
    query = request.query_params
    position = instant = None
    if query.get("position", "").isdigit():
        position = int(query["position"])
    elif "at" in query:
        log = await cache.log(meeting_id)
        plan = log.scene(len(log.records)).meeting.state.plan if log.records else None
        if plan is None:
            raise UnknownMeeting(f"{meeting_id}: no such meeting in this log")
        try:
            instant = parse_moment(query["at"], plan)
        except RoundtableError as error:
            raise BadRequest(str(error).replace("--at", "at")) from None
    else:
        raise BadRequest("replay: ask for ?position=N or ?at=HH:MM")
    moment = await cache.at(meeting_id, position=position, instant=instant)
    if moment is None:
        raise BadRequest(f"{meeting_id} was not scheduled yet at that moment")
    body = {
        "position": moment.position,
        "recorded_at": moment.recorded_at,
        "at": instant if instant is not None else moment.recorded_at,
        "events": moment.events,
        "views": moment.views,
    }
    return json_response(body)


routes = [
    Route("/api/meetings/{meeting_id}/history", thing_history),
    Route("/api/meetings/{meeting_id}/replay/timeline", replay_timeline),
    Route("/api/meetings/{meeting_id}/replay/views", replay_views),
]
