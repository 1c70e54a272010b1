"""The Starlette application: routes as a list, resources opened in one lifespan."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from importlib.metadata import version

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from events.errors import RoundtableError
from events.log.store import EventStore
from server import gate
from server.auth import Auth
from server.clock import MeetingClock
from server.hosts import HostAllowlist
from server.http import (
    access_api,
    api,
    erasure_api,
    planning_api,
    replay_api,
    report_api,
    report_back,
    voting_api,
)
from server.join_codes import JoinCodes
from server.live import dormant, ws
from server.live.presence import Presence
from server.live.presence_peers import PresencePeers
from server.live.streams import LiveStreams
from server.live.suggestions import LiveSuggestions
from server.live.views import LiveViews
from server.pages import routes as pages
from server.pages import service_worker
from server.settings import Settings
from server.throttle import JoinThrottle, RequestCap
from server.voting import Phones, VotingWriter


async def health(request: Request) -> JSONResponse:
    """For the IT person and for load balancers: the log answers, how far it goes, and which
    Roundtable answers (the version the venue laptop was installed with)."""
    store: EventStore = request.app.state.store
    return JSONResponse(
        {
            "status": "ok",
            "version": version("roundtable"),
            "database": store.url.get_backend_name(),
            "last_position": await store.last_position(),
        }
    )


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        gate.configure(settings.trusted_proxy)
        store = settings.store()
        await store.open()
        app.state.store = store
        app.state.settings = settings
        auth = app.state.auth = await Auth.open(store, settings)
        views = auth.views = LiveViews(store)
        app.state.join_codes = JoinCodes(auth.secret, views)
        app.state.throttle = JoinThrottle()
        app.state.phones = Phones(auth.secret, views)
        app.state.vote_cap = RequestCap()
        await views.start()
        app.state.views = views
        app.state.streams = LiveStreams(store, views)
        app.state.voting = VotingWriter(store, views)
        app.state.suggestions = LiveSuggestions(views)
        presence = app.state.presence = Presence()
        peers = None
        if store.postgres_dsn is not None:  # other server processes may share this log
            peers = PresencePeers(store.postgres_dsn, presence, settings.heartbeat_seconds)
            peers.start()
        clock = MeetingClock(store)
        # What fell due while the server was down (a rotation's end, say) is in the views
        # before the first device connects, so no comment is put in a rotation already over.
        await clock.tick()
        await views.wait_for(await store.last_position())
        clock.start()
        app.state.clock = clock
        _freeze_startup_heap()
        try:
            yield
        finally:
            if peers is not None:
                await peers.stop()
            await clock.stop()
            await app.state.suggestions.stop()
            await views.stop()
            await store.close()
            gc.unfreeze()  # what this server held can be collected again (tests start many)

    routes = [
        Route("/healthz", health),
        Route("/api/meetings", api.list_meetings),
        Route("/api/meetings/{meeting_id}", api.show_meeting),
        Route("/api/meetings/{meeting_id}/report-back", report_back.show),
        Route("/api/join", access_api.join, methods=["POST"]),
        Route("/api/signin", access_api.sign_in, methods=["POST"]),
        Route("/api/session", access_api.session),
        Route("/api/meetings/{meeting_id}/devices", access_api.devices),
        Route(
            "/api/meetings/{meeting_id}/devices/{device_id}/revoke",
            access_api.revoke,
            methods=["POST"],
        ),
        Route(
            "/api/meetings/{meeting_id}/tables/{table:int}/join-code",
            access_api.replace_join_code,
            methods=["POST"],
        ),
        Route("/api/meetings/{meeting_id}/links", access_api.create_link, methods=["POST"]),
        Route("/api/meetings/{meeting_id}/join-sheets", access_api.join_sheets),
        Route("/api/meetings/{meeting_id}/table-cards", access_api.table_cards),
        *planning_api.routes,
        *report_api.routes,
        *erasure_api.routes,
        *replay_api.routes,
        *voting_api.routes,
        WebSocketRoute("/ws", ws.endpoint),
        *pages.routes,
        service_worker.route,
    ]
    dormant.wake_first(routes)
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={RoundtableError: access_api.refused},
        middleware=[Middleware(HostAllowlist, settings=settings)],
    )


def _freeze_startup_heap() -> None:
    """Put what start-up made (the modules, the views folded from the log) out of the garbage
    collector's reach: it lives as long as the server, and a full collection under the live
    bench walked all of it once a run, every connection stopped for 92-220 ms; now it walks
    only what came after, 32-54 ms (``docs/benchmarks.md``, "Where a delivery's tail goes").
    What start-up made and later drops is still freed by its reference count, and all of it
    can be collected again once the server has stopped."""
    gc.collect()
    gc.freeze()
