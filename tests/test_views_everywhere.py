"""One fold for every view: the live server's views equal the rebuilt and the replayed ones at
every position of a Kamloops evening, and HTTP, the socket and the tokens' checks read the same
moment.

The evening is ``tests.test_replay``'s, typed through the real protocol into a real server,
with what else happens before the close: the tablet at table 1 nests, reorders, unnests,
retracts and restores points; a tablet joins by its table's code and is signed out; the room
votes (a round opened, paper dots counted, closed); theme suggestions are switched off. After
the close, staff write the report and publish it. The server is ``harness.recording_server``:
after each event its live views are written down, whole (``harness.every_view``). Afterwards the
log is folded again, event by event (the rebuild's fold), and replayed through the replay
page's checkpoints (``server.replay_cache``): at every recorded position each is the live one,
byte for byte. Every kind of stream the evening wrote changed some view, so a row missing from
the catalog's ``ROUTES`` fails here (as deleting the ``devices`` row showed).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import subprocess
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import ConnectionRefused, LiveClient
from events.log.codec import canonical
from events.log.envelope import Recorded
from events.log.store import EventStore
from events.tables import rules as comments
from harness.access_client import call, sheet_codes
from harness.every_view import every_view
from harness.servers import Server, seed_evening, serve, token
from projections.catalog import ROUTES, Catalog, kind
from server.live.ws import event_message
from server.replay_cache import MeetingLog
from tests.test_replay import DATA, in_process, run_evening, schedule

pytestmark = pytest.mark.slow

NODE = Path(__file__).parent / "node"
SHOWN = ("id", "text", "edited", "late", "starred", "rotation", "group", "phase")
"""What the page keeps of each comment that the server's table view also renders."""


async def _join_and_sign_out(running: Server, meeting_id: str) -> str:
    """A tablet joins table 1 by the code on its sheet; the lead signs it out. Its token."""
    lead = token(meeting_id, "lead")
    sheets = f"{running.base}/api/meetings/{meeting_id}/join-sheets"
    _, html = await asyncio.to_thread(call, sheets, lead)
    code = sheet_codes(html)[0]
    asked = {"meeting": meeting_id, "code": code, "label": "spare iPad"}
    status, joined = await asyncio.to_thread(call, f"{running.base}/api/join", None, asked)
    assert status == 200, joined
    revoke = f"{running.base}/api/meetings/{meeting_id}/devices/{joined['device_id']}/revoke"
    status, body = await asyncio.to_thread(call, revoke, lead, {})
    assert status == 200, body
    return str(joined["token"])


async def _before_close(running: Server, meeting_id: str, lead: LiveClient) -> None:
    await _join_and_sign_out(running, meeting_id)
    await lead.command("set_suggestions", {"enabled": False})
    await lead.command("open_voting", {"dots": 3})
    await lead.command("count_paper_dots", {"theme_id": "theme-1", "dots": 2})
    await lead.command("close_voting", {})


async def _table_moves(url: str, meeting_id: str) -> None:
    """At table 1, what the evening's tablets did not do yet: a point nested under another and
    taken out again, one put first, one retracted and restored."""
    async with LiveClient(url, token(meeting_id, "facilitator", 1, "tablet-1")) as tablet:
        questions = tablet.state["views"]["tables"]["1"]["questions"]
        first, second, third = next(q["comments"] for q in questions if len(q["comments"]) > 2)[:3]
        a, b, c = first["id"], second["id"], third["id"]
        await tablet.command("nest_comment", {"comment_id": b, "parent": a})
        await tablet.command("reorder_comment", {"comment_id": c, "after": None})
        await tablet.command("unnest_comment", {"comment_id": b})
        await tablet.command("retract_comment", {"comment_id": c})
        await tablet.command("restore_comment", {"comment_id": c})


async def _before_close(running: Server, meeting_id: str, lead: LiveClient) -> None:
    await _table_moves(running.ws, meeting_id)
    await _join_and_sign_out(running, meeting_id)
    await lead.command("set_suggestions", {"enabled": False})
    await lead.command("open_voting", {"dots": 3})
    await lead.command("count_paper_dots", {"theme_id": "theme-1", "dots": 2})
    await lead.command("close_voting", {})


async def _staff_report(running: Server, meeting_id: str) -> None:
    """After the close, staff write the report's front matter and publish it."""
    url = f"{running.base}/api/meetings/{meeting_id}/report/commands"
    staff = token(meeting_id, "staff")
    for name, data in (
        ("set_front_matter", {"part": "intro", "text": "Four tables on housing and health."}),
        ("publish_report", {"version": 1}),
    ):
        status, body = await asyncio.to_thread(call, url, staff, {"name": name, "data": data})
        assert status == 200, body


@dataclass(frozen=True, slots=True)
class Evening:
    db: str
    meeting_id: str
    live: list[dict[str, Any]]
    """What the recording server wrote down, line by line, for the meeting."""
    records: list[Recorded]
    """The whole log."""


async def _run(folder: Path) -> Evening:
    db, out = str(folder / "evening.db"), folder / "live.jsonl"
    meeting_id = await schedule(db)
    launcher = ("-m", "harness.recording_server", str(out))
    with serve(db, logs=folder, launcher=launcher) as running:
        rest = partial(_before_close, running, meeting_id)
        await asyncio.wait_for(run_evening(running.ws, running.base, meeting_id, rest), 240)
        await _staff_report(running, meeting_id)
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    async with EventStore(db) as store:
        records = [r async for r in store.read_all()]
    live = [line for line in lines if line["meeting"] == meeting_id]
    return Evening(db, meeting_id, live, records)


@pytest.fixture(scope="module")
def evening(tmp_path_factory: pytest.TempPathFactory) -> Evening:
    return asyncio.run(_run(tmp_path_factory.mktemp("evening")))


def test_every_view_live_at_every_position_is_the_rebuilt_and_the_replayed_one(
    evening: Evening,
) -> None:
    meeting_id, live = evening.meeting_id, evening.live
    assert len(live) >= 30, "views recorded at enough positions"
    by_position = {line["position"]: canonical(line["views"]) for line in live}
    catalog = Catalog()
    replays = MeetingLog(meeting_id)
    replays.add([r for r in evening.records if r.meeting_id == meeting_id])
    compared = 0
    for record in evening.records:
        catalog.apply(record)
        views = by_position.get(record.position)
        if views is None:
            continue
        rebuilt = every_view(catalog.scene(meeting_id))
        assert rebuilt == views, ("rebuilt", record.position, record.stream_id)
        replayed = every_view(replays.scene(replays.count_at_position(record.position)))
        assert replayed == views, ("replayed", record.position, record.stream_id)
        compared += 1
    assert compared == len(live)

    last = live[-1]
    at = ("--meeting", meeting_id, "--position", str(last["position"]), "--format", "json")
    code, replayed_out, err = in_process("replay", "--db", evening.db, *at)
    assert code == 0, err
    shown = {name: view for name, view in last["views"].items() if name != "rules"}
    assert canonical(orjson.loads(replayed_out)["views"]) == canonical(shown)
    code, rebuilt_out, err = in_process("rebuild", "--db", evening.db, "--format", "json")
    assert code == 0, err
    sums = {view["name"]: view["sha256"] for view in orjson.loads(rebuilt_out)["views"]}
    for number, table in last["views"]["tables"].items():
        name = f"table-view-{meeting_id}-{number}"
        assert sums[name] == hashlib.sha256(canonical(table)).hexdigest()


def test_every_kind_of_stream_is_routed_and_changes_a_view(evening: Evening) -> None:
    meeting_id, live = evening.meeting_id, evening.live
    kinds = {kind(r.stream_id, meeting_id) for r in evening.records if r.meeting_id == meeting_id}
    assert kinds == set(ROUTES), "the evening writes every kind of stream"
    catalog = Catalog()
    for record in evening.records:
        catalog.apply(record)
    assert catalog.unrouted == set()
    changed = {
        kind(line["stream"], meeting_id)
        for before, line in itertools.pairwise(live)
        if line["views"] != before["views"]
    }
    assert changed == kinds, "an event of every kind of stream changed a view"


def test_the_pages_table_fold_is_the_servers(evening: Evening) -> None:
    """``client/js/view.js`` folds a table's pushed events as the server folds its stream: from
    nothing, and from the table view a tablet is sent halfway through the evening."""
    meeting_id = evening.meeting_id
    final = evening.live[-1]["views"]
    questions = [q["id"] for q in final["meeting"]["questions"]]
    halfway = evening.live[len(evening.live) // 2]
    tables, expected = [], []
    for number, view in sorted(final["tables"].items()):
        stream = comments.stream_id(meeting_id, int(number))
        pushed = [orjson.loads(event_message(r)) for r in evening.records if r.stream_id == stream]
        later = [m for m in pushed if m["position"] > halfway["position"]]
        tables += [
            {"view": None, "messages": pushed},
            {"view": halfway["views"]["tables"][number], "messages": later},
        ]
        expected += [_listed(view)] * 2
    whole = sum(len(t["messages"]) for t in tables[::2])
    assert whole > len(DATA["comments"]), "every comment of the evening, and changes to some"
    node = subprocess.run(
        ["node", str(NODE / "table_fold.mjs")],
        input=orjson.dumps({"questions": questions, "tables": tables}),
        capture_output=True,
        check=True,
    )
    assert orjson.loads(node.stdout) == expected


def _listed(view: dict[str, Any]) -> list[dict[str, Any]]:
    """What the page lists of a rendered table view: per question, each live point and its
    live sub-points, with what the page shows of each."""

    def shown(comment: dict[str, Any]) -> dict[str, Any]:
        return {key: comment[key] for key in SHOWN}

    return [
        {
            "question": q["question"],
            "comments": [
                {**shown(c), "children": [shown(child) for child in c["children"]]}
                for c in q["comments"]
            ],
        }
        for q in view["questions"]
    ]


@pytest.mark.asyncio
async def test_http_the_socket_and_the_tokens_read_the_same_moment(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as running:
        lead = token(meeting_id, "lead")
        async with LiveClient(running.ws, lead) as lead_socket:
            tablet = await _join_and_sign_out(running, meeting_id)
            devices_url = f"{running.base}/api/meetings/{meeting_id}/devices"
            meeting_url = f"{running.base}/api/meetings/{meeting_id}"
            (_, listed), (refused_status, refused), socket_refusal = await asyncio.gather(
                asyncio.to_thread(call, devices_url, lead),
                asyncio.to_thread(call, meeting_url, tablet),
                _refusal(running.ws, tablet),
            )
            (device,) = listed["devices"]
            assert device["revoked_at"] is not None, "HTTP shows the device signed out"
            assert (refused_status, refused["code"]) == (401, "device_revoked"), refused
            assert socket_refusal == "device_revoked", "and so does the socket's hello"

            await lead_socket.command("close_meeting", {})
            (status, shown), observer = await asyncio.gather(
                asyncio.to_thread(call, meeting_url, lead), _state(running.ws, meeting_id)
            )
        assert status == 200
        assert shown["status"] == "closed"
        assert canonical(shown) == canonical(observer["views"]["meeting"])


async def _refusal(url: str, device_token: str) -> str:
    try:
        async with LiveClient(url, device_token):
            return "accepted"
    except ConnectionRefused as refused:
        return refused.code


async def _state(url: str, meeting_id: str) -> dict[str, Any]:
    async with LiveClient(url, token(meeting_id, "observer")) as observer:
        return observer.state
