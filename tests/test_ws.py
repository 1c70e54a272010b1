"""The live protocol against a real uvicorn: real websocket clients, a real SQLite file.

One server serves the whole module: each test opens its own connections and names its comments
uniquely (``fresh``), and a client sees only the events that reach it after it connected, so
the tests do not see each other's work."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
import pytest
import pytest_asyncio
import websockets

from client.live import ConnectionRefused, LiveClient
from events.instants import MINUTE, SECOND
from harness import patience
from harness.access_client import call
from harness.servers import SECRET, Server, evening, serve, token
from server.access import join_code

pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("ws")
    db = str(folder / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=folder, env={"HEARTBEAT_SECONDS": "1"}) as running:
        yield running, meeting_id


def fresh(name: str) -> str:
    """A comment id no other test of the module uses (they share one log)."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


class Raw:
    """A plain ``websockets`` connection, for what a well-behaved client would never send."""

    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket
        self.unread: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.socket.send(
            message if isinstance(message, (str, bytes)) else orjson.dumps(message).decode()
        )

    async def next(self, kind: str, event_type: str | None = None) -> dict[str, Any]:
        """The next message of ``kind`` (and ``event_type``); others wait for their turn."""
        async with asyncio.timeout(patience.seconds(10)):
            while True:
                for message in self.unread:
                    if message["type"] == kind and event_type in (None, message.get("event_type")):
                        self.unread.remove(message)
                        return message
                self.unread.append(orjson.loads(await self.socket.recv()))


@pytest_asyncio.fixture
async def raw(server: tuple[Server, str]) -> AsyncIterator[Raw]:
    running, meeting_id = server
    async with websockets.connect(running.ws, max_size=None) as socket:
        connection = Raw(socket)
        await connection.send({"type": "hello", "token": token(meeting_id, "facilitator", 1)})
        await connection.next("state")
        yield connection


def add(cid: str, text: str, question: str = "coordination", **more: object) -> dict[str, Any]:
    return {
        "type": "command",
        "id": str(uuid.uuid4()),
        "name": "add_comment",
        "data": {"comment_id": cid, "question": question, "text": text, **more},
    }


async def test_ack_comes_after_commit_and_the_event_reaches_another_tablet(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with (
        LiveClient(running.ws, token(meeting_id, "facilitator", 1, "tablet-a")) as a,
        LiveClient(running.ws, token(meeting_id, "facilitator", 1, "tablet-b")) as b,
    ):
        cid = fresh("car-40")
        ack = await a.command(
            "add_comment",
            {"comment_id": cid, "question": "coordination", "text": "Car 40", "rotation": 2},
        )
        assert ack["positions"] == [ack["position"]]
        async with asyncio.timeout(patience.seconds(10)):
            await b.wait_for_position(ack["position"])
        (event,) = [e for e in b.events if e["event_type"] == "CommentAdded"]
        assert event["data"]["text"] == "Car 40"
        assert event["data"]["rotation"] == 2
        assert event["data"]["group"] == "D"  # table 1, rotation 2 in the Kamloops plan
        assert event["data"]["late"] is False
        assert event["by"] == "tablet-a"
    # durable: the log holds it (read by another process, the server's)
    from events.log.store import EventStore

    async with EventStore(running.db) as store:
        (record,) = [
            r
            async for r in store.read_all()
            if r.type == "CommentAdded" and r.decode().comment_id == cid  # type: ignore[attr-defined]
        ]
    assert record.position == ack["position"]


async def test_a_client_keeps_only_its_last_events(server: tuple[Server, str]) -> None:
    """A device that runs all evening holds its last ``keep_events`` events, not every one."""
    running, meeting_id = server
    async with (
        LiveClient(running.ws, token(meeting_id, "facilitator", 1, "tablet-a")) as a,
        LiveClient(running.ws, token(meeting_id, "facilitator", 1, "tablet-b"), keep_events=2) as b,
    ):
        for n in range(3):
            ack = await a.command(
                "add_comment",
                {"comment_id": fresh(f"c{n}"), "question": "coordination", "text": f"{n}"},
            )
        async with asyncio.timeout(patience.seconds(10)):
            await a.wait_for_position(ack["position"])
            await b.wait_for_position(ack["position"])
        assert [e["data"]["text"] for e in b.events] == ["1", "2"]
        assert len(a.events) == 3


async def test_resend_with_the_same_id_is_acked_with_the_original_position(raw: Raw) -> None:
    cid = fresh("detox")
    message = add(cid, "Detox beds")
    await raw.send(message)
    first = await raw.next("ack")
    await raw.send(message)
    again = await raw.next("ack")
    assert again["positions"] == first["positions"]
    other = add(cid, "Detox beds, typed again with a new command id")
    await raw.send(other)
    conflict = await raw.next("error")
    assert (conflict["id"], conflict["code"]) == (other["id"], "comment_exists")


async def test_the_server_places_a_point_by_when_it_was_typed_not_by_the_rotation_claimed(
    server: tuple[Server, str],
) -> None:
    """The evening started 20 minutes ago: rotation 1 rang its bell 5 minutes ago."""
    running, meeting_id = server
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet:
        bell = tablet.state["views"]["meeting"]["clock"]["started_at"] + 15 * MINUTE
        typed = {
            "in-rotation-1": bell - MINUTE,
            "two-seconds-after-the-bell": bell + 2 * SECOND,
            "after-the-grace": bell + MINUTE,
            "from-the-future": bell + 24 * 60 * MINUTE,
        }
        ids = {name: fresh(name) for name in typed}
        for comment_id, typed_at in typed.items():
            data = {"comment_id": ids[comment_id], "question": "coordination", "text": comment_id}
            ack = await tablet.command("add_comment", {**data, "typed_at": typed_at, "rotation": 3})
        async with asyncio.timeout(patience.seconds(10)):
            await tablet.wait_for_position(ack["position"])
        added = {
            e["data"]["text"]: (e["data"]["rotation"], e["data"]["group"], e["data"]["late"])
            for e in tablet.events
            if e["event_type"] == "CommentAdded"
        }
    assert added == {
        "in-rotation-1": (1, "A", False),
        "two-seconds-after-the-bell": (1, "A", True),
        "after-the-grace": (2, "D", False),
        "from-the-future": (2, "D", False),
    }


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("this is not json", "not_json"),
        ('{"no": "type"}', "bad_message"),
        ({"type": "telepathy"}, "unknown_type"),
        ({"type": "command", "id": "x", "name": "launch", "data": {}}, "unknown_command"),
        ({"type": "command", "id": "x", "name": "add_comment", "data": []}, "invalid_field"),
        (add("c", 42), "invalid_field"),  # type: ignore[arg-type]
        (add("c", "x", table="1"), "invalid_field"),
        (add("c", "x", colour="red"), "invalid_field"),
        (add("c", "é" * 2001), "text_too_long"),
        (add("c", "bell\x07"), "invalid_text"),
        (add("c", "   "), "invalid_text"),
        (add("c", "x", question="weather"), "unknown_question"),
        (add("c", "x", parent="nobody"), "invalid_parent"),
        (add("c", "not my table", table=2), "forbidden"),
        ({"type": "hello", "token": "again"}, "hello_first"),
    ],
)
async def test_each_bad_input_gets_its_own_error_and_the_connection_goes_on(
    raw: Raw, frame: Any, code: str
) -> None:
    await raw.send(frame)
    error = await raw.next("error")
    assert error["code"] == code, error
    assert error["message"]
    await raw.send(add(fresh("after"), "still here"))
    assert (await raw.next("ack"))["positions"]


async def test_a_one_megabyte_frame_is_refused_and_the_connection_goes_on(raw: Raw) -> None:
    await raw.send(orjson.dumps(add(fresh("big"), "x" * 1_000_000)).decode())
    assert (await raw.next("error"))["code"] == "too_large"
    await raw.send(add(fresh("after"), "still here"))
    assert (await raw.next("ack"))["positions"]


async def test_a_parent_from_another_question_is_refused(raw: Raw) -> None:
    parent = fresh("p")
    await raw.send(add(parent, "Parent", question="advocacy"))
    await raw.next("ack")
    await raw.send(add(fresh("c"), "Child", question="coordination", parent=parent))
    error = await raw.next("error")
    assert error["code"] == "invalid_parent"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda m: None, "token_refused"),
        (lambda m: "forged." + "x" * 40, "token_refused"),
        (lambda m: token(m, "facilitator", 1, secret="another key"), "token_refused"),
        (lambda m: token(m, "facilitator", 1, expires=1_000), "token_expired"),
        (lambda m: token("another-meeting", "facilitator", 1), "unknown_meeting"),
    ],
)
async def test_bad_tokens_are_refused_plainly_and_the_socket_closed(
    server: tuple[Server, str], make: Any, code: str
) -> None:
    running, meeting_id = server
    async with websockets.connect(running.ws) as socket:
        await socket.send(orjson.dumps({"type": "hello", "token": make(meeting_id)}).decode())
        error = orjson.loads(await socket.recv())
        assert (error["type"], error["code"]) == ("error", code)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008


async def test_a_foreign_origin_is_refused(server: tuple[Server, str]) -> None:
    running, _ = server
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(running.ws, origin="http://evil.example"):  # type: ignore[arg-type]
            pass


async def test_other_clients_never_notice_bad_input(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    async with (
        LiveClient(running.ws, token(meeting_id, "lead")) as lead,
        websockets.connect(running.ws) as hostile,
    ):
        await hostile.send(
            orjson.dumps({"type": "hello", "token": token(meeting_id, "facilitator", 3)}).decode()
        )
        for frame in ["{", "[]", '{"type": 5}', "x" * 70_000]:
            await hostile.send(frame)
        ack = await lead.command(
            "add_comment",
            {"comment_id": fresh("ok"), "question": "advocacy", "text": "RCMP", "table": 4},
        )
        assert ack["positions"]
        assert lead.refused is None


async def test_heartbeat_and_clock_sync(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    heartbeat = asyncio.Event()

    def see(message: dict[str, Any]) -> None:
        if message["type"] == "heartbeat":
            heartbeat.set()

    async with LiveClient(running.ws, token(meeting_id, "observer"), on_message=see) as client:
        offset = await client.sync_clock()
        assert abs(offset) < 1_000_000  # same machine: well under a second
        await asyncio.wait_for(heartbeat.wait(), patience.seconds(5))
    assert "tables" in client.state["views"]
    assert set(client.state["views"]["tables"]) == {"1", "2", "3", "4"}


async def test_facilitators_see_only_their_table(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    async with (
        LiveClient(running.ws, token(meeting_id, "facilitator", 2, "t2")) as two,
        LiveClient(running.ws, token(meeting_id, "facilitator", 3, "t3")) as three,
    ):
        assert set(two.state["views"]["tables"]) == {"2"}
        a, b = fresh("a"), fresh("b")
        mine = await two.command(
            "add_comment", {"comment_id": a, "question": "advocacy", "text": "Bail reform"}
        )
        theirs = await three.command(
            "add_comment", {"comment_id": b, "question": "advocacy", "text": "Lighting"}
        )
        async with asyncio.timeout(patience.seconds(10)):
            await three.wait_for_position(theirs["position"])
        assert mine["position"] < theirs["position"]
        assert [
            e["data"]["comment_id"] for e in three.events if e["event_type"] == "CommentAdded"
        ] == [b]


async def test_unacked_commands_are_resent_after_a_drop(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    ids = [fresh(f"c{i}") for i in range(20)]
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 1, "flaky")) as client:
        futures = []
        for i in range(20):
            futures.append(
                client.submit(
                    "add_comment",
                    {"comment_id": ids[i], "question": "working-well", "text": f"point {i}"},
                )
            )
            if i % 5 == 2:
                await client.drop()
        acks = await asyncio.wait_for(asyncio.gather(*futures), patience.seconds(20))
        assert client.connections >= 2
    positions = [a["position"] for a in acks if a["position"] is not None]
    from events.log.store import EventStore

    async with EventStore(running.db) as store:
        added = [
            r.decode().comment_id
            async for r in store.read_all()  # type: ignore[attr-defined]
            if r.type == "CommentAdded" and r.decode().comment_id in ids  # type: ignore[attr-defined]
        ]
    assert sorted(added) == sorted(ids)
    assert len(set(positions)) == len(positions)


async def test_a_revoked_tablet_is_told_plainly_and_cannot_come_back(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    code = join_code(SECRET.encode(), meeting_id, 2)
    _, joined = await asyncio.to_thread(
        call, f"{running.base}/api/join", body={"meeting": meeting_id, "code": code}
    )
    lost, device = joined["token"], joined["device_id"]
    async with websockets.connect(running.ws) as socket:
        connection = Raw(socket)
        await connection.send({"type": "hello", "token": lost})
        await connection.next("state")
        status, _ = await asyncio.to_thread(
            call,
            f"{running.base}/api/meetings/{meeting_id}/devices/{device}/revoke",
            token(meeting_id, "lead"),
            {},
            method="POST",
        )
        assert status == 200
        error = await connection.next("error")
        assert error["code"] == "device_revoked"
        assert "copy out" in error["message"]
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await connection.next("never")
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
    client = LiveClient(running.ws, lost)
    with pytest.raises(ConnectionRefused) as refused:
        await client.start()
    assert refused.value.code == "device_revoked"
    await client.close()
