"""A Python client of the live protocol, for tests, the demo, simulation and load.

It keeps what a tablet keeps: the last position it has seen (to resume from) and an outbox of
commands not yet acknowledged, resent in order after every reconnect. Ids make a resend
harmless. It also keeps the last ``keep_events`` events it received, for callers that read
them afterwards; a client that runs all evening (or a load test's hundreds) holds no more.
Use it as ``async with LiveClient(url, token) as client``.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

import orjson
import websockets
from websockets.asyncio.client import ClientConnection

Message = dict[str, Any]


class CommandRefused(Exception):
    """The server refused a command; ``code`` is its stable error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class ConnectionRefused(Exception):
    """The server would not take this client at all (a bad token, a revoked device)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class LiveClient:
    """One device's connection, reconnecting with capped, jittered backoff."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        resume: int | None = None,
        origin: str | None = None,
        on_message: Callable[[Message], None] | None = None,
        keep_events: int = 10_000,
    ) -> None:
        self.url = url
        self.token = token
        self.position = resume
        self.origin = origin
        self.on_message = on_message
        self.welcome: Message = {}
        self.state: Message = {}
        self.events: deque[Message] = deque(maxlen=keep_events)
        self.outbox: dict[str, Message] = {}
        self.offset = 0  # server clock minus ours, microseconds
        self._acks: dict[str, asyncio.Future[Message]] = {}
        self._pings: dict[str, asyncio.Future[Message]] = {}
        self._socket: ClientConnection | None = None
        self._connected = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._closing = False
        self.refused: ConnectionRefused | None = None
        self._sending: set[asyncio.Future[None]] = set()
        self._moved = asyncio.Condition()
        self.connections = 0

    async def __aenter__(self) -> LiveClient:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Connect, and keep reconnecting until ``close()``; returns once first connected."""
        self._runner = asyncio.create_task(self._run())
        waiter = asyncio.create_task(self._connected.wait())
        await asyncio.wait([waiter, self._runner], return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self.refused is not None:
            raise self.refused
        if self._runner.done():
            self._runner.result()

    async def close(self) -> None:
        self._closing = True
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def drop(self) -> None:
        """Cut the connection as a Wi-Fi drop would; the client reconnects by itself."""
        if self._socket is not None:
            self._connected.clear()
            await self._socket.close()

    async def command(self, name: str, data: Message, *, command_id: str | None = None) -> Message:
        """Send a command and wait for its ack (raises ``CommandRefused`` on an error)."""
        command_id = command_id or str(uuid.uuid4())
        future = self.submit(name, data, command_id=command_id)
        return await future

    def submit(
        self, name: str, data: Message, *, command_id: str | None = None
    ) -> asyncio.Future[Message]:
        """Put a command in the outbox and send it if connected; its ack arrives later."""
        command_id = command_id or str(uuid.uuid4())
        message = {"type": "command", "id": command_id, "name": name, "data": data}
        self.outbox[command_id] = message
        future = self._acks.get(command_id) or asyncio.get_running_loop().create_future()
        self._acks[command_id] = future
        if self._connected.is_set() and self._socket is not None:
            task = asyncio.ensure_future(self._send(message))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return future

    async def sync_clock(self, rounds: int = 5) -> int:
        """Estimate the server clock's offset from ours (the round trip with least delay)."""
        samples = []
        for _ in range(rounds):
            ping_id = str(uuid.uuid4())
            future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
            self._pings[ping_id] = future
            sent = _now()
            await self._send({"type": "ping", "id": ping_id, "client_time": sent})
            pong = await future
            received = _now()
            samples.append((received - sent, pong["server_time"] - (sent + received) // 2))
        self.offset = min(samples)[1]
        return self.offset

    def server_now(self) -> int:
        return _now() + self.offset

    async def wait_for_position(self, position: int) -> None:
        """Until the client has seen every event up to ``position`` (bound it with a timeout)."""
        async with self._moved:
            await self._moved.wait_for(lambda: (self.position or 0) >= position)

    async def _send(self, message: Message) -> None:
        if self._socket is None:
            return
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._socket.send(orjson.dumps(message).decode())

    async def _run(self) -> None:
        attempt = 0
        while not self._closing:
            try:
                headers = {"Origin": self.origin} if self.origin else None
                async with websockets.connect(
                    self.url, origin=None, additional_headers=headers, max_size=None, open_timeout=5
                ) as socket:
                    self._socket = socket
                    await socket.send(
                        orjson.dumps(
                            {"type": "hello", "token": self.token, "resume": self.position}
                        ).decode()
                    )
                    attempt = 0
                    await self._receive(socket)
            except (
                OSError,
                websockets.ConnectionClosed,
                websockets.InvalidHandshake,
                TimeoutError,
            ):
                pass
            finally:
                self._socket = None
                self._connected.clear()
            if self.refused is not None or self._closing:
                return
            attempt += 1
            await asyncio.sleep(random.uniform(0, min(2.0, 0.05 * 2**attempt)))

    async def _receive(self, socket: ClientConnection) -> None:
        async for frame in socket:
            message = orjson.loads(frame)
            kind = message["type"]
            if kind == "welcome":
                self.welcome = message
                self.connections += 1
                self.offset = message["server_time"] - _now()
                if message["resumed"]:
                    await self._connected_now(socket)
            elif kind == "state":
                self.state = message
                self.position = message["position"]
                await self._connected_now(socket)
            elif kind == "event":
                if message["position"] > (self.position or 0):
                    self.events.append(message)
                    self.position = message["position"]
                    async with self._moved:
                        self._moved.notify_all()
            elif kind == "ack":
                self.outbox.pop(message["id"], None)
                future = self._acks.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message)
            elif kind == "error":
                self._error(message)
            elif kind == "pong":
                future = self._pings.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message)
            if self.on_message is not None:
                self.on_message(message)

    async def _connected_now(self, socket: ClientConnection) -> None:
        """Up to date with the server: resend whatever still waits for its ack, in order."""
        self._connected.set()
        for waiting in list(self.outbox.values()):
            await socket.send(orjson.dumps(waiting).decode())

    def _error(self, message: Message) -> None:
        command_id = message.get("id")
        if command_id in self._acks:
            self.outbox.pop(command_id, None)
            future = self._acks.pop(command_id)
            if not future.done():
                future.set_exception(CommandRefused(message["code"], message["message"]))
        elif message["code"] in (
            "token_refused",
            "token_expired",
            "device_revoked",
            "forbidden",
            "unknown_meeting",
        ):
            self.refused = ConnectionRefused(message["code"], message["message"])


def _now() -> int:
    return time.time_ns() // 1000
