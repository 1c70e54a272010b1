"""``/sw.js``: the tablet page's service worker, with the list of files it keeps.

A service worker is allowed only in a secure context (HTTPS, or localhost); there it keeps the
tablet page and its scripts and styles, so a reload with the server unreachable still opens
the page. The list is every file the server serves under ``/static``, and the version is a
hash of their contents: any change to a file is a new worker, which the browser installs on
the next visit.
"""

from __future__ import annotations

import hashlib

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.pages.routes import CLIENT, STATIC

WORKER = CLIENT / "sw.js"


def script() -> str:
    """The worker's source with its files and version filled in."""
    files = sorted(
        (f"{prefix}/{path.name}", path)
        for prefix, folder in STATIC.items()
        for path in folder.iterdir()
        if path.is_file()
    )
    digest = hashlib.sha256()
    for url, path in files:
        digest.update(url.encode() + b"\0" + path.read_bytes())
    listed = orjson.dumps([url for url, _ in files]).decode()
    return (
        WORKER.read_text(encoding="utf-8")
        .replace("/* FILES */ []", listed)
        .replace('/* VERSION */ ""', orjson.dumps(digest.hexdigest()[:16]).decode())
    )


async def endpoint(request: Request) -> Response:
    return Response(
        script(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


route = Route("/sw.js", endpoint, name="service-worker")
