"""Durable append throughput and latency of the event store on a SQLite file.

Prints events/s and append latency (p50/p99/max) for (a) one caller at a time and (b) many
concurrent callers (group commit), with idempotency checks and hash chains on, as always.
In the same run, two floors of stdlib sqlite3 on a WAL file with ``synchronous=FULL``:
beside (a), (a)'s rows committed one per transaction (what one commit with its fsync takes
on this disk: a single caller cannot be faster); beside (b), the raw limit, the same rows
with ``executemany`` in one transaction, and the same in transactions of as many rows as
there are callers (each waits for its own commit, so (b) commits that often); with our ratio
to each. Each prints its CPU
time (this process, both threads) per event: on a shared machine it is the figure that does
not follow the neighbours. The events are made before the clock starts, as the raw floor's
rows are: making an event id (``uuid4``) is the caller's cost, not the store's.

    .venv/bin/python bench/append.py [--callers 200] [--per-caller 50] [--single 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine, p99
from events.log.codec import Codec, Event
from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore

bench_codec = Codec()


@bench_codec.register
@dataclass(frozen=True, slots=True, kw_only=True)
class CommentTyped(Event):
    """A comment-sized event, as a tablet sends them."""

    type = "BenchCommentTyped"
    question: str
    text: str


def new_event(i: int) -> NewEvent:
    return NewEvent(
        CommentTyped(question="coordination", text=f"Detox and treatment beds, point {i}"),
        str(uuid.uuid4()),
        Metadata(actor="facilitator", device_id=f"tablet-{i % 40}"),
    )


@dataclass(frozen=True, slots=True)
class Run:
    """One timed run: its rate, each append's latency, and CPU seconds per event."""

    rate: float
    latencies: list[float]
    cpu_per_event: float

    def describe(self) -> str:
        return (
            f"{self.rate:,.0f} events/s; latency {latency(self.latencies)}; "
            f"CPU {self.cpu_per_event * 1e6:.1f} µs an event"
        )


async def single(path: Path, count: int) -> Run:
    latencies = []
    events = [new_event(i) for i in range(count)]
    async with EventStore(str(path), codec=bench_codec) as store:
        started, cpu = time.perf_counter(), time.process_time()
        for i, event in enumerate(events):
            t = time.perf_counter()
            await store.append(f"table-{i % 4}", [event], meeting_id="bench", expected_version=None)
            latencies.append(time.perf_counter() - t)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Run(count / elapsed, latencies, cpu / count)


async def concurrent(path: Path, callers: int, per_caller: int) -> Run:
    latencies: list[float] = []
    events = [new_event(i) for i in range(callers * per_caller)]

    async def caller(n: int) -> None:
        for version in range(per_caller):
            t = time.perf_counter()
            await store.append(
                f"tablet-{n}",
                [events[n * per_caller + version]],
                meeting_id="bench",
                expected_version=version,
            )
            latencies.append(time.perf_counter() - t)

    count = callers * per_caller
    async with EventStore(str(path), codec=bench_codec) as store:
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(caller(n) for n in range(callers)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert await store.last_position() == count
    return Run(count / elapsed, latencies, cpu / count)


def copy_target(
    source: Path, target: Path
) -> tuple[list[tuple[object, ...]], sqlite3.Connection, str]:
    """``source``'s stored rows, a new WAL file (``synchronous=FULL``) with the same table and
    the same indexes (the meeting's index too: each is a tree every row goes into), and the
    statement that inserts one row into it."""
    with sqlite3.connect(source) as db:
        rows = db.execute("SELECT * FROM events ORDER BY position").fetchall()
        schema = db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL "
            "ORDER BY type = 'index'"
        ).fetchall()
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    for (statement,) in schema:
        db.execute(statement)
    return rows, db, f"INSERT INTO events VALUES ({','.join('?' * len(rows[0]))})"


def raw_sqlite(source: Path, target: Path, size: int | None = None) -> tuple[float, float]:
    """The same rows, copied by stdlib sqlite3 with ``executemany``, ``size`` rows a
    transaction (all in one by default): the floor we compare to."""
    rows, db, insert = copy_target(source, target)
    size = size or len(rows)
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), size):
        db.execute("BEGIN")
        db.executemany(insert, rows[start : start + size])
        db.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return len(rows) / elapsed, cpu / len(rows)


def single_floor(source: Path, target: Path) -> Run:
    """(a)'s rows, one per transaction by stdlib sqlite3: the disk's own commit latency."""
    rows, db, insert = copy_target(source, target)
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        t = time.perf_counter()
        db.execute("BEGIN")
        db.execute(insert, row)
        db.execute("COMMIT")
        latencies.append(time.perf_counter() - t)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return Run(len(rows) / elapsed, latencies, cpu / len(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--per-caller", type=int, default=50)
    parser.add_argument("--single", type=int, default=2000)
    args = parser.parse_args()
    print(f"{machine()}; SQLite file, WAL, synchronous=FULL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = asyncio.run(single(folder / "single.db", args.single))
        print(f"(a) one caller at a time: {one.describe()}")
        floor = single_floor(folder / "single.db", folder / "single-floor.db")
        print(f"(a) floor, stdlib sqlite3, one row a commit: {floor.describe()}")
        print(
            f"ratio (a) / its floor: p50 {median(one.latencies) / median(floor.latencies):.1f}x, "
            f"p99 {p99(one.latencies) / p99(floor.latencies):.1f}x"
        )
        many = asyncio.run(concurrent(folder / "many.db", args.callers, args.per_caller))
        print(f"(b) {args.callers} concurrent callers: {many.describe()}")
        raw, raw_cpu = raw_sqlite(folder / "many.db", folder / "raw.db")
        print(
            f"raw stdlib sqlite3 executemany, one transaction: {raw:,.0f} rows/s; "
            f"CPU {raw_cpu * 1e6:.1f} µs a row"
        )
        print(
            f"ratio (b) / raw: {many.rate / raw:.3f}; "
            f"CPU an event, (b) / raw: {many.cpu_per_event / raw_cpu:.1f} times"
        )
        batched, batched_cpu = raw_sqlite(folder / "many.db", folder / "batched.db", args.callers)
        print(
            f"raw, {args.callers} rows a transaction (as often as (b) commits): "
            f"{batched:,.0f} rows/s; CPU {batched_cpu * 1e6:.1f} µs a row; "
            f"ratio (b) / it: {many.rate / batched:.3f}"
        )


if __name__ == "__main__":
    main()
