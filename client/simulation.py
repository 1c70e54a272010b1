"""Facilitators typing, played against a live server: the Kamloops comments by default.

One client per table types that table's comments in order, under their questions, with
sub-bullets under their parents, at ``rate`` comments per second, each stamped with when it
was typed on the server's clock (the server places it in the rotation of that instant).
Comment and command ids come from the data's ids, so playing the same evening twice adds
nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from client.live import LiveClient, Message

NAMESPACE = uuid.UUID("0b6f4a2e-3c1d-4e5f-8a9b-7c6d5e4f3a2b")


@dataclass(frozen=True, slots=True)
class Typed:
    """One comment of the data file, as a facilitator will type it."""

    data_id: str
    table: int
    question: str
    text: str
    parent: str | None


def comments_of(meeting: dict[str, Any], tables: int | None = None) -> dict[int, list[Typed]]:
    """The data file's comments per table, in document order (parents before sub-bullets)."""
    by_table: dict[int, list[Typed]] = {}
    for c in meeting["comments"]:
        if tables is not None and c["table"] > tables:
            continue
        by_table.setdefault(c["table"], []).append(
            Typed(c["id"], c["table"], c["question"], c["text"], c["parent"])
        )
    return by_table


def comment_id(meeting_id: str, data_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{meeting_id}/{data_id}"))


def add_comment(meeting_id: str, table: int, item: Typed) -> Message:
    """The ``add_comment`` data of one comment of the data file, typed at ``table``."""
    return {
        "comment_id": comment_id(meeting_id, item.data_id),
        "question": item.question,
        "text": item.text,
        "parent": comment_id(meeting_id, item.parent) if item.parent else None,
        "table": table,
    }


async def type_table(
    url: str, token: str, meeting_id: str, table: int, typed: list[Typed], rate: float
) -> int:
    """Type one table's comments; returns how many the server acknowledged."""
    acked = 0
    async with LiveClient(url, token) as client:
        pending = []
        for item in typed:
            data = add_comment(meeting_id, table, item)
            data["typed_at"] = client.server_now()
            pending.append(client.submit("add_comment", data, command_id=data["comment_id"]))
            if rate > 0:
                await asyncio.sleep(1 / rate)
        for ack in await asyncio.gather(*pending):
            acked += ack["type"] == "ack"
    return acked


async def simulate(
    url: str, token: str, meeting: dict[str, Any], meeting_id: str, tables: int | None, rate: float
) -> int:
    """Type every table's comments at once, as the facilitators would; the number acked."""
    by_table = comments_of(meeting, tables)
    counts = await asyncio.gather(
        *(
            type_table(url, token, meeting_id, n, typed, rate)
            for n, typed in sorted(by_table.items())
        )
    )
    return sum(counts)
