"""The server's websocket protocol (uvicorn's, guarded by ``server.gate``), with one difference
more: a text frame that is not UTF-8 reaches the app as bytes instead of closing the
connection (1007, with a traceback in the log).

The app then answers it like any other frame it cannot read: ``not_json`` to the sender, and
the connection goes on (``docs/protocol.md``), as it does for every other bad message.
"""

from __future__ import annotations

from server.gate import GuardedWebSocket


class WebSocketProtocol(GuardedWebSocket):
    def send_receive_event_to_app(self) -> None:
        if self.curr_msg_data_type == "text":
            try:
                b"".join(self.frames).decode()
            except UnicodeDecodeError:
                self.curr_msg_data_type = "bytes"  # the app's JSON decoding refuses it
        super().send_receive_event_to_app()
