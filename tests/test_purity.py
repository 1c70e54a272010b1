"""The rules and the views are pure: no clock, no randomness, no I/O, no server.

Every module of ``events/`` and ``projections/`` (their subfolders too) is checked, except the
few that are the log's I/O on purpose; a new module is pure unless it is added to ``IO``.
Which layer may import which is ``tests/test_layers.py``'s.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
IO = {
    "events/log/store.py",  # the database
    "events/log/writer.py",
    "events/log/pg_append.py",  # the writer's one statement per batch on PostgreSQL
    "events/log/transactions.py",  # where the writer's transactions run
    "events/log/log_listener.py",  # other processes' commits, from PostgreSQL
    "events/log/notifications.py",
    "events/log/subscription.py",
    "events/log/schema.py",
    "events/decider.py",  # the shell that runs a decider against the store
    "events/log/store_archive.py",  # archive files in and out of the database
}
PURE = sorted(
    str(path.relative_to(ROOT))
    for folder in ("events", "projections")
    for path in (ROOT / folder).rglob("*.py")
    if str(path.relative_to(ROOT)) not in IO
)
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
