"""Where the test suite's time goes: pytest's wall time, and each module's tests' time.

Runs pytest with the arguments given (all of ``tests/`` by default) and a JUnit report, then
prints the run's wall time, the number of tests and, per module, its tests and the seconds
they took (setup, call and teardown, as pytest counts them; with ``-n 2`` the modules' times
overlap, so they add up to more than the wall time), with the load average before and after.
Compare runs made close together: on a shared machine the load moves every figure.

    .venv/bin/python bench/suite.py [PYTEST ARGS...]
    .venv/bin/python bench/suite.py tests/test_ws.py tests/test_ws_lead.py -n 2
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine


def per_module(report: Path) -> tuple[dict[str, float], Counter[str]]:
    """Each module's seconds and its number of tests, from a JUnit report."""
    seconds: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for case in ElementTree.parse(report).iter("testcase"):
        module = case.get("classname", "").removeprefix("tests.").split(".")[0]
        seconds[module] += float(case.get("time", 0))
        counts[module] += 1
    return seconds, counts


def main(args: list[str]) -> int:
    print(f"before: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *(args or ["tests"])]
        )
        wall = time.monotonic() - started
        seconds, counts = per_module(report)
    print(f"after: {machine()}")
    print(f"pytest exited {done.returncode}: {sum(counts.values())} tests in {wall:.1f} s")
    print(f"{'module':34} {'tests':>5} {'seconds':>8}")
    for module, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"{module:34} {counts[module]:5d} {spent:8.1f}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
