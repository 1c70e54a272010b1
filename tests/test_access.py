"""Every role on every HTTP route of a real server, and how devices join, sign in and out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pytest

from events.decider import execute
from events.devices import events as device_events
from events.devices import rules as devices
from events.devices.rules import SPENT_LINK
from events.log.store import EventStore, now_micros
from harness.access_client import call, fragment, printed_link, sheet_codes
from harness.servers import Server, evening, serve, token
from server import meetings, seed
from server.tokens import Role

OTHER = "other-meeting"
ROLES: dict[str, tuple[Role, int | None]] = {
    "lead": ("lead", None),
    "facilitator": ("facilitator", 1),
    "observer": ("observer", None),
    "staff": ("staff", None),
}
# (method, path, body, roles allowed); {m} is the meeting's id
ROUTES: list[tuple[str, str, dict[str, object] | None, set[str]]] = [
    ("GET", "/api/meetings", None, set(ROLES)),
    ("GET", "/api/meetings/{m}", None, set(ROLES)),
    ("GET", "/api/session", None, set(ROLES)),
    ("GET", "/api/meetings/{m}/table-cards", None, set(ROLES)),
    ("GET", "/api/meetings/{m}/devices", None, {"lead"}),
    ("POST", "/api/meetings/{m}/devices/spare-screen/revoke", {}, {"lead"}),
    ("POST", "/api/meetings/{m}/tables/4/join-code", {}, {"lead"}),
    ("POST", "/api/meetings/{m}/links", {"role": "observer"}, {"lead"}),
    ("GET", "/api/meetings/{m}/join-sheets", None, {"lead"}),
]
MEETING_ROUTES = [r for r in ROUTES if "{m}" in r[1]]


def _other_meeting(db: str, meeting_id: str) -> None:
    """A second meeting, and a screen of the first one for the lead to revoke (only a device
    the meeting knows can be)."""

    async def schedule() -> None:
        command = replace(seed.rehearsal(now_micros()), meeting_id=OTHER)
        screen = devices.SignIn(
            link_id="link-1", device_id="spare-screen", role="observer", label=None, at=0
        )
        async with EventStore(db) as store:
            await meetings.run(store, OTHER, command, command_id="other")
            await execute(
                store,
                devices,
                screen,
                stream_id=devices.stream_id(meeting_id),
                meeting_id=meeting_id,
                command_id="spare-screen",
            )

    asyncio.run(schedule())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    logs = tmp_path_factory.mktemp("access")
    db = str(logs / "evening.db")
    meeting_id = evening(db)
    _other_meeting(db, meeting_id)
    with serve(db, logs=logs) as running:
        yield running, meeting_id


def _as(role: str, meeting_id: str) -> str:
    name, table = ROLES[role]
    return token(meeting_id, name, table=table)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_every_role_on_every_route(
    server: tuple[Server, str],
    role: str,
    method: str,
    path: str,
    body: dict[str, object] | None,
    allowed: set[str],
) -> None:
    running, meeting_id = server
    url = running.base + path.format(m=meeting_id)
    status, reply = call(url, _as(role, meeting_id), body, method=method)
    if role in allowed:
        assert status == 200, reply
    else:
        assert status == 403
        assert reply["code"] == "forbidden"
        assert reply["message"].endswith(("only the lead can", "only an organiser or the lead can"))


@pytest.mark.parametrize(("method", "path", "body", "allowed"), MEETING_ROUTES)
def test_a_token_for_another_meeting_is_refused_on_every_meeting_route(
    server: tuple[Server, str],
    method: str,
    path: str,
    body: dict[str, object] | None,
    allowed: set[str],
) -> None:
    running, meeting_id = server
    url = running.base + path.format(m=meeting_id)
    status, reply = call(url, token(OTHER, "lead"), body, method=method)
    assert (status, reply) == (
        403,
        {"code": "forbidden", "message": "this link is for another meeting"},
    )


def test_a_token_lists_only_its_own_meeting(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    for meeting in (meeting_id, OTHER):
        status, listed = call(f"{running.base}/api/meetings", token(meeting, "observer"))
        assert status == 200
        assert [m["meeting_id"] for m in listed["meetings"]] == [meeting]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_missing_forged_and_expired_tokens_are_refused_on_every_route(
    server: tuple[Server, str],
    method: str,
    path: str,
    body: dict[str, object] | None,
    allowed: set[str],
) -> None:
    running, meeting_id = server
    url = running.base + path.format(m=meeting_id)
    missing = call(url, None, body, method=method)
    assert missing[0] == 401
    assert missing[1]["code"] == "token_refused"
    forged = token(meeting_id, "lead", secret="a key this server never had")
    assert call(url, forged, body, method=method) == (
        401,
        {
            "code": "token_refused",
            "message": "the token was not issued by this server (or its key was rotated)",
        },
    )
    expired = token(meeting_id, "lead", expires=int(time.time()) - 1)
    assert call(url, expired, body, method=method) == (
        401,
        {"code": "token_expired", "message": "the token has expired: ask the lead for a new link"},
    )


def test_the_health_check_stays_open(server: tuple[Server, str]) -> None:
    running, _ = server
    status, health = call(f"{running.base}/healthz")
    assert (status, health["status"]) == (200, "ok")
    assert health["version"] == version("roundtable")


def test_a_write_from_another_site_is_refused(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    url = f"{running.base}/api/meetings/{meeting_id}/links"
    lead = _as("lead", meeting_id)
    evil = {"Origin": "http://evil.example"}
    status, reply = call(url, lead, {"role": "staff"}, method="POST", headers=evil)
    assert (status, reply["code"]) == (403, "bad_origin")
    assert reply["message"] == "requests from http://evil.example are not accepted here"
    ours = {"Origin": running.base}
    assert call(url, lead, {"role": "staff"}, method="POST", headers=ours)[0] == 200


def test_a_join_code_of_another_meeting_is_refused(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    _, html = call(f"{running.base}/api/meetings/{OTHER}/join-sheets", token(OTHER, "lead"))
    other_code = sheet_codes(html)[0]
    status, reply = call(
        f"{running.base}/api/join", body={"meeting": meeting_id, "code": other_code}
    )
    assert (status, reply) == (
        403,
        {
            "code": "join_refused",
            "message": f"this join code is for another meeting, not {meeting_id!r}",
        },
    )
    wrong = call(f"{running.base}/api/join", body={"meeting": meeting_id, "code": "AAAA-AAAA"})
    assert wrong[1]["message"] == "this join code is not right: check it against the join sheet"


def test_revoking_a_device_the_meeting_never_knew_is_refused_and_writes_nothing(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server

    async def device_events_now() -> int:
        async with EventStore(running.db) as store:
            return len(await store.read_stream(f"devices-{meeting_id}"))

    before = asyncio.run(device_events_now())
    url = f"{running.base}/api/meetings/{meeting_id}/devices/nobody/revoke"
    assert call(url, token(meeting_id, "lead"), {}, method="POST") == (
        409,
        {"code": "unknown_device", "message": "this meeting has no such device or sign-in link"},
    )
    assert asyncio.run(device_events_now()) == before


def test_bad_join_requests_get_clear_errors(server: tuple[Server, str]) -> None:
    running, meeting_id = server
    url = f"{running.base}/api/join"
    assert call(url, body={"meeting": meeting_id})[1] == {
        "code": "bad_request",
        "message": "meeting and code: both must be given, as text",
    }
    long_label = {"meeting": meeting_id, "code": "x", "label": "x" * 61}
    assert call(url, body=long_label)[1]["code"] == "bad_request"
    assert call(url, body={"meeting": "nope", "code": "x"})[1] == {
        "code": "join_refused",
        "message": "there is no meeting 'nope': check the join link",
    }


def test_the_lead_signs_in_once_lets_tablets_join_and_revokes_one(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db)
    with serve(db, logs=tmp_path) as running:
        link = printed_link(running)
        assert link.startswith(f"{running.base}/lead#meeting={meeting_id}&signin=")
        one_time = fragment(link)["signin"]
        status, lead = call(f"{running.base}/api/signin", body={"token": one_time})
        assert (status, lead["role"], lead["table"]) == (200, "lead", None)
        assert call(f"{running.base}/api/signin", body={"token": one_time}) == (
            409,
            {
                "code": "signin_used",
                "message": SPENT_LINK,
            },
        )
        lead_token = lead["token"]
        api = f"{running.base}/api/meetings/{meeting_id}"

        status, created = call(f"{api}/links", lead_token, {"role": "observer"}, method="POST")
        assert created["url"].startswith(f"{running.base}/wall#meeting={meeting_id}&signin=")
        observer_link = fragment(created["url"])["signin"]
        status, observer = call(f"{running.base}/api/signin", body={"token": observer_link})
        assert (status, observer["role"]) == (200, "observer")
        assert call(api, observer["token"])[0] == 200

        _, html = call(f"{api}/join-sheets", lead_token)
        code = sheet_codes(html)[1]  # table 2's
        join = f"{running.base}/api/join"
        first = call(join, body={"meeting": meeting_id, "code": code.lower().replace("-", " ")})
        assert (first[0], first[1]["role"], first[1]["table"]) == (200, "facilitator", 2)
        spare = call(join, body={"meeting": meeting_id, "code": code, "label": "spare iPad"})
        assert (spare[0], spare[1]["table"]) == (200, 2)
        # The first tablet scans its sheet again: the same device, with a fresh token.
        again = call(join, body={"meeting": meeting_id, "code": code, "token": first[1]["token"]})
        assert (again[0], again[1]["device_id"]) == (200, first[1]["device_id"])
        assert call(f"{running.base}/api/session", again[1]["token"])[0] == 200

        _, listed = call(f"{api}/devices", lead_token)
        rows = [(d["role"], d["table"], d["label"]) for d in listed["devices"]]
        assert rows == [
            ("lead", None, None),
            ("observer", None, None),
            ("facilitator", 2, "Table 2 tablet"),
            ("facilitator", 2, "spare iPad"),
        ]

        # The spare moves to table 3: its table 2 device is signed out at once, not a ghost.
        other = sheet_codes(html)[2]
        moved = call(join, body={"meeting": meeting_id, "code": other, "token": spare[1]["token"]})
        assert (moved[0], moved[1]["table"]) == (200, 3)
        assert call(f"{running.base}/api/session", spare[1]["token"])[0] == 401
        _, listed = call(f"{api}/devices", lead_token)
        assert [d["revoked_at"] is not None for d in listed["devices"]] == [0, 0, 0, 1, 0]

        tablet = first[1]
        revoke = f"{api}/devices/{tablet['device_id']}/revoke"
        assert call(revoke, lead_token, {}, method="POST")[0] == 200
        status, refused = call(f"{running.base}/api/session", tablet["token"])
        assert (status, refused["code"]) == (401, "device_revoked")
        assert refused["message"].startswith(
            "this tablet was signed out by the lead: copy out your waiting comments"
        )

        status, replaced = call(f"{running.base}/api/meetings/{meeting_id}/tables/2/join-code",
                                lead_token, {}, method="POST")  # fmt: skip
        assert replaced["code"] != code
        old = call(join, body={"meeting": meeting_id, "code": code})
        assert old == (
            403,
            {
                "code": "join_refused",
                "message": "this join code of table 2 was replaced: ask the lead",
            },
        )
        assert call(join, body={"meeting": meeting_id, "code": replaced["code"]})[0] == 200
        tokens = [one_time, lead_token, observer_link, tablet["token"], spare[1]["token"]]
        tokens += [again[1]["token"], moved[1]["token"]]
        running.process.terminate()
        running.process.wait(timeout=15)
        # what it logged once running (the links it printed for the lead come before)
        log = running.output().split("Started server process", 1)[1]
    assert '"POST /api/join HTTP/1.1" 200' in log  # the access log is on, and holds no token
    for secret in [*tokens, code, replaced["code"], "spare iPad"]:
        assert secret not in log

    async def device_events_in_log() -> list[str]:
        async with EventStore(db) as store:
            records = await store.read_stream(f"devices-{meeting_id}")
        return [r.type for r in records]

    assert asyncio.run(device_events_in_log()) == [
        device_events.SignInLinkIssued.type,  # printed by serve
        device_events.DeviceJoined.type,
        device_events.SignInLinkIssued.type,  # the observer's, made on the lead's page
        device_events.DeviceJoined.type,
        device_events.DeviceJoined.type,
        device_events.DeviceJoined.type,  # the rejoin of the same table added nothing
        device_events.DeviceJoined.type,  # the move to table 3, and its old device out
        device_events.DeviceRevoked.type,
        device_events.DeviceRevoked.type,
        device_events.JoinCodeReplaced.type,
        device_events.DeviceJoined.type,
    ]
