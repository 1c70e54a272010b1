"""Closed meetings lie dormant at start-up and are folded when opened (``server.live.dormant``), on
a
real SQLite file and a real PostgreSQL: what the live views hold of a meeting woken from the
log equals the meeting's full rebuild, byte for byte as the catalog renders it, whatever
happened to it while it slept; at most ``kept`` stay awake, never one a connection follows.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import msgspec
import orjson
import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette

from client.live import LiveClient
from events import messages
from events.log.envelope import Metadata, NewEvent, Recorded
from events.log.store import EventStore, now_micros
from events.meeting.commands import CloseMeeting, OpenMeeting, StartRoundtables
from events.messages import MessageSent
from events.report import rules as report
from events.tables import rules as comments
from events.tables.events import CommentAdded, CommentEdited, CommentRetracted
from events.themes import rules as themes
from events.themes.events import CommentAddedToTheme, CommentRef, ThemeCreated
from harness import patience
from harness.access_client import call
from harness.servers import SECRET, get, serve, token
from projections import screens
from projections.catalog import Catalog
from server import erasure, meetings, seed
from server.app import create_app
from server.cli.fold import fold
from server.live import dormant
from server.live.views import LiveViews
from server.settings import Settings

pytestmark = pytest.mark.asyncio

LEAD = Metadata(actor="lead", device_id="lead-1")


def _new(event: object, event_id: str) -> NewEvent:
    return NewEvent(event, event_id, LEAD)  # type: ignore[arg-type]


async def _evening(store: EventStore, meeting_id: str, *, close: bool) -> None:
    """A Kamloops rehearsal as ``meeting_id``: opened, its roundtables started, comments at
    two tables (one edited, one retracted), a theme holding one, a message; closed if asked."""
    now = now_micros()
    command = dataclasses.replace(seed.rehearsal(now), meeting_id=meeting_id)
    await meetings.run(store, meeting_id, command, command_id=f"{meeting_id}-schedule")
    await meetings.run(store, meeting_id, OpenMeeting(at=now), command_id=f"{meeting_id}-open")
    start = StartRoundtables(at=now)
    await meetings.run(store, meeting_id, start, command_id=f"{meeting_id}-start")
    for table in (1, 2):
        added = [
            CommentAdded(
                comment_id=f"c{table}-{n}",
                question="working-well",
                text=f"Point {n} of table {table} in {meeting_id}",
                parent=None,
                rotation=1,
                group="A",
                phase="roundtables",
                late=False,
                typed_at=now,
                by=f"tablet-{table}",
            )
            for n in range(5)
        ]
        later = [
            CommentEdited(comment_id=f"c{table}-1", text="Point 1, corrected", by="t"),
            CommentRetracted(comment_id=f"c{table}-2", by="t"),
        ]
        await store.append(
            comments.stream_id(meeting_id, table),
            [_new(e, f"{meeting_id}-{table}-{i}") for i, e in enumerate([*added, *later])],
            meeting_id=meeting_id,
            expected_version=0,
        )
    created = ThemeCreated(theme_id="th1", title="Beds", topic=None, question=None, by="lead")
    grouped = CommentAddedToTheme(
        theme_id="th1", comment=CommentRef(1, "c1-0"), previous=None, by="lead"
    )
    await store.append(
        themes.stream_id(meeting_id),
        [_new(created, f"{meeting_id}-th1"), _new(grouped, f"{meeting_id}-th1-c")],
        meeting_id=meeting_id,
        expected_version=0,
    )
    said = MessageSent(message_id="m1", text="Ten minutes left", by="lead")
    await store.append(
        messages.stream_id(meeting_id),
        [_new(said, f"{meeting_id}-m1")],
        meeting_id=meeting_id,
        expected_version=0,
    )
    if close:
        closing = CloseMeeting(at=now_micros())
        await meetings.run(store, meeting_id, closing, command_id=f"{meeting_id}-close")


@pytest_asyncio.fixture
async def year(store: EventStore) -> EventStore:
    """Two closed meetings and one open one."""
    await _evening(store, "closed-1", close=True)
    await _evening(store, "closed-2", close=True)
    await _evening(store, "open", close=False)
    return store


@pytest_asyncio.fixture
async def views(year: EventStore) -> AsyncIterator[LiveViews]:
    live = LiveViews(year, kept=1)
    await live.start()
    yield live
    await live.stop()


async def _rebuilt(store: EventStore, meeting_id: str) -> list[tuple[str, bytes]]:
    """The meeting's views as ``roundtable rebuild`` renders them (of the whole log)."""
    views = (await fold(store)).catalog.rendered()
    mine = [v for v in views if v.name.endswith(f"-{meeting_id}") or f"-{meeting_id}-" in v.name]
    return [(v.name, v.body) for v in mine]


def _live(views: LiveViews, meeting_id: str) -> list[tuple[str, bytes]]:
    """The live views' meeting, rendered by the same catalog."""
    rendered = Catalog.resume(views.scene(meeting_id), views.position).rendered()
    return [(v.name, v.body) for v in rendered]


async def test_only_the_closed_meetings_lie_dormant_with_their_meeting_view(
    views: LiveViews, year: EventStore
) -> None:
    assert views.is_dormant("closed-1")
    assert views.is_dormant("closed-2")
    assert not views.is_dormant("open")
    assert views.table("closed-1", 1).version == 0  # not folded
    closed = views.meeting("closed-1")
    assert closed is not None
    assert closed.state.clock.closed_at is not None  # the meeting list and clock still see it
    assert _live(views, "open") == await _rebuilt(year, "open")


async def test_a_woken_meeting_equals_its_rebuild(views: LiveViews, year: EventStore) -> None:
    await views.wake("closed-1")
    assert not views.is_dormant("closed-1")
    assert views.table("closed-1", 1).version == 7
    assert _live(views, "closed-1") == await _rebuilt(year, "closed-1")
    assert views.scene("closed-1").announcements == (
        (await fold(year, meeting_id="closed-1")).catalog.scene("closed-1").announcements
    )


async def test_what_a_dormant_meeting_was_sent_is_in_it_when_woken(
    views: LiveViews, year: EventStore
) -> None:
    late = CommentEdited(comment_id="c2-0", text="Written up after the close", by="staff")
    result = await year.append(
        comments.stream_id("closed-2", 2),
        [_new(late, "late-edit")],
        meeting_id="closed-2",
        expected_version=7,
    )
    await views.wait_for(result.positions[-1])
    await views.wake("closed-2")
    assert views.table("closed-2", 2).state.comments["c2-0"].text == "Written up after the close"
    assert _live(views, "closed-2") == await _rebuilt(year, "closed-2")


async def test_at_most_kept_meetings_stay_awake_unless_followed(views: LiveViews) -> None:
    await views.wake("closed-1")
    await views.wake("closed-2")  # kept=1: closed-1 goes back to sleep
    assert views.is_dormant("closed-1")
    assert views.table("closed-1", 1).version == 0
    assert not views.is_dormant("closed-2")

    def listener(record: Recorded) -> None:
        """A connection following closed-2."""

    views.listen("closed-2", listener)
    await views.wake("closed-1")  # closed-2 is followed: it stays awake
    assert not views.is_dormant("closed-1")
    assert not views.is_dormant("closed-2")
    views.unlisten("closed-2", listener)
    await views.wake("closed-1")  # now it may sleep
    assert views.is_dormant("closed-2")
    assert not views.is_dormant("closed-1")
    await views.wake("open")  # a meeting open at start-up is never put to sleep
    assert not views.is_dormant("open")


async def test_a_meeting_closed_while_the_server_runs_sleeps_like_the_others(
    views: LiveViews, year: EventStore
) -> None:
    """Closing counts as opening it (kept=1): the meeting closed now stays folded while a
    connection follows it, and sleeps once another is opened after it and nothing does."""
    await views.wake("closed-1")

    def listener(record: Recorded) -> None:
        """The lead's connection to the meeting being closed."""

    views.listen("open", listener)
    closing = CloseMeeting(at=now_micros())
    done = await meetings.run(year, "open", closing, command_id="open-close")
    await views.wait_for(done.positions[-1])
    assert views.is_dormant("closed-1")  # the least recently opened, beyond kept
    assert not views.is_dormant("open")
    await views.wake("closed-2")  # "open" is followed: it stays awake
    assert not views.is_dormant("open")
    views.unlisten("open", listener)
    await views.wake("closed-1")
    assert views.is_dormant("open")
    assert views.table("open", 1).version == 0
    closed = views.meeting("open")
    assert closed is not None
    assert closed.state.clock.closed_at is not None  # its light streams are still folded
    await views.wake("open")
    assert _live(views, "open") == await _rebuilt(year, "open")


async def test_a_server_started_on_a_closed_meeting_shows_it_whole(tmp_path: Path) -> None:
    """Through a real server: the lead's hello to a meeting closed before the start gets the
    views of its full rebuild, and the meeting list still lists it."""
    db = str(tmp_path / "year.db")
    async with EventStore(db) as store:
        await _evening(store, "closed-1", close=True)
        await _evening(store, "open", close=False)
    with serve(db, logs=tmp_path) as running:
        status, listed = get(f"{running.base}/api/meetings", token("closed-1", "lead"))
        async with LiveClient(running.ws, token("closed-1", "lead")) as lead:
            views, position = lead.state["views"], lead.state["position"]
    async with EventStore(db) as store:  # the log as the lead was shown it
        rebuilt = (await fold(store, position=position)).catalog.scene("closed-1")
    assert status == 200
    assert "closed-1" in orjson.dumps(listed).decode()
    assert views == orjson.loads(orjson.dumps(screens.render(rebuilt, tablet=False, table=None)))
    assert len(views["tables"]["1"]["questions"][0]["comments"]) == 4  # one of five retracted


async def test_a_comment_erased_while_its_meeting_sleeps_is_gone_when_it_wakes(
    views: LiveViews, year: EventStore
) -> None:
    order = erasure.check(
        {"table": 1, "comment_id": "c1-0", "reason": "asked", "show_reason": False}
    )
    done = await erasure.erase(year, "closed-1", order, command_id="erase-1", metadata=LEAD)
    await views.wait_for(done.position)
    assert views.is_dormant("closed-1")
    await views.wake("closed-1")
    words = msgspec.json.encode(views.scene("closed-1").tables[1].state.comments["c1-0"]).decode()
    assert "Point 0 of table 1" not in words
    assert _live(views, "closed-1") == await _rebuilt(year, "closed-1")


class _Gate(asyncio.Lock):
    """A stream's lock, held by the test: it says when a command comes to wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited = asyncio.Event()

    async def acquire(self) -> Literal[True]:
        if self.locked():
            self.waited.set()
        return await super().acquire()


@contextlib.asynccontextmanager
async def _serving(db: str) -> AsyncIterator[tuple[str, Starlette]]:
    """The server's app under a real uvicorn in this test's loop, so that the test can hold one
    of its locks; its port listens before the server starts (a request waits in the backlog
    until it is served), and the app says when it has started."""
    app = create_app(Settings(database_url=db, secret_key=SECRET))
    started, lifespan = asyncio.Event(), app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def signalled(app: Starlette) -> AsyncIterator[None]:
        async with lifespan(app):
            started.set()
            yield

    app.router.lifespan_context = signalled
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        serving = asyncio.create_task(server.serve(sockets=[listening]))
        try:
            async with asyncio.timeout(patience.seconds(60)):
                await started.wait()
            yield f"http://127.0.0.1:{listening.getsockname()[1]}", app
        finally:
            server.should_exit = True
            await serving


async def test_a_meeting_a_command_woke_stays_awake_until_it_is_decided(tmp_path: Path) -> None:
    """Staff's report command wakes a closed meeting, then waits for its stream's lock (held
    here); meanwhile more closed meetings than are kept are opened. The meeting is not put back
    to sleep under the command, which is decided against its whole report."""
    db = str(tmp_path / "year.db")
    others = [f"other-{n}" for n in range(dormant.KEPT)]
    async with EventStore(db) as store:
        for meeting_id in ["first", *others]:
            await _evening(store, meeting_id, close=True)
    async with _serving(db) as (base, app):
        url, staff = f"{base}/api/meetings/first/report/commands", token("first", "staff")
        data = {"topic": "crime-prevention", "question": "working-well", "text": "Beds first"}
        write = {
            "id": "write-k1",
            "name": "write_key_theme",
            "data": {"key_theme_id": "k1", **data},
        }
        status, _ = await asyncio.to_thread(call, url, staff, write)
        assert status == 200
        gate = _Gate()
        await gate.acquire()
        app.state.streams._locks[report.stream_id("first")] = gate
        edit = {
            "id": "edit-k1",
            "name": "edit_key_theme",
            "data": {"key_theme_id": "k1", "text": "Beds, then jobs"},
        }
        edited = asyncio.create_task(asyncio.to_thread(call, url, staff, edit))
        try:
            async with asyncio.timeout(patience.seconds(30)):
                await gate.waited.wait()  # "first" woken, its command waiting for the lock
            for meeting_id in others:
                opened = f"{base}/api/meetings/{meeting_id}"
                status, _ = await asyncio.to_thread(get, opened, token(meeting_id, "lead"))
                assert status == 200
            slept = app.state.views.is_dormant("first")
        finally:
            gate.release()
            status, answer = await edited
    assert not slept
    assert (status, answer["events"]) == (200, ["ReportThemeEdited"]), answer
