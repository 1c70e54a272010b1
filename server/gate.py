"""The server's door: how many connections it holds, from whom, and for how long before they
say what they want. uvicorn's own settings stop at a keep-alive timeout, so its protocols are
wrapped here (``serve`` hands these classes to uvicorn).

At a venue, 1,000 tablets and 300 phones may all come from one NAT address, so the cap per
address is generous (``PER_ADDRESS``); what is strict is the work nobody has proved a right
to: a connection that has not finished its request headers (``HEADER_SECONDS`` to do so, and
at most ``UNFINISHED`` such connections at once: a new one pushes out the oldest of those
that sent part of their headers, which are the slow ones). A websocket, once upgraded, is in
the same position until it says ``hello``: at most ``UNGREETED`` wait at once (the ``LOBBY``),
a new one pushing out the oldest. Overall the server keeps
``SPARE_FILES`` descriptors free for its database and log, so it never runs out of file
descriptors while accepting (which used to stall every tablet and write a line per failed
accept).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import resource
import socket
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, cast

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

HEADER_SECONDS = 10.0
"""Time a connection has to send a request's headers (each request, not only the first)."""
UNFINISHED = 256
"""Connections still sending their headers at once; a new one closes the oldest."""
UNGREETED = 512
"""Websockets waiting to say ``hello`` at once; a new one pushes out the oldest (a tablet
says hello the moment its socket opens, so only a socket that says nothing grows old)."""
PER_ADDRESS = 4000
"""Connections from one address (a venue's NAT: 1,300 devices, a socket each and a few
requests in flight); a trusted proxy has no cap of its own."""
SPARE_FILES = 64
"""Descriptors kept free for the database, the log and the clock's work."""
SEND_BUFFER = 256 * 1024
"""The kernel's send buffer of each socket: bounds what a reader that stopped reading holds
in the kernel (otherwise up to megabytes each); plenty for a LAN."""
WRITE_NOW = "roundtable.write_now"
"""The scope key of a websocket's ``GuardedWebSocket.write_now``, for the app's frames."""
SLOW_CLOSE_SECONDS = 10.0
"""A socket closed while its reader is behind gets its close frame after what it has not
read; it is cut off if it has not read them within this time."""

log = logging.getLogger("roundtable.gate")


def raise_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; the new soft limit.

    Debian's shells start processes at 1,024, fewer than one venue's tablets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


class Gate:
    """The connections of this process: by address, and those still sending headers."""

    def __init__(
        self,
        *,
        max_open: int,
        trusted: frozenset[str] = frozenset(),
        per_address: int = PER_ADDRESS,
    ) -> None:
        self.max_open = max_open
        self.per_address = per_address
        self.trusted = trusted
        self.open: dict[asyncio.Transport, str] = {}
        self.by_address: dict[str, int] = {}
        self.silent: OrderedDict[asyncio.Transport, None] = OrderedDict()
        """Connections awaiting headers that have sent nothing yet (or not been read yet)."""
        self.partial: OrderedDict[asyncio.Transport, None] = OrderedDict()
        """Connections that sent part of their headers: proven slow, the first to go."""

    def admit(self, transport: asyncio.Transport, address: str) -> bool:
        """Count a new connection in, or ``False`` if it must be closed at once."""
        count = self.by_address.get(address, 0)
        if len(self.open) >= self.max_open or (
            count >= self.per_address and address not in self.trusted
        ):
            log.warning("connection refused: too many connections (from %s or in all)", address)
            return False
        self.open[transport] = address
        self.by_address[address] = count + 1
        return True

    def waiting(self, transport: asyncio.Transport) -> None:
        """The connection starts a request: its headers are awaited."""
        self.silent[transport] = None
        while len(self.silent) + len(self.partial) > UNFINISHED:
            # The oldest that sent part of its headers goes first: a tablet sends its
            # request whole, so a connection just accepted and not yet read is spared.
            oldest, _ = (self.partial or self.silent).popitem(last=False)
            log.warning("connection closed: too many unfinished requests, the oldest goes")
            oldest.abort()

    def sent_part(self, transport: asyncio.Transport) -> None:
        """Bytes came, but not the end of the headers."""
        if self.silent.pop(transport, False) is None:
            self.partial[transport] = None

    def headers_done(self, transport: asyncio.Transport) -> None:
        self.silent.pop(transport, None)
        self.partial.pop(transport, None)

    def release(self, transport: asyncio.Transport) -> None:
        self.headers_done(transport)
        address = self.open.pop(transport, None)
        if address is not None:
            left = self.by_address[address] - 1
            if left:
                self.by_address[address] = left
            else:
                del self.by_address[address]


class Lobby:
    """The websockets of this process that have not said ``hello`` yet, oldest first."""

    def __init__(self, limit: int = UNGREETED) -> None:
        self.limit = limit
        self._waiting: OrderedDict[object, Callable[[], None]] = OrderedDict()

    @contextlib.contextmanager
    def waiting(self, push_out: Callable[[], None]) -> Iterator[None]:
        """Count a socket in while it waits for its hello; ``push_out`` ends its wait if
        too many newer ones come first."""
        key = object()
        self._waiting[key] = push_out
        while len(self._waiting) > self.limit:
            _, oldest = self._waiting.popitem(last=False)
            log.warning("websocket closed: too many waiting to say hello, the oldest goes")
            oldest()
        try:
            yield
        finally:
            self._waiting.pop(key, None)

    def __len__(self) -> int:
        return len(self._waiting)


GATE = Gate(max_open=1024 - SPARE_FILES)
"""This process's gate (``configure`` sets it up at start; each worker process has its own)."""
LOBBY = Lobby()
"""This process's websockets still to say hello."""


def configure(trusted_proxies: str | None) -> Gate:
    """Set this process's gate for its file limit (raised first) and trusted proxies."""
    GATE.max_open = raise_file_limit() - SPARE_FILES
    GATE.trusted = frozenset(_addresses(trusted_proxies))
    return GATE


def _addresses(value: str | None) -> list[str]:
    found = []
    for part in (value or "").split(","):
        if part.strip():
            found.append(str(ipaddress.ip_address(part.strip())))
    return found


def _address(transport: asyncio.Transport) -> str:
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, tuple) and peer else "unix"


class GuardedHttp(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, counted in by the gate, with a deadline for headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._awaited: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if not GATE.admit(transport, _address(transport)):
            transport.abort()
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        super().connection_made(transport)
        self._await_headers()

    def _await_headers(self) -> None:
        """Start the clock on the next request's headers."""
        self._stop_clock()
        self._awaited = self.scope
        GATE.waiting(self.transport)
        self._deadline = self.loop.call_later(HEADER_SECONDS, self._too_slow)

    def _too_slow(self) -> None:
        log.warning("connection closed: request headers not sent within %.0f s", HEADER_SECONDS)
        self.transport.abort()

    def _stop_clock(self) -> None:
        GATE.headers_done(self.transport)
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._deadline is not None:
            if self.scope is not self._awaited:
                self._stop_clock()  # a request (or a websocket upgrade) has its headers
            else:
                GATE.sent_part(self.transport)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is None:  # refused at the door
            return
        self._stop_clock()
        GATE.release(self.transport)
        super().connection_lost(exc)


class GuardedWebSocket(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol, released from the gate when it ends, and cutting off a
    reader that stopped reading instead of waiting for it for ever."""

    def connection_lost(self, exc: Exception | None) -> None:
        GATE.release(self.transport)
        super().connection_lost(exc)

    async def run_asgi(self) -> None:
        cast("dict[str, Any]", self.scope)[WRITE_NOW] = self.write_now
        await super().run_asgi()

    def write_now(self, text: bytes) -> bool:
        """Write one text frame (``text`` as UTF-8) to the socket now, as ``send`` would where
        it would not wait; ``False``, having written nothing, where it would: the reader is
        behind (the transport paused writing), or the socket is closing or gone. A frame sent
        this way costs no task's turn and none of the layers of an ASGI send (a comment is a
        frame to each of a few dozen devices: ``docs/benchmarks.md``)."""
        if (
            not self.writable.is_set()
            or self.disconnected
            or self.close_sent
            or self.conn.state is not State.OPEN
        ):
            return False
        self.conn.send_text(text)
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    async def send(self, message: Any) -> None:
        if message["type"] == "websocket.close" and not self.writable.is_set():
            # The close frame goes after what the reader has not read yet; if it does not
            # read it soon, the connection is cut (its buffers go with it).
            self.writable.set()
            await super().send(message)
            if self.close_timer is not None:
                self.close_timer.cancel()
            self.close_timer = self.loop.call_later(SLOW_CLOSE_SECONDS, self.transport.abort)
            return
        await super().send(message)
