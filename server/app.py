"""The Starlette application: routes as a list, resources opened in one lifespan."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from events.store import EventStore
from server import api
from server.clock import MeetingClock
from server.settings import Settings


async def health(request: Request) -> JSONResponse:
    """For the IT person and for load balancers: the log answers, and how far it goes."""
    store: EventStore = request.app.state.store
    return JSONResponse(
        {
            "status": "ok",
            "database": store.url.get_backend_name(),
            "last_position": await store.last_position(),
        }
    )


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = EventStore(settings.database_url, synchronous=settings.synchronous)
        await store.open()
        app.state.store = store
        clock = MeetingClock(store)
        clock.start()
        app.state.clock = clock
        try:
            yield
        finally:
            await clock.stop()
            await store.close()

    routes = [
        Route("/healthz", health),
        Route("/api/meetings", api.list_meetings),
        Route("/api/meetings/{meeting_id}", api.show_meeting),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
