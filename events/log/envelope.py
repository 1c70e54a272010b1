"""What goes into the log (``NewEvent``) and what comes out of it (``Recorded``).

``Recorded`` and ``Metadata`` are msgspec structs: a log read builds one of each per event,
and a frozen dataclass's constructor cost more than reading the row (``bench/replay.py``).
Neither is tracked by the garbage collector (``gc=False``): they hold only strings, numbers,
bytes and (``Recorded``) a ``Metadata``, and are frozen, so they can never be part of a
reference cycle; tracked, the writer's one ``Recorded`` per event set off the collections that
cost 8% of an append's CPU (``bench/append.py``, 200 callers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import msgspec
import orjson

from events.log.codec import Codec, Event, codec


class Metadata(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Who and what caused an event; stored beside it and covered by its hash."""

    actor: str | None = None
    device_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None

    def encode(self) -> bytes:
        """JSON with the fields in their declared order, byte for byte what every log's hash
        chain was written over (keys sorted would break the chain of every log written so
        far: ``tests/test_first_log.py``)."""
        return orjson.dumps(msgspec.structs.asdict(self))

    @classmethod
    def decode(cls, data: bytes) -> Metadata:
        return _metadata.decode(data)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event on its way into the log, with the id that makes resending it harmless."""

    event: Event
    event_id: str
    metadata: Metadata = field(default_factory=Metadata)


class Recorded(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One event as the log holds it: raw stored bytes plus where and when it was written.

    ``data`` is ``None`` when the payload was erased; ``digest`` still stands for it, so the
    meeting's hash chain keeps verifying. ``stand_in`` is then what the store found for it in
    the erasure (``events.erasure``): the payload with its words replaced by a marker.
    """

    position: int
    stream_id: str
    version: int
    meeting_id: str
    event_id: str
    type: str
    schema: int
    data: bytes | None
    digest: str
    metadata: Metadata
    recorded_at: int
    hash: str
    stand_in: bytes | None = None

    def decode(self, registry: Codec = codec) -> Event:
        """The typed event, upcast to the current shape of its type."""
        data = self.data if self.data is not None else self.stand_in
        if data is None:
            raise ValueError(f"the payload of position {self.position} was erased")
        return registry.decode(self.type, self.schema, data)

    @property
    def recorded_at_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.recorded_at / 1_000_000, tz=UTC)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every stored field (data decoded as JSON, not upcast)."""
        values = msgspec.structs.asdict(self)
        del values["stand_in"]
        values["data"] = None if self.data is None else orjson.loads(self.data)
        values["metadata"] = msgspec.structs.asdict(self.metadata)
        return values


_metadata = msgspec.json.Decoder(Metadata)
