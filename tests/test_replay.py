"""``roundtable replay`` against what was live.

A Kamloops evening is run through the real protocol into a real server: the lead starts the
roundtables and ends each of the four rotations over the socket, the four facilitators type
their tables' comments in each rotation (edits, a retraction, a move, stars, a late one), and
the lead groups themes, makes them key themes, messages the room, freezes the report-back and
closes the meeting. Meanwhile an observer's device connects afresh every few hundred
milliseconds and keeps the ``state`` the server sent it, and the presentation page's
report-back is fetched over HTTP. Afterwards ``roundtable replay --position P --format json``
runs for each sampled position: every view is the one that was live, byte for byte.

The times are the server's own: every instant in the log is the server clock's. What is not
real is the length of a rotation: the lead ends each one after its comments (a control leads
use for a rotation that finished early), so the four rotations take seconds, not an hour.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import LiveClient
from client.simulation import Typed, comment_id, comments_of, type_table
from events.instants import SECOND, local_instant, to_datetime
from events.log.codec import canonical
from events.log.store import EventStore, now_micros
from events.meeting.commands import OpenMeeting
from harness.cli import roundtable
from harness.servers import get, serve, token
from server import meetings, seed
from server.cli import main as cli
from server.cli.replay import replayed_at
from server.seed import KAMLOOPS

pytestmark = pytest.mark.asyncio

DATA = orjson.loads(KAMLOOPS.read_bytes())
ROTATIONS = 4
RATE = 25.0  # comments per second per table: a fast typist, so the test stays short
Step = Callable[[LiveClient], Awaitable[None]]


@dataclass
class Recorder:
    """What the server sent: an observer's ``state`` on each fresh connection, and the
    report-back the presentation page fetched."""

    url: str
    base: str
    meeting_id: str
    states: list[dict[str, Any]] = field(default_factory=list)
    report_backs: list[dict[str, Any]] = field(default_factory=list)

    async def sample(self) -> None:
        async with LiveClient(self.url, token(self.meeting_id, "observer")) as viewer:
            self.states.append(viewer.state)
        address = f"{self.base}/api/meetings/{self.meeting_id}/report-back"
        status, body = await asyncio.to_thread(get, address, token(self.meeting_id, "lead"))
        assert status == 200, body
        self.report_backs.append(body)

    async def every(self, seconds: float) -> None:
        while True:
            await self.sample()
            await asyncio.sleep(seconds)  # the pace of sampling, not a wait for a result


async def schedule(db: str) -> str:
    """The Kamloops rehearsal on today's date, opened as the lead would before the doors."""
    now = now_micros()
    command = seed.rehearsal(now)
    async with EventStore(db) as store:
        await meetings.run(store, command.meeting_id, command, command_id="schedule")
        await meetings.run(store, command.meeting_id, OpenMeeting(at=now), command_id="open")
    return command.meeting_id


def _rotation_share(typed: list[Typed], rotation: int) -> list[Typed]:
    """The comments a table types in ``rotation``: a quarter of its list, in order."""
    size = -(-len(typed) // ROTATIONS)
    return typed[(rotation - 1) * size : rotation * size]


async def _facilitator(url: str, meeting_id: str, table: int, name: str, data: Any) -> Any:
    tablet = token(meeting_id, "facilitator", table, f"tablet-{table}")
    async with LiveClient(url, tablet) as client:
        return await client.command(name, data)


async def _themes(lead: LiveClient, meeting_id: str, rotation: int, typed: list[Typed]) -> str:
    """The lead groups two of this rotation's comments at one table into a theme."""
    table = rotation
    topic = next(t["topic"] for t in DATA["tables"] if t["number"] == table)
    first = next(c for c in typed if c.parent is None)
    same = [c for c in typed if c.question == first.question and c.parent is None][:2]
    theme_id = f"theme-{rotation}"
    await lead.command(
        "create_theme",
        {
            "theme_id": theme_id,
            "title": first.text[:40],
            "topic": topic,
            "question": first.question,
        },
    )
    for item in same:
        cid = comment_id(meeting_id, item.data_id)
        await lead.command(
            "add_to_theme", {"theme_id": theme_id, "table": table, "comment_id": cid}
        )
    return theme_id


async def _rotation(
    url: str, lead: LiveClient, meeting_id: str, rotation: int, recorder: Recorder
) -> str:
    by_table = comments_of(DATA)
    shares = {n: _rotation_share(typed, rotation) for n, typed in by_table.items()}
    typing = [
        type_table(
            url, token(meeting_id, "facilitator", n, f"tablet-{n}"), meeting_id, n, share, RATE
        )
        for n, share in sorted(shares.items())
    ]
    acked = await asyncio.gather(*typing)
    assert acked == [len(share) for _, share in sorted(shares.items())]
    one = {n: comment_id(meeting_id, share[0].data_id) for n, share in shares.items()}
    await _facilitator(url, meeting_id, 1, "edit_comment", {"comment_id": one[1], "text": "edited"})
    await _facilitator(url, meeting_id, 2, "star_comment", {"comment_id": one[2]})
    if rotation == 2:
        await _facilitator(url, meeting_id, 3, "retract_comment", {"comment_id": one[3]})
    if rotation == 3:
        top = next(c for c in shares[4] if c.parent is None and c.question != "advocacy")
        cid = comment_id(meeting_id, top.data_id)
        await _facilitator(
            url, meeting_id, 4, "move_comment", {"comment_id": cid, "question": "advocacy"}
        )
    theme = await _themes(lead, meeting_id, rotation, shares[rotation])
    await recorder.sample()
    await lead.command("end_rotation", {"rotation": rotation})
    await recorder.sample()
    return theme


async def run_evening(
    url: str, base: str, meeting_id: str, before_close: Step | None = None
) -> Recorder:
    """The evening; ``before_close`` is what else the lead does just before closing it."""
    recorder = Recorder(url, base, meeting_id)
    async with LiveClient(url, token(meeting_id, "lead")) as lead:
        await recorder.sample()
        await lead.command("start_roundtables", {})
        sampling = asyncio.create_task(recorder.every(0.25))
        try:
            themes = [await _rotation(url, lead, meeting_id, r, recorder) for r in (1, 2, 3, 4)]
        finally:
            sampling.cancel()
        late = {
            "comment_id": "late-1",
            "question": "advocacy",
            "text": "one more, said as the bell rang",
            "rotation": ROTATIONS,
        }
        await _facilitator(url, meeting_id, 2, "add_comment", late)
        for theme in themes:
            await lead.command("set_key_theme", {"theme_id": theme, "key": True})
        await lead.command("send_message", {"text": "Back in 10 minutes for the report-back"})
        await lead.command("hold_wall", {"held": True})
        await lead.command("set_wall_rule", {"rule": "approve"})
        await lead.command("approve_comment", {"table": 2, "comment_id": "late-1"})
        await recorder.sample()
        await lead.command("take_off_wall", {"table": 2, "comment_id": "late-1"})
        await lead.command("jump_to_report_back", {})
        await lead.command("hold_wall", {"held": False})
        await lead.command("freeze_report_back", {})
        await recorder.sample()
        await lead.command("set_key_theme", {"theme_id": themes[0], "key": False})  # frozen
        await recorder.sample()
        await lead.command("unfreeze_report_back", {})
        if before_close is not None:
            await before_close(lead)
        await lead.command("close_meeting", {})
        await recorder.sample()
    return recorder


def roundtable_process(*args: str) -> tuple[int, bytes, str]:
    """The real ``roundtable`` process, as staff run it."""
    done = subprocess.run([sys.executable, "-m", "server", *args], capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr.decode()


def in_process(*args: str) -> tuple[int, bytes, str]:
    """The same command's code in this process (``harness.cli``): no second of imports."""
    done = roundtable(*args)
    return done.returncode, done.stdout.encode(), done.stderr


async def replay(
    db: str, meeting_id: str, *moment: str, form: str = "json", process: bool = False
) -> bytes:
    """``roundtable replay``'s output, in this process unless ``process`` (on a thread: the
    command runs its own event loop)."""
    code, out, err = await asyncio.to_thread(
        roundtable_process if process else in_process,
        *("replay", "--db", db, "--meeting", meeting_id, *moment, "--format", form),
    )
    assert code == 0, err
    assert err == "", "no progress bar when stderr is not a terminal"
    return out


async def test_views_replayed_at_each_sampled_position_are_the_live_ones(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await schedule(db)
    with serve(db, logs=tmp_path) as running:
        recorder = await asyncio.wait_for(run_evening(running.ws, running.base, meeting_id), 180)
    states = {s["position"]: s for s in recorder.states}
    assert len(states) >= 12, "samples at enough different positions"
    rotations = {s["views"]["meeting"]["clock"]["rotation"] for s in states.values()}
    assert rotations >= {None, 1, 2, 3, 4}, "samples in every rotation, and outside them"

    pages = {p["position"]: p["report_back"] for p in recorder.report_backs}
    assert any(page["frozen"] for page in pages.values()), "a sample while it was frozen"
    replayed = await replay_each(db, meeting_id, sorted({*states, *pages}))
    for position, state in states.items():
        views = replayed[position]["views"]
        assert set(views) == {*state["views"], "report_back"}
        for name, live in state["views"].items():
            assert canonical(views[name]) == canonical(live), (position, name)
    for position, page in pages.items():
        assert canonical(replayed[position]["views"]["report_back"]) == canonical(page)


async def replay_each(db: str, meeting_id: str, positions: list[int]) -> dict[int, Any]:
    """``replay --position P --format json`` for each position: the last by the command in a
    process of its own, the others by the same code in this one (a process each costs a
    second apiece; the command line itself is checked by the other tests here)."""
    replayed: dict[int, Any] = {}
    *inside, last = positions
    for position in inside:
        args = cli.parser().parse_args(
            ["replay", "--db", db, "--meeting", meeting_id, "--position", str(position)]
        )
        replayed[position] = orjson.loads(canonical((await replayed_at(args)).document()))
    replayed[last] = orjson.loads(
        await replay(db, meeting_id, "--position", str(last), process=True)
    )
    for position, document in replayed.items():
        assert document["position"] == position
    return replayed


async def test_replay_at_a_time_is_the_log_up_to_that_instant(tmp_path: Path) -> None:
    db = str(tmp_path / "short.db")
    meeting_id = await schedule(db)
    with serve(db, logs=tmp_path) as running:
        async with LiveClient(running.ws, token(meeting_id, "lead")) as lead:
            await lead.command("start_roundtables", {})
            typed = comments_of(DATA)[1][:6]
            facilitator = token(meeting_id, "facilitator", 1, "tablet-1")
            for item in typed:
                assert await type_table(running.ws, facilitator, meeting_id, 1, [item], 0) == 1
                await asyncio.sleep(0.3)  # a facilitator's pace: the comments land apart in time
    async with EventStore(db) as store:
        records = [r async for r in store.read_all(meeting_id=meeting_id)]
    first = orjson.loads(await replay(db, meeting_id, "--position", "1"))  # scheduled at 1
    plan_tz = first["views"]["meeting"]["timezone"]
    middle = records[len(records) - 3]
    instant = middle.recorded_at
    upto = max(r.position for r in records if r.recorded_at <= instant)
    exact = await replay(db, meeting_id, "--at", to_datetime(instant, plan_tz).isoformat())
    assert exact == await replay(db, meeting_id, "--position", str(upto))

    second = instant - instant % SECOND
    local = to_datetime(second, plan_tz)
    day = date.fromisoformat(orjson.loads(exact)["views"]["meeting"]["date"])
    at = local_instant(day, time.fromisoformat(local.strftime("%H:%M:%S")), plan_tz)
    assert at is not None
    upto = max(r.position for r in records if r.recorded_at <= at)
    by_clock = await replay(db, meeting_id, "--at", local.strftime("%H:%M:%S"))
    assert by_clock == await replay(db, meeting_id, "--position", str(upto))

    page = (
        await replay(db, meeting_id, "--position", str(records[-1].position), form="md")
    ).decode()
    assert page.startswith(f"# {orjson.loads(exact)['views']['meeting']['title']}: as at ")
    assert "## Clock" in page
    assert "rotation 1 of 4" in page
    assert "## Table 1: " in page
    for item in typed:
        assert item.text in page
    assert "## Theme wall" in page
    assert "## Report-back" in page


async def test_replay_refuses_what_it_cannot_show_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "refused.db")
    meeting_id = await schedule(db)
    async with EventStore(db) as store:
        last = await store.last_position()
    for args, message in (
        (("--meeting", "nope", "--position", "1"), "nope: no such meeting in this log"),
        (
            ("--meeting", meeting_id, "--position", "999"),
            f"position 999 is not in the log (1 to {last})",
        ),
        (("--meeting", meeting_id, "--at", "25:99"), "--at '25:99': give HH:MM, HH:MM:SS or"),
    ):
        code, out, err = await asyncio.to_thread(in_process, "replay", "--db", db, *args)
        assert (code, out) == (1, b"")
        assert err.startswith(f"roundtable replay: {message}"), err
        assert err.count("\n") == 1
