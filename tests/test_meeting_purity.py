"""The meeting's rules and view are pure: no clock, no randomness, no I/O, no server."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PURE = [
    "events/clock_rules.py",
    "events/instants.py",
    "events/meeting.py",
    "events/meeting_commands.py",
    "events/meeting_errors.py",
    "events/meeting_events.py",
    "events/plan.py",
    "events/schedule.py",
    "events/structure.py",
    "projections/meeting.py",
    "projections/projection.py",
]
FORBIDDEN_MODULES = {"server", "starlette", "sqlalchemy", "random", "time", "uuid", "asyncio"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "uuid4"}  # time, random, uuid: not imported


@pytest.mark.parametrize("path", PURE)
def test_the_module_is_pure(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path} imports {name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in FORBIDDEN_CALLS, f"{path} calls .{node.func.attr}()"
