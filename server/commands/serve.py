"""``roundtable serve``: run the server (uvicorn) on the configured store."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

import uvicorn

from events.store import database_url, now_micros
from server import seed, welcome
from server.app import create_app
from server.commands import add_db_option, add_public_url_option, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Roundtable server",
        description="Run the Roundtable server. HOST defaults to loopback (127.0.0.1).",
    )
    add_db_option(parser)
    parser.add_argument("--host", help="address to listen on (default: $HOST, else 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: $PORT, else 8000; 0 = any free)")
    add_public_url_option(parser)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (default 1; more than one needs PostgreSQL)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="set up the Kamloops evening of 15 June 2023 as a rehearsal (adds nothing if there)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, host=args.host, port=args.port)
    if args.workers < 1:
        print("roundtable serve: --workers must be 1 or more", file=sys.stderr)
        return 2
    if args.workers > 1 and database_url(settings.database_url).get_backend_name() == "sqlite":
        print(
            "roundtable serve: several workers share the log through PostgreSQL "
            "(--db postgresql://...); on SQLite run one",
            file=sys.stderr,
        )
        return 2
    demo = None
    if args.demo:
        now = now_micros()
        print(asyncio.run(seed.demo(settings, now=now)), flush=True)
        demo = seed.rehearsal(now).meeting_id
    print(asyncio.run(welcome.startup(settings, demo=demo)), flush=True)
    # Comments are a few hundred bytes: compressing each frame costs more CPU than it saves.
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "ws_per_message_deflate": False,
        "ws_max_size": 4 * 1024 * 1024,
        # Every socket is pinged at half the liveness time and closed when the pong is not back
        # by the other half: a tablet gone silent shows not connected on the lead's panel.
        "ws_ping_interval": settings.liveness_seconds / 2,
        "ws_ping_timeout": settings.liveness_seconds / 2,
    }
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    # Each worker process builds its app from the environment: hand it what the options said.
    os.environ.update(settings.environment())
    uvicorn.run("server.app:create_app", factory=True, workers=args.workers, **options)
    return 0
