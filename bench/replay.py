"""Rebuilding every view from position 0, beside the raw rate of reading the same rows.

Writes a synthetic log (MEETINGS closed meetings of the Kamloops plan and one open one, each
of EVENTS events: its structure and opening, comments spread over TABLES table streams: adds,
with 5% edits and 2% retractions, and its close) by raw inserts with real digests and hash
chains, then in the same run times:
the raw floor (every row through stdlib sqlite3, payload and metadata decoded by orjson,
nothing built); (a) reading and decoding every row through ``EventStore.read_all``; (b)
rebuilding every view (``server.cli.fold``, as ``roundtable rebuild`` does) and rendering each to
canonical JSON; (c) rebuilding one meeting of EVENTS events on its own; (d) STARTS start-ups
of ``roundtable serve`` on the log, each until ``/healthz`` answers. (a) and (b) are printed
by wall and CPU time, each as a fraction of the floor's rate; (d) by wall and the server's CPU.

    .venv/bin/python bench/replay.py [--meetings 100] [--events 10000] [--tables 40] [--starts 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine
from bench.live import SECRET, free_port
from events.instants import MINUTE
from events.log import archive, chain
from events.log.codec import Event, codec
from events.log.envelope import Metadata, Recorded
from events.log.store import EventStore
from events.meeting import events as m
from events.meeting import structure
from events.tables import events as e
from server import template
from server.cli.fold import fold
from server.seed import KAMLOOPS

QUESTIONS = ("working-well", "coordination", "advocacy")


def meeting_events(
    number: int, events: int, tables: int, *, closed: bool
) -> list[tuple[str, Event]]:
    """One meeting's (stream, event) pairs: its structure and its opening, then its tables'
    comments, then its close if ``closed``."""
    command = template.schedule_command(template.read(KAMLOOPS), f"bench-{number}")
    start = command.agenda[0].start
    stream = f"meeting-bench-{number}"
    pairs: list[tuple[str, Event]] = [(stream, x) for x in structure.schedule(command)]
    pairs.append((stream, m.MeetingOpened(at=start)))
    added: dict[int, list[str]] = {}
    for i in range(events - len(pairs) - closed):
        table = i % tables + 1
        ids = added.setdefault(table, [])
        stream = f"table-bench-{number}-{table}"
        by = f"tablet-{table}"
        event: Event
        if i % 100 < 5 and ids:
            event = e.CommentEdited(comment_id=ids[-1], text=f"point {i}, corrected", by=by)
        elif i % 100 == 5 and ids:
            event = e.CommentRetracted(comment_id=ids.pop(0), by=by)
        else:
            cid = f"c{number}-{i}"
            ids.append(cid)
            event = e.CommentAdded(
                comment_id=cid,
                question=QUESTIONS[i % 3],
                text=f"point {i} at table {table}: more outreach workers downtown at night",
                parent=None,
                rotation=1 + (i * 4) // events,
                group="A",
                phase="roundtables",
                late=False,
                typed_at=start + (i * 60 * MINUTE) // events,
                by=by,
            )
        pairs.append((stream, event))
    if closed:
        pairs.append((f"meeting-bench-{number}", m.MeetingClosed(at=start + 4 * 60 * MINUTE)))
    return pairs


def write_log(path: Path, meetings: int, events: int, tables: int) -> int:
    """Raw inserts in one transaction, chained as the writer chains them; the event count.
    ``meetings`` closed meetings, then one more that is open (the evening on now)."""
    asyncio.run(_create(path))
    db = sqlite3.connect(path)
    position = 0
    db.execute("BEGIN")
    for number in range(meetings + 1):
        head, versions, rows = chain.GENESIS, {}, []
        meeting_id = f"bench-{number}"
        for stream, event in meeting_events(number, events, tables, closed=number < meetings):
            position += 1
            versions[stream] = versions.get(stream, 0) + 1
            type_name, schema, data = codec.encode(event)
            fields = dict(
                position=position,
                stream_id=stream,
                version=versions[stream],
                meeting_id=meeting_id,
                event_id=f"e{position}",
                type=type_name,
                schema=schema,
                data=data,
                digest=chain.digest(data),
                metadata=Metadata(actor="bench", device_id=stream),
                recorded_at=1_686_880_000_000_000 + position,
            )
            head = chain.hash_of(Recorded(**fields, hash=""), head)
            rows.append(archive.row(Recorded(**fields, hash=head)))
        db.executemany(
            "INSERT INTO events VALUES (:position, :event_id, :stream_id, :version, :meeting_id,"
            " :type, :schema, :data, :digest, :metadata, :recorded_at, :hash)",
            rows,
        )
    db.commit()
    db.close()
    return position


async def _create(path: Path) -> None:
    async with EventStore(str(path)):
        pass


def floor(path: Path) -> tuple[float, float]:
    """The raw floor: every row through stdlib sqlite3, payload and metadata decoded by
    orjson, nothing built; prints its rate and returns its wall and CPU seconds."""
    clock = Clock()
    db = sqlite3.connect(path)
    count = 0
    for row in db.execute("SELECT * FROM events ORDER BY position"):
        orjson.loads(row[7])
        orjson.loads(row[9])
        count += 1
    db.close()
    print(f"raw floor (stdlib sqlite3 + orjson): {clock.rate(count)}")
    return clock.seconds()


class Clock:
    """Wall and CPU time since it was made: figures by CPU hold up better on a shared machine."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def seconds(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu

    def rate(self, count: int) -> str:
        wall, cpu = self.seconds()
        return (
            f"{count:,} events, wall {wall:.2f} s = {count / wall:,.0f} events/s, "
            f"CPU {cpu:.2f} s = {count / cpu:,.0f} events/s"
        )


async def measure(path: Path, meeting: str, raw: tuple[float, float]) -> None:
    async with EventStore(str(path)) as store:
        clock = Clock()
        count = 0
        async for record in store.read_all(batch=10_000):
            record.decode()
            count += 1
        read = clock.seconds()
        print(f"read and decode: {clock.rate(count)} ({_beside(read, raw)})")

        clock = Clock()
        views = (await fold(store)).rendered()
        full = clock.seconds()
        print(
            f"rebuild every view ({len(views):,} views, rendered): {clock.rate(count)} "
            f"({_beside(full, raw)})"
        )

        clock = Clock()
        one = await fold(store, meeting_id=meeting)
        one.rendered()
        alone, _ = clock.seconds()
        print(f"rebuild one meeting: {one.events:,} events in {alone:.3f} s (target under 1 s)")


def _beside(seconds: tuple[float, float], raw: tuple[float, float]) -> str:
    """A rate as a fraction of the raw floor's, by wall and by CPU time."""
    return " / ".join(
        f"{kind} {theirs / ours:.2f} of the floor"
        for kind, ours, theirs in zip(("wall", "CPU"), seconds, raw, strict=True)
    )


def start_up(path: Path, runs: int) -> None:
    """Start ``roundtable serve`` on the log ``runs`` times: how long until ``/healthz``
    answers, by the clock and by the server's own CPU time."""
    for run in range(1, runs + 1):
        port = free_port()
        command = [sys.executable, "-m", "server", "serve", "--db", str(path), "--port", str(port)]
        env = {**os.environ, "SECRET_KEY": SECRET}
        started = time.perf_counter()
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        raise RuntimeError("the server stopped") from None
                    time.sleep(0.02)  # polling another process's port
            wall = time.perf_counter() - started
            cpu = _cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
        print(f"start-up {run}: healthy in {wall:.2f} s, server CPU {cpu:.2f} s (target 3 s)")


def _cpu_seconds(pid: int) -> float:
    """The user and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000, help="events per meeting")
    parser.add_argument("--tables", type=int, default=40, help="table streams per meeting")
    parser.add_argument("--starts", type=int, default=3, help="server start-ups to time")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replay.db"
        started = time.perf_counter()
        total = write_log(path, args.meetings, args.events, args.tables)
        print(f"wrote {total:,} events by raw insert in {time.perf_counter() - started:.1f} s")
        raw = floor(path)
        asyncio.run(measure(path, f"bench-{args.meetings // 2}", raw))
        start_up(path, args.starts)
    print(machine())


if __name__ == "__main__":
    main()
