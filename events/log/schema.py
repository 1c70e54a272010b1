"""The tables of the log, as SQLAlchemy Core, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 4
"""Bumped by every change to these tables or to the functions beside them; later versions
migrate from the stored one. 2: PostgreSQL appends through ``events.log.pg_append``'s function.
3: that function places each append in the log itself (positions and chain hashes), refusing
only appends whose own stream or ids moved on; version 2's function is left in place. 4: the
same, for about half of PostgreSQL's CPU per append (an inlined chain link; no empty erase or
probe statements); version 3's functions are left in place."""

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("stream_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("meeting_id", String(200), nullable=False),
    Column("type", String(100), nullable=False),
    Column("schema", Integer, nullable=False),
    Column("data", LargeBinary, nullable=True),
    Column("digest", String(64), nullable=False),
    Column("metadata", LargeBinary, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("stream_id", "version", name="events_stream_version"),
    Index("events_meeting_position", "meeting_id", "position"),
)

settings = Table(
    "roundtable_meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
