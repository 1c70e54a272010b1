"""Joining, signing in and signing out: the shell around the devices decider.

A table's join code is derived from the secret key, the meeting, the table and how often its
code was replaced, so nothing secret is stored in the log; rotating the key changes every
code (reprint the sheets). Codes use 31 letters and digits that cannot be confused (no 0/O,
1/I/L), eight of them (about 40 bits), shown as ``ABCD-EFGH``; case, spaces and dashes are
ignored when typed.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any

from events.decider import execute
from events.devices import joining
from events.devices import rules as devices
from events.devices.joining import JoinRefused
from events.devices.rules import DeviceCommand, DevicesState
from events.errors import RoundtableError
from events.log.envelope import Metadata
from events.log.store import now_micros
from events.meeting.plan import Plan
from server.auth import Auth
from server.throttle import JoinThrottle
from server.tokens import ORGANISERS, Grant, Role, TokenRefused

if TYPE_CHECKING:
    from server.join_codes import JoinCodes

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_LABEL = 60
PAGES: dict[str, str] = {"lead": "lead", "observer": "wall", "staff": "staff", "organiser": ""}
"""The page a sign-in link of each role opens: the lead's page, the projected wall, the staff's
report page (the browser keeps the token, so /present and /replay open signed in too), and
for an organiser the front page, which lists the meetings and plans them."""


class BadRequest(RoundtableError):
    code = "bad_request"


class UnknownMeeting(RoundtableError):
    code = "unknown_meeting"


def join_code(secret: bytes, meeting_id: str, table: int, generation: int = 0) -> str:
    message = f"join-code/{meeting_id}/{table}/{generation}".encode()
    number = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    code = "".join(letters)
    return f"{code[:4]}-{code[4:]}"


def normal(code: str) -> str:
    """A code as typed, as it is compared: capitals, letters and digits only."""
    return "".join(c for c in code.upper() if c.isalnum())


def current_codes(secret: bytes, plan: Plan, state: DevicesState) -> dict[int, str]:
    """Each table's join code as it stands (after any replacements)."""
    return {
        t.number: join_code(secret, plan.meeting_id, t.number, state.generation(t.number))
        for t in plan.tables
    }


def label(value: object) -> str | None:
    """A device's label as given ("spare iPad"): trimmed, short, no control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("label: must be text")
    value = value.strip()
    if len(value) > MAX_LABEL or any(unicodedata.category(c) == "Cc" for c in value):
        raise BadRequest(f"label: at most {MAX_LABEL} characters, no control characters")
    return value or None


async def load_plan(auth: Auth, meeting_id: str) -> tuple[Plan, bool]:
    """The meeting's plan and whether it is closed; ``UnknownMeeting`` if there is none."""
    view = await auth.meeting(meeting_id)
    if view.state.plan is None:
        raise UnknownMeeting(f"there is no meeting {meeting_id!r}")
    return view.state.plan, view.state.clock.closed_at is not None


async def _run(auth: Auth, meeting_id: str, command: DeviceCommand, actor: Grant | None) -> None:
    """Run a devices command; in the server, return once the live views hold its events (a
    revoked device's next hello is refused, a replaced code refused)."""
    outcome = await execute(
        auth.store,
        devices,
        command,
        stream_id=devices.stream_id(meeting_id),
        meeting_id=meeting_id,
        command_id=str(uuid.uuid4()),
        metadata=Metadata(
            actor=actor.role if actor else None, device_id=actor.device_id if actor else None
        ),
    )
    if auth.views is not None and outcome.positions:
        await auth.views.wait_for(outcome.positions[-1])


async def join(
    auth: Auth,
    codes: JoinCodes,
    throttle: JoinThrottle,
    address: str,
    request: tuple[object, object, str | None, object],
) -> tuple[str, Grant]:
    """Turn a device into a table's tablet, by the join code of that table: ``request`` is
    the meeting, the code, the device's label and the device token this browser already
    holds for the meeting, if any (joining the same table again keeps that device, with a
    fresh token; joining another signs it out). A wrong code counts against ``address``
    (``server.throttle``); one found is one look-up (``server.join_codes``)."""
    meeting_id, code, name, held = request
    if not isinstance(meeting_id, str) or not isinstance(code, str):
        raise BadRequest("meeting and code: both must be given, as text")
    throttle.check(address)
    view = auth.views.meeting(meeting_id) if auth.views is not None else None
    closed_at = view.state.clock.closed_at if view is not None else None
    try:
        table = joining.admit(
            meeting_id, codes.find(code), view is not None, closed_at, now_micros()
        )
    except JoinRefused:
        throttle.wrong(address)
        raise
    previous = _held_tablet(auth, meeting_id, held)
    if devices.rejoins(await auth.devices(meeting_id), previous, table):
        return auth.issue(meeting_id, "facilitator", device_id=previous, table=table)
    token, grant = auth.issue(meeting_id, "facilitator", table=table)
    command = devices.JoinTable(
        device_id=grant.device_id,
        table=table,
        label=name,
        at=now_micros(),
        previous=previous,
    )
    await _run(auth, meeting_id, command, grant)
    return token, grant


def _held_tablet(auth: Auth, meeting_id: str, held: object) -> str | None:
    """The tablet device a genuine token of this meeting names (anything else: none)."""
    if held is None:
        return None
    try:
        grant = auth.verify(held)
    except TokenRefused:
        return None
    mine = grant.kind == "device" and grant.meeting_id == meeting_id
    return grant.device_id if mine and grant.role == "facilitator" else None


PRINTED_LINK_HOURS = 12
"""How long a sign-in link printed to a terminal works: stdout and journals keep it."""


async def signin_link(
    auth: Auth, base: str, meeting_id: str, role: Role, *, printed: bool = False
) -> tuple[str, Grant]:
    """A one-time link that signs a browser in as ``role`` (the token is in the fragment),
    recorded by its id (``SignInLinkIssued``). A ``printed`` link expires in
    ``PRINTED_LINK_HOURS`` and replaces the unused earlier printed ones of its role."""
    if role not in PAGES:
        raise BadRequest(f"role: one of {', '.join(PAGES)}")
    if (role == "organiser") != (meeting_id == ORGANISERS):
        raise BadRequest("role: an organiser's link is for the server, not for one meeting")
    hours = PRINTED_LINK_HOURS if printed else None
    token, grant = auth.issue(meeting_id, role, kind="signin", hours=hours)
    command = devices.IssueSignInLink(
        link_id=grant.device_id, role=role, printed=printed, at=now_micros()
    )
    await _run(auth, meeting_id, command, None)
    if role == "organiser":
        return f"{base}/#signin={token}", grant
    return f"{base}/{PAGES[role]}#meeting={meeting_id}&signin={token}", grant


def has_organiser(state: DevicesState) -> bool:
    """Whether an organiser has signed in (``state``: the organisers stream's)."""
    return any(d.role == "organiser" for d in state.devices.values())


async def sign_in(auth: Auth, link_token: object, name: str | None) -> tuple[str, Grant]:
    """Use a one-time sign-in link: the device gets its own token; the link is spent."""
    link = auth.verify(link_token)
    if link.kind != "signin":
        raise TokenRefused("this is not a sign-in link")
    token, grant = auth.issue(link.meeting_id, link.role)
    command = devices.SignIn(
        link_id=link.device_id,
        device_id=grant.device_id,
        role=link.role,
        label=name,
        at=now_micros(),
    )
    await _run(auth, link.meeting_id, command, grant)
    return token, grant


async def revoke(auth: Auth, meeting_id: str, device_id: str, by: Grant) -> None:
    await _run(auth, meeting_id, devices.RevokeDevice(device_id=device_id, at=now_micros()), by)


async def replace_code(auth: Auth, meeting_id: str, table: int, by: Grant) -> None:
    await _run(auth, meeting_id, devices.ReplaceJoinCode(table=table, at=now_micros()), by)


def device_list(state: DevicesState) -> list[dict[str, Any]]:
    """The lead's view of the devices, in the order they joined."""
    listed = sorted(state.devices.values(), key=lambda d: (d.joined_at, d.device_id))
    return [
        {
            "device_id": d.device_id,
            "role": d.role,
            "table": d.table,
            "label": d.label,
            "joined_at": d.joined_at,
            "revoked_at": d.revoked_at,
        }
        for d in listed
    ]
