"""Wrong join codes against a server holding 40 meetings: what each costs, when the
throttle starts, and that a right code still joins after.

One address sends ``--tries`` wrong codes as fast as it can (a script on the venue network),
one after another on a keep-alive connection. Prints the time per try (the first 50 and the
rest), the try at which the server began refusing unchecked (429), and a right code's join
from another address after the flood.

    .venv/bin/python bench/wrong_codes.py [--tries 500] [--meetings 40]
"""

from __future__ import annotations

import argparse
import http.client
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency
from bench.live import SECRET
from bench.venue import Running, heading, venue
from server.access import join_code


def attempt(connection: http.client.HTTPConnection, code: str) -> tuple[int, float]:
    body = orjson.dumps({"meeting": "bench", "code": code})
    started = time.perf_counter()
    connection.request("POST", "/api/join", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def run(running: Running, tries: int, meetings_held: int) -> None:
    host, port = running.base.removeprefix("http://").rsplit(":", 1)
    flood = http.client.HTTPConnection(host, int(port), source_address=("127.0.0.2", 0))
    times: list[float] = []
    statuses: list[int] = []
    log_before = running.log.stat().st_size
    started = time.perf_counter()
    for n in range(tries):
        status, took = attempt(flood, f"WRNG-{n:04d}")
        statuses.append(status)
        times.append(took)
    flood.close()
    seconds = time.perf_counter() - started
    logged = running.log.stat().st_size - log_before
    tablet = http.client.HTTPConnection(host, int(port), source_address=("127.0.0.3", 0))
    right = join_code(SECRET.encode(), "bench", 1)
    status, took = attempt(tablet, right)
    tablet.close()
    first = statuses.index(429) + 1 if 429 in statuses else None
    heading(f"{tries} wrong join codes, {meetings_held} meetings held (bench/wrong_codes.py)")
    print(f"  per try, first 50: {latency(times[:50])}")
    print(f"  per try, the rest: {latency(times[50:])}")
    print(
        f"  refused (403, checked): {statuses.count(403)}; throttled (429, unchecked): "
        f"{statuses.count(429)}; first throttled: try {first}"
    )
    print(f"  then a right code from another address: {status} in {took * 1000:.2f} ms")
    print(f"  server log during the flood ({seconds:.1f} s): {logged} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tries", type=int, default=500)
    parser.add_argument("--meetings", type=int, default=40)
    args = parser.parse_args()
    with venue(args.meetings) as running:
        run(running, args.tries, args.meetings)


if __name__ == "__main__":
    main()
