"""A pytest plugin for ``bench/suite.py``: when each test's setup, call and teardown ran and on
which worker, so the suite's schedule can be read back (which module kept a worker busy last).

With pytest-xdist the controller hears every worker's reports; the plugin records them there
only (a worker's own copy would write a second, partial file). The file is named by
``ROUNDTABLE_SUITE_CLOCK``; without it the plugin records nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

RECORDS: list[dict[str, object]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """One record per phase: the test, the phase, the worker ("-" without xdist), its seconds."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    node = getattr(report, "node", None)
    worker = node.gateway.id if node is not None else "-"
    RECORDS.append(
        {
            "test": report.nodeid,
            "when": report.when,
            "worker": worker,
            "start": report.start,
            "stop": report.stop,
            "outcome": report.outcome,
        }
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the records where ``bench/suite.py`` asked for them."""
    target = os.environ.get("ROUNDTABLE_SUITE_CLOCK")
    if target and not os.environ.get("PYTEST_XDIST_WORKER"):
        Path(target).write_text(json.dumps(RECORDS), encoding="utf-8")
