"""The room's vote through a real uvicorn: 300 phones voting within a minute, all from one
address (a venue's NAT), while the presentation follows the counts.

Each phone (its own keep-alive HTTP connection, as a phone's browser has) starts at a random
moment of the first ``--spread`` seconds, asks for its id and the ballot, places its dots a
second or two apart, then moves one (takes it back and places it elsewhere). The
presentation is an observer's websocket. Prints the vote ack (a dot's request sent to its
answer, which comes once the dot is durable), the presentation's delay (the dot's request
sent to the ``voting`` push that counts it), refusals by the voting cap (429) and the
server's peak memory; then the same load against a floor: a bare uvicorn app that answers
each dot and broadcasts it to the viewer (nothing stored, nothing checked), and our ratio
to it, as ``bench/live.py`` does for the tablets.

    .venv/bin/python bench/voting.py [--phones 300] [--spread 50] [--dots 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import h11
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import latency, machine
from bench.live import SECRET, forty_tables, free_port, peak_memory, process, token
from client.live import LiveClient

THEMES = 10
"""Key themes on the wall, the round's choices (the Kamloops report has about ten a topic)."""


class Connection:
    """One phone's keep-alive HTTP/1.1 connection (h11 over asyncio streams)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.h11 = h11.Connection(h11.CLIENT)

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        data = orjson.dumps(body)
        origin = f"http://127.0.0.1:{self.port}"
        headers = [
            ("Host", f"127.0.0.1:{self.port}"),
            ("Origin", origin),
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
        ]
        request = h11.Request(method="POST", target=path, headers=headers)
        self.writer.write(self.h11.send(request) + self.h11.send(h11.Data(data=data)))
        self.writer.write(self.h11.send(h11.EndOfMessage()))
        status, chunks = 0, []
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                self.h11.receive_data(await self.reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
        self.h11.start_next_cycle()
        return status, orjson.loads(b"".join(chunks) or b"null")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()


class Load:
    """Each dot's send time, its ack, and when the presentation counted it."""

    def __init__(self) -> None:
        self.sent: dict[tuple[str, int], float] = {}
        """(phone, its n-th placement) -> when its request was sent."""
        self.acks: list[float] = []
        self.shown: list[float] = []
        self.throttled = 0
        self.refused: dict[str, int] = {}
        self._placed: dict[str, int] = {}
        self._pending: list[tuple[str, int]] = []

    def event(self, phone: str) -> None:
        """A ``DotPlaced`` reached the presentation; the next ``voting`` push counts it."""
        n = self._placed[phone] = self._placed.get(phone, 0) + 1
        self._pending.append((phone, n))

    def pushed(self) -> None:
        now = time.perf_counter()
        for key in self._pending:
            sent = self.sent.get(key)
            if sent is not None:
                self.shown.append(now - sent)
        self._pending.clear()


async def phone(
    port: int, code: str, load: Load, spread: float, dots: int, themes: list[str]
) -> None:
    await asyncio.sleep(random.uniform(0, spread))
    connection = Connection(port)
    api = f"/api/vote/{code}"
    try:
        _, given = await connection.post(f"{api}/phone", {})
        me = given["phone"]
        await connection.post(f"{api}/ballot", {"phone": me})
        chosen = random.sample(themes, dots)
        moves = [(t, True) for t in chosen] + [(chosen[0], False), (themes[-1], True)]
        placed = 0
        for n, (theme, place) in enumerate(moves):
            await asyncio.sleep(random.uniform(0.5, 2.0))  # reading, then a thumb
            if place:
                placed += 1
                load.sent[(me, placed)] = time.perf_counter()
            started = time.perf_counter()
            body = {"phone": me, "id": f"m{n}", "theme_id": theme, "place": place}
            status, answer = await connection.post(f"{api}/dots", body)
            if status == 200:
                load.acks.append(time.perf_counter() - started)
            elif status == 429:
                load.throttled += 1
            else:
                load.refused[answer["code"]] = load.refused.get(answer["code"], 0) + 1
    finally:
        await connection.close()


async def roundtable_run(port: int, phones: int, spread: float, dots: int) -> Load:
    url = f"ws://127.0.0.1:{port}/ws"
    themes = [f"theme-{n}" for n in range(THEMES)]
    async with LiveClient(url, token("lead", None, "lead-laptop")) as lead:
        for n, theme_id in enumerate(themes):
            title = f"Key theme {n}: detox and treatment beds"
            data = {"theme_id": theme_id, "title": title, "topic": "crime-prevention"}
            await lead.command("create_theme", {**data, "question": "coordination"})
            await lead.command("set_key_theme", {"theme_id": theme_id, "key": True})
        load = Load()

        def on_presentation(message: dict[str, Any]) -> None:
            if message["type"] == "event" and message["event_type"] == "DotPlaced":
                load.event(message["data"]["phone"])
            elif message["type"] == "voting":
                load.pushed()

        presentation = LiveClient(
            url, token("observer", None, "presentation"), on_message=on_presentation, keep_events=0
        )
        await presentation.start()
        await lead.command("open_voting", {"dots": dots, "shown": "live"})
        code = await voting_code(port)
        gc.collect()
        gc.freeze()
        await asyncio.gather(
            *(phone(port, code, load, spread, dots, themes) for _ in range(phones))
        )
        await asyncio.sleep(1)
        await presentation.close()
    return load


async def voting_code(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    auth = token("lead", None, "lead-laptop")
    writer.write(
        f"GET /api/meetings/bench/voting-link HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {auth}\r\nConnection: close\r\n\r\n".encode()
    )
    raw = await reader.read()
    writer.close()
    return str(orjson.loads(raw.split(b"\r\n\r\n", 1)[1])["code"])


# ---- the floor: a bare uvicorn app, each dot answered and broadcast, nothing stored --------


def floor_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket

    viewers: set[WebSocket] = set()
    count = 0

    async def dot(request: Request) -> Response:
        nonlocal count
        body = orjson.loads(await request.body())
        if body.get("place"):  # the dots placed are the ones the presentation's delay follows
            count += 1
            pushed = orjson.dumps({"type": "voting", "phone": body.get("phone"), "dots": count})
            for viewer in list(viewers):
                await viewer.send_text(pushed.decode())
        return Response(b'{"ok":true}', media_type="application/json")

    async def given(request: Request) -> Response:
        await request.body()
        return Response(orjson.dumps({"phone": f"p{random.random()}"}))

    async def watch(websocket: WebSocket) -> None:
        await websocket.accept()
        viewers.add(websocket)
        with contextlib.suppress(Exception):
            while True:
                await websocket.receive_text()
        viewers.discard(websocket)

    return Starlette(
        routes=[
            Route("/api/vote/floor/phone", given, methods=["POST"]),
            Route("/api/vote/floor/ballot", given, methods=["POST"]),
            Route("/api/vote/floor/dots", dot, methods=["POST"]),
            WebSocketRoute("/ws", watch),
        ]
    )


async def floor_run(port: int, phones: int, spread: float, dots: int) -> Load:
    import websockets

    load = Load()
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws") as viewer:

        async def watch() -> None:
            async for frame in viewer:
                message = orjson.loads(frame)
                load.event(message["phone"])
                load.pushed()

        reader = asyncio.create_task(watch())
        themes = [f"theme-{n}" for n in range(THEMES)]
        gc.collect()
        gc.freeze()
        await asyncio.gather(
            *(phone(port, "floor", load, spread, dots, themes) for _ in range(phones))
        )
        await asyncio.sleep(1)
        reader.cancel()
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--spread", type=float, default=50.0, help="seconds the phones start over")
    parser.add_argument("--dots", type=int, default=5)
    parser.add_argument("--floor-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        import uvicorn

        uvicorn.run(floor_app(), host="127.0.0.1", port=args.floor_server, log_level="warning")
        return
    print(
        f"{machine()}; SQLite; {args.phones} phones from one address over {args.spread:.0f} s, "
        f"{args.dots} dots and one move each"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        asyncio.run(forty_tables(db))
        port = free_port()
        command = [sys.executable, "-m", "server", "serve", "--db", db, "--port", str(port)]
        with process(command, port, {"SECRET_KEY": SECRET}) as server:
            load = asyncio.run(roundtable_run(port, args.phones, args.spread, args.dots))
            memory = peak_memory(server.pid)
    took = time.perf_counter() - started
    print(f"roundtable  vote ack              {latency(load.acks)}")
    print(f"roundtable  presentation delay    {latency(load.shown)}")
    print(f"roundtable  throttled (429) {load.throttled}, refused {load.refused or 'none'}")
    print(f"roundtable  server peak memory {memory}; whole run {took:.0f} s; {machine()}")
    port = free_port()
    with process([sys.executable, __file__, "--floor-server", str(port)], port, {}):
        floor = asyncio.run(floor_run(port, args.phones, args.spread, args.dots))
    print(f"bare floor  vote ack              {latency(floor.acks)}")
    print(f"bare floor  presentation delay    {latency(floor.shown)}")
    for name, ours, base in (("ack", load.acks, floor.acks), ("delay", load.shown, floor.shown)):
        print(f"ratio {name} p50 {statistics.median(ours) / statistics.median(base):.1f}x")


if __name__ == "__main__":
    main()
