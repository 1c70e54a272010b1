"""What the benches of the server's limits share: a 40-table evening, a server on loopback
with its log in a file, tokens, and the figures' heading (docs/reliability.md)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine
from bench.live import SECRET, forty_tables, free_port, peak_memory, process
from events.log.store import EventStore, now_micros
from server import meetings, seed


@dataclass(frozen=True, slots=True)
class Running:
    base: str
    ws: str
    pid: int
    log: Path

    def peak_memory(self) -> str:
        return peak_memory(self.pid)


async def evening(db: str, meetings_held: int = 1) -> str:
    """The 40-table evening ``bench`` (its first rotation running) and ``meetings_held - 1``
    other meetings of the Kamloops shape on the same server."""
    meeting_id = await forty_tables(db)
    async with EventStore(db) as store:
        for n in range(2, meetings_held + 1):
            other = replace(seed.rehearsal(now_micros()), meeting_id=f"other-{n}")
            await meetings.run(store, other.meeting_id, other, command_id=f"other-{n}")
    return meeting_id


@contextlib.contextmanager
def venue(
    meetings_held: int = 1, *, files: int | None = None, env: dict[str, str] | None = None
) -> Iterator[Running]:
    """A server on a throwaway SQLite log holding the evening, started as ``serve`` is."""
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        asyncio.run(evening(db, meetings_held))
        port = free_port()
        log = Path(folder) / "serve.log"
        command = [sys.executable, "-m", "server", "serve", "--db", db, "--port", str(port)]
        with process(
            command, port, {"SECRET_KEY": SECRET, **(env or {})}, log=log, files=files
        ) as server:
            yield Running(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws", server.pid, log)


def heading(title: str) -> None:
    print(f"{title}\n  {machine()}", flush=True)
