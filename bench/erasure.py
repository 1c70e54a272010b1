"""Erasing a comment's words while the live views follow the log.

Writes bench/replay.py's synthetic log (MEETINGS meetings of EVENTS events over TABLES table
streams), opens the store with the server's live views, and erases ERASURES comments of one
meeting one after the other (``server.erasure.erase``, as the staff page and the lead do). It
times each erasure (read the streams, decide, append and null the payloads in one
transaction) and how long the live views take to fold that meeting again from the log (they
do at every erasure, so that no view keeps the words), then reading and decoding the
meeting's events before and after (erased events read as their stand-ins).

    .venv/bin/python bench/erasure.py [--meetings 4] [--events 10000] [--tables 40] [--erasures 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine
from bench.replay import write_log
from events.log.envelope import Metadata
from events.log.store import EventStore
from server import erasure
from server.live.views import LiveViews

MEETING = "bench-1"
TABLES_IN_PLAN = 4
"""The Kamloops plan's tables: the comments erased are at these."""


def added(tables: int, count: int) -> list[tuple[int, str]]:
    """``count`` comments bench/replay.py added to the meeting at the plan's tables: its
    ``i``-th comment event is at table ``i % tables + 1`` and is an addition from 6 to 99
    of every 100."""
    found: list[tuple[int, str]] = []
    i = 0
    while len(found) < count:
        if i % tables < TABLES_IN_PLAN and i % 100 >= 6:
            found.append((i % tables + 1, f"c1-{i}"))
        i += 1
    return found


async def read_meeting(store: EventStore) -> float:
    started = time.perf_counter()
    async for record in store.read_all(meeting_id=MEETING, batch=10_000):
        record.decode()
    return time.perf_counter() - started


async def measure(path: Path, tables: int, erasures: int) -> None:
    async with EventStore(str(path)) as store:
        views = LiveViews(store)
        await views.start()
        before = await read_meeting(store)
        erased, refolded = [], []
        for n, (table, comment_id) in enumerate(added(tables, erasures)):
            data = {"table": table, "comment_id": comment_id, "reason": "bench"}
            order = erasure.check({**data, "show_reason": False})
            started = time.perf_counter()
            done = await erasure.erase(
                store, MEETING, order, command_id=f"erase-{n}", metadata=Metadata(actor="bench")
            )
            appended = time.perf_counter()
            await views.wait_for(done.position)
            erased.append(appended - started)
            refolded.append(time.perf_counter() - appended)
        after = await read_meeting(store)
        await views.stop()
    print(f"erase (decide, append, null the payloads): {latency(erased)}")
    print(f"live views folded again from the log: {latency(refolded)}")
    print(f"read and decode the meeting: {before:.3f} s before, {after:.3f} s after the erasures")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=4)
    parser.add_argument("--events", type=int, default=10_000, help="events per meeting")
    parser.add_argument("--tables", type=int, default=40, help="table streams per meeting")
    parser.add_argument("--erasures", type=int, default=20)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "erasure.db"
        total = write_log(path, args.meetings, args.events, args.tables)
        print(f"{total:,} events, {args.events:,} in the meeting erased from")
        asyncio.run(measure(path, args.tables, args.erasures))
    print(machine())


if __name__ == "__main__":
    main()
