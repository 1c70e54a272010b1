"""The server's websocket protocol (uvicorn's, guarded by ``server.gate``), with two
differences more:

- A text frame that is not UTF-8 reaches the app as bytes instead of closing the connection
  (1007, with a traceback in the log). The app then answers it like any other frame it cannot
  read: ``not_json`` to the sender, and the connection goes on (``docs/protocol.md``), as it
  does for every other bad message.
- The messages the app sends to one connection in one turn of the event loop leave in one
  write to the socket, each still its own frame, in order. uvicorn writes each frame as it is
  sent, one system call each, and those calls were a quarter of the event loop's time under
  the live load (``bench/live.py``): a viewer gets every event of a group commit at once.
  Once ``WRITE_AT`` bytes wait, they are written at once: a large message (a meeting's state)
  gains nothing by waiting, and 1,000 connections each holding a turn's frames would hold
  megabytes (``bench/memory.py tablets``).
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.utils import ClientDisconnected
from websockets.exceptions import InvalidState

from server.gate import GuardedWebSocket

WRITE_AT = 4096
"""Bytes framed for one connection that are written without waiting for the turn's end."""


class WebSocketProtocol(GuardedWebSocket):
    _flush_due = False
    _waiting = 0
    """Bytes framed since the last write."""

    def send_receive_event_to_app(self) -> None:
        if self.curr_msg_data_type == "text":
            try:
                b"".join(self.frames).decode()
            except UnicodeDecodeError:
                self.curr_msg_data_type = "bytes"  # the app's JSON decoding refuses it
        super().send_receive_event_to_app()

    async def send(self, message: Any) -> None:
        """A data frame of an open connection is framed now and written at the end of this
        turn; anything else (accept, close, an HTTP answer) goes as uvicorn sends it, and
        uvicorn writes whatever was framed before it first (``data_to_send`` hands over all
        that waits, in order)."""
        if message["type"] != "websocket.send" or not self._open:
            await super().send(message)
            return
        await self.writable.wait()  # the socket's buffer is full: wait, as uvicorn does
        if self.disconnected:
            raise ClientDisconnected()
        data = message.get("bytes")
        if data is None:
            data = message["text"].encode()
            frame = self.conn.send_text
        else:
            frame = self.conn.send_binary
        try:
            frame(data)
        except InvalidState:
            raise ClientDisconnected() from None
        self._waiting += len(data)
        if self._waiting >= WRITE_AT:
            self._flush()
        elif not self._flush_due:
            self._flush_due = True
            self.loop.call_soon(self._flush)

    @property
    def _open(self) -> bool:
        return self.handshake_complete and self.initial_response is None and not self.close_sent

    def _flush(self) -> None:
        self._flush_due = False
        self._waiting = 0
        output = self.conn.data_to_send()
        if output:
            self.transport.write(b"".join(output))
