"""docs/protocol.md is executed: its examples, in order, against a real server."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets

from server.protocol import COMMANDS, ERROR_CODES
from tests.servers import seed_evening, serve, token

DOC = Path(__file__).parent.parent / "docs" / "protocol.md"
ANY = "…"


def examples() -> list[tuple[str, Any]]:
    blocks = re.findall(r"```json (send|receive)\n(.*?)```", DOC.read_text(), re.S)
    return [(kind, orjson.loads(body)) for kind, body in blocks]


def matches(expected: Any, actual: Any) -> bool:
    if expected == ANY:
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


@pytest.mark.asyncio
async def test_the_examples_run_against_a_live_server(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    played = examples()
    assert len(played) > 20
    with serve(db, logs=tmp_path, env={"HEARTBEAT_SECONDS": "1"}) as running:
        async with contextlib.AsyncExitStack() as stack:
            socket = await stack.enter_async_context(websockets.connect(running.ws))
            unread: list[dict[str, Any]] = []
            for kind, example in played:
                if kind == "send":
                    if example.get("token") == "TOKEN":
                        example["token"] = token(meeting_id, "facilitator", 1)
                    if example.get("token") == "LEAD_TOKEN":  # the lead's laptop, from here on
                        socket = await stack.enter_async_context(websockets.connect(running.ws))
                        unread = []
                        example["token"] = token(meeting_id, "lead")
                    await socket.send(orjson.dumps(example).decode())
                    continue
                async with asyncio.timeout(10):
                    while not any(matches(example, m) for m in unread):
                        unread.append(orjson.loads(await socket.recv()))
                unread.remove(next(m for m in unread if matches(example, m)))


def test_every_error_code_and_command_is_documented() -> None:
    text = DOC.read_text()
    assert [c for c in ERROR_CODES if f"| `{c}` |" not in text] == []
    assert [c for c in COMMANDS if f"| `{c}` |" not in text] == []


@pytest.mark.asyncio
async def test_the_python_client_example_runs_against_a_live_server(tmp_path: Path) -> None:
    (example,) = re.findall(r"```python client\n(.*?)```", DOC.read_text(), re.S)
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as running:
        filled = f"URL = {running.ws!r}\nTOKEN = {token(meeting_id, 'facilitator', 1)!r}\n"
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-c", filled + example],
            cwd=DOC.parent.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("table 1 at position ")
    assert lines[1:] == ["refused: invalid_text", "seen: CommentAdded"]
