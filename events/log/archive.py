"""The archive format: the log as JSON Lines that can be kept, handed over and imported again.

A header line, one line per event in position order, and a trailer line that counts them and
names each meeting's chain head, so that a file cut short is told from a whole one. Every line
is canonical (sorted keys, orjson), with the payload and the metadata embedded exactly as
stored, because those are the bytes the digest and the hash cover: the same log always gives
the same file, and a file that differs from one we would write is refused. ``Checker`` reads
an archive line by line and names the first bad line; it does no I/O (docs/archive.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

import orjson

from events.errors import StoreError
from events.log import chain
from events.log.codec import canonical
from events.log.envelope import Metadata, Recorded

KIND = "roundtable-log"
FORMAT = 1
EVENT_KEYS = frozenset(Recorded.__struct_fields__) - {"stand_in"}
"""An event line's keys: the event as the log stores it (a stand-in is the erasure's)."""


class ArchiveError(StoreError):
    """An archive that cannot be imported as it stands; ``line`` is the first bad line."""

    code = "bad_archive"

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}; nothing was imported")
        self.line = line
        self.reason = reason


def header(meeting_id: str | None) -> bytes:
    """The first line: what the file is, its format, and the meeting (``None``: whole log)."""
    return canonical({"archive": KIND, "format": FORMAT, "meeting": meeting_id}) + b"\n"


def line(record: Recorded) -> bytes:
    """One event as an archive line."""
    values: dict[str, Any] = {
        "position": record.position,
        "stream_id": record.stream_id,
        "version": record.version,
        "meeting_id": record.meeting_id,
        "event_id": record.event_id,
        "type": record.type,
        "schema": record.schema,
        "data": None if record.data is None else orjson.Fragment(record.data),
        "digest": record.digest,
        "metadata": orjson.Fragment(record.metadata.encode()),
        "recorded_at": record.recorded_at,
        "hash": record.hash,
    }
    return canonical(values) + b"\n"


@dataclass(slots=True)
class Tally:
    """What the event lines held: the trailer states it, the reader checks it."""

    events: int = 0
    last_position: int = 0
    heads: dict[str, str] = field(default_factory=dict)

    def add(self, record: Recorded) -> None:
        self.events += 1
        self.last_position = record.position
        self.heads[record.meeting_id] = record.hash

    def trailer(self) -> bytes:
        """The last line: without it, a file is incomplete."""
        values = {
            "end": KIND,
            "events": self.events,
            "last_position": self.last_position,
            "heads": self.heads,
        }
        return canonical(values) + b"\n"


class Checker:
    """Reads an archive's lines in order and refuses the first that is not as we would write
    it: malformed, out of order, off its stream's versions, off its meeting's chain, or a
    trailer that does not match what came before."""

    def __init__(self) -> None:
        self.number = 0
        self.meeting_id: str | None = None
        self.tally = Tally()
        self.ended = False
        self._versions: dict[str, tuple[int, str]] = {}
        self._ids: set[str] = set()

    def feed(self, raw: bytes) -> Recorded | None:
        """Check the next line; the event it holds (``None`` for the header and trailer)."""
        self.number += 1
        if not raw.endswith(b"\n"):
            self._refuse("the line is cut short (no newline at its end)")
        if self.ended:
            self._refuse("there is something after the trailer line")
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            self._refuse("not a JSON line")
        if self.number == 1:
            self._header(value, raw)
            return None
        if isinstance(value, dict) and "end" in value:
            self._trailer(raw)
            return None
        record = self._record(value)
        if line(record) != raw:
            self._refuse("not in canonical form (sorted keys, payload and metadata as stored)")
        self._check(record)
        self.tally.add(record)
        return record

    def finish(self) -> Tally:
        """After the last line: the tally, if the archive was complete."""
        if self.number == 0:
            raise ArchiveError(1, "the file is empty")
        if not self.ended:
            raise ArchiveError(
                self.number + 1,
                "missing: the archive ends without its trailer line, so it is truncated",
            )
        return self.tally

    def _refuse(self, reason: str) -> NoReturn:
        raise ArchiveError(self.number, reason)

    def _header(self, value: Any, raw: bytes) -> None:
        if not isinstance(value, dict) or value.get("archive") != KIND:
            self._refuse(f"not a Roundtable log archive (no '{KIND}' header)")
        if value.get("format") != FORMAT:
            self._refuse(f"archive format {value.get('format')!r}; this Roundtable reads {FORMAT}")
        meeting = value.get("meeting")
        if (meeting is not None and not isinstance(meeting, str)) or header(meeting) != raw:
            self._refuse("the header line is not as written")
        self.meeting_id = meeting

    def _trailer(self, raw: bytes) -> None:
        if raw != self.tally.trailer():
            self._refuse(
                f"the trailer does not match the {self.tally.events} events before it "
                "(count, last position or a meeting's head hash)"
            )
        self.ended = True

    def _record(self, value: Any) -> Recorded:
        if not isinstance(value, dict) or set(value) != EVENT_KEYS:
            self._refuse("not an event line (wrong fields)")
        ints = ("position", "version", "schema", "recorded_at")
        texts = ("stream_id", "meeting_id", "event_id", "type", "digest", "hash")
        if not all(type(value[k]) is int for k in ints):
            self._refuse("a number field is not an integer")
        if not all(isinstance(value[k], str) and value[k] for k in texts):
            self._refuse("a text field is empty or not text")
        data, metadata = value["data"], value["metadata"]
        if not (data is None or isinstance(data, dict)) or not isinstance(metadata, dict):
            self._refuse("data or metadata is not a JSON object")
        try:
            meta = Metadata(**metadata)
        except TypeError:
            self._refuse("the metadata has unknown fields")
        return Recorded(
            position=value["position"],
            stream_id=value["stream_id"],
            version=value["version"],
            meeting_id=value["meeting_id"],
            event_id=value["event_id"],
            type=value["type"],
            schema=value["schema"],
            data=None if data is None else orjson.dumps(data),
            digest=value["digest"],
            metadata=meta,
            recorded_at=value["recorded_at"],
            hash=value["hash"],
        )

    def _check(self, record: Recorded) -> None:
        last = self.tally.last_position
        if self.meeting_id is None and record.position != last + 1:
            self._refuse(f"position {record.position} where {last + 1} was due (reordered?)")
        if self.meeting_id is not None:
            if record.meeting_id != self.meeting_id:
                self._refuse(f"an event of meeting {record.meeting_id!r} in an archive of one")
            if record.position <= last:
                self._refuse(f"position {record.position} after {last} (reordered?)")
        version, meeting = self._versions.get(record.stream_id, (0, record.meeting_id))
        if record.version != version + 1:
            self._refuse(
                f"version {record.version} of stream {record.stream_id!r} "
                f"where {version + 1} was due"
            )
        if meeting != record.meeting_id:
            self._refuse(f"stream {record.stream_id!r} belongs to meeting {meeting!r}")
        if record.event_id in self._ids:
            self._refuse(f"event id {record.event_id!r} appears twice")
        if record.data is not None and chain.digest(record.data) != record.digest:
            self._refuse(f"the payload of position {record.position} does not match its digest")
        previous = self.tally.heads.get(record.meeting_id, chain.GENESIS)
        if chain.hash_of(record, previous) != record.hash:
            self._refuse(
                f"the hash of position {record.position} does not follow meeting "
                f"{record.meeting_id!r}'s chain"
            )
        self._versions[record.stream_id] = (record.version, record.meeting_id)
        self._ids.add(record.event_id)


def row(record: Recorded) -> dict[str, object]:
    """The ``events`` table row of a record, exactly as the writer stores it."""
    return {
        "position": record.position,
        "event_id": record.event_id,
        "stream_id": record.stream_id,
        "version": record.version,
        "meeting_id": record.meeting_id,
        "type": record.type,
        "schema": record.schema,
        "data": record.data,
        "digest": record.digest,
        "metadata": record.metadata.encode(),
        "recorded_at": record.recorded_at,
        "hash": record.hash,
    }
