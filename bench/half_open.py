"""Half-sent requests held against the server while tablets type: do tablets and /healthz
still answer, and does the log stay small?

An adversary on the venue network (no token needed) holds ``--held`` connections that send
the start of a request and never finish its headers, opening a new one whenever the server
cuts one. The server starts with a soft limit of 1,024 open files, as from a usual shell.
Meanwhile 4 tablets type a comment every quarter second and /healthz is asked every 0.2 s
on a new connection. Prints the tablets' ack latency, /healthz latency (and failures), the
connections the adversary opened, the server's log growth per minute and peak memory.

    .venv/bin/python bench/half_open.py [--held 1100] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency
from bench.live import token
from bench.venue import Running, heading, venue
from client.live import LiveClient

ATTACK_MARGIN = 20.0
"""Seconds the attack goes on beyond the typing: it covers the tablets' start."""
PARTIAL = b"GET /healthz HTTP/1.1\r\nHost: venue\r\nX-Slow: "


async def hold(port: int, stop: asyncio.Event, opened: list[int]) -> None:
    """One half-sent request, opened again each time the server cuts it."""
    while not stop.is_set():
        with contextlib.suppress(OSError, TimeoutError):
            opening = asyncio.open_connection("127.0.0.1", port)
            reader, writer = await asyncio.wait_for(opening, 5)
            opened[0] += 1
            writer.write(PARTIAL)
            closed = asyncio.create_task(reader.read())
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait([closed, stopping], return_when=asyncio.FIRST_COMPLETED)
            closed.cancel()
            stopping.cancel()
            writer.close()


async def healthz(port: int) -> float:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    reply = await reader.read()
    writer.close()
    if not reply.startswith(b"HTTP/1.1 200"):
        raise OSError("not ok")
    return time.perf_counter() - started


async def adversary(port: int, held: int, seconds: float) -> None:
    """Hold ``held`` half-sent requests for ``seconds`` (in a process of its own, as another
    machine would: its churn must not slow the tablets' client); print how many it opened."""
    stop = asyncio.Event()
    opened = [0]
    holders = [asyncio.create_task(hold(port, stop, opened)) for _ in range(held)]
    await asyncio.sleep(seconds)  # the length of the attack
    stop.set()
    for holder in holders:
        holder.cancel()
    await asyncio.gather(*holders, return_exceptions=True)
    print(opened[0], flush=True)


async def run(running: Running, held: int, seconds: float) -> None:
    port = int(running.base.rsplit(":", 1)[1])
    stop = asyncio.Event()
    attack = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--adversary", str(port), "--held", str(held),
        "--seconds", str(seconds + ATTACK_MARGIN), stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    tablets = [
        LiveClient(running.ws, token("facilitator", t + 1, f"tablet-{t}"), keep_events=0)
        for t in range(4)
    ]
    log_before = running.log.stat().st_size
    for tablet in tablets:
        await asyncio.wait_for(tablet.start(), 30)
    acks: list[float] = []
    checks: list[float] = []
    failures = 0

    async def type_on(tablet: LiveClient, number: int) -> None:
        for n in range(int(seconds * 4)):
            started = time.perf_counter()
            data = {"comment_id": f"c-{number}-{n}", "question": "coordination", "text": "Beds"}
            await asyncio.wait_for(tablet.command("add_comment", data), 30)
            acks.append(time.perf_counter() - started)
            await asyncio.sleep(max(0.0, 0.25 - (time.perf_counter() - started)))

    async def check() -> None:
        nonlocal failures
        while not stop.is_set():
            try:
                checks.append(await asyncio.wait_for(healthz(port), 10))
            except (OSError, TimeoutError):
                failures += 1
            await asyncio.sleep(0.2)

    started = time.perf_counter()
    checker = asyncio.create_task(check())
    await asyncio.gather(*(type_on(t, n) for n, t in enumerate(tablets)))
    elapsed = time.perf_counter() - started
    stop.set()
    await checker
    for tablet in tablets:
        await tablet.close()
    opened, _ = await asyncio.wait_for(attack.communicate(), ATTACK_MARGIN + 60)
    logged = running.log.stat().st_size - log_before
    heading(f"{held} half-sent requests held while 4 tablets type (bench/half_open.py)")
    print(f"  tablets' ack: {latency(acks)}")
    print(f"  /healthz: {latency(checks)}; failed or over 10 s: {failures}")
    print(f"  half-sent connections the adversary opened: {int(opened)} in {elapsed:.0f} s")
    per_minute = logged / elapsed * 60 / 1024
    print(f"  server log: {logged} bytes in {elapsed:.0f} s ({per_minute:.1f} KiB a minute)")
    print(f"  server peak memory: {running.peak_memory()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--held", type=int, default=1100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--adversary", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.adversary:
        asyncio.run(adversary(args.adversary, args.held, args.seconds))
        return
    with venue(files=1024) as running:
        asyncio.run(run(running, args.held, args.seconds))


if __name__ == "__main__":
    main()
