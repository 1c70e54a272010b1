"""Every refusal of the write side, as an exception named for what was refused."""

from __future__ import annotations


class RoundtableError(Exception):
    """Base of all errors that Roundtable reports to a person or a client."""

    code = "error"


class DomainError(RoundtableError):
    """A command that the rules refuse; the message says why in plain words."""

    code = "refused"


class StoreError(RoundtableError):
    """The event store could not do what was asked."""

    code = "store_error"


class UnknownEventType(StoreError):
    code = "unknown_event_type"

    def __init__(self, type_name: str) -> None:
        super().__init__(f"unknown event type {type_name!r}")
        self.type_name = type_name


class UnknownSchemaVersion(StoreError):
    code = "unknown_schema_version"

    def __init__(self, type_name: str, schema: int, current: int) -> None:
        super().__init__(
            f"event type {type_name!r} has no schema version {schema} "
            f"(this Roundtable reads versions 1 to {current})"
        )


class WrongExpectedVersion(StoreError):
    """Optimistic concurrency: the stream moved on since the caller read it."""

    code = "wrong_expected_version"

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, the append expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateEventId(StoreError):
    """Some, but not all, of an append's event ids are already stored (or elsewhere)."""

    code = "duplicate_event_id"

    def __init__(self, stream_id: str, event_ids: list[str]) -> None:
        super().__init__(
            f"append to {stream_id!r} reuses event ids stored with other events: "
            + ", ".join(event_ids)
        )
        self.event_ids = event_ids


class InvalidAppend(StoreError):
    """An append that is malformed whatever the state of the log."""

    code = "invalid_append"


class WriterClosed(StoreError):
    """The single writer has stopped; the append was not written."""

    code = "writer_closed"


class SubscriptionFellBehind(StoreError):
    """A subscriber's buffer overflowed; it resumes with ``subscribe(self.position)``."""

    code = "fell_behind"

    def __init__(self, position: int) -> None:
        super().__init__(f"subscriber fell behind after position {position}; resume from there")
        self.position = position


class CommitFailed(StoreError):
    """The database refused the batch's transaction; none of its events were written."""

    code = "commit_failed"
