"""docs/protocol.md is executed: its examples, in order, against a real server."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets

from client.live import LiveClient
from events.errors import RoundtableError
from harness.servers import seed_evening, serve, token
from server.live.command_table import COMMANDS
from server.live.protocol import ERROR_CODES, STORE_MESSAGES

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
                try:
                    async with asyncio.timeout(10):
                        while not any(matches(example, m) for m in unread):
                            unread.append(orjson.loads(await socket.recv()))
                except TimeoutError:
                    pytest.fail(f"nothing came as documented: {example}; came: {unread[-3:]}")
                unread.remove(next(m for m in unread if matches(example, m)))


def test_every_command_is_documented() -> None:
    text = DOC.read_text()
    assert [c for c in COMMANDS if f"| `{c}` |" not in text] == []


def documented_codes() -> dict[str, str]:
    section = DOC.read_text().split("### Every error code", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_]+)` \| (.+) \|$", section, re.M))


NOT_ON_THE_SOCKET = {
    # base classes: every refusal sent is one of their subclasses, with its own code
    "error", "refused", "store_error", "invalid_comment", "device_refused",
    # HTTP routes only (access, report, templates), with their own status codes
    "bad_request", "bad_origin", "join_refused", "join_throttled", "signin_used", "signin_revoked",
    "signin_replaced", "invalid_role", "unknown_device", "invalid_report", "nothing_to_publish",
    "stale_publish", "unknown_key_theme", "unknown_version", "invalid_erasure",
    # the phones' voting requests (HTTP only)
    "phone_refused", "unknown_vote", "vote_throttled",
    # scheduling a meeting (the CLI and templates), never a socket command
    "bad_template", "invalid_plan", "invalid_time", "overlapping_agenda_items",
    "duplicate_table", "duplicate_id", "no_rotations", "unknown_agenda_item",
    "meeting_not_scheduled", "meeting_already_scheduled",
    # the CLI's own refusals (archives, theme files, its one-line failures)
    "bad_archive", "bad_input", "usage", "database", "file", "network",
    # store failures: sent as commit_failed, in plain words (server.live.protocol.on_the_wire)
    "invalid_append", "writer_closed", "unknown_event_type", "unknown_schema_version",
    "fell_behind",
}  # fmt: skip


def raised_codes() -> set[str]:
    """Every refusal code in the code: the ``code`` of each error class, and each code a
    ``ProtocolError`` is raised with in ``server/``."""
    for package in ("events", "projections", "server"):
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
    classes, waiting = set(), [RoundtableError]
    while waiting:
        for sub in waiting.pop().__subclasses__():
            classes.add(sub.code)
            waiting.append(sub)
    server = Path(__file__).parent.parent / "server"
    literal = r'ProtocolError\(\s*"([a-z_]+)"'
    used = {c for f in server.rglob("*.py") for c in re.findall(literal, f.read_text())}
    return classes | used | set(STORE_MESSAGES)


def test_the_error_codes_in_the_code_and_in_the_document_are_the_same_both_ways() -> None:
    documented = documented_codes()
    assert documented == ERROR_CODES  # code and meaning, word for word
    raised = raised_codes()
    assert sorted(set(ERROR_CODES) - raised) == []  # no documented code is never sent
    assert sorted(raised - set(ERROR_CODES) - NOT_ON_THE_SOCKET) == []  # none undocumented
    assert sorted(NOT_ON_THE_SOCKET - raised) == []  # the exceptions above still exist
    assert sorted(NOT_ON_THE_SOCKET & set(ERROR_CODES)) == []


def test_the_documented_bounds_are_the_codes_constants() -> None:
    section = DOC.read_text().split("\n## Bounds\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| [^|]+ \| (\d+) \| `([\w.]+)` \|$", section, re.M)
    assert len(rows) >= 12
    for value, constant in rows:
        module, name = constant.rsplit(".", 1)
        assert getattr(importlib.import_module(module), name) == int(value), constant


def shapes() -> dict[str, Any]:
    blocks = re.findall(r"```json shape (\w+)\n(.*?)```", DOC.read_text(), re.S)
    return {name: orjson.loads(body) for name, body in blocks}


TYPES = {"string": str, "int": int, "bool": bool, "null": type(None), "number": (int, float)}


def misfits(shape: Any, value: Any, path: str) -> list[str]:
    """Where ``value`` does not have ``shape``: a field missing or not documented, or of
    another type. ``<...>`` keys stand for every key; ``…`` allows further fields."""
    if isinstance(shape, dict):
        if value is None:
            return []  # a view that is absent now (no message, nothing to undo)
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        wild = [k for k in shape if k.startswith("<")]
        if wild:
            return [m for k, v in value.items() for m in misfits(shape[wild[0]], v, f"{path}.{k}")]
        named = {k for k in shape if k != "…"}
        found = [f"{path}.{k}: missing" for k in sorted(named - set(value))]
        if "…" not in shape:
            found += [f"{path}.{k}: not documented" for k in sorted(set(value) - named)]
        return found + [
            m for k in named & set(value) for m in misfits(shape[k], value[k], f"{path}.{k}")
        ]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return (
            [m for i, v in enumerate(value) for m in misfits(shape[0], v, f"{path}[{i}]")]
            if shape
            else []
        )
    allowed = [TYPES[t.strip()] for t in shape.split("|")]
    plain = not isinstance(value, bool) or bool in allowed
    ok = plain and any(isinstance(value, t) for t in allowed)  # type: ignore[arg-type]
    return [] if ok else [f"{path}: {type(value).__name__}, documented {shape}"]


@pytest.mark.asyncio
async def test_the_documented_views_are_the_views_a_live_server_sends(tmp_path: Path) -> None:
    documented = shapes()
    assert set(documented) == {
        "meeting", "announcements", "tables", "wall", "topics", "themes", "moderation", "voting",
    }  # fmt: skip
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as running:
        async with LiveClient(running.ws, token(meeting_id, "lead")) as lead:
            async with LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet:
                point = {"comment_id": "c1", "question": "coordination", "text": "Detox"}
                await tablet.command("add_comment", {**point, "rotation": 2})
                sub = {
                    "comment_id": "c2",
                    "question": "coordination",
                    "text": "Dry",
                    "parent": "c1",
                }
                await tablet.command("add_comment", sub)
                await tablet.command("star_comment", {"comment_id": "c1"})
            await lead.command("create_theme", {"theme_id": "th", "title": "Detox", "topic": None})
            await lead.command("add_to_theme", {"theme_id": "th", "table": 1, "comment_id": "c1"})
            await lead.command("set_key_theme", {"theme_id": "th", "key": True})
            await lead.command("send_message", {"text": "Two minutes left"})
            await lead.command("set_wall_rule", {"rule": "approve"})
            await lead.command("approve_comment", {"table": 1, "comment_id": "c1"})
            await lead.command("open_voting", {"dots": 3})
            await lead.command("count_paper_dots", {"theme_id": "th", "dots": 4})
        async with (
            LiveClient(running.ws, token(meeting_id, "lead")) as lead,
            LiveClient(running.ws, token(meeting_id, "facilitator", 1)) as tablet,
        ):
            assert lead.state is not None
            assert tablet.state is not None
            seen = {"tablet": tablet.state["views"], "lead": lead.state["views"]}
    assert set(seen["tablet"]) == {"meeting", "announcements", "tables"}
    assert set(seen["lead"]) == set(documented)
    assert seen["tablet"]["tables"]["1"]["questions"][1]["comments"][0]["children"] != []
    found = [m for role, views in seen.items() for name, view in views.items()
             for m in misfits(documented[name], view, f"{role}:{name}")]  # fmt: skip
    assert found == [], "\n".join(found)


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
