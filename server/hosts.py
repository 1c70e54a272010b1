"""Which names this server answers to: the ``Host`` allowlist against DNS rebinding.

A page of another site can have its own name re-pointed at this laptop's address; the
browser then sends that name as ``Host`` and treats the answers as the other site's, so the
``Origin`` check alone would pass. Every HTTP request and websocket upgrade whose ``Host`` is
not one of these names is refused before any route runs: the host of ``PUBLIC_URL``, a
loopback name (``localhost``, ``*.localhost``), an IP address literal (the machine's own
addresses, by whatever interface a tablet reaches it; an address cannot be re-pointed, so
no literal can be a rebinding) and the names given with ``--allowed-host`` / ``ALLOWED_HOSTS``.
A request without ``Host`` (not a browser) is let through.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.settings import Settings


def names(settings: Settings) -> frozenset[str]:
    """The host names (beside loopback and address literals) this server answers to."""
    public = urlsplit(settings.public_url).hostname if settings.public_url else None
    return frozenset(n.lower() for n in (*settings.allowed_hosts, public) if n)


def host_name(host: str) -> str:
    """The name of a ``Host`` header, without its port or an IPv6 literal's brackets."""
    return (urlsplit(f"//{host}").hostname or "").lower()


def allowed(host: str | None, allowed_names: Iterable[str]) -> bool:
    """Whether a request with this ``Host`` header is for this server."""
    if host is None:
        return True
    name = host_name(host)
    if name == "localhost" or name.endswith(".localhost") or name in allowed_names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostAllowlist:
    """ASGI middleware: refuse HTTP (421) and websocket upgrades for a ``Host`` not allowed."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.names = names(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = dict(scope["headers"]).get(b"host")
            if not allowed(host.decode("latin-1") if host is not None else None, self.names):
                await _refuse(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # the upgrade request
        await send({"type": "websocket.close", "code": 1008})
        return
    message = (
        "this server does not answer to that name: open it by its public address, or start "
        "it with --allowed-host NAME"
    )
    response = JSONResponse({"code": "bad_host", "message": message}, status_code=421)
    await response(scope, receive, send)
