"""When a comment was typed: the tablet's word, kept within what the server knows.

A tablet sends ``typed_at`` (its clock corrected by its offset). The server never refuses a
point for its time: it stores the claim clamped into [the meeting's opening, the arrival]
(before the meeting opens, the arrival itself) and marks the comment ``clamped`` when it had
to move it. A log written before this rule may hold any 64-bit value; everything that reads
the log uses ``readable``, which keeps a stored value within a day before its recording.
"""

from __future__ import annotations

from events.instants import MINUTE

INT64 = (-(2**63), 2**63 - 1)
"""The values a ``typed_at`` may have at all (else the command is refused as malformed)."""
READ_BACK = 24 * 60 * MINUTE
"""How far before its recording a stored ``typed_at`` is believed, when reading the log."""


def placed(claimed: int | None, *, opened_at: int | None, arrived_at: int) -> tuple[int, bool]:
    """``(typed_at, clamped)`` of a new comment arriving at ``arrived_at``."""
    if claimed is None:
        return arrived_at, False
    earliest = opened_at if opened_at is not None and opened_at <= arrived_at else arrived_at
    typed_at = min(max(claimed, earliest), arrived_at)
    return typed_at, typed_at != claimed


def readable(typed_at: int, recorded_at: int) -> int:
    """A stored ``typed_at`` as the tools read it: within [a day before, the recording]."""
    return min(max(typed_at, recorded_at - READ_BACK), recorded_at)
