"""The organiser on a real server: the first sign-in link, what the role may and may not do,
the planning endpoints, and the front page that tells a visitor nothing about the meetings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.access_client import call, fragment, printed_link
from harness.servers import SECRET, Server, serve, token

HINT = "No meetings yet: plan one in the browser"


def _plan(server: Server, organiser: str) -> dict[str, Any]:
    status, body = call(f"{server.base}/api/templates/kamloops-2023-06-15", organiser)
    assert status == 200, body
    return dict(body["plan"])


def _sign_in(server: Server, link: str) -> tuple[int, Any]:
    return call(f"{server.base}/api/signin", body={"token": fragment(link)["signin"]})


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server started on an empty database, and the organiser's token from its link; the
    organiser then planned the meeting ``first`` from the Kamloops template."""
    folder = tmp_path_factory.mktemp("organisers")
    with serve(folder / "new.db", logs=folder) as running:
        status, device = _sign_in(running, printed_link(running, "/#signin="))
        assert status == 200, device
        organiser = device["token"]
        body = {"plan": _plan(running, organiser), "id": "first"}
        status, made = call(f"{running.base}/api/plans", organiser, body)
        assert (status, made) == (200, {"meeting_id": "first"})
        yield running, organiser


def test_serve_on_an_empty_database_prints_the_organisers_link_and_a_hint(
    empty: tuple[Server, str],
) -> None:
    running, _ = empty
    output = running.output()
    assert "Organiser sign-in" in output
    assert HINT in output
    assert "Lead sign-in" not in output  # no meeting yet, so no lead


def test_the_organisers_link_works_once(empty: tuple[Server, str]) -> None:
    running, _ = empty
    status, reply = _sign_in(running, printed_link(running, "/#signin="))
    assert (status, reply["code"]) == (409, "signin_used")


def test_the_organiser_lists_every_meeting_and_plans_one(empty: tuple[Server, str]) -> None:
    running, organiser = empty
    plan = _plan(running, organiser)
    status, made = call(f"{running.base}/api/plans", organiser, {"plan": plan, "id": "second"})
    assert (status, made) == (200, {"meeting_id": "second"})
    status, taken = call(f"{running.base}/api/plans", organiser, {"plan": plan, "id": "first"})
    assert (status, taken["field"]) == (409, "meeting.id")
    status, again = call(f"{running.base}/api/plans", organiser, {"plan": plan})
    assert (status, again) == (200, {"meeting_id": "2023-06-15"})  # made from its date
    status, listed = call(f"{running.base}/api/meetings", organiser)
    assert status == 200
    assert {m["meeting_id"] for m in listed["meetings"]} >= {"first", "second", "2023-06-15"}
    status, lead_only = call(f"{running.base}/api/meetings", token("first", "lead"))
    assert [m["meeting_id"] for m in lead_only["meetings"]] == ["first"]


def test_a_refused_plan_names_its_field(empty: tuple[Server, str]) -> None:
    running, organiser = empty
    plan = _plan(running, organiser)
    plan["meeting"] = {**plan["meeting"], "title": ""}
    status, reply = call(f"{running.base}/api/plans", organiser, {"plan": plan})
    assert (status, reply["code"], reply["field"]) == (409, "invalid_plan", "meeting.title")
    plan = _plan(running, organiser)
    plan["agenda"][0] = {**plan["agenda"][0], "start": "25:00"}
    status, reply = call(f"{running.base}/api/plans", organiser, {"plan": plan})
    assert (status, reply["code"], reply["field"]) == (400, "bad_template", "agenda[0].start")
    status, reply = call(f"{running.base}/api/plans", organiser, {"plan": "no"})
    assert (status, reply["field"]) == (400, "plan")


def test_a_saved_plan_is_edited_removals_included(empty: tuple[Server, str]) -> None:
    running, organiser = empty
    plan = _plan(running, organiser)
    status, _ = call(f"{running.base}/api/plans", organiser, {"plan": plan, "id": "edited"})
    assert status == 200
    url = f"{running.base}/api/meetings/edited/plan"
    status, found = call(url, organiser)
    assert (status, found["started"], found["closed"]) == (200, False, False)
    changed = found["plan"]
    changed["questions"] = changed["questions"][:2]
    changed["tables"] = [t for t in changed["tables"] if t["topic"] != "crime-prevention"]
    changed["topics"] = [t for t in changed["topics"] if t["id"] != "crime-prevention"]
    del changed["rotation"]["groups"]
    status, reply = call(url, organiser, {"plan": changed})
    assert (status, reply) == (200, {"changes": 4, "meeting_id": "edited"}), reply
    status, after = call(url, organiser)
    assert [q["id"] for q in after["plan"]["questions"]] == ["working-well", "coordination"]
    assert [t["number"] for t in after["plan"]["tables"]] == [1, 2, 3]
    status, reply = call(url, organiser, {"plan": after["plan"]})
    assert (status, reply["changes"]) == (200, 0)
    moved = {**after["plan"], "meeting": {**after["plan"]["meeting"], "date": "2023-06-16"}}
    status, reply = call(url, organiser, {"plan": moved})
    assert (status, reply["field"]) == (409, "meeting.date")


@pytest.mark.parametrize("role", ["lead", "facilitator", "observer", "staff"])
def test_only_an_organiser_plans(empty: tuple[Server, str], role: str) -> None:
    running, organiser = empty
    plan = _plan(running, organiser)
    other = token("first", role, table=1 if role == "facilitator" else None)  # type: ignore[arg-type]
    for method, path, body in (
        ("GET", "/api/templates", None),
        ("POST", "/api/plans", {"plan": plan}),
        ("GET", "/api/meetings/first/plan", None),
        ("POST", "/api/meetings/first/plan", {"plan": plan}),
    ):
        status, reply = call(f"{running.base}{path}", other, body, method=method)
        assert (status, reply["code"]) == (403, "forbidden"), (path, reply)
        assert reply["message"].endswith("only an organiser can")


def test_an_organiser_makes_the_leads_link_but_does_not_run_the_evening(
    empty: tuple[Server, str],
) -> None:
    running, organiser = empty
    base = f"{running.base}/api/meetings/first"
    status, link = call(f"{base}/links", organiser, {"role": "lead"})
    assert status == 200
    assert "/lead#meeting=first&signin=" in link["url"]
    status, sheets = call(f"{base}/join-sheets", organiser)
    assert status == 200
    assert sheets.count('class="sheet"') == 4
    for path in ("/devices", "/report", "/replay/timeline"):
        status, reply = call(f"{base}{path}", organiser)
        assert (status, reply["code"]) == (403, "forbidden"), path


def test_no_meetings_lead_can_make_an_organisers_link(empty: tuple[Server, str]) -> None:
    running, _ = empty
    status, reply = call(
        f"{running.base}/api/meetings/first/links", token("first", "lead"), {"role": "organiser"}
    )
    assert (status, reply["code"]) == (400, "bad_request")
    forged = token("first", "organiser")  # an organiser's role scoped to one meeting
    status, reply = call(f"{running.base}/api/templates", forged)
    assert (status, reply["code"]) == (403, "forbidden")


def test_the_front_page_tells_a_visitor_nothing_about_the_meetings(
    empty: tuple[Server, str],
) -> None:
    running, _ = empty
    status, page = call(f"{running.base}/")
    assert status == 200
    assert "Taking part" in page
    for secret in ("first", "Kamloops", "2023-06-15", "Safe and Secure"):
        assert secret not in page
    status, reply = call(f"{running.base}/api/meetings")
    assert (status, reply["code"]) == (401, "token_refused")
    status, reply = call(f"{running.base}/api/templates")
    assert status == 401


def test_once_an_organiser_signed_in_serve_prints_no_organisers_link_but_link_does(
    empty: tuple[Server, str], tmp_path: Path
) -> None:
    running, _ = empty
    db = running.db
    with serve(db, logs=tmp_path) as again:
        output = again.output()
    assert "Organiser sign-in" not in output
    assert "roundtable link --role organiser" in output
    assert "Lead sign-in for Safe and Secure Kamloops Network Meeting (first)" in output
    printed = subprocess.run(
        [sys.executable, "-m", "server", "link", "--role", "organiser", "--db", db],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SECRET_KEY": SECRET},
    ).stdout.strip()
    assert "/#signin=" in printed
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "server",
            "link",
            "--role",
            "organiser",
            "--meeting",
            "first",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2
    assert "none for --role organiser" in wrong.stderr
