"""Configuration: from the environment, overridden by command-line options."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import sqlalchemy.exc

from events.log.store import SYNCHRONOUS_MODES, EventStore, database_url
from server.failures import UsageError
from server.live.protocol import HELLO_TIMEOUT, SEND_BUFFER_BYTES

DEFAULT_DATABASE = "roundtable.db"
BACKENDS = ("sqlite", "postgresql")


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
    hello_seconds: float = HELLO_TIMEOUT
    """A websocket that has not said ``hello`` within this long is closed (1013, reconnect)."""
    liveness_seconds: float = 6.0
    """A websocket that answers no ping for this long is closed: the lead's panel shows its
    device not connected, and a tablet in a dead zone is not counted as online."""
    trusted_proxy: str | None = None
    """Addresses (comma-separated) whose ``X-Forwarded-For`` is believed; nobody's if unset."""
    send_buffer_bytes: int = SEND_BUFFER_BYTES
    """Pushes waiting for one connection, in bytes, before it is closed to resume later."""
    allowed_hosts: tuple[str, ...] = ()
    """Names the server answers to beside ``PUBLIC_URL``'s, loopback and addresses
    (``server.hosts``)."""

    def __post_init__(self) -> None:
        """A database that is neither a SQLite file nor PostgreSQL is refused before anything
        tries to open it (``--db`` and ``DATABASE_URL`` both come through here)."""
        try:
            backend = database_url(self.database_url).get_backend_name()
        except sqlalchemy.exc.ArgumentError:
            backend = None
        if backend not in BACKENDS:
            raise UsageError(
                f"database {self.database_url!r}: give a SQLite file path or a "
                "postgresql://user@host/name URL (--db or DATABASE_URL)"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """The settings the environment gives; a value that cannot be read is refused naming
        the variable and what it takes."""
        synchronous = (environ.get("SQLITE_SYNCHRONOUS") or "FULL").upper()
        if synchronous not in SYNCHRONOUS_MODES:
            raise UsageError(
                f"SQLITE_SYNCHRONOUS={environ['SQLITE_SYNCHRONOUS']}: "
                f"give one of {', '.join(SYNCHRONOUS_MODES)} (FULL is the default)"
            )
        return cls(
            database_url=environ.get("DATABASE_URL") or DEFAULT_DATABASE,
            host=environ.get("HOST") or "127.0.0.1",
            port=_number(environ, "PORT", 8000, int, "a port from 0 to 65535", 0, 65535),
            secret_key=environ.get("SECRET_KEY") or None,
            synchronous=synchronous,
            public_url=(environ.get("PUBLIC_URL") or "").rstrip("/") or None,
            token_days=_number(environ, "TOKEN_DAYS", 30, int, "a whole number of days", 1),
            heartbeat_seconds=_number(
                environ, "HEARTBEAT_SECONDS", 15.0, float, "a number of seconds", 0.1
            ),
            hello_seconds=_number(
                environ, "HELLO_SECONDS", HELLO_TIMEOUT, float, "a number of seconds", 0.1
            ),
            liveness_seconds=_number(
                environ, "LIVENESS_SECONDS", 6.0, float, "a number of seconds", 0.1
            ),
            trusted_proxy=environ.get("TRUSTED_PROXY") or None,
            send_buffer_bytes=_number(
                environ, "SEND_BUFFER_BYTES", SEND_BUFFER_BYTES, int, "a number of bytes", 1
            ),
            allowed_hosts=tuple(
                n.strip() for n in (environ.get("ALLOWED_HOSTS") or "").split(",") if n.strip()
            ),
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
            "HELLO_SECONDS": str(self.hello_seconds),
            "LIVENESS_SECONDS": str(self.liveness_seconds),
            "TRUSTED_PROXY": self.trusted_proxy,
            "SEND_BUFFER_BYTES": str(self.send_buffer_bytes),
            "ALLOWED_HOSTS": ",".join(self.allowed_hosts) or None,
        }
        return {key: value for key, value in values.items() if value is not None}

    def store(self) -> EventStore:
        """The event store these settings name (open it with ``async with``)."""
        return EventStore(self.database_url, synchronous=self.synchronous)

    def override(self, **values: Any) -> Settings:
        """A copy with every option that was given on the command line (``None`` = not given)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


N = TypeVar("N", int, float)


def _number(
    environ: Mapping[str, str],
    name: str,
    default: N,
    kind: type[N],
    what: str,
    low: N,
    high: N | None = None,
) -> N:
    """The variable ``name`` as a number within bounds, or ``default`` when it is unset."""
    raw = environ.get(name) or ""
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value or (high is not None and not value <= high):
        raise UsageError(f"{name}={raw}: give {what} (default {default})")
    return value
