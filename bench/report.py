"""Exporting the summary report of a 10,000-comment meeting, in every format.

Writes a citizens'-assembly-sized meeting into a SQLite file through the real store: the
Kamloops plan with TABLES tables, COMMENTS comments spread over them (every tenth a
sub-bullet of the one before it), 120 key-theme sentences, 10 redactions and a published
version 1. Then, in the same run and REPEAT times each (medians): (a) reading and folding
the meeting's events into the report document, as ``roundtable export`` and the download
endpoint do; (b) rendering that document in each format; the bytes of each file.

    .venv/bin/python bench/report.py [--comments 10000] [--tables 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine
from events.log.codec import Event
from events.log.envelope import NewEvent
from events.log.store import EventStore
from events.meeting import structure
from events.meeting.plan import Table
from events.report import events as r
from events.tables import events as c
from events.themes.events import CommentRef
from projections.report_formats import FORMATS, export
from server import reports, template
from server.seed import KAMLOOPS

MEETING = "assembly"
QUESTIONS = ("working-well", "coordination", "advocacy")
TEXT = "more outreach workers downtown at night \N{EN DASH} and “housing first” → fewer calls"


def plan_events(tables: int) -> list[Event]:
    command = template.schedule_command(template.read(KAMLOOPS), MEETING)
    topics = [t.topic_id for t in command.topics]
    numbered = tuple(Table(number=n, topic_id=topics[(n - 1) % 4]) for n in range(1, tables + 1))
    return list(structure.schedule(replace(command, tables=numbered)))


def table_events(table: int, comments: int, start: int) -> list[Event]:
    events: list[Event] = []
    parent = None
    for i in range(comments):
        child = i % 10 == 9 and parent is not None
        cid = f"t{table}-{i}"
        events.append(
            c.CommentAdded(
                comment_id=cid,
                question=QUESTIONS[(i * 3) // comments],
                text=f"Point {i} at table {table}: {TEXT}",
                parent=parent if child else None,
                rotation=1 + (i * 4) // comments,
                group="A",
                phase="roundtables",
                late=False,
                typed_at=start + i * 1_000_000,
                by=f"tablet-{table}",
            )
        )
        if not child:
            parent = cid
        if parent is not None and (i * 3) // comments != ((i + 1) * 3) // comments:
            parent = None  # a sub-bullet's parent is under the same question
    return events


def report_events(tables: int) -> list[Event]:
    events: list[Event] = [
        r.ReportThemeWritten(
            key_theme_id=f"k{n}",
            topic=topic,
            question=question,
            text=f"Key theme {n}: partnerships between agencies and neighbourhood groups",
            by="staff",
        )
        for n, (topic, question) in enumerate(
            (t, q)
            for t in ("crime-prevention", "social-health", "streets-public-spaces",
                      "enforcement-justice")
            for q in QUESTIONS
            for _ in range(10)
        )
    ]  # fmt: skip
    events += [
        r.CommentRedacted(comment=CommentRef(n, f"t{n}-5"), reason="personal", by="staff")
        for n in range(1, min(tables, 10) + 1)
    ]
    return [*events, r.ReportPublished(version=1, by="staff")]


async def write(path: Path, comments: int, tables: int) -> int:
    async with EventStore(str(path), synchronous="NORMAL") as store:
        await _append(store, f"meeting-{MEETING}", plan_events(tables))
        per_table = comments // tables
        await asyncio.gather(
            *(
                _append(store, f"table-{MEETING}-{n}", table_events(n, per_table, 0))
                for n in range(1, tables + 1)
            )
        )
        await _append(store, f"summary-{MEETING}", report_events(tables))
        return await store.last_position()


async def _append(store: EventStore, stream: str, events: list[Event], chunk: int = 200) -> None:
    for first in range(0, len(events), chunk):
        news = [
            NewEvent(event, f"{stream}/{first + i}")
            for i, event in enumerate(events[first : first + chunk])
        ]
        await store.append(stream, news, meeting_id=MEETING, expected_version=None)


def timed(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median seconds of ``work()`` over ``repeat`` runs, and its last result."""
    seconds, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), result


async def measure(path: Path, repeat: int) -> None:
    async with EventStore(str(path)) as store:
        loads = []
        for _ in range(repeat):
            began = time.perf_counter()
            loaded = await reports.load(store, MEETING, 1)
            loads.append(time.perf_counter() - began)
    document = loaded.report
    shown = document["meeting"]["comments"]
    events = document["record"]["events"]
    load = statistics.median(loads)
    print(f"{shown} comments in the appendix, {events} events; {machine()}")
    print()
    print("| step | median | per comment | file |")
    print("|---|---|---|---|")
    print(f"| read + fold + document (version 1) | {load * 1000:.0f} ms | "
          f"{load / shown * 1e6:.1f} µs | — |")  # fmt: skip
    for name in FORMATS:
        seconds, data = timed(lambda n=name: export(document, n), repeat)
        print(
            f"| render {name} | {seconds * 1000:.0f} ms | {seconds / shown * 1e6:.1f} µs | "
            f"{len(data) / 1024:,.0f} KiB |"
        )
    total = sum(timed(lambda n=name: export(document, n), 1)[0] for name in FORMATS)
    print(f"| all five formats from one read | {(load + total) * 1000:.0f} ms | — | — |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assembly.db"
        began = time.perf_counter()
        events = asyncio.run(write(path, args.comments, args.tables))
        print(f"wrote {events} events in {time.perf_counter() - began:.1f} s")
        asyncio.run(measure(path, args.repeat))


if __name__ == "__main__":
    main()
