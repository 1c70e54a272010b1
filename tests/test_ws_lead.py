"""The lead's controls over the live protocol: the clock, the wall's hold screen, and the
table health panel (presence and outbox counts). A real server, plain websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from harness.access_client import call
from harness.servers import SECRET, Server, evening, serve, token
from server.access import join_code
from tests.pausable_proxy import PausableProxy

pytestmark = pytest.mark.asyncio

Message = dict[str, Any]
_ids = itertools.count(1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db, minutes_ago=25)  # well inside rotation 2, clear of its edges
    with serve(db, logs=tmp_path) as running:
        yield running, meeting_id


@contextlib.asynccontextmanager
async def device(url: str, grant_token: str) -> AsyncIterator[tuple[ClientConnection, Message]]:
    """A connected device, past its welcome, and its ``state``."""
    async with websockets.connect(url) as socket:
        await socket.send(orjson.dumps({"type": "hello", "token": grant_token}).decode())
        state = await until(socket, lambda m: m["type"] == "state")
        yield socket, state


async def until(socket: ClientConnection, wanted: Callable[[Message], bool]) -> Message:
    async with asyncio.timeout(10):
        while True:
            message = orjson.loads(await socket.recv())
            if wanted(message):
                return message


async def command(socket: ClientConnection, name: str, data: Message | None = None) -> Message:
    """The ack or the error of one command."""
    command_id = f"cmd-{next(_ids)}"
    await socket.send(
        orjson.dumps({"type": "command", "id": command_id, "name": name, "data": data or {}})
    )
    return await until(socket, lambda m: m.get("id") == command_id)


def event_of(kind: str) -> Callable[[Message], bool]:
    return lambda m: m["type"] == "event" and m["event_type"] == kind


async def test_the_lead_runs_the_clock_and_a_facilitator_cannot(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with device(running.ws, token(meeting_id, "facilitator", 1)) as (tablet, _):
        refused = await command(tablet, "pause_clock")
        assert refused["code"] == "forbidden"
        assert "only the lead" in refused["message"]
    async with device(running.ws, token(meeting_id, "lead")) as (lead, state):
        rotation = state["views"]["meeting"]["clock"]["rotation"]
        assert rotation == 2
        assert (await command(lead, "pause_clock"))["type"] == "ack"
        await until(lead, event_of("ClockPaused"))
        again = await command(lead, "pause_clock")
        assert again["code"] == "clock_already_paused"
        assert (await command(lead, "resume_clock"))["type"] == "ack"
        await until(lead, event_of("ClockResumed"))
        extended = await command(lead, "extend_rotation", {"rotation": rotation, "minutes": 2})
        assert extended["type"] == "ack"
        event = await until(lead, event_of("RotationExtended"))
        assert event["data"]["minutes"] == 2
        too_long = await command(lead, "extend_rotation", {"rotation": rotation, "minutes": 500})
        assert too_long["code"] == "invalid_minutes"
        wrong = await command(lead, "end_rotation", {"rotation": rotation + 1})
        assert wrong["code"] == "rotation_not_running"
        assert (await command(lead, "end_rotation", {"rotation": rotation}))["type"] == "ack"
        ended = await until(lead, event_of("RotationEnded"))
        assert ended["data"]["rotation"] == rotation
        started = await command(lead, "start_roundtables")
        assert started["code"] == "roundtables_already_started"
        bad = await command(lead, "extend_rotation", {"rotation": "2", "minutes": 2})
        assert bad["code"] == "invalid_field"


async def test_the_wall_hold_is_an_event_every_device_sees_and_new_ones_start_with(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with (
        device(running.ws, token(meeting_id, "lead")) as (lead, state),
        device(running.ws, token(meeting_id, "observer")) as (wall, _),
    ):
        assert state["views"]["announcements"] == {"message": None, "wall_held": False}
        assert (await command(lead, "hold_wall", {"held": True}))["type"] == "ack"
        await until(wall, event_of("WallHeld"))
        unchanged = await command(lead, "hold_wall", {"held": True})
        assert unchanged == {**unchanged, "type": "ack", "positions": []}
        assert (await command(lead, "send_message", {"text": "2 minutes left"}))["type"] == "ack"
        async with device(running.ws, token(meeting_id, "facilitator", 3)) as (_, later):
            said = later["views"]["announcements"]
            assert said["wall_held"] is True
            assert said["message"]["text"] == "2 minutes left"
        await command(lead, "hold_wall", {"held": False})
        await until(wall, event_of("WallShown"))
        refused = await command(wall, "hold_wall", {"held": False})
        assert refused["code"] == "forbidden"


async def test_the_lead_sees_who_is_online_and_what_waits_in_their_outboxes(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server

    async with device(running.ws, token(meeting_id, "lead", device="lead-1")) as (lead, _):
        first = await until(lead, lambda m: m["type"] == "presence")
        assert [d["device_id"] for d in first["devices"]] == ["lead-1"]
        async with device(running.ws, token(meeting_id, "facilitator", 3, "tab-3")) as (tablet, _):
            three = await changed(lead, "tab-3", lambda d: d["online"])
            assert (three["table"], three["waiting"], three["reported_at"]) == (3, 0, None)
            await tablet.send(orjson.dumps({"type": "status", "waiting": 4}).decode())
            reported = await changed(lead, "tab-3", lambda d: d["waiting"] == 4)
            assert reported["reported_at"] is not None
            for bad in ({"waiting": -1}, {"waiting": "4"}, {"waiting": True}, {}):
                await tablet.send(orjson.dumps({"type": "status", **bad}).decode())
                error = await until(tablet, lambda m: m["type"] == "error")
                assert error["code"] == "invalid_field"
        gone = await changed(lead, "tab-3", lambda d: not d["online"])
        assert gone["waiting"] == 4  # what it still holds, as it last said
        # A tablet joins with its sheet: the lead hears it as the log's event, by its name.
        code = join_code(SECRET.encode(), meeting_id, 2)
        _, joined = call(f"{running.base}/api/join", body={"meeting": meeting_id, "code": code})
        event = await until(lead, event_of("DeviceJoined"))
        assert (event["data"]["device_id"], event["data"]["label"]) == (
            joined["device_id"],
            "Table 2 tablet",
        )
        # A second lead starts with the whole list: every device of the log, by its name.
        async with device(running.ws, token(meeting_id, "lead", device="lead-2")) as (other, _):
            listed = (await until(other, lambda m: m["type"] == "presence"))["devices"]
            by_id = {d["device_id"]: d for d in listed}
            assert (by_id["tab-3"]["online"], by_id["tab-3"]["waiting"]) == (False, 4)
            assert by_id["lead-2"]["online"] is True
            never = by_id[joined["device_id"]]  # joined, never connected
            assert (never["label"], never["online"], never["since"]) == (
                "Table 2 tablet",
                False,
                None,
            )


async def test_a_tablet_whose_connection_goes_silent_is_shown_not_connected(
    server: tuple[Server, str],
) -> None:
    """The tablet's own connection stalls (a proxy between it and the server holds every
    byte): the server's keepalive ping gets no answer, and the lead is told it is gone."""
    running, meeting_id = server
    port = int(running.base.rsplit(":", 1)[1])
    async with (
        PausableProxy(port).running() as proxy,
        device(running.ws, token(meeting_id, "lead", device="lead-1")) as (lead, _),
        device(f"ws://127.0.0.1:{proxy.port}/ws", token(meeting_id, "facilitator", 2, "tab-2")),
    ):
        await changed(lead, "tab-2", lambda d: d["online"])
        proxy.pause()
        gone = await changed(lead, "tab-2", lambda d: not d["online"])
        assert gone["table"] == 2
        proxy.resume()


async def changed(
    socket: ClientConnection, device_id: str, wanted: Callable[[Message], bool]
) -> Message:
    """The device of the next ``device`` message about ``device_id`` for which ``wanted``
    holds."""

    def matches(m: Message) -> bool:
        return (
            m["type"] == "device" and m["device"]["device_id"] == device_id and wanted(m["device"])
        )

    return (await until(socket, matches))["device"]


async def test_wall_readers_get_the_themes_whole_after_each_theme_event(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with device(running.ws, token(meeting_id, "facilitator", 1)) as (tablet, state):
        assert "themes" not in state["views"]
        for cid, text in (("c1", "Detox beds"), ("c2", "Sobering centre")):
            data = {"comment_id": cid, "question": "advocacy", "text": text}
            assert (await command(tablet, "add_comment", data))["type"] == "ack"
    async with (
        device(running.ws, token(meeting_id, "lead")) as (lead, state),
        device(running.ws, token(meeting_id, "observer")) as (wall, _),
    ):
        assert state["views"]["themes"]["themes"] == []
        for name, data in (
            ("create_theme", {"theme_id": "a", "title": "Detox", "topic": None}),
            ("create_theme", {"theme_id": "b", "title": "Sobering", "topic": None}),
            ("add_to_theme", {"theme_id": "a", "table": 1, "comment_id": "c1"}),
            ("add_to_theme", {"theme_id": "b", "table": 1, "comment_id": "c2"}),
            ("merge_themes", {"theme_id": "b", "into": "a"}),
            ("set_key_theme", {"theme_id": "a", "key": True}),
        ):
            assert (await command(lead, name, data))["type"] == "ack"
        merged = await until(wall, lambda m: m["type"] == "themes" and bool(m["key_themes"]))
        (theme,) = merged["themes"]
        assert theme["id"] == "a"
        assert theme["comments"] == [[1, "c1"], [1, "c2"]]
        assert merged["key_themes"] == [{"topic": None, "question": None, "theme_ids": ["a"]}]
        assert merged["undo"]["event_type"] == "ThemesMerged"
        await command(lead, "undo_grouping", {"action": merged["undo"]["action"]})
        undone = await until(wall, lambda m: m["type"] == "themes" and len(m["themes"]) == 2)
        assert [t["comments"] for t in undone["themes"]] == [[[1, "c1"]], [[1, "c2"]]]
