"""The key that signs tokens: ``SECRET_KEY``, else one generated once and kept in the database.

Kept in the database's ``roundtable_meta`` table (key ``secret_key``), "next to" the log: a
restart, or a second worker on the same PostgreSQL, signs with the same key, so no device is
signed out; a copy of the database (a backup) holds it too, which is why backups are kept as
carefully as the laptop. Rotating it signs every device out.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from events.log.schema import settings as meta
from events.log.store import EventStore
from server.settings import Settings

KEY = "secret_key"


async def secret_key(store: EventStore, settings: Settings) -> bytes:
    """``SECRET_KEY`` if set, else the stored key (generated and stored on first start)."""
    if settings.secret_key:
        return settings.secret_key.encode()
    for _ in range(2):
        try:
            async with store.write_engine.begin() as conn:
                value = await conn.scalar(select(meta.c.value).where(meta.c.key == KEY))
                if value is None:
                    value = secrets.token_urlsafe(32)
                    await conn.execute(insert(meta), {"key": KEY, "value": value})
            return str(value).encode()
        except IntegrityError:  # another worker stored one first: read theirs
            continue
    raise RuntimeError("could not read or store the secret key")


async def rotate(store: EventStore) -> None:
    """Replace the stored key: every token signed with the old one is refused after a restart."""
    async with store.write_engine.begin() as conn:
        await conn.execute(delete(meta).where(meta.c.key == KEY))
        await conn.execute(insert(meta), {"key": KEY, "value": secrets.token_urlsafe(32)})
