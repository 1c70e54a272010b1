"""The server's peak memory under what others send: leads that stop reading while comments
are typed, and near-identical comments while a lead is connected (suggestions).

``slow``: ``--leads`` lead sockets (5) say hello and never read again while 40 tablets type
``--comments`` comments (7,000), a few hundred bytes each; a reading lead is connected too.
The keepalive (``LIVENESS_SECONDS``) is set long, so the bound in bytes is what closes them.
Prints how many of the stalled leads the server closed and its peak memory.

``tablets``: ``--tablets`` (1,000) tablets, 25 at each of 40 tables, say hello and stay
connected; each then types one comment, which its table-mates and one reading lead receive.
Prints the server's resident memory at rest, with every tablet connected, after the comments,
and its peak, with the memory per connected tablet.

``alike``: ``--comments`` (6,000) near-identical comments ("Detox beds 17!", "DETOX beds
18.") typed at 40 tables while a lead reads its suggestions. Prints the suggestions the lead
received last, the comments in the largest, and the server's peak memory.

    .venv/bin/python bench/memory.py slow [--leads 5] [--comments 7000]
    .venv/bin/python bench/memory.py alike [--comments 6000]
    .venv/bin/python bench/memory.py tablets [--tablets 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import TABLES, token
from bench.venue import Running, heading, venue
from client.live import LiveClient
from client.stalled import Stalled

Text = Callable[[int], str]
Message = dict[str, Any]


async def type_comments(running: Running, comments: int, text: Text) -> float:
    """40 tablets typing ``comments`` comments between them; how long it took."""
    tablets = [
        LiveClient(running.ws, token("facilitator", t + 1, f"tablet-{t}"), keep_events=0)
        for t in range(TABLES)
    ]
    for tablet in tablets:
        await tablet.start()
    started = time.perf_counter()

    async def type_on(number: int) -> None:
        for n in range(number, comments, TABLES):
            data = {"comment_id": f"c-{n}", "question": "coordination", "text": text(n)}
            await tablets[number].command("add_comment", data)

    await asyncio.gather(*(type_on(t) for t in range(TABLES)))
    took = time.perf_counter() - started
    for tablet in tablets:
        await tablet.close()
    return took


def point(n: int) -> str:
    return f"A point about bus shelters and lighting on the north shore, number {n}. " * 3


def alike(n: int) -> str:
    return f"{'DETOX' if n % 2 else 'Detox'} beds{'!' if n % 3 else '.'} {n}"


async def typed_under_a_lead(
    running: Running,
    comments: int,
    text: Text,
    seen: Callable[[Message], None],
    before: Callable[[], object],
) -> float:
    """Comments typed while a lead reads everything (each message to ``seen``, up to the
    answer to a ping sent at the end): how long they took. ``before`` runs once the lead is
    connected (and what it returns is kept till the end)."""
    async with websockets.connect(running.ws, max_size=None) as lead:
        await lead.send(orjson.dumps({"type": "hello", "token": token("lead", None, "lead")}))

        async def read() -> None:
            async for frame in lead:
                message = orjson.loads(frame)
                seen(message)
                if message["type"] == "pong":
                    return

        reader = asyncio.create_task(read())
        kept = before()
        took = await type_comments(running, comments, text)
        await lead.send(orjson.dumps({"type": "ping", "id": "marker", "client_time": 0}))
        await reader  # every push before the marker
        del kept
    return took


async def slow(running: Running, leads: int, comments: int) -> None:
    stalled: list[Stalled] = []

    def stall() -> None:
        stalled.extend(
            Stalled(running.ws, token("lead", None, f"stalled-{n}")) for n in range(leads)
        )

    online: dict[str, bool] = {}

    def seen(message: Message) -> None:
        listed = message["devices"] if message["type"] == "presence" else []
        for device in listed + ([message["device"]] if message["type"] == "device" else []):
            online[device["device_id"]] = device["online"]

    took = await typed_under_a_lead(running, comments, point, seen, stall)
    for lead in stalled:
        lead.close()
    closed = sum(1 for n in range(leads) if online.get(f"stalled-{n}") is False)
    heading(f"{leads} non-reading leads, {comments} comments typed (bench/memory.py slow)")
    print(f"  typed in {took:.1f} s; stalled leads the server closed: {closed} of {leads}")
    print(f"  server peak memory: {running.peak_memory()}")


async def similar(running: Running, comments: int) -> None:
    last: list[Message] = []

    def seen(message: Message) -> None:
        if message["type"] == "suggestions":
            last[:] = [message]

    took = await typed_under_a_lead(running, comments, alike, seen, lambda: None)
    offered: list[Message] = last[0]["suggestions"] if last else []
    largest = max((len(s["comments"]) for s in offered), default=0)
    heading(f"{comments} near-identical comments, a lead connected (bench/memory.py alike)")
    print(f"  typed in {took:.1f} s; the lead's last suggestions: {len(offered)}")
    print(f"  the largest suggestion holds {largest} comments")
    print(f"  server peak memory: {running.peak_memory()}")


def resident(pid: int) -> float:
    """The server's resident memory now (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def connected(running: Running, tablets: int) -> None:
    at_rest = resident(running.pid)
    async with contextlib.AsyncExitStack() as stack:
        lead = await stack.enter_async_context(
            websockets.connect(running.ws, max_size=None, compression=None)
        )
        await lead.send(orjson.dumps({"type": "hello", "token": token("lead", None, "lead")}))
        sockets = []
        for n in range(tablets):
            socket = await stack.enter_async_context(
                websockets.connect(running.ws, max_size=None, compression=None)
            )
            grant = token("facilitator", n % TABLES + 1, f"tablet-{n}")
            await socket.send(orjson.dumps({"type": "hello", "token": grant}))
            while orjson.loads(await socket.recv())["type"] != "state":
                pass
            sockets.append(socket)
        all_connected = resident(running.pid)
        for n, socket in enumerate(sockets):
            data = {"comment_id": f"c-{n}", "question": "coordination", "text": point(n)}
            command = {"type": "command", "id": f"c-{n}", "name": "add_comment", "data": data}
            await socket.send(orjson.dumps(command))
        refused = 0
        for socket in sockets:  # each tablet's own answer (its table-mates' comments come too)
            while (kind := orjson.loads(await socket.recv())["type"]) not in ("ack", "error"):
                pass
            refused += kind == "error"
        typed = resident(running.pid)
        heading(f"{tablets} tablets connected, one comment each (bench/memory.py tablets)")
        print(f"  server at rest: {at_rest:.0f} MiB; {tablets} connected: {all_connected:.0f} MiB")
        print(
            f"  after one comment each ({refused} refused): {typed:.0f} MiB; "
            f"peak: {running.peak_memory()}"
        )
        per = (all_connected - at_rest) * 1024 / tablets
        print(f"  each connected tablet: {per:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("case", choices=["slow", "alike", "tablets"])
    parser.add_argument("--tablets", type=int, default=1000)
    parser.add_argument("--leads", type=int, default=5)
    parser.add_argument("--comments", type=int)
    args = parser.parse_args()
    # A socket that answers no ping is closed by the keepalive within LIVENESS_SECONDS; here
    # it is long, so that what bounds a stalled lead is what may wait for it.
    with venue(env={"LIVENESS_SECONDS": "600"}) as running:
        if args.case == "slow":
            asyncio.run(slow(running, args.leads, args.comments or 7000))
        elif args.case == "tablets":
            asyncio.run(connected(running, args.tablets))
        else:
            asyncio.run(similar(running, args.comments or 6000))


if __name__ == "__main__":
    main()
