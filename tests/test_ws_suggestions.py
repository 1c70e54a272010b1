"""Live theme suggestions over the protocol: a real server, real websocket clients, the Kamloops
comments typed in by the simulation."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import CommandRefused, LiveClient, Message
from client.simulation import comment_id, simulate
from events.log.store import EventStore
from harness import patience
from harness.servers import Server, evening, serve, token
from projections import lead_suggestions
from projections.catalog import fold
from server.live.suggestions import base_glossary
from server.seed import KAMLOOPS

pytestmark = pytest.mark.asyncio

DATA = KAMLOOPS
DETOX = ("t1-q2-010", "t1-q2-017", "t1-q2-018", "t1-q3-010", "t2-q3-003", "t2-q3-004", "t3-q3-008")
"""The detox, sobering centre and treatment beds comments of tables 1, 2 and 3."""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=tmp_path) as running:
        yield running, meeting_id


def refs(meeting_id: str, *data_ids: str) -> list[list[Any]]:
    """The [table, comment id] of data-file comments as the simulation typed them."""
    return sorted([int(d[1]), comment_id(meeting_id, d)] for d in data_ids)


async def type_evening(url: str, meeting_id: str) -> None:
    meeting = orjson.loads(DATA.read_bytes())
    assert await simulate(
        url, token(meeting_id, "lead", device="sim"), meeting, meeting_id, None, 0
    )


class Lead:
    """A lead connection that keeps every ``suggestions`` message it is pushed."""

    def __init__(self, url: str, meeting_id: str, device: str = "lead") -> None:
        self.seen: list[Message] = []
        self.changed = asyncio.Condition()
        self.client = LiveClient(url, token(meeting_id, "lead", device=device), on_message=self.see)

    def see(self, message: Message) -> None:
        if message["type"] == "suggestions":
            self.seen.append(message)
            asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def until(self, check: Callable[[Message], bool]) -> Message:
        """The latest suggestions message, once one passes ``check``."""
        async with asyncio.timeout(patience.seconds(15)), self.changed:
            await self.changed.wait_for(lambda: bool(self.seen) and check(self.seen[-1]))
        return self.seen[-1]

    async def command(self, name: str, data: Message) -> Message:
        return await self.client.command(name, data)


@contextlib.asynccontextmanager
async def lead(url: str, meeting_id: str, device: str = "lead") -> AsyncIterator[Lead]:
    connection = Lead(url, meeting_id, device)
    async with connection.client:
        yield connection


def gathering(wanted: list[list[Any]]) -> Callable[[Message], bool]:
    return lambda m: any(all(r in s["comments"] for r in wanted) for s in m["suggestions"])


def the_one(message: Message, wanted: list[list[Any]]) -> Message:
    (found,) = [s for s in message["suggestions"] if all(r in s["comments"] for r in wanted)]
    return found


def as_objects(pairs: list[list[Any]]) -> list[dict[str, Any]]:
    return [{"table": t, "comment_id": c} for t, c in pairs]


async def rebuilt(db: str, meeting_id: str) -> dict[str, Any]:
    """The suggestions message computed from the log alone, from position 0."""
    async with EventStore(db) as store:
        records = [r async for r in store.read_all()]
    folded = fold(records)
    plan = folded.scene(meeting_id).meeting.state.plan
    assert plan is not None
    tables = {n: folded.table(meeting_id, n).state for n in (1, 2, 3, 4)}
    wall = folded.wall(meeting_id).state
    choices = folded.choices(meeting_id).state
    from events.suggestions import rules as suggestions

    glossary = suggestions.glossary(choices, base_glossary())
    suggester = lead_suggestions.MeetingSuggester(glossary)
    suggester.sync(plan, tables, (1, 2, 3, 4))
    offered = lead_suggestions.offered(suggester.suggestions(), wall, choices, plan)
    return lead_suggestions.render(records[-1].position, choices, glossary, offered)


async def test_suggestions_reach_the_lead_as_comments_arrive_and_never_a_tablet(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    detox = refs(meeting_id, *DETOX)
    tablet_messages: list[Message] = []
    async with (
        lead(running.ws, meeting_id) as laptop,
        LiveClient(
            running.ws,
            token(meeting_id, "facilitator", 1, "t1"),
            on_message=tablet_messages.append,
        ) as tablet,
    ):
        first = await laptop.until(lambda m: True)
        assert first["suggestions"] == []
        assert first["enabled"] is True
        assert len(first["glossary"]["concepts"]) == len(base_glossary().concepts)
        await type_evening(running.ws, meeting_id)
        message = await laptop.until(gathering(detox))
        found = the_one(message, detox)
        assert found["tables"] == [1, 2, 3]
        assert found["joins"] is None
        assert found["id"].startswith("s-")
        typed = await tablet.command(
            "add_comment", {"comment_id": "c-last", "question": "advocacy", "text": "Detox"}
        )
        async with asyncio.timeout(patience.seconds(10)):
            await tablet.wait_for_position(typed["position"])
        message = await laptop.until(lambda m: m["position"] >= typed["position"])
    assert [m for m in tablet_messages if m["type"] == "suggestions"] == []
    async with LiveClient(running.ws, token(meeting_id, "observer")) as observer:
        assert observer.state["views"]  # nothing but the views
    assert message == await rebuilt(running.db, meeting_id)


async def test_accepting_makes_one_theme_in_one_event_and_an_undo_reverts_it(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    await type_evening(running.ws, meeting_id)
    detox = refs(meeting_id, *DETOX)
    async with lead(running.ws, meeting_id) as laptop:
        found = the_one(await laptop.until(gathering(detox)), detox)
        accept = {
            "suggestion_id": found["id"],
            "theme_id": "th-beds",
            "title": "Detox and treatment beds",
            "comments": as_objects(found["comments"]),
        }
        ack = await laptop.command("accept_suggestion", accept)
        assert len(ack["positions"]) == 1
        await laptop.client.wait_for_position(ack["position"])
        (event,) = [e for e in laptop.client.events if e["position"] == ack["position"]]
        assert event["event_type"] == "SuggestionAccepted"
        assert event["data"]["new"] is True
        assert event["data"]["topic"] is None  # tables 1, 2 and 3 are on three topics
        after = await laptop.until(lambda m: m["position"] >= ack["position"])
        assert not gathering(detox)(after)
        # a new comment saying the same joins the theme rather than making another
        await laptop.command(
            "add_comment",
            {"table": 4, "comment_id": "c-more", "question": "advocacy", "text": "Detox centre"},
        )
        joining = await laptop.until(gathering([[4, "c-more"]]))
        (join,) = [s for s in joining["suggestions"] if [4, "c-more"] in s["comments"]]
        assert join["comments"] == [[4, "c-more"]]
        assert join["joins"]["theme_id"] == "th-beds"
        assert sorted(join["joins"]["comments"]) == detox
        into = {
            "suggestion_id": join["id"],
            "into": "th-beds",
            "comments": as_objects(join["comments"]),
        }
        await laptop.command("accept_suggestion", into)
        with pytest.raises(CommandRefused) as refused:
            await laptop.command("accept_suggestion", {**into, "theme_id": "x", "title": "x"})
        assert refused.value.code == "invalid_field"
        undo = await laptop.command("undo_grouping", {})
        undo = await laptop.command("undo_grouping", {})
        back = await laptop.until(
            lambda m: m["position"] >= undo["position"] and gathering(detox)(m)
        )
        assert sorted(the_one(back, detox)["comments"]) == sorted([*detox, [4, "c-more"]])
    async with LiveClient(running.ws, token(meeting_id, "lead", device="fresh")) as fresh:
        assert fresh.state["views"]["themes"]["themes"] == []


async def test_a_dismissed_suggestion_never_comes_back(
    server: tuple[Server, str], tmp_path: Path
) -> None:
    running, meeting_id = server
    await type_evening(running.ws, meeting_id)
    detox = refs(meeting_id, *DETOX)
    async with lead(running.ws, meeting_id) as laptop:
        found = the_one(await laptop.until(gathering(detox)), detox)
        gone = {"suggestion_id": found["id"], "comments": as_objects(found["comments"])}
        ack = await laptop.command("dismiss_suggestion", gone)
        assert len(ack["positions"]) == 1
        again = await laptop.command("dismiss_suggestion", gone)
        assert again["positions"] == []
        await laptop.until(lambda m: m["position"] >= ack["position"] and m["dismissed"] == 1)
        assert not gathering(detox[:2])(laptop.seen[-1])
        added = await laptop.command(
            "add_comment",
            {"table": 4, "comment_id": "c-more", "question": "advocacy", "text": "Detox beds"},
        )
        later = await laptop.until(lambda m: m["position"] >= added["position"])
        assert not any(
            len({tuple(r) for r in s["comments"]} & {tuple(r) for r in detox}) >= 2
            for s in later["suggestions"]
        )
    running.process.terminate()
    running.process.wait(timeout=15)
    with serve(running.db, logs=tmp_path) as restarted:
        async with lead(restarted.ws, meeting_id) as laptop:
            message = await laptop.until(lambda m: True)
            assert message["suggestions"] == later["suggestions"]
            assert message["dismissed"] == 1


async def test_switched_off_there_are_no_suggestions(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    async with lead(running.ws, meeting_id) as laptop:
        off = await laptop.command("set_suggestions", {"enabled": False})
        await laptop.until(lambda m: m["position"] >= off["position"] and not m["enabled"])
        await type_evening(running.ws, meeting_id)
        # The marker: a point typed after the evening. Suggestions are computed in the log's
        # order, so once a message as late as it has come, every push the evening caused has.
        marker = await laptop.command(
            "add_comment",
            {"table": 4, "comment_id": "c-marker", "question": "advocacy", "text": "Detox beds"},
        )
        await laptop.until(lambda m: m["position"] >= marker["position"])
        assert all(m["suggestions"] == [] for m in laptop.seen)
        on = await laptop.command("set_suggestions", {"enabled": True})
        message = await laptop.until(lambda m: m["position"] >= on["position"])
        assert gathering(refs(meeting_id, *DETOX))(message)
        nothing = await laptop.command("set_suggestions", {"enabled": True})
        assert nothing["positions"] == []
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 1, "t1")) as tablet:
        with pytest.raises(CommandRefused) as refused:
            await tablet.command("set_suggestions", {"enabled": False})
        assert refused.value.code == "forbidden"


async def test_editing_the_glossary_changes_the_grouping(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    await type_evening(running.ws, meeting_id)
    detox = refs(meeting_id, *DETOX)
    async with lead(running.ws, meeting_id) as laptop:
        await laptop.until(gathering(detox))
        concepts = {c["id"]: c for c in laptop.seen[-1]["glossary"]["concepts"]}
        concept = concepts["recovery-services"]
        assert "sobering centre" in concept["phrases"]
        with pytest.raises(CommandRefused) as refused:
            await laptop.command(
                "set_glossary_concept", {"concept": {**concept, "acronyms": ["x"]}}
            )
        assert refused.value.code == "bad_glossary"
        with pytest.raises(CommandRefused) as refused:
            await laptop.command("remove_glossary_concept", {"concept_id": "no-such-thing"})
        assert refused.value.code == "unknown_concept"
        phrases = [p for p in concept["phrases"] if "sobering" not in p]
        edited = await laptop.command(
            "set_glossary_concept", {"concept": {**concept, "phrases": phrases}}
        )
        message = await laptop.until(lambda m: m["position"] >= edited["position"])
        sobering = refs(meeting_id, "t2-q3-003")[0]
        assert not gathering([sobering, refs(meeting_id, "t2-q3-004")[0]])(message)
        glossary = {c["id"]: c for c in message["glossary"]["concepts"]}
        assert glossary[concept["id"]]["phrases"] == phrases
        new = {"id": "sobering", "phrases": ["sobering centre", "detox centre"]}
        added = await laptop.command("set_glossary_concept", {"concept": new})
        message = await laptop.until(lambda m: m["position"] >= added["position"])
        assert gathering([sobering, refs(meeting_id, "t2-q3-004")[0]])(message)
        assert message["glossary"]["concepts"][-1]["id"] == "sobering"
        assert message == await rebuilt(running.db, meeting_id)


async def test_a_restart_mid_evening_offers_what_a_rebuild_from_zero_does(
    server: tuple[Server, str], tmp_path: Path
) -> None:
    running, meeting_id = server
    await type_evening(running.ws, meeting_id)
    async with lead(running.ws, meeting_id) as laptop:
        message = await laptop.until(gathering(refs(meeting_id, *DETOX)))
        detox = refs(meeting_id, *DETOX)
        other = next(s for s in message["suggestions"] if detox[0] not in s["comments"])
        gone = {"suggestion_id": other["id"], "comments": as_objects(other["comments"])}
        await laptop.command("dismiss_suggestion", gone)
        sobering = {"table": 2, "comment_id": comment_id(meeting_id, "t2-q3-003")}
        retract = await laptop.command("retract_comment", sobering)
        before = await laptop.until(lambda m: m["position"] >= retract["position"])
    running.process.terminate()
    running.process.wait(timeout=15)
    with serve(running.db, logs=tmp_path) as restarted:
        async with lead(restarted.ws, meeting_id) as laptop:
            after = await laptop.until(lambda m: True)
    # The restart itself appends to the log (serve records the sign-in link it prints), so
    # only where the suggestions were computed moves on; what they offer is the same.
    assert after["position"] > before["position"]
    assert {**after, "position": None} == {**before, "position": None}
    assert after == await rebuilt(running.db, meeting_id)
