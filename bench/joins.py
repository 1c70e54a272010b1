"""A thousand tablets joining one evening: what it costs the lead and each hello.

Each tablet joins by its table's code (``POST /api/join``), then opens its socket and says
hello; one lead is connected throughout and reads everything. Prints the messages and bytes
the lead received about devices (and in all), the time of a join and of a hello (the first
hundred and the last hundred: a hello must not cost more as the evening fills), and the
server's peak memory. The shape of the device-list message is issue 19's; this measures
whatever the branch it runs on sends.

    .venv/bin/python bench/joins.py [--tablets 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import sys
import time
from pathlib import Path

import orjson
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency
from bench.live import SECRET, TABLES, token
from bench.venue import Running, heading, venue
from server.access import join_code

NOT_DEVICES = frozenset({"welcome", "state", "heartbeat", "event", "themes", "suggestions", "pong"})


def join(base: str, table: int) -> tuple[str, float]:
    """Join ``table`` by its code; the device's token and how long it took."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = orjson.dumps({"meeting": "bench", "code": join_code(SECRET.encode(), "bench", table)})
    started = time.perf_counter()
    connection.request("POST", "/api/join", body, {"Content-Type": "application/json"})
    reply = orjson.loads(connection.getresponse().read())
    took = time.perf_counter() - started
    connection.close()
    return reply["token"], took


async def run(running: Running, tablets: int) -> None:
    counts = {"devices": 0, "devices_bytes": 0, "all": 0, "all_bytes": 0}
    kinds: dict[str, int] = {}
    async with websockets.connect(running.ws, max_size=None) as lead:
        await lead.send(orjson.dumps({"type": "hello", "token": token("lead", None, "lead")}))
        marker = asyncio.get_running_loop().create_future()
        closed: list[str] = []

        async def read() -> None:
            try:
                async for frame in lead:
                    message = orjson.loads(frame)
                    counts["all"] += 1
                    kinds[message["type"]] = kinds.get(message["type"], 0) + 1
                    counts["all_bytes"] += len(frame)
                    if message["type"] not in NOT_DEVICES:
                        counts["devices"] += 1
                        counts["devices_bytes"] += len(frame)
                    if message["type"] == "pong" and message["id"] == "marker":
                        marker.set_result(None)
                        return  # what came before the marker: the joins, not the leaving
            except websockets.ConnectionClosed as error:
                closed.append(str(error))
                if not marker.done():
                    marker.set_result(None)

        reader = asyncio.create_task(read())
        joins: list[float] = []
        hellos: list[float] = []
        async with contextlib.AsyncExitStack() as stack:
            for n in range(tablets):
                device_token, took = await asyncio.to_thread(join, running.base, n % TABLES + 1)
                joins.append(took)
                socket = await stack.enter_async_context(websockets.connect(running.ws))
                started = time.perf_counter()
                await socket.send(orjson.dumps({"type": "hello", "token": device_token}))
                while orjson.loads(await socket.recv())["type"] != "state":
                    pass
                hellos.append(time.perf_counter() - started)
            if not closed:
                await lead.send(orjson.dumps({"type": "ping", "id": "marker", "client_time": 0}))
            await marker
        reader.cancel()
    heading(f"{tablets} tablets joining one evening (bench/joins.py)")
    print(
        f"  to the lead, about devices: {counts['devices']} messages, "
        f"{counts['devices_bytes'] / 1e6:.1f} MB; in all: {counts['all']} messages, "
        f"{counts['all_bytes'] / 1e6:.1f} MB"
    )
    print(f"  by type: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}")
    if closed:
        print(f"  the lead was closed: {closed[0]}")
    print(f"  join (POST /api/join): {latency(joins)}")
    print(f"  hello, first 100: {latency(hellos[:100])}")
    print(f"  hello, last 100:  {latency(hellos[-100:])}")
    print(f"  server peak memory: {running.peak_memory()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tablets", type=int, default=1000)
    args = parser.parse_args()
    with venue() as running:
        asyncio.run(run(running, args.tablets))


if __name__ == "__main__":
    main()
