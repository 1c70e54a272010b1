"""Tamper evidence: a hash chain per meeting over every event's digest and metadata.

``digest`` covers an event's payload bytes; ``hash`` covers the digest, the event's place in
the log, its metadata and the previous hash in the same meeting. A payload can therefore be
erased (privacy law) and the chain still verifies against the stored digest, while any other
change to a stored byte breaks it at that event.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable
from dataclasses import dataclass

import orjson

from events.log.envelope import Recorded

GENESIS = "0" * 64
"""The ``previous hash`` of a meeting's first event."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link(
    previous: str,
    position: int,
    stream_id: str,
    version: int,
    meeting_id: str,
    event_id: str,
    type: str,
    schema: int,
    digest: str,
    metadata: str,
    recorded_at: int,
) -> str:
    """The hash of one event, chained to ``previous``; ``metadata`` is its stored bytes as
    text, as the header holds them. Called per event by the writer, by position: keywords
    and a trip through ``codec.canonical`` cost more than the hash. The header is a JSON array
    of strings and integers, which plain ``orjson.dumps`` writes canonically."""
    return hashlib.sha256(
        orjson.dumps(
            [
                previous,
                position,
                stream_id,
                version,
                meeting_id,
                event_id,
                type,
                schema,
                digest,
                metadata,
                recorded_at,
            ]
        )
    ).hexdigest()


def hash_of(record: Recorded, previous: str) -> str:
    return link(
        previous,
        position=record.position,
        stream_id=record.stream_id,
        version=record.version,
        meeting_id=record.meeting_id,
        event_id=record.event_id,
        type=record.type,
        schema=record.schema,
        digest=record.digest,
        metadata=record.metadata.encode().decode(),
        recorded_at=record.recorded_at,
    )


@dataclass(slots=True)
class ChainReport:
    """The outcome of verifying one meeting's chain."""

    meeting_id: str
    events: int = 0
    head: str = GENESIS
    broken_at: int | None = None
    reason: str = ""
    erased: int = 0
    """Events whose payload was erased (``events.erasure``): their digests still count."""

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def describe(self) -> str:
        if self.intact:
            plural = "" if self.erased == 1 else "s"
            return (
                f"{self.meeting_id}: intact: {self.events} events, head {self.head}, "
                f"{self.erased} payload{plural} erased"
            )
        return f"{self.meeting_id}: BROKEN at position {self.broken_at}: {self.reason}"


async def verify(records: AsyncIterable[Recorded]) -> dict[str, ChainReport]:
    """Check every meeting's chain in one pass over the log, in position order."""
    reports: dict[str, ChainReport] = {}
    last_position = 0
    async for record in records:
        report = reports.setdefault(record.meeting_id, ChainReport(record.meeting_id))
        if record.position <= last_position:
            _break(report, record, f"position {record.position} is out of order")
        last_position = record.position
        if not report.intact:
            continue
        if record.data is not None and digest(record.data) != record.digest:
            _break(report, record, "the payload does not match its digest")
        elif hash_of(record, report.head) != record.hash:
            _break(report, record, "the hash does not match the chain")
        else:
            report.events += 1
            report.erased += record.data is None
            report.head = record.hash
    return reports


def _break(report: ChainReport, record: Recorded, reason: str) -> None:
    if report.intact:
        report.broken_at = record.position
        report.reason = reason
