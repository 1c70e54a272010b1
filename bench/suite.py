"""Where the test suite's time goes: pytest's wall time, each module's tests' time, and which
worker ran which module when.

Runs pytest with the arguments given (all of ``tests/`` by default) and the plugin
``bench/suite_clock.py``, then prints the run's wall time, its number of tests, the CPU time of
everything it started (pytest, its workers, servers and browsers), the load average before and
after, and per module: its tests, the seconds they took (setup, call and teardown, as pytest
counts them; with ``-n 2`` the modules overlap, so they add up to more than the wall time), the
worker that ran it and when (seconds from the first test's start). Per worker: how long it was
busy and when it ran out of work. The sum of every module's seconds over the number of workers
is the floor no schedule can beat; the gap between the workers' ends is what the schedule
loses. Compare runs made close together: on a shared machine the load moves every figure.

    .venv/bin/python bench/suite.py [PYTEST ARGS...]
    .venv/bin/python bench/suite.py tests/test_ws.py tests/test_ws_lead.py -n 2 --dist loadfile
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Module:
    """One module's tests as the run saw them."""

    tests: set[str] = field(default_factory=set)
    seconds: float = 0.0
    workers: set[str] = field(default_factory=set)
    start: float = float("inf")
    stop: float = 0.0


def modules(records: list[dict[str, object]]) -> dict[str, Module]:
    """Each module's tests, seconds, workers and span, from the plugin's records."""
    found: dict[str, Module] = defaultdict(Module)
    for record in records:
        test = str(record["test"])
        start, stop = float(str(record["start"])), float(str(record["stop"]))
        module = found[test.split("::")[0].removeprefix("tests/").removesuffix(".py")]
        module.tests.add(test)
        module.seconds += stop - start
        module.workers.add(str(record["worker"]))
        module.start = min(module.start, start)
        module.stop = max(module.stop, stop)
    return found


def report(found: dict[str, Module]) -> None:
    """The modules by seconds, then each worker's busy time and end, and the two-worker floor."""
    origin = min(module.start for module in found.values())
    print(f"{'module':34} {'tests':>5} {'seconds':>8} {'worker':>7} {'from':>6} {'to':>6}")
    for name, module in sorted(found.items(), key=lambda item: -item[1].seconds):
        print(
            f"{name:34} {len(module.tests):5d} {module.seconds:8.1f} "
            f"{','.join(sorted(module.workers)):>7} {module.start - origin:6.0f} "
            f"{module.stop - origin:6.0f}"
        )
    busy: dict[str, float] = defaultdict(float)
    ends: dict[str, float] = defaultdict(float)
    last: dict[str, str] = {}
    for name, module in found.items():
        for worker in module.workers:
            busy[worker] += module.seconds / len(module.workers)
            if module.stop - origin > ends[worker]:
                ends[worker], last[worker] = module.stop - origin, name
    total = sum(module.seconds for module in found.values())
    print(f"all modules: {total:.1f} s, over {len(busy)} worker(s) {total / len(busy):.1f} s")
    for worker in sorted(busy):
        print(
            f"worker {worker}: busy {busy[worker]:.1f} s, done at {ends[worker]:.0f} s "
            f"(last module: {last[worker]})"
        )


def main(args: list[str]) -> int:
    print(f"before: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        clock = Path(folder) / "clock.json"
        paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
        env = {
            **os.environ,
            "ROUNDTABLE_SUITE_CLOCK": str(clock),
            "PYTHONPATH": os.pathsep.join(path for path in paths if path),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.suite_clock"]
        started = time.monotonic()
        done = subprocess.run([*command, *(args or ["tests"])], env=env)
        wall = time.monotonic() - started
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        found = modules(json.loads(clock.read_text(encoding="utf-8")))
    print(f"after: {machine()}")
    tests = sum(len(module.tests) for module in found.values())
    print(
        f"pytest exited {done.returncode}: {tests} tests in {wall:.1f} s; CPU time "
        f"{used.ru_utime + used.ru_stime:.0f} s (user {used.ru_utime:.0f}, sys {used.ru_stime:.0f})"
    )
    report(found)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
