"""A plain in-memory model of the log's rules: the oracle for the property tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ModelLog:
    """What the event store must do, with none of its machinery."""

    events: list[tuple[str, str, int]] = field(default_factory=list)  # (event_id, stream, version)
    streams: dict[str, int] = field(default_factory=dict)
    meetings: dict[str, str] = field(default_factory=dict)
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # event_id -> (stream, position)

    def append(
        self, stream: str, meeting: str, event_ids: list[str], expected: int | None
    ) -> tuple[int, ...] | str:
        """Positions written (or found, for a resend), or the name of the refusal."""
        if len(set(event_ids)) != len(event_ids):
            return "InvalidAppend"
        known = [self.ids.get(i) for i in event_ids]
        if all(k is not None and k[0] == stream for k in known):
            return tuple(k[1] for k in known if k is not None)
        if any(k is not None for k in known):
            return "DuplicateEventId"
        if self.meetings.get(stream, meeting) != meeting:
            return "InvalidAppend"
        version = self.streams.get(stream, 0)
        if expected is not None and expected != version:
            return "WrongExpectedVersion"
        positions = []
        for event_id in event_ids:
            version += 1
            self.events.append((event_id, stream, version))
            self.ids[event_id] = (stream, len(self.events))
            positions.append(len(self.events))
        self.streams[stream] = version
        self.meetings[stream] = meeting
        return tuple(positions)
