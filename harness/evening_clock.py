"""``roundtable`` whose clock shows a chosen evening and runs faster: for replay tests that need
an evening's worth of real instants in a minute of real time.

``python -m harness.evening_clock START SPEED serve ...``: the process's wall clock (``time.time``
and ``time.time_ns``, which every instant the server records comes from) starts at START (µs,
UTC) and runs SPEED times faster than the real one, and the meeting clock's sleeps are SPEED
times shorter, so rotations end when the (fast) clock says they are due. Everything else is the
real server, on a real port, writing a real log.
"""

from __future__ import annotations

import asyncio
import sys
import time


def main() -> int:
    start, speed = int(sys.argv[1]), float(sys.argv[2])
    real_ns = time.time_ns
    origin = real_ns()

    def fast_ns() -> int:
        return start * 1000 + int((real_ns() - origin) * speed)

    time.time_ns = fast_ns
    time.time = lambda: fast_ns() / 1e9

    from server.cli import main as cli
    from server.clock import MeetingClock

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / speed)

    defaults = MeetingClock.__init__.__kwdefaults__
    assert defaults is not None
    defaults["sleep"] = sleep
    sys.argv = ["roundtable", *sys.argv[3:]]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
