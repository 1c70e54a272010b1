"""Export the log to an archive file, and import one back with its positions, times and hashes.

Import is the one way into the log that bypasses the writer, because the writer would give
the events new positions, times and hashes, and an archive's are the record. So it checks
everything first: the whole file (``archive.Checker``), then that the database's log is the
file's beginning. Then it inserts the rest in one transaction under the log's write lock,
checking the file again as it goes and refusing if it changed since the first pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, insert, select, text

from events.errors import StoreError
from events.log import archive
from events.log.archive import ArchiveError, Checker, Tally
from events.log.pg_append import LOCK
from events.log.schema import events as events_table
from events.log.store import EventStore

Progress = Callable[[int], None]
"""Told how far an operation has got (a position, or bytes of the file read)."""

_CHUNK = 2000


def _quiet(_: int) -> None:
    """No progress to show."""


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: ``kept`` events were already stored, ``added`` were written."""

    events: int
    kept: int
    added: int


async def export(
    store: EventStore, out: BinaryIO, *, meeting_id: str | None = None, progress: Progress = _quiet
) -> Tally:
    """Write the log (or one meeting's events) to ``out``; the trailer's tally."""
    tally = Tally()
    out.write(archive.header(meeting_id))
    async for record in store.read_all(meeting_id=meeting_id, batch=5000):
        out.write(archive.line(record))
        tally.add(record)
        progress(record.position)
    out.write(tally.trailer())
    return tally


def check_file(path: Path, progress: Progress = _quiet) -> tuple[Tally, str]:
    """Check a whole archive without writing anything; its tally and SHA-256."""
    checker = Checker()
    fingerprint = hashlib.sha256()
    for raw in _lines(path):
        fingerprint.update(raw)
        checker.feed(raw)
        progress(len(raw))
    return checker.finish(), fingerprint.hexdigest()


async def import_archive(store: EventStore, path: Path, *, progress: Progress = _quiet) -> Imported:
    """Import ``path`` into a log that is empty or holds the archive's first events.

    Importing the same archive again changes nothing; a bad archive, or a log that is not its
    beginning, is refused before anything is written.
    """
    tally, fingerprint = check_file(path, progress)
    kept, last = await _prefix(store, path, tally)
    if kept == tally.events:
        return Imported(tally.events, kept, 0)
    async with store.write_engine.begin() as conn:
        if not store.is_sqlite:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
        now = (await conn.execute(select(func.max(events_table.c.position)))).scalar() or 0
        if now != last:
            raise StoreError("the log changed while the archive was checked: nothing imported")
        checker = Checker()
        again = hashlib.sha256()
        rows: list[dict[str, object]] = []
        for raw in _lines(path):
            again.update(raw)
            record = checker.feed(raw)
            if record is not None and checker.tally.events > kept:
                rows.append(archive.row(record))
            if len(rows) >= _CHUNK:
                await conn.execute(insert(events_table), rows)
                rows = []
            progress(len(raw))
        checker.finish()
        if rows:
            await conn.execute(insert(events_table), rows)
        if again.hexdigest() != fingerprint:
            raise StoreError("the archive file changed during the import: nothing imported")
    return Imported(tally.events, kept, tally.events - kept)


async def _prefix(store: EventStore, path: Path, tally: Tally) -> tuple[int, int]:
    """How many of the archive's events the log already holds, and its last position;
    refused unless the log is exactly the archive's first events."""
    expected = _event_lines(path, tally.events)
    kept = last = 0
    async for record in store.read_all(batch=5000):
        line = next(expected, None)
        if line is None:
            raise ArchiveError(
                tally.events + 2,
                f"the database holds more than the archive's {tally.events} events, "
                "so its log is not the beginning of this archive",
            )
        if archive.line(record) != line:
            raise ArchiveError(
                kept + 2,
                f"the database's event at position {record.position} differs from this line, "
                "so its log is not the beginning of this archive",
            )
        kept += 1
        last = record.position
    return kept, last


def _event_lines(path: Path, count: int) -> Iterator[bytes]:
    """The event lines of a checked archive: after the header, before the trailer."""
    return islice(_lines(path), 1, 1 + count)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        yield from file
