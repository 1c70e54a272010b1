"""Every field has a bound, against a live server: times are clamped (never a reason to lose a
point), ids and texts are refused plainly, odd frames get documented codes, and every tool
that reads the log copes with the values an older version stored.
"""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio
import websockets
from playwright.async_api import Browser

from client.live import CommandRefused, LiveClient
from events.log.store import EventStore
from harness.browser import page_url
from harness.cli import roundtable
from harness.present_page import stored_session
from harness.servers import Server, evening, evening_server, serve, token

RAW_TYPED_AT = (-1, 0, 2**62, -(2**62))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("bounds")) as served:
        yield served


@pytest_asyncio.fixture
async def tablet(server: tuple[Server, str]) -> AsyncIterator[LiveClient]:
    running, meeting_id = server
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as client:
        yield client


async def _opened_at(db: str, meeting_id: str) -> int:
    async with EventStore(db) as store:
        records = await store.read_stream(f"meeting-{meeting_id}")
    return next(orjson.loads(r.data or b"{}")["at"] for r in records if r.type == "MeetingOpened")


@pytest.mark.asyncio
async def test_typed_at_is_clamped_into_the_opening_and_the_arrival_never_refused(
    server: tuple[Server, str], tablet: LiveClient
) -> None:
    running, meeting_id = server
    opened = await _opened_at(running.db, meeting_id)
    for n, typed_at in enumerate((*RAW_TYPED_AT, 2**63 - 1, -(2**63))):
        point = {"comment_id": f"t-{n}", "question": "coordination", "text": f"Point {n}"}
        ack = await tablet.command("add_comment", {**point, "typed_at": typed_at})
        await tablet.wait_for_position(ack["position"])
        (event,) = [e for e in tablet.events if e["position"] == ack["position"]]
        assert opened <= event["data"]["typed_at"] <= event["recorded_at"]
        assert event["data"]["clamped"] is True
    ack = await tablet.command(
        "add_comment",
        {"comment_id": "t-ok", "question": "coordination", "text": "On time", "typed_at": opened},
    )
    await tablet.wait_for_position(ack["position"])
    (event,) = [e for e in tablet.events if e["position"] == ack["position"]]
    assert (event["data"]["typed_at"], event["data"]["clamped"]) == (opened, False)
    for bad in (2**63, 2**64 - 1, 1.5, "1686880000000000", True):
        with pytest.raises(CommandRefused) as refused:
            await tablet.command(
                "add_comment",
                {"comment_id": "t-bad", "question": "coordination", "text": "x", "typed_at": bad},
            )
        assert refused.value.code == "invalid_field", bad


BAD_IDS = ["a\x00b", "a\nb", "a\u202eb", "a\u2028b", "<b>x</b>", "x" * 65, "", "é", "a b"]


@pytest.mark.asyncio
@pytest.mark.parametrize("bad", BAD_IDS)
async def test_an_id_of_other_characters_or_length_is_refused(tablet: LiveClient, bad: str) -> None:
    point = {"comment_id": bad, "question": "coordination", "text": "A point"}
    with pytest.raises(CommandRefused) as refused:
        await tablet.command("add_comment", point)
    assert refused.value.code == "invalid_field"
    parent = {"comment_id": "p-ok", "question": "coordination", "text": "x", "parent": bad}
    with pytest.raises(CommandRefused) as refused:
        await tablet.command("add_comment", parent)
    assert refused.value.code == "invalid_field"


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["\u200b", "\u200b \u200b", "\ufeff\u2060", "\u3164", " \u200d "])
async def test_text_of_invisible_characters_only_is_refused(tablet: LiveClient, text: str) -> None:
    point = {"comment_id": "invisible", "question": "coordination", "text": text}
    with pytest.raises(CommandRefused) as refused:
        await tablet.command("add_comment", point)
    assert refused.value.code == "invalid_text"
    assert "needs some text that shows" in str(refused.value)


class Raw:
    """A bare socket after hello: frames in, messages out, in order."""

    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket

    async def next(self, kind: str) -> dict[str, Any]:
        async with asyncio.timeout(20):
            while True:
                message = orjson.loads(await self.socket.recv())
                if message["type"] == kind:
                    return dict(message)


@pytest_asyncio.fixture
async def raw(server: tuple[Server, str]) -> AsyncIterator[Raw]:
    running, meeting_id = server
    async with websockets.connect(running.ws) as socket:
        hello = {"type": "hello", "token": token(meeting_id, "facilitator", 1)}
        await socket.send(orjson.dumps(hello).decode())
        connection = Raw(socket)
        await connection.next("state")
        yield connection


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("client_time", "echoed"),
    [
        (1686880000000000, 1686880000000000),
        (12.5, 12.5),
        ("yesterday", None),
        (True, None),
        ({"a": 1}, None),
        (_nested(3), None),
    ],
)
async def test_pong_echoes_client_time_only_when_it_is_a_number(
    raw: Raw, client_time: Any, echoed: Any
) -> None:
    ping = {"type": "ping", "id": "p-1", "client_time": client_time}
    await raw.socket.send(orjson.dumps(ping).decode())
    pong = await raw.next("pong")
    assert (pong["id"], pong["client_time"]) == ("p-1", echoed)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("number", "code", "echoed"),
    [
        ("-9223372036854775809", "invalid_field", "c-big"),  # read as a float: not an int64
        ("18446744073709551616", "invalid_field", "c-big"),
        ("1e400", "not_json", None),  # JSON the server cannot read as a number at all
    ],
)
async def test_a_number_beyond_64_bits_is_refused(
    raw: Raw, number: str, code: str, echoed: str | None
) -> None:
    data = f'{{"comment_id": "big", "question": "coordination", "text": "x", "typed_at": {number}}}'
    await raw.socket.send(
        f'{{"type": "command", "id": "c-big", "name": "add_comment", "data": {data}}}'
    )
    error = await raw.next("error")
    assert (error["id"], error["code"]) == (echoed, code)


@pytest.mark.asyncio
async def test_deep_or_wide_messages_are_refused_before_anything_is_built(raw: Raw) -> None:
    deep = "[" * 255 + "1" + "]" * 255  # deeper than orjson itself would write
    for frame in (
        f'{{"type": "ping", "id": "p-2", "client_time": {deep}}}',
        orjson.dumps({"type": "command", "id": "c-9", "name": "x", "data": {"x": _nested(5)}}),
        orjson.dumps({"type": "ping", "id": "p-3", "client_time": list(range(1001))}),
    ):
        await raw.socket.send(frame if isinstance(frame, str) else frame.decode())
        error = await raw.next("error")
        assert (error["id"], error["code"]) == (None, "bad_message")
    await raw.socket.send(orjson.dumps({"type": "ping", "id": "p-4"}).decode())
    assert (await raw.next("pong"))["id"] == "p-4"  # the connection goes on


@pytest.mark.asyncio
async def test_a_text_frame_that_is_not_utf8_gets_not_json_and_the_connection_goes_on(
    server: tuple[Server, str], raw: Raw
) -> None:
    running, _ = server
    async with raw.socket.send_context():  # a text frame a buggy client would send
        raw.socket.protocol.send_text(b'{"type": "ping", "id": "\xff\xfe"}')
    error = await raw.next("error")
    assert (error["id"], error["code"]) == (None, "not_json")
    await raw.socket.send(orjson.dumps({"type": "ping", "id": "after"}).decode())
    assert (await raw.next("pong"))["id"] == "after"
    assert "Invalid UTF-8" not in running.output()


def _get(url: str, host: str) -> int:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 421),
        ("evil.example:8000", 421),
        ("tablet.test.evil.example", 421),
        ("tablet.test", 200),  # the tests' --allowed-host (harness/servers.py)
        ("localhost", 200),
        ("app.localhost", 200),
        ("127.0.0.1", 200),
        ("[::1]", 200),
        ("192.168.1.20:8000", 200),
    ],
)
def test_a_request_for_a_name_the_server_does_not_answer_to_is_refused(
    server: tuple[Server, str], host: str, status: int
) -> None:
    running, _ = server
    assert _get(f"{running.base}/healthz", host) == status
    assert _get(f"{running.base}/table", host) == status


@pytest.mark.asyncio
async def test_a_websocket_for_a_rebound_name_is_refused(server: tuple[Server, str]) -> None:
    running, _ = server
    port = int(running.base.rsplit(":", 1)[1])
    rebound = f"ws://evil.example:{port}/ws"  # the name, re-pointed at this server's address
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(
            rebound, host="127.0.0.1", port=port, origin=f"http://evil.example:{port}"
        ):
            pass
    assert refused.value.response.status_code == 403


# ---- an older log ------------------------------------------------------------------------


def _store_as_an_older_version(db: str, meeting_id: str) -> None:
    """Rewrite the stored ``CommentAdded`` rows of table 1 as a version without the bounds
    would have written them: raw ``typed_at`` values, no ``clamped``, a line break kept."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT position, data FROM events WHERE type = 'CommentAdded' AND stream_id = ? "
            "ORDER BY position",
            (f"table-{meeting_id}-1",),
        ).fetchall()
        assert len(rows) == len(RAW_TYPED_AT)
        for (position, data), typed_at in zip(rows, RAW_TYPED_AT, strict=True):
            fields = orjson.loads(data)
            fields.pop("clamped")
            fields["typed_at"] = typed_at
            fields["text"] = fields["text"] + "\nsecond line"
            stored = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
            connection.execute("UPDATE events SET data = ? WHERE position = ?", (stored, position))


@pytest.fixture(scope="module")
def older_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    logs = tmp_path_factory.mktemp("older")
    db = str(logs / "evening.db")
    meeting_id = evening(db)

    async def type_the_evening(running: Server) -> None:
        async with (
            LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet,
            LiveClient(running.ws, token(meeting_id, "lead")) as lead,
        ):
            for n in range(len(RAW_TYPED_AT)):
                point = {"comment_id": f"old-{n}", "question": "advocacy", "text": f"Old {n}"}
                await tablet.command("add_comment", point)
            await lead.command("send_message", {"text": "<b>*Back*</b> at [8](x) | `now`"})

    with serve(db, logs=logs) as running:
        asyncio.run(type_the_evening(running))
    _store_as_an_older_version(db, meeting_id)
    with serve(db, logs=logs) as running:
        yield running, meeting_id


def test_stats_replay_and_export_read_an_older_log(
    older_log: tuple[Server, str], tmp_path: Path
) -> None:
    running, meeting_id = older_log
    db, meeting = ("--db", running.db), ("--meeting", meeting_id)
    stats = roundtable("stats", *db, *meeting, "--format", "json")
    assert stats.returncode == 0, stats.stderr
    table = next(t for t in orjson.loads(stats.stdout)["tables"] if t["table"] == 1)
    assert table["comments"] == len(RAW_TYPED_AT)
    assert len(table["busiest"]) <= 3

    with sqlite3.connect(running.db) as connection:
        (last,) = connection.execute("SELECT max(position) FROM events").fetchone()
    replay = roundtable("replay", *db, *meeting, "--position", str(last), "--format", "md")
    assert replay.returncode == 0, replay.stderr
    assert "Old 0 second line" in replay.stdout
    assert "To the tablets at" in replay.stdout
    assert "\\<b\\>\\*Back\\*\\</b\\> at \\[8\\](x) \\| \\`now\\`" in replay.stdout
    assert "<b>" not in replay.stdout

    for form in ("md", "csv", "json", "html"):
        out = tmp_path / f"report.{form}"
        done = roundtable("export", *db, *meeting, "--format", form, "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "Old 3" in out.read_text()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_replay_page_reads_an_older_log(
    browser: Browser, older_log: tuple[Server, str]
) -> None:
    running, meeting_id = older_log
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    await context.add_init_script(stored_session(meeting_id, "staff", "staff-older"))
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(page_url(running, f"/replay?meeting={meeting_id}"))
    await page.wait_for_selector('#replay[data-state="ready"]', timeout=20_000)
    await page.get_by_text("Old 3 second line", exact=False).first.wait_for(timeout=20_000)
    assert errors == []
    await context.close()
