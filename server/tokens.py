"""Signed tokens: who a device is, for which meeting, in which role, until when.

A token is ``base64url(payload).base64url(hmac_sha256(secret, payload))``, where the payload
is canonical JSON. Nothing is stored per token: the signature proves it was issued by this
server's ``SECRET_KEY``, the payload scopes it, and a revoked device is refused by the access
view (an event), not by the token. Rotating the secret signs every device out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import asdict, dataclass
from typing import Literal

import orjson

from events.errors import RoundtableError
from events.log.codec import canonical

Role = Literal["lead", "facilitator", "observer", "staff", "organiser"]
ROLES: tuple[Role, ...] = ("lead", "facilitator", "observer", "staff", "organiser")
ORGANISERS = "_organisers"
"""The scope of an organiser's grant (every meeting of this server) and of the log's record of
organisers' sign-ins (``devices-_organisers``): not a slug, so no meeting can be named so."""


class TokenRefused(RoundtableError):
    """A token that is malformed, forged, expired or for something else."""

    code = "token_refused"


class TokenExpired(TokenRefused):
    code = "token_expired"


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token grants: a role in one meeting (and one table, for a facilitator), or an
    organiser's role on the whole server (``meeting_id`` is ``ORGANISERS``)."""

    meeting_id: str
    role: Role
    device_id: str
    expires: int
    table: int | None = None
    kind: Literal["device", "join", "signin"] = "device"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, grant: Grant) -> str:
    payload = canonical(asdict(grant))
    mac = hmac.new(secret, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


def read(secret: bytes, token: object, *, now: int) -> Grant:
    """The grant in ``token`` if this server signed it and it has not expired (``now``: s)."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 2000:
        raise TokenRefused("the token is missing or malformed")
    body, mac = token.split(".")
    try:
        payload, signature = _unb64(body), _unb64(mac)
    except ValueError as error:
        raise TokenRefused("the token is malformed") from error
    expected = hmac.new(secret, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise TokenRefused("the token was not issued by this server (or its key was rotated)")
    try:
        fields = orjson.loads(payload)
        grant = Grant(**fields)
    except (orjson.JSONDecodeError, TypeError) as error:
        raise TokenRefused("the token's contents are not understood") from error
    if grant.role not in ROLES:
        raise TokenRefused(f"unknown role {grant.role!r}")
    if grant.expires <= now:
        raise TokenExpired("the token has expired: ask the lead for a new link")
    return grant
