"""The live load of ``bench/live.py`` on SQLite, on PostgreSQL with one server process and with
two workers, one after the other in one run; where each one's CPU went.

For each: ack and delivery latency (p50/p99/max), the server's peak memory, and the CPU time
(user + system, from ``/proc``) spent while the tablets typed, per comment, split between
the server's processes, the PostgreSQL backends serving the bench's database (found by their
process titles) and the load generator (this process: 220 clients). Then the ratios the
scale-out is judged by: PostgreSQL's ack p99 to SQLite's, two workers' to one's.

    .venv/bin/python bench/scale_out.py [--admin-url URL] [--tablets 200] [--viewers 20]
        [--seconds 20]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine, p99
from bench.live import Load, process_cpu, serve_and_play
from harness.throwaway import throwaway_database

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def backends(database: str) -> Callable[[], float]:
    """CPU seconds so far of the PostgreSQL backends connected to ``database``; a backend that
    started since the first reading counts from zero, one that ended is lost (the bench's
    connections are pooled and stay open while the tablets type)."""

    def cpu() -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                title = (entry / "cmdline").read_bytes()
                if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                    total += process_cpu(int(entry.name))
        return total

    return cpu


def load_generator() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(args: argparse.Namespace, label: str, db: str, workers: int, database: str) -> Load:
    """One configuration: seed the evening, serve it, play the load, print the figures."""
    meters = {"load generator": load_generator}
    if database:
        meters["PostgreSQL"] = backends(database)
    print(f"{label}: {machine()}")
    load, memory = serve_and_play(args, db, workers, meters)
    comments = len(load.acks)
    split = {"server": load.cpu, **load.split}
    shares = ", ".join(f"{name} {cpu / comments * 1000:.2f} ms" for name, cpu in split.items())
    print(f"  ack      {latency(load.acks)}")
    print(f"  delivery {latency(load.deliveries)}")
    print(f"  server peak memory {memory}")
    print(f"  CPU per comment: {shares}")
    if load.refused:
        print(f"  refused: {dict(load.refused)}")
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL, help="where to make throwaway databases")
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print(
        f"{machine()}; {args.tablets} tablets at 1 comment/s, {args.viewers} viewers, "
        f"{args.seconds:.0f} s each"
    )
    with tempfile.TemporaryDirectory() as folder:
        sqlite = run(args, "SQLite, 1 process", str(Path(folder) / "bench.db"), 1, "")
    loads = {}
    for workers in (1, 2):
        name = f"roundtable_scale_{os.getpid()}_{workers}"
        with throwaway_database(args.admin_url, name) as url:
            loads[workers] = run(args, f"PostgreSQL, {workers} process(es)", url, workers, name)
    print(f"ack p99, PostgreSQL 1 process / SQLite: {p99(loads[1].acks) / p99(sqlite.acks):.2f}x")
    print(f"ack p99, PostgreSQL 2 workers / 1: {p99(loads[2].acks) / p99(loads[1].acks):.2f}x")
    print(f"at the end: {machine()}")


if __name__ == "__main__":
    main()
