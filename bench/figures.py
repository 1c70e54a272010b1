"""How every bench prints its figures: latency percentiles and the machine's load."""

from __future__ import annotations

import os
import statistics


def p99(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def latency(seconds: list[float]) -> str:
    """p50, p99 and max of a list of durations in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return (
        f"p50 {statistics.median(ordered) * 1000:.2f} ms, p99 {p99(ordered) * 1000:.2f} ms, "
        f"max {ordered[-1] * 1000:.2f} ms (n={len(ordered)})"
    )


def machine() -> str:
    """The load average and core count, to print beside every figure (these machines are shared)."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"load average (1, 5, 15 min): {load}; {os.cpu_count()} cores"
