"""The report-back over a real server: freezing and unfreezing as the lead (and no one else),
the view over HTTP, and the view of a server restarted mid-evening equal to its rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from client.live import CommandRefused, LiveClient
from events.instants import MINUTE
from events.log.codec import canonical
from events.log.store import EventStore, now_micros
from harness.key_themes import promote, seed_started, type_evening
from harness.servers import Server, get, serve, token
from projections import report_back
from projections.catalog import fold

pytestmark = pytest.mark.asyncio

COORDINATION = ("social-health", "coordination")


def shown(server: Server, meeting_id: str, role: str = "observer") -> dict[str, Any]:
    status, body = get(
        f"{server.base}/api/meetings/{meeting_id}/report-back",
        token(meeting_id, role),  # type: ignore[arg-type]
    )
    assert status == 200, body
    return dict(body)


def titles(view: dict[str, Any], topic: str, question: str) -> list[str]:
    (each,) = [t for t in view["topics"] if t["topic"] == topic]
    (section,) = [q for q in each["questions"] if q["question"] == question]
    return [k["title"] for k in section["key_themes"]]


async def rebuilt(db: str, meeting_id: str) -> bytes:
    async with EventStore(db) as store:
        records = [r async for r in store.read_all()]
    folded = fold(records)
    sources = folded.sources(meeting_id)
    return report_back.dumps(
        sources.meeting, sources.tables, sources.wall, folded.freeze(meeting_id)
    )


async def test_only_the_lead_freezes_and_a_second_freeze_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_started(db, now_micros() - 66 * MINUTE)
    with serve(db, logs=tmp_path) as server:
        async with LiveClient(server.ws, token(meeting_id, "lead")) as lead:
            ack = await lead.command("freeze_report_back", {})
            assert len(ack["positions"]) == 1
            await lead.wait_for_position(ack["position"])
            assert lead.events[-1]["event_type"] == "ReportBackFrozen"
            assert lead.events[-1]["stream"] == f"report-back-{meeting_id}"
            again = await lead.command("freeze_report_back", {})
            assert again["positions"] == []
            assert shown(server, meeting_id)["report_back"]["frozen_at"] == ack["position"]
            for role, table in (("observer", None), ("facilitator", 1)):
                async with LiveClient(server.ws, token(meeting_id, role, table)) as other:  # type: ignore[arg-type]
                    with pytest.raises(CommandRefused) as refused:
                        await other.command("unfreeze_report_back", {})
                    assert refused.value.code == "forbidden"
            thaw = await lead.command("unfreeze_report_back", {})
            assert len(thaw["positions"]) == 1
        body = shown(server, meeting_id)
        assert body["report_back"]["frozen"] is False
        assert body["position"] >= thaw["position"]
        status, _ = get(f"{server.base}/api/meetings/{meeting_id}/report-back")
        assert status == 401
        elsewhere = token("another-meeting", "observer")
        status, refusal = get(f"{server.base}/api/meetings/{meeting_id}/report-back", elsewhere)
        assert (status, refusal["code"]) == (403, "forbidden")


async def test_a_server_restarted_mid_evening_shows_the_report_back_of_its_rebuild(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_started(db, now_micros() - 66 * MINUTE)
    with serve(db, logs=tmp_path) as first:
        await type_evening(first.ws, meeting_id)
        promoted = await promote(first.ws, meeting_id, skip={COORDINATION})
        async with LiveClient(first.ws, token(meeting_id, "lead")) as lead:
            await lead.command("freeze_report_back", {})
        before = shown(first, meeting_id)["report_back"]
        await promote(first.ws, meeting_id, prefix="late")  # while frozen: not shown
        assert shown(first, meeting_id)["report_back"] == before
    with serve(db, logs=tmp_path) as second:
        frozen = shown(second, meeting_id)["report_back"]
        assert frozen == before  # the room still sees what it saw before the restart
        assert canonical(frozen) == await rebuilt(db, meeting_id)
        assert (
            titles(frozen, "crime-prevention", "working-well")
            == promoted[("crime-prevention", "working-well")]
        )
        async with LiveClient(second.ws, token(meeting_id, "lead")) as lead:
            await lead.command("unfreeze_report_back", {})
        live = shown(second, meeting_id)["report_back"]
        assert canonical(live) == await rebuilt(db, meeting_id)
    assert titles(live, *COORDINATION) != []
    assert (
        titles(live, "crime-prevention", "working-well")
        == 2 * promoted[("crime-prevention", "working-well")]
    )
    assert orjson.loads(canonical(live))["frozen"] is False
