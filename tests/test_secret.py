"""The signing key: kept in the database across restarts; rotating it signs every device out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from events.log.store import EventStore
from harness.access_client import call, fragment, printed_link
from harness.servers import Server, evening, serve, token
from server import secret
from server.settings import Settings

STORED = {"SECRET_KEY": ""}  # no SECRET_KEY: the key is generated and kept in the database


@pytest.mark.asyncio
async def test_the_key_is_generated_once_kept_and_rotated(store: EventStore) -> None:
    settings = Settings()
    first = await secret.secret_key(store, settings)
    assert len(first) >= 40
    assert await secret.secret_key(store, settings) == first
    await secret.rotate(store)
    rotated = await secret.secret_key(store, settings)
    assert rotated not in (first, b"")
    assert await secret.secret_key(store, settings) == rotated


@pytest.mark.asyncio
async def test_secret_key_in_the_environment_wins(store: EventStore) -> None:
    settings = Settings(secret_key="from-the-environment")
    assert await secret.secret_key(store, settings) == b"from-the-environment"


def _lead_token(base: str, running: Server) -> str:
    one_time = fragment(printed_link(running))["signin"]
    status, lead = call(f"{base}/api/signin", body={"token": one_time})
    assert status == 200
    return str(lead["token"])


def test_a_restart_keeps_devices_signed_in_and_rotation_signs_them_out(
    store_url: str, tmp_path: Path
) -> None:
    db = store_url
    meeting_id = evening(db)
    with serve(db, logs=tmp_path, env=STORED) as running:
        lead = _lead_token(running.base, running)
        assert call(f"{running.base}/api/meetings/{meeting_id}", lead)[0] == 200
    with serve(db, logs=tmp_path, env=STORED) as running:
        assert call(f"{running.base}/api/meetings/{meeting_id}", lead)[0] == 200
    rotate = [sys.executable, "-m", "server", "secret", "rotate", "--db", db]
    done = subprocess.run(rotate, capture_output=True, text=True, check=True, env=_env())
    assert "restart the server" in done.stdout
    with serve(db, logs=tmp_path, env=STORED) as running:
        status, refused = call(f"{running.base}/api/meetings/{meeting_id}", lead)
        assert (status, refused["code"]) == (401, "token_refused")
        assert "rotated" in refused["message"]
        again = _lead_token(running.base, running)  # the new printed link works
        assert call(f"{running.base}/api/meetings/{meeting_id}", again)[0] == 200


def test_a_new_secret_key_in_the_environment_signs_every_device_out(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = evening(db)
    signed = token(meeting_id, "observer", secret="old key")
    with serve(db, logs=tmp_path, env={"SECRET_KEY": "old key"}) as running:
        assert call(f"{running.base}/api/meetings/{meeting_id}", signed)[0] == 200
    with serve(db, logs=tmp_path, env={"SECRET_KEY": "new key"}) as running:
        assert call(f"{running.base}/api/meetings/{meeting_id}", signed)[0] == 401


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
