"""The pages people open (the front page, the join page, the tablet page...) and the static
client files.

The client is plain files under ``client/``: no build step, no CDN, so a venue without
internet still gets every byte from this server. Pages carry a content security policy that
allows only this server's own scripts, styles and sockets.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

CLIENT = Path(__file__).resolve().parents[2] / "client"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def page(name: str, file: str | None = None) -> Route:
    """A route serving ``client/<file or name>.html`` at ``/<name>``."""

    async def endpoint(request: Request) -> Response:
        path = CLIENT / f"{file or name}.html"
        return FileResponse(path, media_type="text/html", headers=HEADERS)

    return Route(f"/{name}", endpoint, name=f"page-{name}")


class ClientFiles(StaticFiles):
    """The client's scripts and styles; revalidated on each load so an update is never stale."""

    def file_response(self, *args: object, **kwargs: object) -> Response:
        response = super().file_response(*args, **kwargs)  # type: ignore[arg-type]
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


STATIC = {"/static/js": CLIENT / "js", "/static/css": CLIENT / "css"}
"""Where the browser's files are served from (only those: the Python client beside them is
not for browsers)."""

routes = [
    Route("/", page("index").endpoint, name="page-front"),
    page("plan"),
    page("join"),
    page("table"),
    page("present"),
    page("lead"),
    page("wall"),
    page("report"),
    page("replay"),
    page("staff", "report"),  # where a staff sign-in link lands: the report, for now
    *(
        Mount(prefix, ClientFiles(directory=folder), name=prefix.rsplit("/", 1)[1])
        for prefix, folder in STATIC.items()
    ),
]
