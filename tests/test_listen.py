"""The socket ``roundtable serve`` listens on: connections accepted from it send each frame
at once (``TCP_NODELAY``), as uvicorn's own listening sockets would.

With Nagle's algorithm left on, a frame written while the reader had not yet acknowledged
the previous one waited for its delayed acknowledgement (40 ms on Linux): the tail of every
ack and delivery in ``bench/live.py``. The server is accepted through asyncio exactly as
uvicorn accepts it (``loop.create_server(sock=...)``), and the option is read from the
accepted socket itself. IPv4 only: the protocol is named the same way for both families, and
a machine without an IPv6 loopback would fail an IPv6 case for a reason that is not ours.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from server.cli.serve import listen

pytestmark = pytest.mark.asyncio


async def accepted_nodelay(host: str) -> int:
    """Accept one connection on ``listen(host, 0)`` through asyncio; its ``TCP_NODELAY``."""
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Accepting(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    sock = listen(host, 0)
    server = await asyncio.get_running_loop().create_server(Accepting, sock=sock)
    async with server:
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection(host, port)
        try:
            return await asyncio.wait_for(accepted, 10)
        finally:
            writer.close()


async def test_connections_accepted_on_ipv4_send_without_delay() -> None:
    assert await accepted_nodelay("127.0.0.1") == 1
