"""Authentication: which device a token stands for, whether it is still signed in, and what
it may do. Built once in the lifespan (``app.state.auth``) and used by HTTP and websockets.

A token is checked three ways: its signature (this server's key), its expiry, and the
meeting's devices stream (not revoked). Permissions are ``server.permissions``. Tokens travel
only in ``Authorization: Bearer`` headers, request bodies, websocket messages and URL
fragments, never in a path or a query string, so that no access log ever holds one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.requests import Request

from events.devices import rules as devices
from events.devices.rules import DevicesState
from events.log.store import EventStore
from projections import catalog
from projections.meeting import MeetingView
from server import meetings, permissions
from server.live.views import LiveViews
from server.permissions import Forbidden as Forbidden
from server.secret import secret_key
from server.settings import Settings
from server.tokens import Grant, Role, TokenRefused, read, sign

HOUR = 3_600
DAY = 24 * HOUR


class DeviceRevoked(TokenRefused):
    """The device's token is genuine, but the lead signed the device out."""

    code = "device_revoked"


REVOKED_MESSAGE = (
    "this tablet was signed out by the lead: copy out your waiting comments, "
    "then ask the lead to join the table again"
)


class Auth:
    """Issues and checks the tokens of one server (one secret key)."""

    def __init__(
        self,
        store: EventStore,
        secret: bytes,
        *,
        token_days: int = 30,
        public_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.secret = secret
        self.token_days = token_days
        self.public_url = public_url
        self._clock = clock
        self.views: LiveViews | None = None
        """The live views, once the server has them: the devices streams as they stand."""

    @classmethod
    async def open(cls, store: EventStore, settings: Settings) -> Auth:
        secret = await secret_key(store, settings)
        return cls(store, secret, token_days=settings.token_days, public_url=settings.public_url)

    def now(self) -> int:
        """Seconds since the epoch: what tokens' ``expires`` is measured in."""
        return int(self._clock())

    def issue(
        self,
        meeting_id: str,
        role: Role,
        *,
        device_id: str | None = None,
        table: int | None = None,
        kind: str = "device",
        hours: int | None = None,
    ) -> tuple[str, Grant]:
        """A new signed token (a new device id unless given), valid ``token_days`` from now
        (or ``hours``)."""
        lifetime = hours * HOUR if hours is not None else self.token_days * DAY
        grant = Grant(
            meeting_id=meeting_id,
            role=role,
            device_id=device_id or str(uuid.uuid4()),
            expires=self.now() + lifetime,
            table=table,
            kind=kind,  # type: ignore[arg-type]
        )
        return sign(self.secret, grant), grant

    def verify(self, token: object) -> Grant:
        """Signature and expiry only (a sign-in link is checked this way before it is used)."""
        return read(self.secret, token, now=self.now())

    async def devices(self, meeting_id: str) -> DevicesState:
        """The meeting's devices: from the live views in the server (a look-up, not a fold
        of the stream per hello and request), from the log for the command line."""
        if self.views is not None:
            return self.views.devices(meeting_id)
        records = await self.store.read_stream(devices.stream_id(meeting_id))
        return catalog.fold(records).devices(meeting_id)

    async def meeting(self, meeting_id: str) -> MeetingView:
        """The meeting's view (empty if there is no such meeting): the live views' in the
        server, so HTTP shows the moment the socket shows; from the log for the command line."""
        if self.views is not None:
            return self.views.meeting(meeting_id) or MeetingView()
        return await meetings.load(self.store, meeting_id)

    async def meeting_ids(self) -> list[str]:
        """Every meeting scheduled in the log (in the server: that its live views hold)."""
        if self.views is None:
            return await meetings.meeting_ids(self.store)
        views = self.views
        return [m for m in views.meeting_ids() if views.meeting(m) is not None]

    async def authenticate(self, token: object) -> Grant:
        """The grant of a device token that is genuine, unexpired and not revoked."""
        if token is None or token == "":
            raise TokenRefused("this needs a token: open your join or sign-in link first")
        grant = self.verify(token)
        if grant.kind != "device":
            raise TokenRefused("this is a sign-in link, not a device token: open it to sign in")
        if grant.device_id in (await self.devices(grant.meeting_id)).revoked:
            raise DeviceRevoked(REVOKED_MESSAGE)
        return grant

    def require(
        self,
        grant: Grant,
        action: str,
        *,
        meeting_id: str,
        table: int | None = None,
        meeting_closed: bool = False,
    ) -> None:
        """Raise ``Forbidden`` unless ``grant`` may do ``action`` (``server.permissions``)."""
        permissions.check(
            grant, action, meeting_id=meeting_id, table=table, meeting_closed=meeting_closed
        )


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (cookies are never used)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _origin_key(scheme: str, netloc: str) -> tuple[str, int | None]:
    parts = urlsplit(f"{scheme}://{netloc}")
    try:
        port = parts.port
    except ValueError:
        return ("", None)
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(scheme)
    return ((parts.hostname or "").lower(), port or default)


def origin_allowed(origin: str | None, host: str | None, public_url: str | None) -> bool:
    """Whether a browser request from ``origin`` may act here: no ``Origin`` (not a browser),
    the same host and port as the request's ``Host``, or the origin of ``PUBLIC_URL``."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed or file pages) and anything odd
    key = _origin_key(parts.scheme, parts.netloc)
    if host and key == _origin_key(parts.scheme, host):
        return True
    if public_url:
        public = urlsplit(public_url)
        return key == _origin_key(public.scheme, public.netloc) and public.scheme == parts.scheme
    return False


class CrossSiteRefused(Forbidden):
    """A browser write from a page of another site."""

    code = "bad_origin"


async def request_grant(request: Request) -> Grant:
    """The grant of the request's ``Authorization: Bearer`` token (``TokenRefused`` if none)."""
    auth: Auth = request.app.state.auth
    return await auth.authenticate(bearer(request.headers.get("authorization")))


def check_origin(request: Request) -> None:
    """Refuse a write sent by a browser from another site (its ``Origin`` is not ours)."""
    auth: Auth = request.app.state.auth
    origin = request.headers.get("origin")
    if not origin_allowed(origin, request.headers.get("host"), auth.public_url):
        raise CrossSiteRefused(f"requests from {origin} are not accepted here")
