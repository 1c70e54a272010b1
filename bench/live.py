"""Live fan-out through a real uvicorn: ack latency, delivery latency, server memory.

N tablets (default 200, five at each of 40 tables) each type one comment a second; 20
read-only viewers (the wall, observers) receive every comment. Prints ack latency (send to
ack) and delivery latency (send to arrival at a viewer), p50/p99/max, the server's peak
memory and its CPU per comment beside the load generator's own (its CPU per comment, and how
late its event loop woke: its 220 clients share that loop, so its queue is in every figure);
then the same load through two floors and our ratios to each: the durable floor, a
bare ``websockets`` server that commits each comment to a SQLite file with stdlib sqlite3
(WAL, ``synchronous=FULL``, one group commit at a time, as our writer) before it acks the
sender and forwards the comment to every viewer; and the bare floor, which stores nothing.

    .venv/bin/python bench/live.py [--tablets 200] [--viewers 20] [--seconds 20]
        [--postgres ADMIN-URL [--workers N]]

``--postgres`` puts the log in a throwaway PostgreSQL database made through ADMIN-URL (for
example ``postgresql://postgres@127.0.0.1:5432/postgres``) and dropped afterwards; with it,
``--workers`` runs that many server processes on one port.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import random
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import orjson
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine, p99
from client.live import CommandRefused, LiveClient
from events.instants import MINUTE
from events.log.store import EventStore, now_micros
from events.meeting.commands import OpenMeeting, StartRoundtables
from events.meeting.plan import Table
from harness.throwaway import throwaway_database
from server import meetings, seed
from server.tokens import Grant, sign

SECRET = "bench-secret"
TABLES = 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def forty_tables(db: str) -> str:
    """A 40-table evening (the Kamloops shape), its first rotation running."""
    started = now_micros() - MINUTE
    evening = seed.rehearsal(started - MINUTE)
    topics = [t.topic_id for t in evening.topics]
    tables = tuple(Table(number=n, topic_id=topics[(n - 1) % 4]) for n in range(1, TABLES + 1))
    evening = replace(evening, tables=tables, meeting_id="bench")
    async with EventStore(db) as store:
        await meetings.run(store, "bench", evening, command_id="schedule")
        await meetings.run(store, "bench", OpenMeeting(at=started - MINUTE), command_id="open")
        await meetings.run(store, "bench", StartRoundtables(at=started), command_id="start")
    return "bench"


def token(role: str, table: int | None, device: str) -> str:
    grant = Grant(
        meeting_id="bench",
        role=role,
        device_id=device,  # type: ignore[arg-type]
        expires=int(time.time()) + 3600,
        table=table,
    )
    return sign(SECRET.encode(), grant)


@contextlib.contextmanager
def process(
    args: list[str],
    port: int,
    env: dict[str, str],
    *,
    log: Path | None = None,
    files: int | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """The server, its output to ``log`` (or nowhere), started with a soft limit of ``files``
    open files if given (a shell's usual 1,024, say)."""

    def limit() -> None:
        if files is not None:
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, hard))

    out = log.open("wb") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen(
        args, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.05)
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=15)
        if log is not None:
            out.close()  # type: ignore[union-attr]


def peak_memory(pid: int) -> str:
    """The peak resident memory of the server, or of each worker under a supervisor."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    peaks = []
    for process_id in workers or [str(pid)]:
        for line in Path(f"/proc/{process_id}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(f"{int(line.split()[1]) / 1024:.0f}")
    return f"{' + '.join(peaks) or '?'} MiB"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) spent so far by the server and its worker processes."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(process_cpu(int(process_id)) for process_id in [str(pid), *children])


def process_cpu(pid: int) -> float:
    """CPU time (user + system) spent so far by one process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # fields 14 and 15


Sender = Callable[[int, int, str], Awaitable[None]]
Meter = Callable[[], float]
"""CPU seconds spent so far by something beside the server (``bench/scale_out.py``)."""


class Load:
    """Send times, ack times and arrival times, keyed by comment id."""

    def __init__(self, server: int, meters: dict[str, Meter] | None = None) -> None:
        self.server = server
        self.sent: dict[str, float] = {}
        self.acks: list[float] = []
        self.deliveries: list[float] = []
        self.cpu = 0.0
        """The server's CPU seconds while the tablets typed."""
        self.own_cpu = 0.0
        """The load generator's own CPU seconds meanwhile: its clients share one process."""
        self.late: list[float] = []
        """How late its event loop woke, sampled (``lateness``)."""
        self.refused: Counter[str] = Counter()
        """Comments the server refused, by error code (the tablet would send them again)."""
        self.meters = meters or {}
        self.split: dict[str, float] = {}
        """Each meter's CPU seconds while the tablets typed."""

    def arrived(self, comment_id: str) -> None:
        sent = self.sent.get(comment_id)
        if sent is not None:
            self.deliveries.append(time.perf_counter() - sent)

    async def play(self, send: Sender, tablets: int, seconds: float) -> None:
        """Every tablet typing at once. The load generator's own heap (every client, the
        modules it imported) is frozen out of the garbage collector first: its full
        collections paused this process for up to 130 ms, which showed up as our tail."""
        gc.collect()
        gc.freeze()
        before = cpu_seconds(self.server)
        own = time.process_time()
        started = {name: meter() for name, meter in self.meters.items()}
        sampler = asyncio.create_task(self.lateness())
        await asyncio.gather(*(self.tablet(send, t, seconds) for t in range(tablets)))
        sampler.cancel()
        self.cpu = cpu_seconds(self.server) - before
        self.own_cpu = time.process_time() - own
        self.split = {name: meter() - started[name] for name, meter in self.meters.items()}

    async def lateness(self) -> None:
        """How late this process's own event loop wakes from a 1 ms sleep while the tablets
        type: every client shares that loop, so what it is late by is in every latency."""
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time()
            await asyncio.sleep(0.001)
            self.late.append(loop.time() - asked - 0.001)

    def cpu_per_comment(self) -> str:
        return (
            f"{self.cpu / len(self.acks) * 1000:.2f} ms of server CPU per comment "
            f"(the load generator's: {self.own_cpu / len(self.acks) * 1000:.2f} ms, "
            f"its loop late by p99 {p99(self.late) * 1000:.1f} ms)"
        )

    async def tablet(self, send: Sender, tablet: int, seconds: float) -> None:
        await asyncio.sleep(random.random())
        for n in range(int(seconds)):
            comment_id = f"c-{tablet}-{n}"
            self.sent[comment_id] = time.perf_counter()
            try:
                await send(tablet, n, comment_id)
            except CommandRefused as refusal:  # counted and shown, not hidden in the latencies
                self.refused[refusal.code] += 1
                continue
            self.acks.append(time.perf_counter() - self.sent[comment_id])
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - self.sent[comment_id])))


async def roundtable_run(
    url: str,
    server: int,
    tablets: int,
    viewers: int,
    seconds: float,
    meters: dict[str, Meter] | None = None,
) -> Load:
    load = Load(server, meters)

    def on_viewer(message: dict[str, object]) -> None:
        if message["type"] == "event" and message["event_type"] == "CommentAdded":
            load.arrived(message["data"]["comment_id"])  # type: ignore[index]

    watching = [
        LiveClient(url, token("observer", None, f"viewer-{v}"), on_message=on_viewer, keep_events=0)
        for v in range(viewers)
    ]
    typing = [
        LiveClient(url, token("facilitator", t % TABLES + 1, f"tablet-{t}"), keep_events=0)
        for t in range(tablets)
    ]
    for client in [*watching, *typing]:
        await client.start()

    async def send(tablet: int, n: int, comment_id: str) -> None:
        await typing[tablet].command(
            "add_comment",
            {
                "comment_id": comment_id,
                "question": "coordination",
                "rotation": 1,
                "text": f"Point {n} from tablet {tablet}: detox and treatment beds",
            },
        )

    await load.play(send, tablets, seconds)
    await asyncio.sleep(1)
    for client in [*watching, *typing]:
        await client.close()
    return load


async def floor_run(url: str, server: int, tablets: int, viewers: int, seconds: float) -> Load:
    load = Load(server)
    watchers = [await websockets.connect(url, compression=None) for _ in range(viewers)]
    for w in watchers:
        await w.send("viewer")

    async def watch(connection: websockets.ClientConnection) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for frame in connection:
                load.arrived(orjson.loads(frame)["comment_id"])

    readers = [asyncio.create_task(watch(w)) for w in watchers]
    senders = [await websockets.connect(url, compression=None) for _ in range(tablets)]

    async def send(tablet: int, n: int, comment_id: str) -> None:
        await senders[tablet].send(
            orjson.dumps(
                {"comment_id": comment_id, "text": f"Point {n} from tablet {tablet}"}
            ).decode()
        )
        await senders[tablet].recv()

    await load.play(send, tablets, seconds)
    await asyncio.sleep(1)
    for connection in [*watchers, *senders]:
        await connection.close()
    for reader in readers:
        reader.cancel()
    return load


def floor_server(port: int, db: str | None) -> None:
    """The floor: acknowledge each message and broadcast it to every viewer. With ``db``, the
    durable floor: first commit each message to that SQLite file (WAL, ``synchronous=FULL``)
    by a group commit on one thread, as our writer does, and acknowledge only after it."""
    viewers: set[websockets.ServerConnection] = set()
    waiting: list[tuple[websockets.ServerConnection, str]] = []
    arrived = asyncio.Event()
    disk = DurableFloor(db) if db else None

    async def commit_forever(disk: DurableFloor) -> None:
        loop = asyncio.get_running_loop()
        thread = ThreadPoolExecutor(1)
        while True:
            await arrived.wait()
            arrived.clear()
            batch = waiting[:]
            waiting.clear()
            await loop.run_in_executor(thread, disk.commit, [frame for _, frame in batch])
            for connection, frame in batch:
                with contextlib.suppress(websockets.ConnectionClosed):
                    await connection.send('{"type":"ack"}')
                websockets.broadcast(viewers, frame)

    async def handle(connection: websockets.ServerConnection) -> None:
        async for frame in connection:
            if frame == "viewer":
                viewers.add(connection)
            elif disk is None:
                await connection.send('{"type":"ack"}')
                websockets.broadcast(viewers, frame)
            else:
                waiting.append((connection, str(frame)))
                arrived.set()

    async def main() -> None:
        # no compression: our server has none either (``ws_per_message_deflate``)
        async with websockets.serve(handle, "127.0.0.1", port, max_size=None, compression=None):
            if disk is None:
                await asyncio.Future()
            else:
                await commit_forever(disk)

    asyncio.run(main())


class DurableFloor:
    """Stdlib sqlite3 appending comments in one transaction per batch, fsynced (WAL, FULL)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None

    def commit(self, frames: list[str]) -> None:
        if self.db is None:  # opened on the thread that uses it
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS comments "
                "(position INTEGER PRIMARY KEY, comment_id TEXT UNIQUE, frame BLOB)"
            )
        rows = [(orjson.loads(frame)["comment_id"], frame.encode()) for frame in frames]
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("INSERT INTO comments (comment_id, frame) VALUES (?, ?)", rows)
        self.db.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--postgres", metavar="ADMIN-URL", help="the log on PostgreSQL")
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL)")
    parser.add_argument("--floor-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        floor_server(args.floor_server, args.floor_db)
        return
    where = f"PostgreSQL, {args.workers} worker(s)" if args.postgres else "SQLite"
    print(
        f"{machine()}; {where}; "
        f"{args.tablets} tablets at 1 comment/s, {args.viewers} viewers, {args.seconds:.0f} s"
    )
    with contextlib.ExitStack() as stack:
        if args.postgres:
            name = f"roundtable_bench_{os.getpid()}"
            db = stack.enter_context(throwaway_database(args.postgres, name))
        else:
            db = str(Path(stack.enter_context(tempfile.TemporaryDirectory())) / "bench.db")
        load, memory = serve_and_play(args, db, args.workers)
    print(f"{'roundtable':<14} ack      {latency(load.acks)}")
    print(f"{'roundtable':<14} delivery {latency(load.deliveries)}")
    print(f"{'roundtable':<14} server peak memory {memory}; {load.cpu_per_comment()}")
    floors = {"durable floor": floor(args, durable=True), "bare floor": floor(args, durable=False)}
    measured = (("ack", load.acks, "acks"), ("delivery", load.deliveries, "deliveries"))
    for name, ours, kind in measured:
        for floor_name, base in floors.items():
            theirs = getattr(base, kind)
            print(
                f"ratio {name} to the {floor_name}: "
                f"p50 {statistics.median(ours) / statistics.median(theirs):.1f}x, "
                f"p99 {p99(ours) / p99(theirs):.1f}x"
            )
    print(f"at the end: {machine()}")


def serve_and_play(
    args: argparse.Namespace, db: str, workers: int, meters: dict[str, Meter] | None = None
) -> tuple[Load, str]:
    """Seed the 40-table evening in ``db``, serve it with ``workers`` processes, play the
    load; what was measured and the server's peak memory."""
    asyncio.run(forty_tables(db))
    port = free_port()
    command = [sys.executable, "-m", "server", "serve", "--db", db, "--port", str(port)]
    command += ["--workers", str(workers)]
    with process(command, port, {"SECRET_KEY": SECRET}) as server:
        load = asyncio.run(
            roundtable_run(
                f"ws://127.0.0.1:{port}/ws",
                server.pid,
                args.tablets,
                args.viewers,
                args.seconds,
                meters,
            )
        )
        return load, peak_memory(server.pid)


def floor(args: argparse.Namespace, *, durable: bool) -> Load:
    """The same load through a floor server; its figures printed as they come."""
    name = "durable floor" if durable else "bare floor"
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        command = [sys.executable, __file__, "--floor-server", str(port)]
        if durable:
            command += ["--floor-db", str(Path(folder) / "floor.db")]
        with process(command, port, {}) as server:
            load = asyncio.run(
                floor_run(
                    f"ws://127.0.0.1:{port}", server.pid, args.tablets, args.viewers, args.seconds
                )
            )
            memory = peak_memory(server.pid)
    print(f"{name:<14} ack      {latency(load.acks)}")
    print(f"{name:<14} delivery {latency(load.deliveries)}")
    print(f"{name:<14} server peak memory {memory}; {load.cpu_per_comment()}")
    return load


if __name__ == "__main__":
    main()
