"""The Procfile's ``web`` process serves on ``PORT`` when the platform sets it, and on
serve's own default (8000) when it does not: the command carries no ``$PORT`` of its own,
which a shell would expand to nothing."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from harness.servers import SECRET, free_port, wait_until_answering
from server.settings import Settings

ROOT = Path(__file__).parent.parent


def web() -> str:
    (line,) = [x for x in (ROOT / "Procfile").read_text().splitlines() if x.startswith("web:")]
    return line.removeprefix("web:").strip()


def test_the_web_process_reads_port_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": str(tmp_path / "platform.db"),
        "SECRET_KEY": SECRET,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        ["sh", "-c", f"exec {web()}"], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        status, health = wait_until_answering(
            f"http://127.0.0.1:{port}/healthz", process, tmp_path / "web.log"
        )
        assert (status, health["status"]) == (200, "ok")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_without_port_the_web_process_takes_serves_default() -> None:
    words = shlex.split(web())
    assert words[:2] == ["roundtable", "serve"]
    assert not any("$" in word for word in words), "no shell expansion that PORT unset breaks"
    assert "--port" not in words
    assert Settings.from_env({}).port == 8000
