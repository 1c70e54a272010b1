"""A small HTTP client for the access tests: any method, bearer token, JSON or HTML back."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Any

import orjson

from harness import patience
from harness.servers import Server


def call(
    url: str,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    *,
    method: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """Status and body (decoded JSON, else text) of one request."""
    data = None if body is None else orjson.dumps(body)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=patience.seconds(10)) as response:
            status, raw, kind = response.status, response.read(), response.headers["content-type"]
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers["content-type"]
    return status, orjson.loads(raw) if "json" in kind else raw.decode()


def printed_link(server: Server, marker: str = "signin=") -> str:
    """The first line ``serve`` printed that holds ``marker`` (it prints before it answers)."""
    lines = [line for line in server.output().splitlines() if marker in line]
    assert lines, f"serve printed no line with {marker!r}"
    return lines[0].strip()


def fragment(url: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in url.split("#", 1)[1].split("&"))


def sheet_codes(html: str) -> list[str]:
    return re.findall(r'<span class="code">([A-Z0-9-]+)</span>', html)
