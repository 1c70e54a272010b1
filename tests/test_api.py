"""``roundtable serve --demo`` in a real uvicorn, and the meeting endpoints it serves."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

from harness.access_client import printed_link
from harness.servers import Server, get, serve, token

STORED = {"SECRET_KEY": ""}  # the key is generated and kept in the database


def _sign_in(running: Server) -> str:
    """Use the lead's one-time link that ``serve`` printed: a lead token."""
    line = printed_link(running)
    base, one_time = line.split("/lead#", 1)[0], line.split("signin=", 1)[1]
    request = urllib.request.Request(
        f"{base}/api/signin", data=json.dumps({"token": one_time}).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return str(json.loads(response.read())["token"])


def _stored_key(db: Path) -> str:
    """The signing key ``serve`` generated and kept in the database (no SECRET_KEY here)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (key,) = conn.execute("SELECT value FROM roundtable_meta WHERE key = 'secret_key'")
    return str(key[0])


def test_serve_demo_sets_up_the_rehearsal_prints_links_and_serves_it(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with serve(db, "--demo", logs=tmp_path, env=STORED) as running:
        base = running.base
        lead = _sign_in(running)
        status, listed = get(f"{base}/api/meetings", lead)
        assert status == 200
        (summary,) = listed["meetings"]
        meeting_id = summary["meeting_id"]
        assert meeting_id.startswith("demo-")
        assert summary["status"] == "open"
        status, view = get(f"{base}/api/meetings/{meeting_id}", lead)
        printed = running.output()
    assert status == 200
    assert view["clock"]["auto_start"] is True
    assert view["clock"]["phase"] == "break-1"
    assert [t["number"] for t in view["tables"]] == [1, 2, 3, 4]
    assert view["tables"][0]["groups"] == ["A", "D", "C", "B"]
    assert [s["status"] for s in view["schedule"]] == ["planned"] * 7
    assert f"{base}/table?meeting={meeting_id}" in printed
    assert f"{base}/join#meeting={meeting_id}&code=" in printed

    with serve(db, "--demo", logs=tmp_path, env=STORED) as running:
        base = running.base
        _, again = get(f"{base}/api/meetings/{meeting_id}", lead)  # still signed in
        _, listed_again = get(f"{base}/api/meetings", lead)
    assert again["version"] == view["version"]
    assert len(listed_again["meetings"]) == 1


def test_an_unknown_meeting_is_a_404_with_a_clear_error(tmp_path: Path) -> None:
    with serve(tmp_path / "empty.db", logs=tmp_path, env=STORED) as running:
        base = running.base
        assert get(f"{base}/api/meetings")[0] == 401
        nope = token("nope", "lead", secret=_stored_key(tmp_path / "empty.db"))
        assert get(f"{base}/api/meetings", nope) == (200, {"meetings": []})
        assert get(f"{base}/api/meetings/nope", nope) == (
            404,
            {"code": "unknown_meeting", "message": "there is no meeting 'nope'"},
        )
