"""Ten thousand malformed messages against one live server, from a seeded generator.

Every message is wrong in one known way and must get the documented error for it (its code
in ``ERROR_CODES``, with the message's id when it had a usable one); the server stays up, a
control tablet at another table keeps getting acks throughout, and only the control tablet's
comments reach the log. No sleeps and no timings: each window of messages is answered before
the next is sent (the server's per-client queue is bounded), and the run prints its count.
"""

# ruff: noqa: E501  (the generator's cases read best one per line)
from __future__ import annotations

import asyncio
import random
import string
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
import websockets

from client.live import LiveClient
from events.log.store import EventStore
from events.tables.rules import MAX_TEXT
from harness.servers import Server, evening_server, token
from server.live.protocol import ERROR_CODES, MAX_DEPTH, MAX_FRAME, MAX_ID, MAX_ITEMS

SEED = 18
CASES = 10_000
WINDOW = 250
"""Messages sent before their answers are read (well under the server's send queue)."""

EXPECTED_CODES = {
    "not_json", "too_large", "bad_message", "unknown_type", "hello_first", "invalid_field",
    "unknown_command", "invalid_text", "text_too_long", "unknown_question",
    "invalid_parent", "forbidden", "unknown_comment",
}  # fmt: skip
Case = tuple[str | bytes, str, str | None]
"""A frame (``bytes``: a text frame that is not UTF-8), the code it must get, the id echoed."""


class Malformed:
    """The generator: each case is one known way a message can be wrong."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.count = 0

    def word(self, size: int = 8) -> str:
        return "".join(self.random.choices(string.ascii_lowercase, k=size))

    def uid(self) -> str:
        self.count += 1
        return f"fz-{self.count}"

    def command(self, name: str, data: Any, code: str) -> Case:
        command_id = self.uid()
        message = {"type": "command", "id": command_id, "name": name, "data": data}
        return orjson.dumps(message).decode(), code, command_id

    def point(self, **fields: Any) -> dict[str, Any]:
        base = {"comment_id": self.uid(), "question": "coordination", "text": self.word()}
        return {**base, **fields}

    def cases(self) -> list[Callable[[], Case]]:
        r = self.random
        return [
            lambda: ("{" + self.word(r.randint(1, 40)), "not_json", None),
            lambda: ('{"type": "ping", "id": "' + self.word() + "\x00", "not_json", None),
            lambda: (b'{"type": "ping", "id": "\xff' + self.word().encode() + b'"}', "not_json", None),
            lambda: (orjson.dumps(r.choice([[1, 2], 3, "x", None, True])).decode(), "bad_message", None),
            lambda: (orjson.dumps({"type": r.randint(0, 9)}).decode(), "bad_message", None),
            lambda: ("[" * r.randint(1, 600), "not_json", None),
            lambda: self.deep(r.randint(MAX_DEPTH, 1000)),
            lambda: (orjson.dumps({"type": "ping", "x": self.nested(MAX_DEPTH)}).decode(), "bad_message", None),
            lambda: (orjson.dumps({"type": "ping", "x": list(range(MAX_ITEMS + 1))}).decode(), "bad_message", None),
            lambda: self.typed("unknown_type", {"type": self.word()}),
            lambda: self.typed("hello_first", {"type": "hello", "token": self.word()}),
            lambda: self.typed("invalid_field", {"type": "status", "waiting": r.choice([-1, "x", 1.5, 10**7])}),
            lambda: (orjson.dumps({"type": "command", "id": r.choice(["", "a b", "x" * (MAX_ID + 1), "<i>"]), "name": "add_comment", "data": self.point()}).decode(), "invalid_field", None),
            lambda: self.command(self.word(), {}, "unknown_command"),
            lambda: self.command("add_comment", r.choice([[], "x", 1]), "invalid_field"),
            lambda: self.command("add_comment", self.point(**{self.word(): 1}), "invalid_field"),
            lambda: self.command("add_comment", self.point(text=r.randint(0, 9)), "invalid_field"),
            lambda: self.command("add_comment", self.point(comment_id=r.choice(["a\nb", "a\u202eb", "<b>", "é", "x" * 65])), "invalid_field"),
            lambda: self.command("add_comment", self.point(typed_at=r.choice([1.5, 2**63, "now", True])), "invalid_field"),
            lambda: self.command("add_comment", self.point(text=r.choice(["\u200b", " \ufeff ", "\u2060\u200d"])), "invalid_text"),
            lambda: self.command("add_comment", self.point(text="a" + r.choice("\n\t\x1b\u2028") + "b"), "invalid_text"),
            lambda: self.command("add_comment", self.point(text="é" * (MAX_TEXT + r.randint(1, 50))), "text_too_long"),
            lambda: self.command("add_comment", self.point(question=self.word()), "unknown_question"),
            lambda: self.command("add_comment", self.point(rotation=r.choice(["2", 1.5, True, [2]])), "invalid_field"),
            lambda: self.command("add_comment", self.point(parent=self.uid()), "invalid_parent"),
            lambda: self.command("add_comment", self.point(table=r.choice([2, 3, 4])), "forbidden"),
            lambda: self.command("edit_comment", {"comment_id": self.uid(), "text": "x"}, "unknown_comment"),
            lambda: self.command("star_comment", {"comment_id": self.uid()}, "unknown_comment"),
            lambda: self.command("create_theme", {"theme_id": self.uid(), "title": "x"}, "forbidden"),
            lambda: self.command("close_meeting", {}, "forbidden"),
            lambda: ("x" * (MAX_FRAME + r.randint(1, 100)), "too_large", None),
        ]  # fmt: skip

    def typed(self, code: str, message: dict[str, Any]) -> Case:
        message_id = self.uid()
        return orjson.dumps({**message, "id": message_id}).decode(), code, message_id

    def deep(self, depth: int) -> Case:
        """Balanced lists nested deeper than the bound (JSON the decoder itself still reads)."""
        frame = '{"type": "ping", "x": ' + "[" * depth + "]" * depth + "}"
        return frame, "bad_message", None

    def nested(self, depth: int) -> Any:
        value: Any = self.word()
        for _ in range(depth):
            value = {self.word(3): value} if self.random.random() < 0.5 else [value]
        return value

    def __iter__(self) -> Iterator[Case]:
        makers = self.cases()
        weights = [1 if i == len(makers) - 1 else 20 for i in range(len(makers))]  # few 64 KiB
        while True:
            yield self.random.choices(makers, weights)[0]()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("fuzz")) as served:
        yield served


async def _send(socket: websockets.ClientConnection, frame: str | bytes) -> None:
    if isinstance(frame, str):
        await socket.send(frame)
        return
    async with socket.send_context():  # a text frame that is not UTF-8, as a buggy client's
        socket.protocol.send_text(frame)


async def _errors(socket: websockets.ClientConnection, count: int) -> list[dict[str, Any]]:
    """The next ``count`` errors (other pushes, such as the control tablet's events for the
    lead, do not reach a table 1 tablet; heartbeats are skipped)."""
    found: list[dict[str, Any]] = []
    async with asyncio.timeout(120):
        while len(found) < count:
            message = orjson.loads(await socket.recv())
            if message["type"] == "error":
                found.append(message)
            else:
                assert message["type"] in ("heartbeat", "event"), message
    return found


@pytest.mark.asyncio
async def test_ten_thousand_malformed_messages_each_get_their_documented_error(
    server: tuple[Server, str],
) -> None:
    running, meeting_id = server
    async with EventStore(running.db) as store:
        before = await store.last_position()
    generator = iter(Malformed(SEED))
    seen: dict[str, int] = {}
    control_acks: list[int] = []
    started = asyncio.get_running_loop().time()
    async with (
        websockets.connect(running.ws, max_size=None) as fuzzer,
        LiveClient(running.ws, token(meeting_id, "facilitator", 2)) as control,
    ):
        await fuzzer.send(
            orjson.dumps({"type": "hello", "token": token(meeting_id, "facilitator", 1)}).decode()
        )
        async with asyncio.timeout(30):
            while orjson.loads(await fuzzer.recv())["type"] != "state":
                pass
        for window in range(CASES // WINDOW):
            cases = [next(generator) for _ in range(WINDOW)]
            for frame, _, _ in cases:
                await _send(fuzzer, frame)
            answers = await _errors(fuzzer, len(cases))
            for (_, code, echoed), answer in zip(cases, answers, strict=True):
                assert (answer["code"], answer["id"]) == (code, echoed), answer
                assert answer["code"] in ERROR_CODES
                seen[code] = seen.get(code, 0) + 1
            point = {
                "comment_id": f"control-{window}",
                "question": "advocacy",
                "text": "Still here",
            }
            ack = await control.command("add_comment", point)  # the server is up for others
            control_acks.extend(ack["positions"])
    elapsed = asyncio.get_running_loop().time() - started
    print(f"\n{sum(seen.values())} malformed messages, {len(seen)} codes, {elapsed:.1f} s: {seen}")
    assert sum(seen.values()) == CASES
    assert set(seen) == EXPECTED_CODES  # every kind of case came up
    async with EventStore(running.db) as store:
        written = [r async for r in store.read_all(after=before)]
    assert [r.position for r in written] == control_acks  # nothing else reached the log
    assert {(r.type, r.stream_id) for r in written} == {("CommentAdded", f"table-{meeting_id}-2")}
    assert running.process.poll() is None
    assert "Traceback" not in running.output()
