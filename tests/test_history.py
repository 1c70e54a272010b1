"""The history of one comment or one theme, over HTTP from a real server, after changes
made through the live protocol."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from client.live import LiveClient
from harness.access_client import call, fragment, sheet_codes
from harness.servers import Server, evening, get, serve, token

pytestmark = pytest.mark.asyncio


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db, minutes_ago=25)
    with serve(db, logs=tmp_path) as running:
        yield running, meeting_id


def fields(change: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["old"], c["new"]) for c in change["changes"]}


async def test_a_comment_history_shows_each_change_with_old_and_new_values(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with LiveClient(running.ws, token(meeting_id, "facilitator", 2, "tab-2")) as tablet:
        add = {"comment_id": "p", "question": "advocacy", "text": "Detox beds"}
        await tablet.command("add_comment", add)
        child = {"comment_id": "c", "question": "advocacy", "text": "Sobering", "parent": "p"}
        await tablet.command("add_comment", child)
        await tablet.command("edit_comment", {"comment_id": "c", "text": "Sobering centre"})
        await tablet.command("move_comment", {"comment_id": "p", "question": "coordination"})
        await tablet.command("star_comment", {"comment_id": "c"})
    async with LiveClient(running.ws, token(meeting_id, "lead", device="lead-1")) as lead:
        await lead.command("create_theme", {"theme_id": "beds", "title": "Beds", "topic": None})
        await lead.command("add_to_theme", {"theme_id": "beds", "table": 2, "comment_id": "c"})
        await lead.command("rename_theme", {"theme_id": "beds", "title": "Detox beds"})
        await lead.command("undo_grouping", {})
    lead_token = token(meeting_id, "lead", device="lead-1")
    status, body = get(
        f"{running.base}/api/meetings/{meeting_id}/history?table=2&comment=c", lead_token
    )
    assert status == 200
    steps = [fields(change) for change in body["changes"]]
    assert steps[0]["text"] == (None, "Sobering")
    assert steps[0]["parent"] == (None, "p")
    assert steps[1] == {"text": ("Sobering", "Sobering centre")}
    assert steps[2] == {"question": ("advocacy", "coordination")}  # its parent moved
    assert steps[3] == {"starred": (False, True)}
    assert steps[4] == {"theme": (None, "beds")}
    assert steps[5] == {"theme": ("beds", None)}  # the undo took it out again
    assert [c["event_type"] for c in body["changes"]][4:] == [
        "CommentAddedToTheme",
        "GroupingUndone",
    ]
    assert body["changes"][1]["by"] == "tab-2"
    assert body["changes"][1]["who"] == "the tablet at table 2"
    assert all(isinstance(c["recorded_at"], int) for c in body["changes"])
    assert [c["said"] for c in body["changes"]] == [  # in words: texts and titles, no ids
        "added “Sobering” under “Where do we need to target our advocacy efforts to senior"
        " government?”, as a sub-point of “Detox beds”",
        "changed the text from “Sobering” to “Sobering centre”",
        "moved it from “Where do we need to target our advocacy efforts to senior government?”"
        " to “What can we do to improve the coordination of efforts and resources?”",
        "starred it",
        "put it in the theme “Detox beds”",
        "undid the last grouping: took it out of the theme “Detox beds”",
    ]

    status, body = get(f"{running.base}/api/meetings/{meeting_id}/history?theme=beds", lead_token)
    assert status == 200
    titles = [fields(c).get("title") for c in body["changes"]]
    assert titles == [(None, "Beds"), None, ("Beds", "Detox beds"), None]
    assert fields(body["changes"][1])["comments"] == ([], [[2, "c"]])
    assert [c["said"] for c in body["changes"]] == [
        "created the theme “Beds” across topics, for any question",
        "put “Sobering centre” (table 2) in it",
        "renamed it from “Beds” to “Detox beds”",
        "undid the last grouping: took “Sobering centre” (table 2) out of it",
    ]
    assert {c["who"] for c in body["changes"]} == {"a lead"}  # no name in the log: its role


async def test_history_is_for_staff_and_the_lead_and_needs_a_subject(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    url = f"{running.base}/api/meetings/{meeting_id}/history"
    status, body = get(f"{url}?theme=x", token(meeting_id, "facilitator", 1))
    assert (status, body["code"]) == (403, "forbidden")
    status, body = get(f"{url}?table=one&comment=x", token(meeting_id, "staff"))
    assert (status, body["code"]) == (400, "bad_request")
    status, body = get(f"{url}?theme=nothing", token(meeting_id, "staff"))
    assert (status, body["changes"]) == (200, [])


async def test_who_is_the_name_a_device_joined_with(server: tuple[Server, str]) -> None:
    """Devices that joined as on the evening (a lead's sign-in link, a table's join code)
    are named in the history by the names they joined with."""
    running, meeting_id = server
    api = f"{running.base}/api/meetings/{meeting_id}"
    _, made = call(f"{api}/links", token(meeting_id, "lead"), {"role": "lead"}, method="POST")
    link = {"token": fragment(made["url"])["signin"], "label": "lead's laptop"}
    _, lead = call(f"{running.base}/api/signin", body=link)
    _, html = call(f"{api}/join-sheets", lead["token"])
    code = sheet_codes(html)[1]  # table 2's
    _, tablet = call(f"{running.base}/api/join", body={"meeting": meeting_id, "code": code})
    async with LiveClient(running.ws, tablet["token"]) as pad:
        add = {"comment_id": "n", "question": "advocacy", "text": "Navigators"}
        await pad.command("add_comment", add)
    async with LiveClient(running.ws, lead["token"]) as laptop:
        await laptop.command(
            "create_theme", {"theme_id": "nav", "title": "Navigation", "topic": None}
        )
        await laptop.command("add_to_theme", {"theme_id": "nav", "table": 2, "comment_id": "n"})
    status, body = get(f"{api}/history?table=2&comment=n", lead["token"])
    assert status == 200
    said = [(c["who"], c["said"]) for c in body["changes"]]
    assert said == [
        (
            "Table 2 tablet",  # the name a join gives a tablet
            "added “Navigators” under “Where do we need to target our advocacy efforts to"
            " senior government?”",
        ),
        ("lead's laptop", "put it in the theme “Navigation”"),
    ]
