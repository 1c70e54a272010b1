"""A PostgreSQL connection that listens on one channel, opened again whenever it is lost.

What other processes on the same database commit (``events.log.log_listener``) and which devices
they serve (``server.live.presence_peers``) arrive as notifications; each of those keeps one such
connection for as long as it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

Notice = Callable[[object, int, str, str], None]
"""asyncpg's listener: connection, the sender's backend pid, channel, payload."""

log = logging.getLogger("roundtable.notifications")


async def keep_listening(
    dsn: str,
    channel: str,
    notice: Notice,
    session: Callable[[asyncpg.Connection], Awaitable[None]],
) -> None:
    """Listen on ``channel`` and run ``session`` with the connection until it is lost; then
    open another, after a pause that grows from 0.1 s to 5 s while the database stays away."""
    pause = 0.1
    while True:
        try:
            connection = await asyncpg.connect(dsn)
            try:
                await connection.add_listener(channel, notice)
                pause = 0.1
                await session(connection)
            finally:
                with contextlib.suppress(Exception):
                    await connection.close()
        except Exception as error:  # the database, or a read the session made, failed: go on
            log.warning("listening on %s failed: %s", channel, error)
        await asyncio.sleep(pause)
        pause = min(pause * 2, 5.0)
