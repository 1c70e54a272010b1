"""The one command pipeline, tested once for every row of the command table.

Every row of ``server.live.command_table`` has a case here (a test fails if a row has none): the
state it is sent in, the commands before it, its data, and what another writer appends to the
same stream meanwhile. Each runs on a real log (SQLite; the retry on PostgreSQL too) with real
live views, through the ``Dispatcher`` the websocket uses, as the lead (staff's report
commands, ``report/<name>``, as staff once the meeting is closed, as ``server.http.report_api``
runs them):

- **resend**: sent twice with one id, the second answer is the first one's positions and the
  log does not grow, though the meeting was closed in between (deciding again would be
  refused, or decide otherwise);
- **retry**: while it is decided, another writer (a second dispatcher with its own views and
  locks, as a second server process has) appends to the same stream first; the append loses,
  and the command is decided again against the stream with the other writer's events in it;
  and once more with the other writer on a second store of the same SQLite file, whose commits
  these live views never hear of: the command is decided on the stream as stored, not after
  waiting for its views.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from events.errors import WrongExpectedVersion
from events.instants import MINUTE
from events.log.envelope import NewEvent
from events.log.store import EventStore, now_micros
from events.log.writer import AppendResult
from events.meeting.commands import OpenMeeting, StartRoundtables
from harness.patience import seconds
from server import meetings, seed
from server.auth import Auth
from server.clock import MeetingClock
from server.live.command_table import (
    CLOCK,
    COMMANDS,
    MESSAGES,
    MODERATION,
    REPORT,
    REPORT_COMMANDS,
    SUGGESTIONS,
    TABLE,
    VOTING,
    WALL,
    Row,
    Stream,
)
from server.live.dispatch import Dispatcher
from server.live.streams import LiveStreams
from server.live.views import LiveViews
from server.tokens import Grant

Q, Q2 = "working-well", "coordination"
Sent = tuple[str, dict[str, Any]]


def add(comment_id: str) -> Sent:
    return ("add_comment", {"table": 1, "comment_id": comment_id, "question": Q, "text": "Beds"})


def ref(comment_id: str) -> dict[str, Any]:
    return {"table": 1, "comment_id": comment_id}


def theme(theme_id: str) -> Sent:
    return ("create_theme", {"theme_id": theme_id, "title": f"Theme {theme_id}"})


def key_theme(theme_id: str) -> Sent:
    return ("create_theme", {"theme_id": theme_id, "title": theme_id, "topic": "social-health"})


CLOSE: Sent = ("close_meeting", {})
STAFF = "report/"
"""The prefix of staff's report commands here (``order_key_themes`` is a lead's command too)."""
K1: Sent = (
    "report/write_key_theme",
    {"key_theme_id": "k1", "topic": "social-health", "question": Q, "text": "Too few beds"},
)
K2: Sent = ("report/write_key_theme", {**K1[1], "key_theme_id": "k2", "text": "Long waits"})
REDACT_C1: Sent = ("report/redact_comment", {**ref("c1"), "reason": "it names a neighbour"})
ADD_TO_T1 = ("add_to_theme", {"theme_id": "t1", **ref("c1")})
KEY_T1 = [key_theme("t1"), ("set_key_theme", {"theme_id": "t1", "key": True})]
"""A key theme to vote on."""
RIVAL_BY_STREAM: dict[Stream, Sent] = {
    TABLE: add("rival"),
    WALL: theme("rival"),
    SUGGESTIONS: ("dismiss_suggestion", {"suggestion_id": "rival", "comments": [ref("x")]}),
    MESSAGES: ("send_message", {"text": "From the other laptop"}),
    MODERATION: ("set_wall_rule", {"rule": "after", "minutes": 5}),
    CLOCK: ("extend_rotation", {"rotation": 2, "minutes": 1}),
    VOTING: ("count_paper_dots", {"theme_id": "t1", "dots": 3}),
    REPORT: ("report/set_front_matter", {"part": "next_steps", "text": "From the other laptop"}),
}


@dataclass(frozen=True)
class Case:
    data: dict[str, Any]
    given: Sequence[Sent] = ()
    stage: str = "started"
    """``scheduled``, ``opened``, or ``started`` (rotation 2 under way)."""
    rival: Sent | None = None
    """What another writer appends to the stream meanwhile (``None``: the stream's usual)."""
    same_as_rival: bool = field(default=False)
    """The other writer sends this very command: it is decided again to nothing."""


CASES: dict[str, Case] = {
    "add_comment": Case(add("c1")[1]),
    "edit_comment": Case({**ref("c1"), "text": "More beds"}, [add("c1")]),
    "retract_comment": Case(ref("c1"), [add("c1")]),
    "restore_comment": Case(ref("c1"), [add("c1"), ("retract_comment", ref("c1"))]),
    "move_comment": Case({**ref("c1"), "question": Q2}, [add("c1")]),
    "reorder_comment": Case({**ref("c2"), "after": None}, [add("c1"), add("c2")]),
    "nest_comment": Case({**ref("c2"), "parent": "c1"}, [add("c1"), add("c2")]),
    "unnest_comment": Case(
        ref("c2"), [add("c1"), add("c2"), ("nest_comment", {**ref("c2"), "parent": "c1"})]
    ),
    "star_comment": Case(ref("c1"), [add("c1")]),
    "unstar_comment": Case(ref("c1"), [add("c1"), ("star_comment", ref("c1"))]),
    "create_theme": Case(theme("t1")[1]),
    "rename_theme": Case({"theme_id": "t1", "title": "Homes"}, [theme("t1")]),
    "add_to_theme": Case(ADD_TO_T1[1], [add("c1"), theme("t1")]),
    "remove_from_theme": Case(ADD_TO_T1[1], [add("c1"), theme("t1"), ADD_TO_T1]),
    "merge_themes": Case({"theme_id": "t2", "into": "t1"}, [theme("t1"), theme("t2")]),
    "split_theme": Case(
        {"theme_id": "t1", "new_theme_id": "t2", "title": "Apart", "comments": [ref("c2")]},
        [
            add("c1"),
            add("c2"),
            theme("t1"),
            ADD_TO_T1,
            ("add_to_theme", {"theme_id": "t1", **ref("c2")}),
        ],
    ),
    "undo_grouping": Case({}, [add("c1"), theme("t1"), ADD_TO_T1]),
    "set_key_theme": Case({"theme_id": "t1", "key": True}, [key_theme("t1")]),
    "order_key_themes": Case(
        {"topic": "social-health", "question": None, "theme_ids": ["t2", "t1"]},
        [
            key_theme("t1"),
            key_theme("t2"),
            ("set_key_theme", {"theme_id": "t1", "key": True}),
            ("set_key_theme", {"theme_id": "t2", "key": True}),
        ],
    ),
    "accept_suggestion": Case(
        {"suggestion_id": "s1", "comments": [ref("c1")], "theme_id": "t1", "title": "Beds"},
        [add("c1")],
    ),
    "dismiss_suggestion": Case({"suggestion_id": "s1", "comments": [ref("c1")]}, [add("c1")]),
    "set_suggestions": Case({"enabled": False}),
    "set_glossary_concept": Case(
        {"concept": {"id": "beds", "phrases": ["bunk beds", "cots"], "broader": []}}
    ),
    "remove_glossary_concept": Case({"concept_id": "cso"}),
    "send_message": Case({"text": "Five minutes left"}),
    "clear_message": Case({}, [("send_message", {"text": "Five minutes left"})]),
    "hold_wall": Case({"held": True}),
    "set_wall_rule": Case({"rule": "approve"}),
    "approve_comment": Case(ref("c1"), [add("c1"), ("set_wall_rule", {"rule": "approve"})]),
    "take_off_wall": Case(ref("c1"), [add("c1")]),
    "freeze_report_back": Case({}, same_as_rival=True),
    "unfreeze_report_back": Case({}, [("freeze_report_back", {})], same_as_rival=True),
    "open_voting": Case({"topic": None, "dots": 3}, KEY_T1),
    "close_voting": Case({}, [*KEY_T1, ("open_voting", {"dots": 3})]),
    "count_paper_dots": Case({"theme_id": "t1", "dots": 5}, KEY_T1),
    "open_meeting": Case({}, stage="scheduled", same_as_rival=True),
    "choose_auto_start": Case({"enabled": True}, stage="opened", same_as_rival=True),
    "start_roundtables": Case({}, stage="opened", rival=("choose_auto_start", {"enabled": True})),
    "pause_clock": Case({}),
    "resume_clock": Case({}, [("pause_clock", {})]),
    "extend_rotation": Case({"rotation": 2, "minutes": 5}),
    "end_rotation": Case({"rotation": 2}),
    "jump_to_break": Case({}),
    "jump_to_report_back": Case({}),
    "close_meeting": Case({}),
    "report/write_key_theme": Case(K1[1], [CLOSE]),
    "report/edit_key_theme": Case({"key_theme_id": "k1", "text": "No beds"}, [CLOSE, K1]),
    "report/remove_key_theme": Case({"key_theme_id": "k1"}, [CLOSE, K1], same_as_rival=True),
    "report/order_key_themes": Case(
        {"topic": "social-health", "question": Q, "key_theme_ids": ["k2", "k1"]}, [CLOSE, K1, K2]
    ),
    "report/set_front_matter": Case({"part": "intro", "text": "An evening on housing"}, [CLOSE]),
    "report/redact_comment": Case(REDACT_C1[1], [add("c1"), CLOSE]),
    "report/unredact_comment": Case(ref("c1"), [add("c1"), CLOSE, REDACT_C1]),
    "report/publish_report": Case({"version": 1}, [CLOSE]),
}

_ids = itertools.count(1)


class RacedStore(EventStore):
    """A real store where, once ``race`` is set, another writer's command runs to its end
    just before the next append to ``race``'s stream goes in (that append then loses)."""

    race: tuple[str, Any] | None = None
    conflicts = 0

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        meeting_id: str,
        expected_version: int | None,
    ) -> AppendResult:
        if self.race is not None and self.race[0] == stream_id:
            rival, self.race = self.race[1], None
            await rival()
        try:
            return await super().append(
                stream_id, events, meeting_id=meeting_id, expected_version=expected_version
            )
        except WrongExpectedVersion:
            self.conflicts += 1
            raise


@dataclass
class Server:
    """One server process's dispatcher: its own live views and stream locks."""

    store: EventStore
    views: LiveViews
    dispatcher: Dispatcher
    lead: Grant
    staff: Grant

    async def send(self, name: str, data: dict[str, Any], command_id: str | None = None) -> Any:
        command_id = command_id or f"cmd-{next(_ids)}"
        if name.startswith(STAFF):
            report = name.removeprefix(STAFF)
            run = self.dispatcher.run(self.staff, command_id, report, dict(data), REPORT_COMMANDS)
        else:
            run = self.dispatcher.run(self.lead, command_id, name, dict(data))
        positions = (await run).positions
        if positions:
            await self.views.wait_for(positions[-1])
        return positions


async def _server(store: EventStore, meeting_id: str) -> Server:
    views = LiveViews(store)
    await views.start()
    auth = Auth(store, b"k" * 32)
    _, lead = auth.issue(meeting_id, "lead")
    _, staff = auth.issue(meeting_id, "staff")
    dispatcher = Dispatcher(views, LiveStreams(store, views), auth)
    return Server(store, views, dispatcher, lead, staff)


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[RacedStore]:
    """A real SQLite log."""
    opened = RacedStore(str(tmp_path / "commands.db"))
    async with opened:
        yield opened


@pytest_asyncio.fixture
async def raced(store_url: str) -> AsyncIterator[RacedStore]:
    """A real log on each back end in turn: SQLite, then PostgreSQL (where several server
    processes share one log, and losing an append to another is an everyday thing)."""
    opened = RacedStore(store_url)
    async with opened:
        yield opened


async def _given(store: EventStore, case: Case) -> tuple[Server, str]:
    """The Kamloops rehearsal at the case's stage, and the case's commands before it."""
    started = now_micros() + (-25 if case.stage == "started" else 10) * MINUTE
    schedule = seed.rehearsal(started - MINUTE)
    meeting_id = schedule.meeting_id
    steps: list[tuple[str, Any]] = [("schedule", schedule)]
    if case.stage != "scheduled":
        steps.append(("open", OpenMeeting(at=started - MINUTE)))
    if case.stage == "started":
        steps.append(("start", StartRoundtables(at=started)))
    for command_id, command in steps:
        await meetings.run(store, meeting_id, command, command_id=command_id)
    await MeetingClock(store).tick()  # what fell due is in, as the server's start sees to
    server = await _server(store, meeting_id)
    for name, data in case.given:
        assert await server.send(name, data)
    return server, meeting_id


ROWS: dict[str, Row] = {**COMMANDS, **{STAFF + n: row for n, row in REPORT_COMMANDS.items()}}
"""Every row of the command table, by its case's name."""


def test_every_command_has_a_case() -> None:
    assert sorted(CASES) == sorted(ROWS)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(ROWS))
async def test_a_resend_returns_the_first_positions_and_decides_nothing(
    store: RacedStore, name: str
) -> None:
    case = CASES[name]
    server, _ = await _given(store, case)
    try:
        first = await server.send(name, case.data, command_id="once")
        assert first, f"{name} made no event in its case"
        if case.stage != "scheduled" and name != "close_meeting" and CLOSE not in case.given:
            # once closed, the lead's commands are refused and a table's decided late: only
            # the resend rule, applied before anything is decided, answers as before
            assert await server.send("close_meeting", {})
        last = await store.last_position()
        assert await server.send(name, case.data, command_id="once") == first
        assert await store.last_position() == last
    finally:
        await server.views.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(ROWS))
async def test_a_command_that_loses_its_append_is_decided_again(
    raced: RacedStore, name: str
) -> None:
    await _loses_its_append(raced, raced, name)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(ROWS))
async def test_a_command_that_loses_to_another_process_is_decided_on_the_stored_stream(
    store: RacedStore, name: str
) -> None:
    """The other writer is another server process on the same log, whose commits these live
    views never hear of (two stores on one SQLite file: no notifications between them): the
    command is decided again against the stream as stored, without waiting for its views,
    which once made every lost append wait for the whole log (it waited here for ever)."""
    async with EventStore(store.url) as elsewhere:
        async with asyncio.timeout(seconds(30)):
            await _loses_its_append(store, elsewhere, name)


async def _loses_its_append(store: RacedStore, elsewhere: EventStore, name: str) -> None:
    """While ``name`` is decided, a second dispatcher (its own views and locks, as a second
    server process has) on ``elsewhere`` appends to the same stream first; the append loses,
    and the command is decided again against the stream with the other writer's events in it."""
    case = CASES[name]
    row = ROWS[name]
    server, meeting_id = await _given(store, case)
    other = await _server(elsewhere, meeting_id)
    table = 1 if row.stream.at_table else None
    stream_id = row.stream.stream_id(meeting_id, table)
    rival = (name, case.data) if case.same_as_rival else case.rival or RIVAL_BY_STREAM[row.stream]
    try:
        before = await store.stream_version(stream_id)
        rival_positions: list[Any] = []

        async def other_writer() -> None:
            rival_positions.extend(await other.send(*rival))

        store.race = (stream_id, other_writer)
        mine = await server.send(name, case.data)
        assert store.race is None, f"{name} never appended to {stream_id}"
        assert store.conflicts == 1
        assert rival_positions
        assert not mine or min(mine) > max(rival_positions)
        after = await store.stream_version(stream_id)
        assert after == before + len(rival_positions) + len(mine)
        if not case.same_as_rival:
            assert mine, f"{name} decided nothing once the other writer's events were in"
    finally:
        await other.views.stop()
        await server.views.stop()
