"""Several server processes on one PostgreSQL log: a comment typed on one reaches the devices of
every other at once, and the next command at its table is decided against it, wherever it
arrives (JOURNEYS: the 40-table assembly on PostgreSQL with several workers)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import LiveClient
from harness import patience
from harness.servers import Server, evening, seed_evening, serve, token
from tests.conftest import reset_postgres
from tests.test_ws_lead import changed, device


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server, str]]:
    """Two ``roundtable serve`` processes on one fresh PostgreSQL log with the Kamloops evening
    in rotation 2, each beating every second (a silent one is forgotten after three)."""
    asyncio.run(reset_postgres(postgres_url))
    meeting_id = evening(postgres_url, minutes_ago=25)
    beat = {"HEARTBEAT_SECONDS": "1"}
    with (
        serve(postgres_url, logs=tmp_path, env=beat) as one,
        serve(postgres_url, logs=tmp_path, env=beat) as two,
    ):
        yield one, two, meeting_id


@pytest.mark.asyncio
async def test_two_servers_on_one_log_see_each_others_comments_live(
    two_servers: tuple[Server, Server, str],
) -> None:
    one, two, meeting_id = two_servers
    async with (
        LiveClient(one.ws, token(meeting_id, "facilitator", 1, "tablet-one")) as tablet,
        LiveClient(two.ws, token(meeting_id, "facilitator", 1, "spare-tablet")) as spare,
        LiveClient(two.ws, token(meeting_id, "lead")) as lead,
    ):
        first = {"comment_id": "w1", "question": "coordination", "text": "Shared intake"}
        ack = await tablet.command("add_comment", first)
        async with asyncio.timeout(10):
            await lead.wait_for_position(ack["position"])
            await spare.wait_for_position(ack["position"])
        (seen,) = [e for e in lead.events if e["event_type"] == "CommentAdded"]
        assert seen["data"]["text"] == "Shared intake"
        # the other server's views hold it: a sub-point under it is accepted there
        under = {**first, "comment_id": "w2", "text": "one form", "parent": "w1"}
        nested = await spare.command("add_comment", under)
        async with asyncio.timeout(10):
            await tablet.wait_for_position(nested["position"])
        assert [e["data"]["comment_id"] for e in tablet.events][-1] == "w2"


@pytest.mark.asyncio
async def test_serve_with_workers_shares_one_port(postgres_url: str, tmp_path: Path) -> None:
    await reset_postgres(postgres_url)
    meeting_id = await seed_evening(postgres_url)
    with serve(postgres_url, "--workers", "2", logs=tmp_path) as running:
        async with contextlib.AsyncExitStack() as stack:
            viewers = [
                await stack.enter_async_context(
                    LiveClient(running.ws, token(meeting_id, "observer", None, f"viewer-{n}"))
                )
                for n in range(8)
            ]
            tablet = await stack.enter_async_context(
                LiveClient(running.ws, token(meeting_id, "facilitator", 2, "tablet-two"))
            )
            point = {"comment_id": "x1", "question": "advocacy", "text": "Ask the province"}
            ack = await tablet.command("add_comment", point)
            async with asyncio.timeout(patience.seconds(10)):
                for viewer in viewers:
                    await viewer.wait_for_position(ack["position"])
    # Read once every process has stopped: a loaded machine can answer the first connections
    # from one worker before the other has written that it started.
    assert running.output().count("Started server process") == 2


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(tmp_path / "r.db"), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr


@pytest.mark.asyncio
async def test_the_lead_sees_tablets_connected_to_another_server(
    two_servers: tuple[Server, Server, str],
) -> None:
    one, two, meeting_id = two_servers
    async with device(two.ws, token(meeting_id, "lead", device="lead-1")) as (lead, _):
        tablet_token = token(meeting_id, "facilitator", 3, "tab-3")
        async with device(one.ws, tablet_token) as (tablet, _):
            await changed(lead, "tab-3", lambda d: d["online"])
            await tablet.send(orjson.dumps({"type": "status", "waiting": 4}).decode())
            await changed(lead, "tab-3", lambda d: d["waiting"] == 4)
        gone = await changed(lead, "tab-3", lambda d: not d["online"])
        assert gone["waiting"] == 4  # what it still holds, as it last said
        async with device(one.ws, tablet_token):
            await changed(lead, "tab-3", lambda d: d["online"])
            one.process.kill()  # the server dies without a word
            one.process.wait()
            await changed(lead, "tab-3", lambda d: not d["online"])


@pytest.mark.asyncio
async def test_two_tablets_of_one_table_on_two_servers_both_get_every_point_in(
    two_servers: tuple[Server, Server, str],
) -> None:
    """Their commands meet only in the log: a stale decision is refused there and decided again."""
    one, two, meeting_id = two_servers
    async with (
        LiveClient(one.ws, token(meeting_id, "facilitator", 4, "tablet-a")) as a,
        LiveClient(two.ws, token(meeting_id, "facilitator", 4, "tablet-b")) as b,
    ):

        def point(name: str, n: int) -> dict[str, Any]:
            return {"comment_id": f"{name}{n}", "question": "coordination", "text": f"{n}"}

        async with asyncio.timeout(30):
            acks = await asyncio.gather(
                *(a.submit("add_comment", point("a", n)) for n in range(20)),
                *(b.submit("add_comment", point("b", n)) for n in range(20)),
            )
            last = max(ack["position"] for ack in acks)
            await a.wait_for_position(last)
            await b.wait_for_position(last)
        for tablet in (a, b):
            added = [e["data"]["comment_id"] for e in tablet.events if "comment_id" in e["data"]]
            assert sorted(added) == sorted(
                [f"a{n}" for n in range(20)] + [f"b{n}" for n in range(20)]
            )
        assert len({ack["position"] for ack in acks}) == 40
