"""The addresses tablets use: ``PUBLIC_URL`` if set, else the LAN addresses found locally.

At a venue the laptop's loopback address is useless to a tablet, so QR codes and links use
``PUBLIC_URL`` (``--public-url``), or else the machine's own LAN addresses, found without
sending anything (a UDP ``connect`` only picks a route; no packet leaves).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from server.settings import Settings

ANY_HOST = ("0.0.0.0", "::", "")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback and link-local, sorted."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a route is chosen, nothing is sent
            found.add(str(probe.getsockname()[0]))
    except OSError:
        pass
    usable = (ipaddress.ip_address(a) for a in found)
    return sorted(str(a) for a in usable if not (a.is_loopback or a.is_link_local))


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def http_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def base_urls(settings: Settings, port: int | None = None) -> list[str]:
    """Where tablets can reach this server: ``PUBLIC_URL``, else each address it listens on
    (the LAN addresses when it listens on all of them); loopback last, as a last resort."""
    if settings.public_url:
        return [settings.public_url]
    port = port or settings.port
    if settings.host in ANY_HOST:
        return [http_url(a, port) for a in lan_addresses()] or [http_url("127.0.0.1", port)]
    return [http_url(settings.host, port)]


def base_for_request(settings: Settings, request_base: str) -> str:
    """The address to print on a sheet made for a request: ``PUBLIC_URL``, else the address
    the lead used, unless that is loopback (then the first LAN address, if any)."""
    if settings.public_url:
        return settings.public_url
    request_base = request_base.rstrip("/")
    if not is_loopback(request_base):
        return request_base
    port = urlsplit(request_base).port or 80
    lan = [http_url(a, port) for a in lan_addresses()] if settings.host in ANY_HOST else []
    return lan[0] if lan else request_base
