"""The server's limits against a real uvicorn: a reader that stopped reading, half-sent requests,
a flood of wrong join codes, a thousand tablets joining (docs/reliability.md)."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import logging
import os
import resource
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from client.live import LiveClient
from client.stalled import Stalled
from harness import patience
from harness.access_client import call, sheet_codes
from harness.servers import Server, evening, serve, token
from server.cli.logs import Repeats
from server.gate import UNGREETED

Message = dict[str, Any]
Inbox = asyncio.Queue[Message]


@pytest.fixture
def evening_db(tmp_path: Path) -> tuple[str, str]:
    db = str(tmp_path / "evening.db")
    return db, evening(db, minutes_ago=25)


@contextlib.asynccontextmanager
async def reading(url: str, grant: str) -> AsyncIterator[tuple[ClientConnection, Inbox]]:
    """A device that reads everything pushed to it, as it comes, into a queue."""
    async with websockets.connect(url, max_size=None) as connection:
        await connection.send(orjson.dumps({"type": "hello", "token": grant}).decode())
        inbox: Inbox = asyncio.Queue()

        async def pump() -> None:
            async for frame in connection:
                inbox.put_nowait(orjson.loads(frame))

        task = asyncio.create_task(pump())
        try:
            yield connection, inbox
        finally:
            task.cancel()


async def watch_presence(inbox: Inbox, device_id: str, online: bool) -> None:
    """Until the lead's device list says ``device_id`` is (or is no longer) online."""
    async with asyncio.timeout(120):
        while True:
            message = await inbox.get()
            listed = message["devices"] if message["type"] == "presence" else []
            changed = [message["device"]] if message["type"] == "device" else []
            found = [d for d in listed + changed if d["device_id"] == device_id]
            if found and found[0]["online"] is online:
                return


@pytest.mark.asyncio
async def test_a_reader_that_stops_reading_is_closed_and_resumes(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    # The keepalive would close a socket that answers no ping within LIVENESS_SECONDS: here
    # it is long, so what closes it is the bound on what waits for it.
    env = {"SEND_BUFFER_BYTES": "65536", "LIVENESS_SECONDS": "600"}
    with serve(db, logs=tmp_path, env=env) as running:
        lead = token(meeting_id, "lead", device="lead-watching")
        async with (
            contextlib.AsyncExitStack() as stack,
            reading(running.ws, lead) as (_, watching),
            LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet,
        ):
            stalled = Stalled(running.ws, token(meeting_id, "lead", device="lead-stalled"))
            stack.callback(stalled.close)
            await watch_presence(watching, "lead-stalled", True)
            gone = asyncio.create_task(watch_presence(watching, "lead-stalled", False))
            typed = []
            text = "a long point about detox and treatment beds " * 40  # about 1,800 bytes
            while not gone.done():
                assert len(typed) < 3000, "the stalled lead was never closed"
                typed.append(f"c-{len(typed)}")
                ack = await tablet.command(
                    "add_comment",
                    {"comment_id": typed[-1], "question": "coordination", "text": text},
                )
            await gone
            last = ack["position"]
            read, close = await asyncio.to_thread(stalled.drain)
            assert close is not None, "the close frame never came"
            assert close.data[:2] == (1013).to_bytes(2, "big")
            assert b"too far behind" in close.data
            seen = [m["data"]["comment_id"] for m in read if m.get("event_type") == "CommentAdded"]
            assert seen == typed[: len(seen)]
            assert len(seen) < len(typed)
            after = max((m["position"] for m in read if m["type"] == "event"), default=0)
            async with websockets.connect(running.ws, max_size=None) as resumed:
                hello = {"type": "hello", "token": token(meeting_id, "lead", device="lead-stalled")}
                await resumed.send(orjson.dumps({**hello, "resume": after}).decode())
                caught_up: list[str] = []
                async with asyncio.timeout(60):
                    while True:
                        message = orjson.loads(await resumed.recv())
                        if message["type"] == "welcome":
                            assert message["resumed"] is True
                        if message.get("event_type") == "CommentAdded":
                            caught_up.append(message["data"]["comment_id"])
                        if message.get("position") == last and message["type"] == "event":
                            break
            assert seen + caught_up == typed  # every comment once, in order
        assert running.output().count("fell behind its pushes") == 1


@pytest.mark.asyncio
async def test_a_reader_that_stalls_within_its_bound_gets_every_frame_once_in_order(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    """A lead whose page stops reading for a while, but not past what may wait for it: the
    socket fills and uvicorn pauses the server's sends (about 3 MB are typed meanwhile), and
    once the page reads again it gets every comment once, in order, without being closed."""
    db, meeting_id = evening_db
    env = {"SEND_BUFFER_BYTES": str(16 * 1024 * 1024), "LIVENESS_SECONDS": "600"}
    with serve(db, logs=tmp_path, env=env) as running:
        stalled = Stalled(running.ws, token(meeting_id, "lead", device="lead-stalled"))
        try:
            async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet:
                typed = [f"c-{n}" for n in range(1500)]
                text = "a long point about detox and treatment beds " * 40  # about 1,800 bytes
                for comment_id in typed:  # about 3 MB to the lead, who reads nothing meanwhile
                    ack = await tablet.command(
                        "add_comment",
                        {"comment_id": comment_id, "question": "coordination", "text": text},
                    )
            last = ack["position"]
            read = await asyncio.to_thread(
                stalled.read_until, lambda m: m["type"] == "event" and m["position"] == last
            )
        finally:
            stalled.close()
        seen = [m["data"]["comment_id"] for m in read if m.get("event_type") == "CommentAdded"]
        assert seen == typed
        positions = [m["position"] for m in read if m["type"] == "event"]
        assert positions == sorted(set(positions))
        assert "fell behind its pushes" not in running.output()


@pytest.mark.asyncio
async def test_a_device_resuming_after_more_than_its_send_buffer_catches_up(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    """What a resuming device missed may be more than ``SEND_BUFFER_BYTES``: it is sent in
    steps as the device reads, not closed with 1013 (which made it resume and fall behind
    again, for ever)."""
    db, meeting_id = evening_db
    env = {"SEND_BUFFER_BYTES": "65536", "LIVENESS_SECONDS": "600"}
    with serve(db, logs=tmp_path, env=env) as running:
        async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet:
            text = "a long point about detox and treatment beds " * 40  # about 1,800 bytes
            typed = [f"c-{n}" for n in range(60)]  # about 190 KB of events
            data = {"question": "coordination", "text": text}
            acks = [
                await tablet.command("add_comment", {**data, "comment_id": typed_id})
                for typed_id in typed
            ]
        hello = {"type": "hello", "token": token(meeting_id, "lead", device="lead-back")}
        async with websockets.connect(running.ws, max_size=None) as resumed:
            await resumed.send(orjson.dumps({**hello, "resume": acks[0]["position"] - 1}).decode())
            caught_up: list[str] = []
            position = 0
            async with asyncio.timeout(patience.seconds(60)):
                while position < acks[-1]["position"]:
                    message = orjson.loads(await resumed.recv())
                    if message["type"] == "event":
                        position = message["position"]
                        if message["event_type"] == "CommentAdded":
                            caught_up.append(message["data"]["comment_id"])
        assert caught_up == typed  # every comment once, in order
        assert "fell behind its pushes" not in running.output()


def _half_sent(port: int) -> socket.socket:
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b"GET /healthz HTTP/1.1\r\nHost: venue\r\n")  # and never the blank line
    return half


def _cut(connection: socket.socket) -> bool:
    connection.settimeout(30)
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


def test_half_sent_requests_push_out_the_oldest_and_tablets_go_on(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))  # a shell's usual
    try:
        started = serve(db, logs=tmp_path)
        running = started.__enter__()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    try:
        limits = Path(f"/proc/{running.process.pid}/limits").read_text()
        (line,) = [row for row in limits.splitlines() if row.startswith("Max open files")]
        assert line.split()[3] == line.split()[4]  # soft raised to hard
        port = int(running.base.rsplit(":", 1)[1])
        held = [_half_sent(port) for _ in range(300)]
        status, body = call(f"{running.base}/healthz")
        assert (status, body["status"]) == (200, "ok")
        _, sheets = call(
            f"{running.base}/api/meetings/{meeting_id}/join-sheets", token(meeting_id, "lead")
        )
        joined = call(
            f"{running.base}/api/join", body={"meeting": meeting_id, "code": sheet_codes(sheets)[0]}
        )
        assert joined[0] == 200
        assert all(_cut(h) for h in held[:40])  # the oldest went (256 unfinished at most)
        assert all(_cut(h) for h in held[-200:])  # the newest, at their headers' deadline
        for half in held:
            half.close()
        running.process.terminate()
        running.process.wait(timeout=15)
        assert running.output().count("too many unfinished requests") == 1
        assert running.output().count("request headers not sent within 10 s") == 1
    finally:
        started.__exit__(None, None, None)


@pytest.mark.asyncio
async def test_sockets_that_never_say_hello_are_pushed_out_or_cut_at_the_deadline(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    extra = 40
    # Long enough that the first sockets are still waiting when the last connect (a loaded
    # machine takes more than the default 10 s to open 552).
    deadline = patience.seconds(10)
    hello = {"HELLO_SECONDS": str(deadline)}
    with serve(db, logs=tmp_path, env=hello) as running:
        silent = [await websockets.connect(running.ws) for _ in range(UNGREETED + extra)]
        async with _connected(running.ws, token(meeting_id, "facilitator", 1)):
            pass  # a tablet arriving now is welcomed (it pushes out one more silent socket)
        ends = await asyncio.gather(*(_refusal(connection) for connection in silent))
        pushed = [n for n, (message, _) in enumerate(ends) if message.startswith("too many")]
        assert len(pushed) == extra + 1
        assert set(range(extra // 2)) <= set(pushed)  # the oldest went (connection order)
        late = [message for message, _ in ends if message.startswith("no hello")]
        assert len(late) == UNGREETED - 1  # the rest waited for their deadline
        assert set(late) == {f"no hello within {deadline:g} seconds: reconnect"}
        assert {code for _, code in ends} == {1013}  # try again later: a tablet reconnects
        running.process.terminate()
        running.process.wait(timeout=15)
        assert running.output().count("too many waiting to say hello") == 1
        assert running.output().count(f"no hello within {deadline:g} s") == 1


async def _refusal(connection: ClientConnection) -> tuple[str, int | None]:
    """The error a socket that never said hello is sent, and the code it is closed with."""
    async with asyncio.timeout(120):
        message = orjson.loads(await connection.recv())
        assert message["code"] == "hello_late"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await connection.recv()
    return message["message"], closed.value.rcvd.code if closed.value.rcvd else None


@contextlib.contextmanager
def from_address(running: Server, address: str) -> Iterator[http.client.HTTPConnection]:
    """HTTP requests from another loopback address (127.0.0.0/8 is all loopback)."""
    host, port = running.base.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), source_address=(address, 0))
    try:
        yield connection
    finally:
        connection.close()


def _join(connection: http.client.HTTPConnection, meeting_id: str, code: str) -> tuple[int, Any]:
    body = orjson.dumps({"meeting": meeting_id, "code": code})
    connection.request("POST", "/api/join", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, orjson.loads(response.read())


def test_a_flood_of_wrong_codes_is_throttled_while_a_right_code_joins(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    with serve(db, logs=tmp_path) as running:
        _, sheets = call(
            f"{running.base}/api/meetings/{meeting_id}/join-sheets", token(meeting_id, "lead")
        )
        right = sheet_codes(sheets)[0]
        tries = 0
        with from_address(running, "127.0.0.2") as flood:
            while True:
                assert tries < 1000, "wrong codes were never throttled"
                status, reply = _join(flood, meeting_id, f"WRNG-{tries:04d}")
                tries += 1
                if status == 429:
                    break
                assert reply["code"] == "join_refused"
            assert reply["code"] == "join_throttled"
            assert reply["message"] == (
                "too many wrong join codes just now: wait 20 s, then scan the sheet again"
            )  # until a tenth of the address's allowance is back
            assert _join(flood, meeting_id, right)[0] == 429  # not even checked from here
        assert tries > 200  # the per-address allowance, and what refilled meanwhile
        with from_address(running, "127.0.0.1") as tablet:
            status, joined = _join(tablet, meeting_id, right)
            assert (status, joined["table"]) == (200, 1)
        throttled = _until_throttled_overall(running, meeting_id)
        with from_address(running, throttled) as mistyped:
            assert _join(mistyped, meeting_id, right)[0] == 429  # it guessed wrong: it waits
        with from_address(running, "127.0.0.99") as tablet:
            assert _join(tablet, meeting_id, right)[0] == 200  # a clean record joins


def _until_throttled_overall(running: Server, meeting_id: str) -> str:
    """Wrong codes from one address after another until one is refused before its own
    allowance is spent: the server's overall bucket is empty. That address."""
    for n in range(3, 40):
        address = f"127.0.0.{n}"
        with from_address(running, address) as flood:
            for tries in range(1, 200):
                status, reply = _join(flood, meeting_id, f"WRNG-{tries:04d}")
                if status == 429:
                    assert tries > 1  # a clean record is checked even then
                    return address
                assert reply["code"] == "join_refused"
    raise AssertionError("the overall bucket never ran dry")


def test_x_forwarded_for_counts_only_from_the_configured_proxy(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    with serve(db, "--trusted-proxy", "127.0.0.7", logs=tmp_path) as running:
        _, sheets = call(
            f"{running.base}/api/meetings/{meeting_id}/join-sheets", token(meeting_id, "lead")
        )
        right = sheet_codes(sheets)[0]
        for sender in ("127.0.0.7", "127.0.0.8"):  # the proxy, then someone claiming to be
            with from_address(running, sender) as connection:
                for n in range(1000):
                    body = orjson.dumps({"meeting": meeting_id, "code": f"WRNG-{n:04d}"})
                    headers = {"X-Forwarded-For": "10.0.0.9"}
                    connection.request("POST", "/api/join", body, headers)
                    response = connection.getresponse()
                    response.read()
                    if response.status == 429:
                        break
                connection.request(
                    "POST",
                    "/api/join",
                    orjson.dumps({"meeting": meeting_id, "code": right}),
                    {"X-Forwarded-For": "10.0.0.10"},
                )
                status = connection.getresponse().status
            # through the proxy, 10.0.0.10 is not 10.0.0.9; from elsewhere the header is
            # ignored and the sender itself was throttled
            assert status == (200 if sender == "127.0.0.7" else 429)


@pytest.mark.asyncio
async def test_a_thousand_tablets_joining_cost_the_lead_one_message_each(
    evening_db: tuple[str, str], tmp_path: Path
) -> None:
    db, meeting_id = evening_db
    # This one process holds a thousand sockets: on a loaded machine it can take longer than
    # the default 6 s to answer the server's pings, which would close them (1011).
    liveness = {"LIVENESS_SECONDS": str(patience.seconds(6))}
    with serve(db, logs=tmp_path, env=liveness) as running:
        async with (
            reading(running.ws, token(meeting_id, "lead")) as lead,
            contextlib.AsyncExitStack() as tablets,
        ):
            for n in range(1000):  # one after another: one change each
                grant = token(meeting_id, "facilitator", n % 4 + 1, f"tablet-{n:04d}")
                await tablets.enter_async_context(_connected(running.ws, grant))
            device_lists = await _device_lists_until_marker(lead)
        # the lead's own arrival, then one per tablet (whatever the list's shape, issue 19's)
        assert len(device_lists) == 1001


@contextlib.asynccontextmanager
async def _connected(url: str, grant: str) -> AsyncIterator[None]:
    async with websockets.connect(url) as connection:
        await connection.send(orjson.dumps({"type": "hello", "token": grant}).decode())
        while orjson.loads(await connection.recv())["type"] != "state":
            pass
        yield


NOT_DEVICES = frozenset({"welcome", "state", "heartbeat", "event", "themes", "suggestions"})


async def _device_lists_until_marker(lead: tuple[ClientConnection, Inbox]) -> list[Message]:
    """The lead's device-list messages so far: everything before the answer to a ping sent
    now (the server queues a device's push to the lead before that device's ``state``)."""
    connection, inbox = lead
    marker = f"marker-{os.getpid()}"
    await connection.send(orjson.dumps({"type": "ping", "id": marker, "client_time": 0}))
    found = []
    async with asyncio.timeout(60):
        while True:
            message = await inbox.get()
            if message["type"] == "pong" and message["id"] == marker:
                return found
            if message["type"] not in NOT_DEVICES:
                found.append(message)


def test_a_repeated_failure_is_written_once_per_interval_with_a_count() -> None:
    now = [0.0]
    repeats = Repeats(interval=60, clock=lambda: now[0])

    def line(message: str) -> str | None:
        record = logging_record(message)
        return record.getMessage() if repeats.filter(record) else None

    assert line("accept failed: %s") == "accept failed: x"
    assert [line("accept failed: %s") for _ in range(999)] == [None] * 999
    assert line("something else %s") == "something else x"
    now[0] = 61.0
    assert line("accept failed: %s") == ("accept failed: x (and 999 more like it in the last 60 s)")


def logging_record(message: str) -> logging.LogRecord:
    return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, message, ("x",), None)
