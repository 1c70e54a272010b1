"""``roundtable serve`` that writes down every view of the live server after each event: for
the test that compares the live views with the rebuilt and the replayed ones at every position.

``python -m harness.recording_server OUT serve ...``: the real server on a real port, writing a
real log. Once it has started, one more listener on its live views (``LiveViews.listen_all``,
the start-up wiring the server's own parts use) appends to OUT, after each event of a scheduled
meeting, a line ``{"position", "meeting", "stream", "views"}`` with every view of that meeting
as the live views hold it then (``harness.every_view``). Nothing of the server is replaced.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import orjson
from starlette.applications import Starlette

from events.log.envelope import Recorded
from harness.every_view import every_view
from server.live.views import LiveViews


def recording(out: IO[bytes], views: LiveViews, record: Recorded) -> None:
    if views.meeting(record.meeting_id) is None:
        return  # not a scheduled meeting (the organisers' devices, say)
    body = every_view(views.scene(record.meeting_id))
    head = {"position": record.position, "meeting": record.meeting_id, "stream": record.stream_id}
    out.write(orjson.dumps(head)[:-1] + b',"views":' + body + b"}\n")
    out.flush()


def main() -> int:
    with Path(sys.argv[1]).open("ab") as out:
        return serve_recording(out)


def serve_recording(out: IO[bytes]) -> int:
    from server.cli import main as cli
    from server.cli import serve

    create_app = serve.create_app

    def recorded_app(*args: Any, **kwargs: Any) -> Starlette:
        app = create_app(*args, **kwargs)
        started = app.router.lifespan_context

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            async with started(app):
                views: LiveViews = app.state.views
                views.listen_all(lambda record: recording(out, views, record))
                yield

        app.router.lifespan_context = lifespan
        return app

    serve.create_app = recorded_app
    sys.argv = ["roundtable", *sys.argv[2:]]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
