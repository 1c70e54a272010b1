"""Configuration: from the environment, overridden by command-line options."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from events.store import EventStore

DEFAULT_DATABASE = "roundtable.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server needs to start; ``database_url`` alone picks SQLite or PostgreSQL."""

    database_url: str = DEFAULT_DATABASE
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None
    synchronous: str = "FULL"
    public_url: str | None = None
    token_days: int = 30
    heartbeat_seconds: float = 15.0
    liveness_seconds: float = 6.0
    """A websocket that answers no ping for this long is closed: the lead's panel shows its
    device not connected, and a tablet in a dead zone is not counted as online."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            database_url=environ.get("DATABASE_URL") or DEFAULT_DATABASE,
            host=environ.get("HOST") or "127.0.0.1",
            port=int(environ.get("PORT") or 8000),
            secret_key=environ.get("SECRET_KEY") or None,
            synchronous=environ.get("SQLITE_SYNCHRONOUS") or "FULL",
            public_url=(environ.get("PUBLIC_URL") or "").rstrip("/") or None,
            token_days=int(environ.get("TOKEN_DAYS") or 30),
            heartbeat_seconds=float(environ.get("HEARTBEAT_SECONDS") or 15.0),
            liveness_seconds=float(environ.get("LIVENESS_SECONDS") or 6.0),
        )

    def environment(self) -> dict[str, str]:
        """The environment that ``from_env`` reads back as these settings (for the worker
        processes of ``serve --workers``)."""
        values = {
            "DATABASE_URL": self.database_url,
            "HOST": self.host,
            "PORT": str(self.port),
            "SECRET_KEY": self.secret_key,
            "SQLITE_SYNCHRONOUS": self.synchronous,
            "PUBLIC_URL": self.public_url,
            "TOKEN_DAYS": str(self.token_days),
            "HEARTBEAT_SECONDS": str(self.heartbeat_seconds),
            "LIVENESS_SECONDS": str(self.liveness_seconds),
        }
        return {key: value for key, value in values.items() if value is not None}

    def store(self) -> EventStore:
        """The event store these settings name (open it with ``async with``)."""
        return EventStore(self.database_url, synchronous=self.synchronous)

    def override(self, **values: object) -> Settings:
        """A copy with every option that was given on the command line (``None`` = not given)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})
