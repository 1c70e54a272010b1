"""The room's vote against a real server: the lead's commands over the websocket, the phones'
over HTTP, every refusal to its sender only, and the counts pushed to the screens."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import orjson
import pytest

from client.live import CommandRefused, LiveClient
from events.log.store import EventStore
from harness.access_client import call
from harness.report_evening import FORMATS, download
from harness.servers import Server, evening_server, seed_evening, serve, token
from harness.voting_evening import TOPIC, Phone, lead, promote_key_themes, voting_code
from projections.report_formats.spreadsheet import VOTE_COLUMNS

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("voting")) as running:
        yield running


class Screen(LiveClient):
    """An observer's screen that keeps the ``voting`` pushes it is sent."""

    def __init__(self, server: Server, meeting_id: str, device: str) -> None:
        self.pushes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        observer = token(meeting_id, "observer", device=device)
        super().__init__(server.ws, observer, on_message=self._keep)

    def _keep(self, message: dict[str, Any]) -> None:
        if message["type"] == "voting":
            self.pushes.put_nowait(message)


async def voting_push(screen: Screen, test: Any) -> dict[str, Any]:
    """The next ``voting`` push that passes ``test``."""
    while True:
        message = await asyncio.wait_for(screen.pushes.get(), 20)
        if test(message):
            return message


async def test_a_round_from_open_to_close(evening: tuple[Server, str]) -> None:
    server, meeting_id = evening
    await promote_key_themes(server, meeting_id)
    code = voting_code(server, meeting_id)
    async with (
        LiveClient(server.ws, lead(meeting_id)) as laptop,
        Screen(server, meeting_id, "projector") as screen,
    ):
        assert screen.state["views"]["voting"]["round"] is None
        with pytest.raises(CommandRefused) as refused:
            await screen.command("open_voting", {"dots": 3})
        assert refused.value.code == "forbidden"
        with pytest.raises(CommandRefused) as refused:
            await laptop.command("open_voting", {"topic": TOPIC, "dots": 0})
        assert refused.value.code == "invalid_voting"
        with pytest.raises(CommandRefused) as refused:
            await laptop.command("open_voting", {"topic": "no-such-topic", "dots": 3})
        assert refused.value.code == "invalid_voting"

        await laptop.command("open_voting", {"topic": TOPIC, "dots": 3, "shown": "live"})
        shown = await voting_push(screen, lambda m: m["open"])
        assert [t["theme_id"] for t in shown["themes"]] == ["v-cso", "v-lights", "v-data"]
        assert shown["counts"] == {"phones": 0, "dots": {}, "paper": {}}

        phone = Phone(server, code)
        ballot = await phone.start()
        assert ballot["open"] is True
        assert ballot["left"] == 3
        assert ballot["themes"][0]["title"] == "Expanded CSO program with outreach"
        for theme in ("v-cso", "v-cso", "v-data"):
            status, ballot = await phone.dot(theme)
            assert status == 200, ballot
        assert ballot["mine"] == ["v-cso", "v-cso", "v-data"]
        assert ballot["left"] == 0
        status, refusal = await phone.dot("v-lights")
        assert (status, refusal["code"]) == (409, "no_dots_left")
        assert "take one back" in refusal["message"]
        status, again = await phone.dot("v-data", id="d3")  # a resend of the third dot
        assert status == 200
        assert again["mine"] == ["v-cso", "v-cso", "v-data"]
        status, ballot = await phone.dot("v-cso", place=False)
        assert ballot["mine"] == ["v-cso", "v-data"]
        status, ballot = await phone.dot("v-lights")
        assert ballot["mine"] == ["v-cso", "v-data", "v-lights"]
        counted = await voting_push(screen, lambda m: m["counts"]["dots"].get("v-lights"))
        assert counted["counts"] == {
            "phones": 1,
            "dots": {"v-cso": 1, "v-data": 1, "v-lights": 1},
            "paper": {},
        }

        await laptop.command("count_paper_dots", {"theme_id": "v-cso", "dots": 12})
        papered = await voting_push(screen, lambda m: m["counts"]["paper"])
        assert papered["counts"]["paper"] == {"v-cso": 12}

        await laptop.command("close_voting", {})
        closed = await voting_push(screen, lambda m: not m["open"])
        assert closed["counts"]["phones"] == 1
        status, refusal = await phone.dot("v-beds")
        assert (status, refusal["code"]) == (409, "voting_closed")
        assert refusal["message"].startswith("Voting is closed")
        assert (await phone.ballot())["open"] is False


async def test_counts_shown_after_the_close_are_absent_while_open(
    evening: tuple[Server, str],
) -> None:
    server, meeting_id = evening
    code = voting_code(server, meeting_id)
    async with (
        LiveClient(server.ws, lead(meeting_id)) as laptop,
        Screen(server, meeting_id, "wall") as screen,
    ):
        await laptop.command("open_voting", {"topic": None, "dots": 2, "shown": "after"})
        shown = await voting_push(screen, lambda m: m["open"])
        assert shown["counts"] is None
        assert [t["theme_id"] for t in shown["themes"]][-1] == "v-beds"
        phone = Phone(server, code)
        await phone.start()
        status, _ = await phone.dot("v-beds")
        assert status == 200
        await laptop.command("close_voting", {})
        closed = await voting_push(screen, lambda m: not m["open"])
        assert closed["counts"]["dots"]["v-beds"] == 1
        assert closed["counts"]["phones"] == 2


async def test_bad_phone_requests_get_a_clear_answer(evening: tuple[Server, str]) -> None:
    server, meeting_id = evening
    code = voting_code(server, meeting_id)
    phone = Phone(server, code)
    await phone.start()
    forged = phone.phone.split(".")[0] + ".AAAAAAAAAAA"
    status, refusal = await phone.post("ballot", {"phone": forged})
    assert (status, refusal["code"]) == (403, "phone_refused")
    status, refusal = await phone.post("ballot", {})
    assert (status, refusal["code"]) == (403, "phone_refused")
    status, refusal = await phone.post("dots", {"phone": phone.phone, "theme_id": 5})
    assert (status, refusal["code"]) == (400, "bad_request")
    status, refusal = await phone.post(
        "dots", {"phone": phone.phone, "id": "x", "theme_id": "<b>", "place": True}
    )
    assert (status, refusal["code"]) == (400, "bad_request")
    status, page = call(f"{server.base}/v/nosuch")
    assert status == 200  # the page says it, in words, from its first request:
    status, refusal = await Phone(server, "nosuch").post("phone", {})
    assert (status, refusal["code"]) == (404, "unknown_vote")
    assert refusal["message"] == "There is no vote at this address: check the link on the wall."
    request = urllib.request.Request(
        f"{phone.api}/dots", data=b"{not json", method="POST", headers=phone.origin
    )
    with pytest.raises(urllib.error.HTTPError) as not_json:
        await asyncio.to_thread(urllib.request.urlopen, request, timeout=10)
    assert not_json.value.code == 400
    assert orjson.loads(not_json.value.read())["code"] == "bad_request"
    status, refusal = await phone.post("dots", {"phone": phone.phone, "pad": "x" * 20_000})
    assert (status, refusal["code"]) == (400, "bad_request")
    status, page = call(f"{server.base}/v/{code}")
    assert status == 200
    assert "<title>" in page
    status, refusal = call(
        f"{phone.api}/phone", body={}, method="POST", headers={"Origin": "http://elsewhere.test"}
    )
    assert status == 403


async def test_closing_the_meeting_closes_voting(evening: tuple[Server, str]) -> None:
    server, meeting_id = evening
    code = voting_code(server, meeting_id)
    async with (
        LiveClient(server.ws, lead(meeting_id)) as laptop,
        Screen(server, meeting_id, "screen") as screen,
    ):
        await laptop.command("open_voting", {"topic": TOPIC, "dots": 1})
        await voting_push(screen, lambda m: m["open"])
        phone = Phone(server, code)
        await phone.start()
        await laptop.command("close_meeting", {})
        closed = await voting_push(screen, lambda m: not m["open"])
        assert closed["round"] == 3
        status, refusal = await phone.dot("v-cso")
        assert (status, refusal["code"]) == (409, "voting_closed")
        with pytest.raises(CommandRefused) as refused:
            await laptop.command("close_voting", {})
        assert refused.value.code == "meeting_closed"


async def test_the_reports_five_formats_show_the_counts_and_the_phones(
    evening: tuple[Server, str],
) -> None:
    """After the rounds above: two phones voted in three rounds, 12 dots on paper."""
    server, meeting_id = evening
    line = "Expanded CSO program with outreach: 13 dots (1 from phones, 12 on paper)"
    summary = "2 phones voted in 3 rounds"
    exported = {fmt: download(server, meeting_id, fmt) for fmt in FORMATS}
    vote = orjson.loads(exported["json"])["vote"]
    assert vote["phones"] == 2
    assert vote["rounds"] == 3
    assert vote["themes"][0] == {
        "topic": TOPIC,
        "topic_title": "Crime Prevention",
        "title": "Expanded CSO program with outreach",
        "from_phones": 1,
        "on_paper": 12,
        "dots": 13,
    }
    assert [(t["title"], t["dots"]) for t in vote["themes"][1:]] == [
        ("Better lighting in the downtown lanes", 1),
        ("Share crime data between agencies", 1),
        ("More detox and treatment beds", 1),
    ]
    markdown = exported["md"].decode()
    assert "## The Room's Vote" in markdown
    assert summary in markdown
    assert f"- {line}" in markdown
    page = exported["html"].decode()
    assert '<section id="vote">' in page
    assert summary in page
    assert f"<li>{line}</li>" in page
    word = docx.Document(io.BytesIO(exported["docx"]))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Heading 1", "The Room's Vote") in paragraphs
    assert ("List Bullet", line) in paragraphs
    assert any(summary in text for _, text in paragraphs)
    rows = list(csv.reader(io.StringIO(exported["csv"].decode("utf-8-sig"))))
    header = rows.index(list(VOTE_COLUMNS))
    assert rows[header - 1] == []
    assert rows[header + 1] == [
        "Crime Prevention",
        "Expanded CSO program with outreach",
        "1",
        "12",
        "13",
        "2",
    ]


async def test_phones_voting_at_once_never_overspend_their_dots(tmp_path: Path) -> None:
    """Forty phones each send four dots at once (one more than they have), and another sends
    one dot twice at once: each of the forty gets three, the fourth refused in words; the
    twice-sent dot is one dot."""
    db = str(tmp_path / "evening.db")
    meeting_id = await seed_evening(db)
    with serve(db, logs=tmp_path) as server:
        await promote_key_themes(server, meeting_id)
        code = voting_code(server, meeting_id)
        async with LiveClient(server.ws, lead(meeting_id)) as laptop:
            await laptop.command("open_voting", {"dots": 3})
        phones = [Phone(server, code) for _ in range(41)]
        await asyncio.gather(*(phone.start() for phone in phones))
        themes = ["v-cso", "v-lights", "v-data", "v-beds"]
        twice = phones.pop()
        answers = await asyncio.gather(
            *(phone.dot(theme) for phone in phones for theme in themes),
            twice.dot("v-beds", id="again"),
            twice.dot("v-beds", id="again"),
        )
        assert [status for status, _ in answers[-2:]] == [200, 200]
        codes = [answer["code"] for status, answer in answers if status != 200]
        assert codes == ["no_dots_left"] * 40
        ballots = await asyncio.gather(*(phone.ballot() for phone in phones))
        assert all(len(ballot["mine"]) == 3 for ballot in ballots)
        assert (await twice.ballot())["mine"] == ["v-beds"]
        async with Screen(server, meeting_id, "screen") as screen:
            counts = screen.state["views"]["voting"]["counts"]
        assert sum(counts["dots"].values()) == 121
        assert counts["phones"] == 41


async def test_the_command_lines_replay_tells_the_vote(evening: tuple[Server, str]) -> None:
    """``roundtable replay --format md`` after the rounds above, and before the first one."""
    server, meeting_id = evening
    async with EventStore(server.db) as store:
        last = await store.last_position()
    told = {}
    for name, position in (("end", last), ("start", 1)):
        command = ["replay", "--db", server.db, "--meeting", meeting_id, "--format", "md"]
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "server", *command, "--position", str(position)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        told[name] = done.stdout
    assert "## The room's vote\n\nRound 3, closed, 1 dot a phone.\n2 phones voted." in told["end"]
    assert "- Expanded CSO program with outreach: 13 dots (12 on paper)" in told["end"]
    assert "The room's vote" not in told["start"]
