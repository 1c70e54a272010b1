"""Scrubbing through a long evening: the time per jump of the replay page's views endpoint.

Writes one synthetic meeting of EVENTS events (the Kamloops plan, then its tables' comments,
with edits and retractions: ``bench/replay.py``'s generator, raw inserts with real hash chains),
then jumps to JUMPS random positions and prints p50/p99/max per jump:
(a) in process, ``ReplayCache.at`` plus the canonical JSON body, as the endpoint does; the first
jump is printed apart (it reads the meeting and makes the checkpoints it passes);
(b) the same without checkpoints: ``server.cli.fold`` from position 0 and the same renderers, as
``roundtable replay`` does (a few jumps only: it is the slow path);
(c) end to end over HTTP against a real ``roundtable serve``: ``GET …/replay/views?position=N``.

    .venv/bin/python bench/scrub.py [--events 10000] [--jumps 50] [--every 250]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine
from bench.replay import write_log
from events.log.codec import canonical
from events.log.store import EventStore
from harness.servers import serve, token
from projections import screens
from server import replay_cache
from server.cli.fold import fold
from server.replay_cache import ReplayCache

MEETING = "bench-0"


async def in_process(path: Path, positions: list[int]) -> None:
    async with EventStore(str(path)) as store:
        cache = ReplayCache(store)
        times = []
        for position in positions:
            started = time.perf_counter()
            moment = await cache.at(MEETING, position=position)
            assert moment is not None
            canonical({"position": moment.position, "views": moment.views})
            times.append(time.perf_counter() - started)
        print(f"first jump (reads the meeting, makes checkpoints): {times[0] * 1000:.1f} ms")
        print(f"views endpoint, in process, with checkpoints: {latency(times[1:])}")

        slow = []
        for position in positions[1:6]:
            started = time.perf_counter()
            folded = await fold(store, meeting_id=MEETING, position=position)
            views = screens.render(folded.catalog.scene(MEETING), views=screens.VIEWS)
            canonical({"position": position, "views": views})
            slow.append(time.perf_counter() - started)
        print(f"the same jumps folded from position 0 (roundtable replay): {latency(slow)}")


def over_http(path: Path, positions: list[int]) -> None:
    with tempfile.TemporaryDirectory() as logs, serve(path, logs=Path(logs)) as server:
        staff = token(MEETING, "staff")

        def get(position: int) -> float:
            url = f"{server.base}/api/meetings/{MEETING}/replay/views?position={position}"
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {staff}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            return time.perf_counter() - started

        first = get(positions[0])
        times = [get(position) for position in positions[1:]]
        print(f"first jump over HTTP: {first * 1000:.1f} ms")
        print(f"views endpoint over HTTP (real server, loopback): {latency(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--jumps", type=int, default=50)
    parser.add_argument("--every", type=int, default=replay_cache.EVERY)
    args = parser.parse_args()
    replay_cache.EVERY = args.every
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scrub.db"
        count = write_log(path, 1, args.events, 4)
        print(f"one meeting of {count:,} events; checkpoints every {args.every} events")
        print(machine())
        rng = random.Random(13)
        positions = [rng.randint(1, count) for _ in range(args.jumps + 1)]
        asyncio.run(in_process(path, positions))
        over_http(path, positions)
        print(machine())


if __name__ == "__main__":
    main()
