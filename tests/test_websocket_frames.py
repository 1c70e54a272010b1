"""The server's websocket protocol on a real socket: what the app sends to one connection in
one turn of the event loop leaves in one write, each message still its own frame, in order,
and a close sent after them arrives after them; once ``WRITE_AT`` bytes wait, they leave at
once."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from server.websocket_frames import WRITE_AT, WebSocketProtocol

pytestmark = pytest.mark.asyncio

Send = Callable[[dict[str, Any]], Awaitable[None]]
App = Callable[[dict[str, Any], Any, Send], Awaitable[None]]


def sends_then_closes(texts: list[str]) -> App:
    """An app that accepts, sends ``texts`` without yielding between them, then closes."""

    async def app(scope: dict[str, Any], receive: Any, send: Send) -> None:
        assert scope["type"] == "websocket"
        await receive()
        await send({"type": "websocket.accept"})
        for text in texts:
            await send({"type": "websocket.send", "text": text})
        await send({"type": "websocket.close", "code": 1000})

    return app


async def served(texts: list[str]) -> tuple[list[Frame], list[bytes]]:
    """The frames a client receives from the app, and the server's writes to its socket."""
    loop = asyncio.get_running_loop()
    config = Config(app=sends_then_closes(texts), lifespan="off", ws_ping_interval=None)
    config.load()
    protocol = WebSocketProtocol(config, ServerState(), {})
    server_end, client_end = socket.socketpair()
    transport, _ = await loop.connect_accepted_socket(lambda: protocol, server_end)
    writes: list[bytes] = []
    write = transport.write

    def noted(data: Any) -> None:
        writes.append(bytes(data))
        write(data)

    transport.write = noted  # type: ignore[method-assign]

    client = ClientProtocol(parse_uri("ws://venue/live"))
    client.send_request(client.connect())
    reader, writer = await asyncio.open_connection(sock=client_end)
    writer.write(b"".join(client.data_to_send()))
    events: list[Any] = []
    while not any(isinstance(e, Frame) and e.opcode is Opcode.CLOSE for e in events):
        data = await asyncio.wait_for(reader.read(65536), 10)
        assert data, "the server closed the socket before its close frame"
        client.receive_data(data)
        events += client.events_received()
    writer.close()
    transport.close()
    assert isinstance(events[0], Response)
    assert events[0].status_code == 101
    return events[1:], writes


async def test_a_burst_leaves_in_one_write_each_message_its_own_frame_in_order() -> None:
    texts = [f"message {i}" for i in range(40)]
    frames, writes = await served(texts)

    assert [f.data.decode() for f in frames[:-1]] == texts
    assert all(f.opcode is Opcode.TEXT for f in frames[:-1])
    assert frames[-1].opcode is Opcode.CLOSE
    # The handshake's answer, then the burst and the close: uvicorn writes what was framed
    # before it writes the close, so they leave together.
    assert len(writes) == 2, [len(w) for w in writes]


async def test_once_enough_bytes_wait_they_leave_without_waiting_for_the_turn() -> None:
    texts = ["small", "x" * WRITE_AT, "after"]
    frames, writes = await served(texts)

    assert [f.data.decode() for f in frames[:-1]] == texts
    assert frames[-1].opcode is Opcode.CLOSE
    # The handshake's answer; the first two messages as soon as the large one is framed; the
    # last one with the close.
    assert len(writes) == 3, [len(w) for w in writes]
    assert len(writes[1]) > WRITE_AT
    assert len(writes[2]) < 100
