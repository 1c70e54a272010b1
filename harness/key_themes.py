"""The Kamloops evening typed in and themed, for the report-back's tests and screenshots.

The facilitators' comments go in over the live protocol, spread over the four rotations as
the evening had them; the lead then promotes the published report's key themes, in its order,
each gathering the comments of its topic and question that share the most words with it, and
the facilitators star a few. Everything is a protocol command against a real server.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson

from client.live import LiveClient
from client.simulation import Typed, add_comment, comment_id, comments_of
from events.instants import MINUTE
from events.log.store import now_micros
from events.themes.commands import MAX_TITLE
from harness.servers import Server, serve, start_evening, token
from server import seed

DATA: dict[str, Any] = orjson.loads(seed.KAMLOOPS.read_bytes())
Scope = tuple[str, str]
ROTATION = 15 * MINUTE
"""The rehearsal's rotations (Kamloops: four of 15 minutes)."""


async def seed_started(db: str, started: int) -> str:
    """The Kamloops rehearsal, opened, its roundtables started at ``started`` (µs): 70 minutes
    before the report-back (four rotations of 15 minutes and a 10-minute break)."""
    return await start_evening(db, started, planned_before=2 * MINUTE)


T = TypeVar("T")


@contextlib.contextmanager
def served(
    tmp: Path, minutes_ago: int, fill: Callable[[Server, str], Awaitable[T]]
) -> Iterator[tuple[Server, str, T]]:
    """A real server on ``tmp``: the rehearsal started ``minutes_ago``, filled by ``fill`` (the
    evening typed in, themed...) over the live protocol. Yields the server, the meeting and
    what ``fill`` returned. For a module's fixture: its own loop, not the session's."""
    db = str(tmp / "evening.db")
    with contextlib.closing(asyncio.new_event_loop()) as loop:
        started = now_micros() - minutes_ago * MINUTE
        meeting_id = loop.run_until_complete(seed_started(db, started))
        with serve(db, logs=tmp) as server:
            yield server, meeting_id, loop.run_until_complete(fill(server, meeting_id))


def topic_of(table: int) -> str:
    return next(str(t["topic"]) for t in DATA["tables"] if t["number"] == table)


def title(text: str) -> str:
    """A key theme's text as a theme title: at most 120 characters, cut at a word."""
    if len(text) <= MAX_TITLE:
        return text
    return text[: MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def supporting(text: str, candidates: list[Typed], most: int = 4) -> list[Typed]:
    """The comments that share the most words with a key theme's text (at least the first)."""
    words = _words(text)
    scored = sorted(candidates, key=lambda c: -len(words & _words(c.text)))
    chosen = [c for c in scored[:most] if words & _words(c.text)] or candidates[:1]
    return [c for c in candidates if c in chosen]


async def type_evening(url: str, meeting_id: str) -> int:
    """Every comment of the evening, by the lead's laptop for each table, the first quarter of
    a table's comments typed in rotation 1 and so on (every rotation must have started)."""
    async with LiveClient(url, token(meeting_id, "lead", device="typist")) as client:
        started = client.state["views"]["meeting"]["clock"]["started_at"]
        pending = []
        for table, typed in sorted(comments_of(DATA).items()):
            rotation_of: dict[str, int] = {}
            tops = [c for c in typed if c.parent is None]
            for item in typed:
                if item.parent is None:
                    rotation_of[item.data_id] = 1 + tops.index(item) * 4 // len(tops)
                rotation = rotation_of.get(item.data_id) or rotation_of[str(item.parent)]
                data = add_comment(meeting_id, table, item)
                data["typed_at"] = started + (rotation - 1) * ROTATION + MINUTE
                pending.append(client.submit("add_comment", data, command_id=data["comment_id"]))
        acks = await asyncio.gather(*pending)
    return len(acks)


def key_themes() -> dict[Scope, list[dict[str, Any]]]:
    """The published key themes by topic and question, in the report's order."""
    found: dict[Scope, list[dict[str, Any]]] = {}
    for item in DATA["key_themes"]:
        found.setdefault((item["topic"], item["question"]), []).append(item)
    return found


async def promote(
    url: str, meeting_id: str, *, skip: set[Scope] | None = None, prefix: str = "k"
) -> dict[Scope, list[str]]:
    """As the lead: create each key theme, gather its comments, mark it key (each new key theme
    goes last: the report's order) and star its first comment at its table. The titles
    promoted, by topic and question."""
    by_table = comments_of(DATA)
    promoted: dict[Scope, list[str]] = {}
    async with LiveClient(url, token(meeting_id, "lead", device="lead-laptop")) as lead:
        for (topic, question), items in key_themes().items():
            if skip and (topic, question) in skip:
                continue
            table = next(int(t["number"]) for t in DATA["tables"] if t["topic"] == topic)
            candidates = [c for c in by_table[table] if c.question == question]
            for index, item in enumerate(items):
                theme_id = f"{prefix}-{topic}-{question}-{index}"
                name = title(item["text"])
                await theme(lead, theme_id, name, topic, question)
                chosen = supporting(item["text"], candidates)
                for each in chosen:
                    ref = {"theme_id": theme_id, "table": table}
                    cid = comment_id(meeting_id, each.data_id)
                    await lead.command("add_to_theme", {**ref, "comment_id": cid})
                await lead.command("set_key_theme", {"theme_id": theme_id, "key": True})
                first = comment_id(meeting_id, chosen[0].data_id)
                await lead.command("star_comment", {"comment_id": first, "table": table})
                promoted.setdefault((topic, question), []).append(name)
    return promoted


async def theme(lead: LiveClient, theme_id: str, name: str, topic: str, question: str) -> None:
    data = {"theme_id": theme_id, "title": name, "topic": topic, "question": question}
    await lead.command("create_theme", data)
