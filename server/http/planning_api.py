"""HTTP endpoints of the planning page (organisers): templates, plans, saving one.

A plan travels in the template's shape (``server.template``, docs/meetings.md), so the page,
a copy of an earlier meeting and ``roundtable meeting create`` share one reader and one set of
rules. Saving a new plan runs the same ``ScheduleMeeting`` as the command line; saving an
edit runs ``RevisePlan``, whose events are each difference. A refusal names its ``field``
(``meeting.title``, ``agenda[2].start``, ``rotation``...), so the page shows it beside it.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.meeting.commands import RevisePlan
from events.meeting.errors import MeetingError
from events.meeting.plan import is_slug
from server import access, meetings, template
from server.auth import Auth, request_grant
from server.http.responses import NO_STORE, allowed, json_response, read_body
from server.plan_template import as_template
from server.template import TemplateError
from server.tokens import ORGANISERS, Grant

TEMPLATES = Path(__file__).parent.parent / "templates"
MAX_PLAN = 65_536
"""A plan of 40 tables with a long agenda is a few kilobytes; this leaves room."""
NOT_PLANNED = ("comments", "key_themes")
"""What a template may hold that is not the plan (the Kamloops file's record of the evening)."""


async def _organiser(request: Request) -> tuple[Auth, Grant]:
    auth: Auth = request.app.state.auth
    grant = await request_grant(request)
    auth.require(grant, "meeting.plan", meeting_id=ORGANISERS)
    return auth, grant


async def list_templates(request: Request) -> Response:
    """``GET /api/templates`` (organiser): the shipped templates, by name and title."""
    await _organiser(request)
    listed = [
        {"name": path.stem, "title": _shipped(path.stem)["meeting"]["title"]}
        for path in sorted(TEMPLATES.glob("*.json"))
    ]
    return json_response({"templates": listed})


async def show_template(request: Request) -> Response:
    """``GET /api/templates/{name}`` (organiser): a shipped template's plan."""
    await _organiser(request)
    name = request.path_params["name"]
    if not is_slug(name) or not (TEMPLATES / f"{name}.json").is_file():
        raise access.BadRequest(f"there is no shipped template {name!r}")
    return json_response({"plan": _shipped(name)})


def _shipped(name: str) -> dict[str, Any]:
    data = template.read(TEMPLATES / f"{name}.json")
    return {key: value for key, value in data.items() if key not in NOT_PLANNED}


async def show_plan(request: Request) -> Response:
    """``GET /api/meetings/{id}/plan`` (organiser): the meeting's plan, to edit or copy, and
    whether it can still change (not once the roundtables have started)."""
    auth, _, meeting_id = await allowed(request, "meeting.plan")
    view = await auth.meeting(meeting_id)
    plan, clock = view.state.plan, view.state.clock
    if plan is None:
        raise access.UnknownMeeting(f"there is no meeting {meeting_id!r}")
    body = {
        "meeting_id": meeting_id,
        "plan": as_template(plan),
        "started": clock.started_at is not None,
        "closed": clock.closed_at is not None,
    }
    return json_response(body, headers=NO_STORE)


async def create_plan(request: Request) -> Response:
    """``POST /api/plans {"plan", "id"?}`` (organiser): schedule a new meeting."""
    auth, grant = await _organiser(request)
    data = await read_body(request, limit=MAX_PLAN)
    wanted = data.get("id")
    if wanted is not None and not isinstance(wanted, str):
        raise access.BadRequest("id: must be text")
    try:
        command = template.schedule_command(_plan(data), "new")
        meeting_id = wanted or await meetings.free_id(auth.store, command.date)
        command = replace(command, meeting_id=meeting_id)
        await _run(auth, grant, meeting_id, command)
    except (TemplateError, MeetingError) as error:
        return _refused(error)
    return json_response({"meeting_id": meeting_id})


async def revise_plan(request: Request) -> Response:
    """``POST /api/meetings/{id}/plan {"plan"}`` (organiser): make the meeting's plan this one;
    every difference is an event (``RevisePlan``)."""
    auth, grant, meeting_id = await allowed(request, "meeting.plan")
    data = await read_body(request, limit=MAX_PLAN)
    await access.load_plan(auth, meeting_id)
    try:
        outcome = await _run(auth, grant, meeting_id, _revision(_plan(data), meeting_id))
    except (TemplateError, MeetingError) as error:
        return _refused(error)
    return json_response({"meeting_id": meeting_id, "changes": len(outcome.events)})


def _plan(data: dict[str, Any]) -> dict[str, Any]:
    plan = data.get("plan")
    if not isinstance(plan, dict):
        raise TemplateError("plan", "expected the plan as one JSON object")
    return plan


def _revision(plan: dict[str, Any], meeting_id: str) -> RevisePlan:
    """The plan read as a template would be, as the edit that makes the meeting so."""
    s = template.schedule_command(plan, meeting_id)
    return RevisePlan(
        date=s.date,
        timezone=s.timezone,
        title=s.title,
        venue=s.venue,
        agenda=s.agenda,
        topics=s.topics,
        questions=s.questions,
        tables=s.tables,
        rotations=s.rotations,
    )


async def _run(auth: Auth, grant: Grant, meeting_id: str, command: Any) -> Any:
    outcome = await meetings.run(
        auth.store, meeting_id, command, command_id=str(uuid.uuid4()), actor=grant.role
    )
    if auth.views is not None and outcome.positions:
        await auth.views.wait_for(outcome.positions[-1])
    return outcome


def _refused(error: TemplateError | MeetingError) -> Response:
    """A plan the rules refuse: the code, the message and the field it is about."""
    status = 409 if isinstance(error, MeetingError) else 400
    body = {"code": error.code, "message": str(error), "field": error.field}
    return json_response(body, status)


routes = [
    Route("/api/templates", list_templates),
    Route("/api/templates/{name}", show_template),
    Route("/api/plans", create_plan, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/plan", show_plan),
    Route("/api/meetings/{meeting_id}/plan", revise_plan, methods=["POST"]),
]
