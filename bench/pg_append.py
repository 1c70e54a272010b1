"""Appends on PostgreSQL: events/s, commits/s and CPU per event, with one writer and with two.

Each writer is an ``EventStore`` of its own, as each server process has; ``--callers`` callers
share the writers, each appending one comment-sized event at a time to a stream of its own
(``expected_version`` checked), so that the writers commit in batches and, with two, race for
the log. Prints, per run, events/s, the appends' latency, the commits (counted as the
notifications they send, ``events.log.notice``) and the CPU time per event of this process
(the writers) and of the PostgreSQL backends serving the database.

    .venv/bin/python bench/pg_append.py [--admin-url URL] [--callers 200] [--per-caller 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.append import bench_codec, new_event
from bench.figures import latency, machine
from bench.scale_out import ADMIN_URL, backends, load_generator
from events.log.log_listener import CHANNEL
from events.log.store import EventStore, asyncpg_dsn
from harness.throwaway import throwaway_database


async def run(url: str, database: str, writers: int, callers: int, per_caller: int) -> None:
    latencies: list[float] = []
    stores = [EventStore(url, codec=bench_codec) for _ in range(writers)]
    for store in stores:
        await store.open()

    async def caller(n: int) -> None:
        store = stores[n % writers]
        for version in range(per_caller):
            t = time.perf_counter()
            await store.append(
                f"{writers}-tablet-{n}",
                [new_event(n * per_caller + version)],
                meeting_id=f"bench-{writers}",
                expected_version=version,
            )
            latencies.append(time.perf_counter() - t)

    postgres = backends(database)
    notices: list[str] = []
    listening = await asyncpg.connect(asyncpg_dsn(url))
    await listening.add_listener(CHANNEL, lambda *heard: notices.append(heard[-1]))
    cpu, pg_cpu = load_generator(), postgres()
    started = time.perf_counter()
    await asyncio.gather(*(caller(n) for n in range(callers)))
    elapsed = time.perf_counter() - started
    cpu, pg_cpu = load_generator() - cpu, postgres() - pg_cpu
    for store in stores:
        await store.close()
    await listening.close()  # every commit's notice has come: the stores' own came after it
    committed = len(notices)
    events = callers * per_caller
    print(f"{writers} writer(s): {events / elapsed:,.0f} events/s; append {latency(latencies)}")
    print(
        f"  PostgreSQL commits: {committed / elapsed:,.0f}/s ({events / committed:.1f} events "
        f"each); CPU per event: writers {cpu / events * 1000:.3f} ms, "
        f"PostgreSQL {pg_cpu / events * 1000:.3f} ms; {machine()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL, help="where to make a throwaway database")
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--per-caller", type=int, default=100)
    args = parser.parse_args()
    print(machine())
    name = f"roundtable_append_{os.getpid()}"
    with throwaway_database(args.admin_url, name) as url:
        for writers in (1, 2):
            asyncio.run(run(url, name, writers, args.callers, args.per_caller))


if __name__ == "__main__":
    main()
