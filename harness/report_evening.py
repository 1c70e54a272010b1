"""The Kamloops evening made into a summary report the way staff make it, against a real server.

Facilitators type every comment through the websocket protocol (``client.simulation``), a
typo is corrected and a stray point retracted, the lead closes the meeting, and staff enter
the 40 key themes of the published report, the front matter and a redaction over HTTP.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import orjson

from client.live import LiveClient
from client.simulation import comment_id, simulate
from harness import patience
from harness.servers import Server, token
from server.seed import KAMLOOPS

DATA: dict[str, Any] = orjson.loads(KAMLOOPS.read_bytes())
"""The Kamloops data file, as shipped in ``server/templates`` (facts in tests/data/README.md)."""
FORMATS = ("md", "html", "docx", "csv", "json")
GEORGE = next(c for c in DATA["comments"] if "George" in c["text"])
"""The comment that names a private person: staff redact it."""
TYPO = DATA["comments"][5]
"""A comment typed with a typo first, then corrected to the data file's text."""
REASON = "names a private person"
INTRO = "The Safe and Secure Kamloops Network met on 15 June 2023.\n\nFour topics, four tables."
STEPS = "Staff will bring the key themes to Council."


def fetch(
    url: str, token: str | None = None, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body bytes of one request (a POST when ``body`` is given)."""
    data = None if body is None else orjson.dumps(body)
    request = urllib.request.Request(url, data=data)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=patience.seconds(30)) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def staff_command(
    server: Server, meeting_id: str, name: str, data: dict[str, Any], *, who: str = "staff"
) -> tuple[int, Any]:
    url = f"{server.base}/api/meetings/{meeting_id}/report/commands"
    status, _, body = fetch(url, token(meeting_id, who), {"name": name, "data": data})  # type: ignore[arg-type]
    return status, orjson.loads(body)


def ok(server: Server, meeting_id: str, name: str, data: dict[str, Any]) -> Any:
    status, body = staff_command(server, meeting_id, name, data)
    assert status == 200, body
    return body


def download(server: Server, meeting_id: str, fmt: str, version: int | None = None) -> bytes:
    query = f"?version={version}" if version else ""
    url = f"{server.base}/api/meetings/{meeting_id}/report/export/{fmt}{query}"
    status, _, body = fetch(url, token(meeting_id, "staff"))
    assert status == 200, body
    return body


async def type_evening(url: str, meeting_id: str) -> None:
    """Every comment typed at its table; one typed wrong and corrected; a stray point retracted."""
    lead = token(meeting_id, "lead")
    assert await simulate(url, lead, DATA, meeting_id, None, 0) == len(DATA["comments"])
    typo = {"comment_id": comment_id(meeting_id, TYPO["id"]), "table": TYPO["table"]}
    stray = {
        "comment_id": "stray-point",
        "question": "advocacy",
        "text": "Testing, testing",
        "parent": None,
        "table": 2,
    }
    async with LiveClient(url, lead) as client:
        await client.command("edit_comment", {**typo, "text": "Al service providres"})
        await client.command("edit_comment", {**typo, "text": TYPO["text"]})
        await client.command("add_comment", stray, command_id="stray-point")
        await client.command("retract_comment", {"comment_id": "stray-point", "table": 2})


async def close_meeting(url: str, meeting_id: str) -> None:
    async with LiveClient(url, token(meeting_id, "lead")) as client:
        await client.command("close_meeting", {})


def enter_key_themes(server: Server, meeting_id: str) -> None:
    """The 40 key themes of the published report; one question's typed in reverse, then
    put in order, as staff reorder them."""
    first_scope = (DATA["key_themes"][0]["topic"], DATA["key_themes"][0]["question"])
    ids = [f"kt-{n:02d}" for n in range(len(DATA["key_themes"]))]
    indexed = list(zip(ids, DATA["key_themes"], strict=True))
    scoped = [pair for pair in indexed if (pair[1]["topic"], pair[1]["question"]) == first_scope]
    others = [pair for pair in indexed if pair not in scoped]
    for kid, theme in [*reversed(scoped), *others]:
        data = {k: theme[k] for k in ("topic", "question", "text")}
        ok(server, meeting_id, "write_key_theme", {"key_theme_id": kid, **data})
    order = {"topic": first_scope[0], "question": first_scope[1]}
    ok(server, meeting_id, "order_key_themes", {**order, "key_theme_ids": [k for k, _ in scoped]})


def write_report(server: Server, meeting_id: str) -> None:
    """Key themes, front matter and the redaction, as staff enter them after the evening."""
    enter_key_themes(server, meeting_id)
    ok(server, meeting_id, "set_front_matter", {"part": "intro", "text": INTRO})
    george = {"table": GEORGE["table"], "comment_id": comment_id(meeting_id, GEORGE["id"])}
    ok(server, meeting_id, "redact_comment", {**george, "reason": REASON})
