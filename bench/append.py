"""Durable append throughput and latency of the event store on a SQLite file.

Prints events/s and append latency (p50/p99/max) for (a) one caller at a time and (b) many
concurrent callers (group commit), with idempotency checks and hash chains on, as always;
and, in the same run, the raw limit of stdlib sqlite3 writing the same rows with
``executemany`` in one transaction on a WAL file, with our ratio to it.

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine
from events.codec import Codec, Event
from events.envelope import Metadata, NewEvent
from events.store import EventStore

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


async def single(path: Path, count: int) -> tuple[float, list[float]]:
    latencies = []
    async with EventStore(str(path), codec=bench_codec) as store:
        started = time.perf_counter()
        for i in range(count):
            t = time.perf_counter()
            await store.append(
                f"table-{i % 4}", [new_event(i)], meeting_id="bench", expected_version=None
            )
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - started
    return count / elapsed, latencies


async def concurrent(path: Path, callers: int, per_caller: int) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def caller(n: int) -> None:
        for version in range(per_caller):
            t = time.perf_counter()
            await store.append(
                f"tablet-{n}",
                [new_event(n * per_caller + version)],
                meeting_id="bench",
                expected_version=version,
            )
            latencies.append(time.perf_counter() - t)

    async with EventStore(str(path), codec=bench_codec) as store:
        started = time.perf_counter()
        await asyncio.gather(*(caller(n) for n in range(callers)))
        elapsed = time.perf_counter() - started
        assert await store.last_position() == callers * per_caller
    return callers * per_caller / elapsed, latencies


def raw_sqlite(source: Path, target: Path) -> float:
    """The same rows, copied by stdlib sqlite3 in one transaction: the floor we compare to."""
    with sqlite3.connect(source) as db:
        rows = db.execute("SELECT * FROM events ORDER BY position").fetchall()
        schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(schema)
    marks = ",".join("?" * len(rows[0]))
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO events VALUES ({marks})", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--per-caller", type=int, default=50)
    parser.add_argument("--single", type=int, default=2000)
    args = parser.parse_args()
    print(f"{machine()}; SQLite file, WAL, synchronous=FULL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rate, latencies = asyncio.run(single(folder / "single.db", args.single))
        print(f"(a) one caller at a time: {rate:,.0f} events/s; latency {latency(latencies)}")
        rate_many, latencies = asyncio.run(
            concurrent(folder / "many.db", args.callers, args.per_caller)
        )
        print(
            f"(b) {args.callers} concurrent callers: {rate_many:,.0f} events/s; "
            f"latency {latency(latencies)}"
        )
        raw = raw_sqlite(folder / "many.db", folder / "raw.db")
        print(f"raw stdlib sqlite3 executemany, one transaction: {raw:,.0f} rows/s")
        print(f"ratio (b) / raw: {rate_many / raw:.3f}")


if __name__ == "__main__":
    main()
