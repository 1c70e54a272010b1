"""``roundtable simulate``: play facilitators typing into a running server."""

from __future__ import annotations

import argparse
import asyncio
import base64
from pathlib import Path
from typing import Any

import orjson

from client.simulation import simulate
from server.seed import KAMLOOPS


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="play table facilitators typing comments into a running server",
        description=(
            "Play facilitators typing the comments of a meeting file (default: the Kamloops "
            "evening) into a running server, one websocket per table, at RATE comments per "
            "second per table. Needs a lead token (it writes to every table). Playing the "
            "same file twice adds nothing."
        ),
    )
    parser.add_argument(
        "--url", required=True, help="the server's websocket URL, ws://HOST:PORT/ws"
    )
    parser.add_argument("--token", required=True, help="a lead's device token")
    parser.add_argument("--tables", type=int, help="only tables 1..N (default: all)")
    parser.add_argument(
        "--rate", type=float, default=2.0, help="comments/s per table (0: flat out)"
    )
    parser.add_argument("--file", type=Path, default=KAMLOOPS, help="meeting file with comments")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    meeting = orjson.loads(args.file.read_bytes())
    meeting_id = _meeting_of(args.token)
    total = sum(1 for c in meeting["comments"] if args.tables is None or c["table"] <= args.tables)
    acked = asyncio.run(simulate(args.url, args.token, meeting, meeting_id, args.tables, args.rate))
    print(f"typed {acked} of {total} comments into meeting {meeting_id}")
    return 0 if acked == total else 1


def _meeting_of(token: str) -> str:
    """The meeting a token is for (its payload is readable; only the server can check it)."""
    body = token.split(".")[0]
    return str(orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["meeting_id"])
