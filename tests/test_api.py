"""``roundtable serve --demo`` in a real uvicorn, and the meeting endpoints it serves."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve(db: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A real ``roundtable serve`` on a free loopback port, stopped by its own pid."""
    port = free_port()
    log = (db.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--db", str(db), "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                assert process.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.05)  # waiting for another process's port, not for the clock
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        log.close()


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_demo_sets_up_the_rehearsal_prints_links_and_serves_it(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with serve(db, "--demo") as (base, process):
        status, listed = get(f"{base}/api/meetings")
        assert status == 200
        (summary,) = listed["meetings"]
        meeting_id = summary["meeting_id"]
        assert meeting_id.startswith("demo-")
        assert summary["status"] == "open"
        status, view = get(f"{base}/api/meetings/{meeting_id}")
        process.terminate()
        printed = process.communicate(timeout=10)[0]
    assert status == 200
    assert view["clock"]["auto_start"] is True
    assert view["clock"]["phase"] == "break-1"
    assert [t["number"] for t in view["tables"]] == [1, 2, 3, 4]
    assert view["tables"][0]["groups"] == ["A", "D", "C", "B"]
    assert [s["status"] for s in view["schedule"]] == ["planned"] * 7
    assert f"{base}/table/3?meeting={meeting_id}" in printed
    assert f"{base}/lead?meeting={meeting_id}" in printed
    assert f"{base}/wall?meeting={meeting_id}" in printed

    with serve(db, "--demo") as (base, _):
        _, again = get(f"{base}/api/meetings/{meeting_id}")
        _, listed_again = get(f"{base}/api/meetings")
    assert again["version"] == view["version"]
    assert len(listed_again["meetings"]) == 1


def test_an_unknown_meeting_is_a_404_with_a_clear_error(tmp_path: Path) -> None:
    with serve(tmp_path / "empty.db") as (base, _):
        assert get(f"{base}/api/meetings") == (200, {"meetings": []})
        assert get(f"{base}/api/meetings/nope") == (
            404,
            {"code": "unknown_meeting", "message": "there is no meeting 'nope'"},
        )
