"""The smaller holes, each closed against a live server: a table's tablet reads only its own
table (the report and its exports are the lead's and staff's), a sign-in link printed at an
earlier start stops working when a new one is printed and every printed link expires in
hours, and the store's failures reach a tablet in plain words only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from events.errors import CommitFailed, DuplicateEventId, WriterClosed, WrongExpectedVersion
from harness.access_client import call, fragment, printed_link
from harness.servers import SECRET, Server, evening, evening_server, serve, token
from server.access import PRINTED_LINK_HOURS
from server.auth import Auth
from server.live.protocol import STORE_MESSAGES, on_the_wire
from server.tokens import Role


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("holes")) as served:
        yield served


@pytest.mark.parametrize(
    ("role", "table", "status"),
    [("facilitator", 1, 403), ("observer", None, 403), ("lead", None, 200), ("staff", None, 200)],
)
def test_the_report_and_its_exports_are_for_the_lead_and_staff(
    server: tuple[Server, str], role: Role, table: int | None, status: int
) -> None:
    running, meeting_id = server
    api = f"{running.base}/api/meetings/{meeting_id}"
    holder = token(meeting_id, role, table)
    for path in ("/report", "/report/export/csv", "/report/export/md"):
        answer, body = call(api + path, holder)
        assert answer == status, (path, body)
        if status == 403:
            assert body["code"] == "forbidden"
            assert body["message"].endswith("only staff or the lead can")
    assert call(f"{api}/report-back", holder)[0] == 200  # the room's report-back: everyone


def test_a_new_printed_lead_link_replaces_the_unused_earlier_one_and_expires_in_hours(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "evening.db")
    evening(db)
    with serve(db, logs=tmp_path) as first_start:
        earlier = fragment(printed_link(first_start))["signin"]
    with serve(db, logs=tmp_path) as running:
        latest = fragment(printed_link(running))["signin"]
        assert latest != earlier
        signin = f"{running.base}/api/signin"
        assert call(signin, body={"token": earlier}) == (
            409,
            {
                "code": "signin_replaced",
                "message": "a newer sign-in link was printed since: use the one printed last",
            },
        )
        status, lead = call(signin, body={"token": latest})
        assert (status, lead["role"]) == (200, "lead")
    link = Auth(None, SECRET.encode()).verify(latest)  # type: ignore[arg-type]
    assert abs(link.expires - (time.time() + PRINTED_LINK_HOURS * 3600)) < 600
    assert PRINTED_LINK_HOURS <= 24
    assert "earlier printed links no longer work" in running.output()


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            CommitFailed(
                "the batch was not written: (asyncpg.exceptions.DiskFullError) could not "
                "extend file [SQL: INSERT INTO events (position, data) VALUES ($1, $2)] "
                "[parameters: (41, b'secret comment')]"
            ),
            "commit_failed",
        ),
        (WriterClosed("the event store is closed"), "commit_failed"),
        (WrongExpectedVersion("table-m-1", 3, 4), "wrong_expected_version"),
        (DuplicateEventId("table-m-1", ["5d0c3f1e"]), "duplicate_event_id"),
    ],
)
def test_a_store_failure_tells_the_sender_what_to_do_and_nothing_about_the_database(
    error: Exception, code: str
) -> None:
    sent, message, _ = on_the_wire(error)  # type: ignore[arg-type]
    assert (sent, message) == (code, STORE_MESSAGES[code])
    for leak in ("SQL", "asyncpg", "INSERT", "secret comment", "table-m-1", "5d0c3f1e"):
        assert leak not in message
