"""``roundtable simulate``: play facilitators typing into a running server.

It takes what a person has at hand: the lead's sign-in link that ``serve`` or ``link``
printed, or a device token, and the server's address in any of its spellings. Before typing
it asks the server over HTTP, each question bounded by ``TIMEOUT``, whether it is there and
whom the token belongs to, so a wrong address or token fails in seconds, in one line.
"""

from __future__ import annotations

import argparse
import asyncio
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from client.simulation import simulate
from server.failures import Failure, FileFailure, NetworkFailure, UsageError, file_failure
from server.seed import KAMLOOPS

TIMEOUT = 5.0
"""Seconds to wait for each answer before saying that nothing answers."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="play table facilitators typing comments into a running server",
        description=(
            "Play facilitators typing the comments of a meeting file (default: the Kamloops "
            "evening) into a running server, one websocket per table, at RATE comments per "
            "second per table. Needs the lead's sign-in link (as serve or link prints it) or a "
            "lead's device token: it writes to every table. Playing the same file twice adds "
            "nothing."
        ),
    )
    parser.add_argument(
        "--url",
        help="the server, http://HOST:PORT (or ws://HOST:PORT/ws); default: the sign-in "
        "link's address",
    )
    parser.add_argument(
        "--token", required=True, metavar="LINK-or-TOKEN", help="a lead's sign-in link or token"
    )
    parser.add_argument("--tables", type=int, help="only tables 1..N (default: all)")
    parser.add_argument(
        "--rate", type=float, default=2.0, help="comments/s per table (0: flat out)"
    )
    parser.add_argument("--file", type=Path, default=KAMLOOPS, help="meeting file with comments")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    meeting = _meeting_file(args.file)
    base = server_base((args.url or args.token) if "://" in args.token else args.url)
    try:
        health = _call(base, "/healthz")
    except NetworkFailure:
        raise
    except (Failure, orjson.JSONDecodeError):
        health = None
    if not isinstance(health, dict) or health.get("status") != "ok":
        raise NetworkFailure(f"{base} answers, but not as Roundtable does: check --url")
    token = _device_token(base, args.token)
    session = _call(base, "/api/session", token=token)
    if session["role"] != "lead":
        raise Failure(
            f"this is a {session['role']}'s token; simulate types at every table and needs the "
            "lead's: give the sign-in link 'roundtable link --role lead' prints"
        )
    meeting_id = str(session["meeting_id"])
    total = sum(1 for c in meeting["comments"] if args.tables is None or c["table"] <= args.tables)
    ws = base.replace("http", "ws", 1) + "/ws"
    acked = asyncio.run(simulate(ws, token, meeting, meeting_id, args.tables, args.rate))
    print(f"typed {acked} of {total} comments into meeting {meeting_id}")
    return 0 if acked == total else 1


def server_base(url: str | None) -> str:
    """``http://HOST:PORT`` from any spelling of the server's address (http, ws, a page's
    link with its path and fragment)."""
    if not url:
        raise UsageError("give the server's address with --url http://HOST:PORT")
    parts = urlsplit(url)
    scheme = {"http": "http", "ws": "http", "https": "https", "wss": "https"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise UsageError(f"--url {url!r}: give the server's address, http://HOST:PORT")
    return f"{scheme}://{parts.netloc}"


def _device_token(base: str, given: str) -> str:
    """The device token itself, or the one a sign-in link is exchanged for (the link is
    spent, as when a browser opens it)."""
    if "://" not in given:
        return given
    signin = parse_qs(urlsplit(given).fragment).get("signin")
    if not signin:
        raise UsageError("--token: this link is not a sign-in link (it has no #...signin=...)")
    answer = _call(base, "/api/signin", body={"token": signin[0], "label": "simulate"})
    return str(answer["token"])


def _call(
    base: str, path: str, *, token: str | None = None, body: dict[str, Any] | None = None
) -> Any:
    """One request to the server: its JSON answer, or one line saying why there is none."""
    request = urllib.request.Request(
        base + path, data=orjson.dumps(body) if body is not None else None
    )
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        raise Failure(f"the server refused the token: {_refusal(error)}") from None
    except OSError as error:
        reason = getattr(error, "reason", error)
        raise NetworkFailure(
            f"nothing answers at {base} ({reason}): is 'roundtable serve' running there? "
            "check --url"
        ) from None


def _refusal(error: urllib.error.HTTPError) -> str:
    try:
        return str(orjson.loads(error.read())["message"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return f"HTTP {error.code}"


def _meeting_file(path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as error:
        raise file_failure("read", path, error) from None
    except orjson.JSONDecodeError as error:
        raise FileFailure(f"{path} is not JSON ({error}): give a meeting file") from None
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise FileFailure(f"{path} has no list of comments: give a meeting file like Kamloops'")
    return data
