"""HTTP for the room's vote: the phone page and its three requests, and the link for screens.

A participant's phone needs no account and no token: it opens ``/v/<code>`` (from the QR
code or the short link on the wall), is given a phone id, and places and takes back dots.
Plain HTTP on the venue network: every request is a small JSON ``POST`` (no websocket to keep
open per phone, nothing that needs a secure context). Each request first spends a token of
the voting cap (``server.throttle.RequestCap``: per address, and in all). Refusals are
``{"code", "message"}`` in words for the person holding the phone.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

import segno
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from events import voting
from events.log.envelope import Metadata
from projections.screens import render_voting
from server import access
from server.addresses import base_for_request
from server.http.responses import NO_STORE, allowed, json_response, read_body
from server.live.protocol import is_id
from server.pages import routes as pages
from server.voting import Phones, VotingWriter


def _let_in(request: Request) -> None:
    """Spend a token of the voting cap for the request's address (``VotesThrottled`` if none)."""
    address = request.client.host if request.client is not None else "unknown"
    request.app.state.vote_cap.take(address)


def _on_meeting(
    handler: Callable[[Request, str], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """A request on the meeting of its voting code, once the request has been let in: the
    meeting woken (``server.live.dormant``) and kept awake until it is answered."""

    async def answer(request: Request) -> Response:
        _let_in(request)
        phones: Phones = request.app.state.phones
        meeting_id = phones.meeting_of(request.path_params["code"])
        async with request.app.state.views.awake(meeting_id):
            return await handler(request, meeting_id)

    return answer


async def phone_page(request: Request) -> Response:
    """``GET /v/{code}``: the phone page (the code is read by the page from its address; a
    mistyped code is told on the page, in words, by its first request)."""
    _let_in(request)
    return FileResponse(pages.CLIENT / "vote.html", media_type="text/html", headers=pages.HEADERS)


@_on_meeting
async def new_phone(request: Request, meeting_id: str) -> Response:
    """``POST /api/vote/{code}/phone``: a fresh phone id (the page keeps it for the meeting)."""
    await read_body(request)
    phone = request.app.state.phones.new_phone(meeting_id)
    return json_response({"phone": phone}, headers=NO_STORE)


@_on_meeting
async def ballot(request: Request, meeting_id: str) -> Response:
    """``POST /api/vote/{code}/ballot {"phone"}``: the vote as this phone sees it."""
    data = await read_body(request)
    phone = request.app.state.phones.check_phone(meeting_id, data.get("phone"))
    return json_response(_ballot(request, meeting_id, phone), headers=NO_STORE)


@_on_meeting
async def dot(request: Request, meeting_id: str) -> Response:
    """``POST /api/vote/{code}/dots {"phone", "id", "theme_id", "place"}``: place a dot on a
    theme (``place`` true) or take one back; answered, once durable, with the ballot. ``id``
    is the phone's own id for this action, so a resend after a lost answer changes nothing."""
    data = await read_body(request)
    state = request.app.state
    phone = state.phones.check_phone(meeting_id, data.get("phone"))
    command_id, theme_id, place = data.get("id"), data.get("theme_id"), data.get("place")
    if not is_id(command_id) or not is_id(theme_id) or not isinstance(place, bool):
        raise access.BadRequest("a dot is {phone, id, theme_id, place: true or false}")
    kind = voting.PlaceDot if place else voting.TakeBackDot
    writer: VotingWriter = state.voting
    positions = await writer.run(
        meeting_id,
        kind(phone=phone, theme_id=theme_id),
        command_id=f"{phone}:{command_id}",
        metadata=Metadata(actor="phone", correlation_id=command_id),
    )
    await state.views.wait_for(max(positions, default=0))  # the ballot shows this dot
    return json_response(_ballot(request, meeting_id, phone), headers=NO_STORE)


def _ballot(request: Request, meeting_id: str, phone: str) -> dict[str, Any]:
    """What the phone shows: the meeting's title, the round's themes, its own dots and how
    many are left; never the counts (nobody votes by the crowd)."""
    scene = request.app.state.views.scene(meeting_id)
    shown = render_voting(scene)
    current = scene.voting.state.current
    mine = list(current.ballots.get(phone, ())) if current is not None else []
    return {
        "title": scene.plan.title,
        "open": shown["open"],
        "round": shown["round"],
        "dots": shown["dots"],
        "themes": shown["themes"],
        "mine": mine,
        "left": max(0, (shown["dots"] or 0) - len(mine)),
    }


async def link(request: Request) -> Response:
    """``GET /api/meetings/{id}/voting-link`` (any screen of the meeting): the short link
    phones open, its code, and where its QR code is, for the wall and the presentation."""
    _, _, meeting_id = await allowed(request, "meeting.read")
    code = request.app.state.phones.code(meeting_id)
    return json_response({"code": code, "url": _url(request, code), "qr": f"/v/{code}/qr.svg"})


@_on_meeting
async def qr_code(request: Request, _meeting_id: str) -> Response:
    """``GET /v/{code}/qr.svg``: the QR code of the short link (an image the screens show;
    it tells nobody more than the code in its address)."""
    url = _url(request, request.path_params["code"])
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=10, light="#fff", title=f"Vote: {url}")
    return Response(svg.getvalue(), media_type="image/svg+xml", headers=pages.HEADERS)


def _url(request: Request, code: str) -> str:
    """The phone page's address as a phone on the venue network reaches it."""
    return f"{base_for_request(request.app.state.settings, str(request.base_url))}/v/{code}"


routes = [
    Route("/v/{code}", phone_page),
    Route("/v/{code}/qr.svg", qr_code),
    Route("/api/vote/{code}/phone", new_phone, methods=["POST"]),
    Route("/api/vote/{code}/ballot", ballot, methods=["POST"]),
    Route("/api/vote/{code}/dots", dot, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/voting-link", link),
]
