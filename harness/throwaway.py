"""A PostgreSQL database of its own for one test run or one benchmark, dropped afterwards."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import asyncpg

from events.log.store import asyncpg_dsn


@contextlib.contextmanager
def throwaway_database(admin_url: str, name: str) -> Iterator[str]:
    """Create ``name`` through ``admin_url`` (a plain ``postgresql://`` address), yield its
    address, and drop it, connections and all, when done."""
    admin = asyncpg_dsn(admin_url)

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
