"""A loopback TCP proxy that a test can pause: one device's connection gone silent.

Between a tablet and the server, it passes bytes both ways until ``pause()``; from then on it
holds everything, in both directions, connections open, closes included, as a stalled access
point does, until ``resume()``. Only the devices connected through it go silent; the server
and everyone else go on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class PausableProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()

    def pause(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._flowing.wait()
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(source, sink))
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await source.read(65536)
                await self._flowing.wait()  # held, not dropped, while paused
                if not data:
                    break
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            sink.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[PausableProxy]:
        """Listen on a free loopback port (``self.port``) while the block runs."""
        self._server = await asyncio.start_server(self._accepted, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        try:
            yield self
        finally:
            self._server.close()
            self.resume()
            for task in list(self._pumps):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*self._pumps, return_exceptions=True)
            await self._server.wait_closed()
