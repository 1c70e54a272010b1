"""A device that stopped reading (a page frozen in a background tab, a tablet whose Wi-Fi
stalls one way): it says hello and then reads nothing, with a small receive buffer so the
server feels it at once. Used by the tests and benches of the server's memory bounds."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import orjson
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

Message = dict[str, Any]


class Stalled:
    """A lead whose page stopped reading: a plain socket with a small receive buffer that
    says hello and then reads nothing until ``drain``."""

    def __init__(self, url: str, grant_token: str) -> None:
        self.protocol = ClientProtocol(parse_uri(url))
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.socket.settimeout(30)
        uri = parse_uri(url)
        self.socket.connect((uri.host, uri.port))
        self.protocol.send_request(self.protocol.connect())
        self._flush()
        while not any(isinstance(e, Response) for e in self._read()):
            pass
        self.protocol.send_text(orjson.dumps({"type": "hello", "token": grant_token}))
        self._flush()

    def _flush(self) -> None:
        for data in self.protocol.data_to_send():
            if data:
                self.socket.sendall(data)

    def _read(self) -> list[object]:
        data = self.socket.recv(65536)
        if data:
            self.protocol.receive_data(data)
        else:
            self.protocol.receive_eof()
        return list(self.protocol.events_received())

    def close(self) -> None:
        self.socket.close()

    def read_until(self, last: Callable[[Message], bool]) -> list[Message]:
        """Read what the server sent, up to the first message that is ``last``: a page that
        stopped reading for a while and reads again."""
        messages: list[Message] = []
        while True:
            for event in self._read():
                assert isinstance(event, Frame)
                assert event.opcode is not Opcode.CLOSE, f"closed: {event.data!r}"
                if event.opcode is Opcode.TEXT:
                    messages.append(orjson.loads(event.data))
                    if last(messages[-1]):
                        return messages

    def drain(self) -> tuple[list[Message], Frame | None]:
        """Read everything the server sent, to its close frame (``None``: the socket was cut)."""
        messages: list[Message] = []
        while True:
            try:
                events = self._read()
            except ConnectionResetError:
                return messages, None
            for event in events:
                assert isinstance(event, Frame)
                if event.opcode is Opcode.CLOSE:
                    return messages, event
                if event.opcode is Opcode.TEXT:
                    messages.append(orjson.loads(event.data))
            if self.protocol.close_expected() and not events:
                return messages, None
