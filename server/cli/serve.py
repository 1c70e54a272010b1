"""``roundtable serve``: run the server (uvicorn) on the configured store."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from events.log.store import database_url, now_micros
from server import gate, seed
from server.addresses import http_url
from server.app import create_app
from server.cli import logs, welcome
from server.cli.options import add_db_option, add_public_url_option, settings_from
from server.failures import NetworkFailure, UsageError
from server.live.websocket_frames import WebSocketProtocol
from server.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Roundtable server",
        description="Run the Roundtable server. HOST defaults to loopback (127.0.0.1).",
    )
    add_db_option(parser, creates=True)
    parser.add_argument("--host", help="address to listen on (default: $HOST, else 127.0.0.1)")
    parser.add_argument(
        "--port", type=port_number, help="port (default: $PORT, else 8000; 0 = any free)"
    )
    add_public_url_option(parser)
    parser.add_argument(
        "--trusted-proxy",
        metavar="ADDRESSES",
        help="the reverse proxy (addresses, comma-separated) whose X-Forwarded-For is "
        "believed (default: $TRUSTED_PROXY, else nobody's)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        metavar="NAME",
        help="a further name browsers may use for this server (repeatable; default: "
        "$ALLOWED_HOSTS, comma-separated). PUBLIC_URL's host, localhost and IP addresses "
        "always work; any other name is refused (DNS rebinding)",
    )
    parser.add_argument(
        "--workers",
        type=positive,
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
    allowed = tuple(args.allowed_host) if args.allowed_host else None
    settings = settings_from(
        args,
        host=args.host,
        port=args.port,
        trusted_proxy=args.trusted_proxy,
        allowed_hosts=allowed,
    )
    if args.workers > 1 and database_url(settings.database_url).get_backend_name() == "sqlite":
        raise UsageError(
            "several workers share the log through PostgreSQL (--db postgresql://...); "
            "on SQLite run one"
        )
    # The port is taken before anything is printed: links to a server that cannot start
    # (another one has the port) would carry join codes that the running one refuses.
    with listen(settings.host, settings.port) as sock:
        serve(args, settings.override(port=sock.getsockname()[1]), sock)  # --port 0: the one given
    return 0


def serve(args: argparse.Namespace, settings: Settings, sock: socket.socket) -> None:
    """Print what to open, then serve on ``sock`` until stopped."""
    demo = None
    if args.demo:
        now = now_micros()
        print(asyncio.run(seed.demo(settings, now=now)), flush=True)
        demo = seed.rehearsal(now).meeting_id
    print(asyncio.run(welcome.startup(settings, demo=demo)), flush=True)
    print(f"Roundtable is listening on {http_url(settings.host, settings.port)} (Ctrl-C stops it)")
    gate.raise_file_limit()  # inherited by the worker processes
    # Comments are a few hundred bytes: compressing each frame costs more CPU than it saves.
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "log_config": logs.log_config(),
        "ws_per_message_deflate": False,
        "ws_max_size": 4 * 1024 * 1024,
        # Every socket is pinged at half the liveness time and closed when the pong is not back
        # by the other half: a tablet gone silent shows not connected on the lead's panel.
        "ws_ping_interval": settings.liveness_seconds / 2,
        "ws_ping_timeout": settings.liveness_seconds / 2,
        "http": gate.GuardedHttp,
        "ws": WebSocketProtocol,
        # X-Forwarded-For names the client only when the configured proxy sent it.
        "proxy_headers": settings.trusted_proxy is not None,
        "forwarded_allow_ips": settings.trusted_proxy or "",
    }
    if args.workers == 1:
        uvicorn.Server(uvicorn.Config(create_app(settings), **options)).run(sockets=[sock])
        return
    # Each worker process builds its app from the environment: hand it what the options said.
    os.environ.update(settings.environment())
    config = uvicorn.Config("server.app:create_app", factory=True, workers=args.workers, **options)
    Multiprocess(config, sockets=[sock]).run()


def port_number(text: str) -> int:
    """``--port``: 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 0 to 65535")
    return int(text)


def positive(text: str) -> int:
    """``--workers``: 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give 1 or more")
    return int(text)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for uvicorn to serve on, or the reason there is none.

    It is made with its protocol named (``IPPROTO_TCP``), not left at 0: asyncio switches
    Nagle's algorithm off (``TCP_NODELAY``) only on connections whose socket says TCP, and
    a connection accepted here inherits the protocol. With Nagle on, a frame written while
    the tablet had not yet acknowledged the last one waited for the tablet's delayed
    acknowledgement: 40 ms on Linux, the tail of every ack and delivery (docs/benchmarks.md,
    "Nagle's algorithm")."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        where = http_url(host, port)
        if error.errno == errno.EADDRINUSE:
            raise NetworkFailure(
                f"{where} is already in use (is Roundtable already running?): stop the other "
                "server, or give another --port"
            ) from None
        if error.errno == errno.EACCES:
            raise NetworkFailure(
                f"{where}: ports below 1024 need root; give --port 8000 or above"
            ) from None
        raise NetworkFailure(
            f"cannot listen on {where}: {error.strerror or error}; check --host (this machine's "
            "own address, 127.0.0.1, or 0.0.0.0 for every network)"
        ) from None
    sock.set_inheritable(True)
    return sock
