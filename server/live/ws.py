"""The websocket endpoint: hello, initial state or resume, commands with acks, live events.

One connection is one device. It reads messages one at a time, so a tablet's commands are
decided in the order it sent them. It writes each frame straight to the socket while the socket
takes them (``server.gate.GuardedWebSocket.write_now``), and otherwise through one queue
bounded in bytes, so a slow client never holds up anyone else nor fills the server's memory:
when more than ``send_buffer_bytes`` wait for it, what waits is dropped and it is closed with
1013 (its socket cut if it does not read even that, ``server.gate``); it resumes from its last
event.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

import orjson
from starlette import status
from starlette.websockets import WebSocket, WebSocketDisconnect

from events import erasure, messages, voting
from events.devices import rules as devices
from events.errors import RoundtableError
from events.log.codec import canonical
from events.log.envelope import Recorded
from events.log.store import EventStore, now_micros
from events.meeting import rules as meeting
from events.tables import rules as comments
from events.themes import rules as themes
from projections import screens
from server import access
from server.auth import REVOKED_MESSAGE, Auth, origin_allowed
from server.gate import LOBBY, WRITE_NOW
from server.live import protocol
from server.live.dispatch import Dispatcher
from server.live.presence import Presence
from server.live.protocol import ProtocolError
from server.live.views import LiveViews
from server.tokens import Grant

log = logging.getLogger("roundtable.ws")

BEHIND = "too far behind: reconnect and resume from your last event"
"""The reason of the 1013 close of a connection that fell behind its pushes."""


class _Closed(Exception):
    """The connection ends; ``code`` says how."""

    def __init__(self, code: int) -> None:
        self.code = code


async def endpoint(websocket: WebSocket) -> None:
    state = websocket.app.state
    settings = state.settings
    if not origin_allowed(
        websocket.headers.get("origin"), websocket.headers.get("host"), settings.public_url
    ):
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    await websocket.accept()
    dispatcher = Dispatcher(state.views, state.streams, state.auth, state.suggestions)
    connection = Connection(
        websocket, state.store, state.views, state.auth, dispatcher, state.presence
    )
    connection.heartbeat = settings.heartbeat_seconds
    connection.hello_seconds = settings.hello_seconds
    connection.send_limit = settings.send_buffer_bytes
    await connection.serve()


class Connection:
    """One device's session: authenticated by its first message, then commands and pushes."""

    def __init__(
        self,
        websocket: WebSocket,
        store: EventStore,
        views: LiveViews,
        auth: Auth,
        dispatcher: Dispatcher,
        presence: Presence,
    ) -> None:
        self.websocket = websocket
        self.store = store
        self.views = views
        self.auth = auth
        self.dispatcher = dispatcher
        self.presence = presence
        self.outbox: deque[bytes | _Closed] = deque()
        """What waits to be sent, in order: a plain deque and one future to wake the writer,
        because an ``asyncio.Queue`` is four deques, and a thousand tablets hold one each."""
        self._ready: asyncio.Future[None] | None = None
        self.waiting_bytes = 0
        """What the outbox holds, in bytes."""
        self._drained: asyncio.Future[None] | None = None
        """Set once the outbox holds at most half of ``send_limit``: a catch-up waits for it."""
        self.send_limit = protocol.SEND_BUFFER_BYTES
        self._writer: asyncio.Task[None] | None = None
        self._write_now: Callable[[bytes], bool] | None = websocket.scope.get(WRITE_NOW)
        """The socket's own write of a frame when it need not wait (``server.gate``; ``None``
        under a server other than ``roundtable serve``): a frame goes straight to it when
        nothing waits in the outbox and the writer is not sending one."""
        self._sending = False
        """The writer is handing a frame from the outbox to the socket."""
        self._behind = False
        """It fell too far behind: what waited was dropped, and it is being closed."""
        self.grant: Grant | None = None
        self.heartbeat = protocol.HEARTBEAT_SECONDS
        self.hello_seconds = protocol.HELLO_TIMEOUT
        self._held: list[Recorded] | None = []
        self._held_bytes = 0
        """The messages of the live events held back while it catches up, in bytes."""
        self.visible: frozenset[str] | None = None
        """The streams whose events this device is sent; ``None``: every stream."""
        self._themes_sent = -1

    async def serve(self) -> None:
        self._writer = asyncio.create_task(self._write())
        tasks: list[asyncio.Task[None]] = []
        code = status.WS_1000_NORMAL_CLOSURE
        try:
            grant, resume = await self._hello()
            await self.views.wake(grant.meeting_id)
            self.grant = grant
            position = self._welcome(grant, resume)
            self.visible = _visible_streams(grant)
            self.views.listen(grant.meeting_id, self.offer, self._followed())
            self.presence.connected(grant)
            if grant.role == "lead":  # the table health panel
                joined = access.device_list(await self.auth.devices(grant.meeting_id))
                self.presence.watch(grant.meeting_id, self.outbox_raw, joined)
            if grant.role == "lead" and self.dispatcher.live_suggestions is not None:
                self.dispatcher.live_suggestions.watch(grant.meeting_id, self.outbox_raw)
            tasks = [
                asyncio.create_task(self._catch_up(grant, position, self.views.position)),
                asyncio.create_task(self._heartbeat()),
            ]
            await self._read(grant)
        except _Closed as closed:
            code = closed.code
        except WebSocketDisconnect:
            pass
        finally:
            if self.grant is not None:
                self.views.unlisten(self.grant.meeting_id, self.offer, self._followed())
                self.presence.unwatch(self.grant.meeting_id, self.outbox_raw)
                if self.dispatcher.live_suggestions is not None:
                    self.dispatcher.live_suggestions.unwatch(self.grant.meeting_id, self.outbox_raw)
                self.presence.disconnected(self.grant)
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self._close(code)
            await asyncio.wait([self._writer])

    # ---- sending ----------------------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        self.outbox_raw(orjson.dumps(message))

    def outbox_raw(self, message: bytes) -> None:
        if self._behind:
            return
        if (
            not self.outbox
            and not self._sending
            and self._write_now is not None
            and self._write_now(message)
        ):
            return
        if self.waiting_bytes and self.waiting_bytes + len(message) > self.send_limit:
            self._fell_behind()  # (one message alone may be larger: a big meeting's state)
            return
        self.waiting_bytes += len(message)
        self._put(message)

    def _put(self, item: bytes | _Closed) -> None:
        self.outbox.append(item)
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(None)

    def _fell_behind(self) -> None:
        """Drop what waits and close with 1013: the writer may be stuck sending to a reader
        that stopped reading, so it is cancelled and the close is sent on its own."""
        self._behind = True
        self.outbox.clear()
        self.waiting_bytes = 0
        if self._held is not None:
            self._held.clear()
        if self._writer is not None:
            self._writer.cancel()
        self._writer = asyncio.create_task(self._send_close(status.WS_1013_TRY_AGAIN_LATER))
        log.warning("a connection fell behind its pushes and was closed to resume")

    async def _send_close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.close(code=code, reason=BEHIND)

    def error(self, message_id: str | None, error: RoundtableError) -> None:
        code, text, logged = protocol.on_the_wire(error)
        if logged:
            log.warning("refused %s as %s: %s", message_id, code, error)
        self.send({"type": "error", "id": message_id, "code": code, "message": text})

    def _close(self, code: int) -> None:
        if not self._behind:
            self._put(_Closed(code))

    async def _write(self) -> None:
        """Send what the outbox holds, in order, until a close or a failed send. It keeps no
        message while it waits: each idle tablet kept its last (the meeting's state, 8 KB)."""
        while True:
            while not self.outbox:
                self._ready = asyncio.get_running_loop().create_future()
                await self._ready
            if not await self._send_next():
                return

    async def _send_next(self) -> bool:
        """Send the first message waiting; ``False`` once the connection is done with."""
        item = self.outbox.popleft()
        if isinstance(item, _Closed):
            with contextlib.suppress(Exception):
                await self.websocket.close(code=item.code)
            return False
        self.waiting_bytes -= len(item)
        if self._drained is not None and self.waiting_bytes <= self.send_limit // 2:
            self._drained.set_result(None)
            self._drained = None
        self._sending = True  # what is written meanwhile queues behind it
        try:
            await self.websocket.send_text(item.decode())
        except Exception:
            return False
        finally:
            self._sending = False
        return True

    # ---- the session ------------------------------------------------------------------

    async def _receive(self) -> dict[str, Any]:
        frame = await self.websocket.receive()
        if frame["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(frame.get("code", 1000))
        return protocol.decode(frame.get("text") or frame.get("bytes") or b"")

    async def _hello(self) -> tuple[Grant, int | None]:
        try:
            message = await self._first_message()
            if message["type"] != "hello":
                raise ProtocolError("hello_first", "send hello with your token first")
            grant = await self.auth.authenticate(message.get("token"))
            view = self.views.meeting(grant.meeting_id)
            if view is None or view.state.plan is None:
                raise ProtocolError("unknown_meeting", "this meeting is not on this server")
            self.auth.require(grant, "meeting.read", meeting_id=grant.meeting_id)
            resume = message.get("resume")
            if resume is not None and (isinstance(resume, bool) or not isinstance(resume, int)):
                raise ProtocolError("invalid_field", '"resume" must be a position (an integer)')
            return grant, resume
        except RoundtableError as error:
            self.error(None, error)
        raise _Closed(status.WS_1008_POLICY_VIOLATION)

    async def _first_message(self) -> dict[str, Any]:
        """The first message, if it comes within ``hello_seconds`` and before too many newer
        sockets wait for theirs; otherwise the socket is closed with 1013, as the server's
        to retry (a tablet whose hello was held up on the network reconnects)."""
        pushed_out = False
        try:
            async with asyncio.timeout(self.hello_seconds) as deadline:

                def push_out() -> None:
                    nonlocal pushed_out
                    pushed_out = True
                    deadline.reschedule(asyncio.get_running_loop().time())

                with LOBBY.waiting(push_out):
                    return await self._receive()
        except TimeoutError:
            if pushed_out:
                why = "too many connections were waiting to say hello"
            else:
                why = f"no hello within {self.hello_seconds:g} seconds"
                log.warning("websocket closed: no hello within %g s", self.hello_seconds)
            self.error(None, ProtocolError("hello_late", f"{why}: reconnect"))
            raise _Closed(status.WS_1013_TRY_AGAIN_LATER) from None

    def _welcome(self, grant: Grant, resume: int | None) -> int:
        position = self.views.position
        resumed = resume is not None and 0 <= resume <= position
        self.send(
            {
                "type": "welcome",
                "server_time": now_micros(),
                "position": position,
                "resumed": resumed,
                "grant": {
                    "meeting_id": grant.meeting_id,
                    "role": grant.role,
                    "table": grant.table,
                    "device_id": grant.device_id,
                },
            }
        )
        if resumed:
            assert resume is not None
            return resume
        self.send({"type": "state", "position": position, "views": self._views(grant)})
        return position

    def _views(self, grant: Grant) -> dict[str, Any]:
        """The ``state`` views (``projections.screens``, which ``roundtable replay`` renders
        too); a tablet gets only its own table (``table.read``) and its events, so no view of
        the whole meeting."""
        tablet = grant.role == "facilitator"
        self.auth.require(grant, "table.read", meeting_id=grant.meeting_id, table=grant.table)
        scene = self.views.scene(grant.meeting_id)
        if not tablet:
            self._themes_sent = scene.wall.version
        return screens.render(scene, tablet=tablet, table=grant.table)

    def _followed(self) -> frozenset[str] | None:
        """The streams the live views call this connection for (``None``: all of them): what
        it sees, and the meeting's devices, to hear at once that it was signed out."""
        if self.visible is None or self.grant is None:
            return None
        return self.visible | {devices.stream_id(self.grant.meeting_id)}

    async def _catch_up(self, grant: Grant, after: int, until: int) -> None:
        """Send what a resuming device missed, from the store, then let live events through;
        events that arrived live meanwhile were held back, so none is missed or doubled.

        What it missed may be more than ``send_limit``: it goes in steps, each waiting until
        the outbox is half empty, so a device that reads is never closed for its catch-up
        (it was, and resumed, and was closed again)."""
        async for record in self.store.read_all(after=after, meeting_id=grant.meeting_id):
            if record.position > until:
                break
            if self.waiting_bytes > self.send_limit // 2:
                self._drained = asyncio.get_running_loop().create_future()
                await self._drained
            self._deliver(grant, record)
        held, self._held = self._held, None
        for record in held or ():
            self._deliver(grant, record)

    def offer(self, record: Recorded) -> None:
        """Called by the live views with each new event of this device's meeting; while it
        catches up they are held, and count against ``send_limit`` with what waits."""
        if self._behind:
            return
        if self._held is not None:
            self._held.append(record)
            self._held_bytes += len(event_message(record))
            if self._held_bytes + self.waiting_bytes > self.send_limit:
                self._fell_behind()
        elif self.grant is not None:
            self._deliver(self.grant, record)

    def _deliver(self, grant: Grant, record: Recorded) -> None:
        if record.type == "DeviceRevoked" and _revokes(record, grant):
            self._revoked()
        elif self.visible is None or record.stream_id in self.visible:
            self.outbox_raw(event_message(record))
            if grant.role == "facilitator":
                return
            if record.type == erasure.ERASED:
                self._themes_sent = -1  # the titles it erased: same wall version, new words
                self._send_themes(grant)
            elif record.stream_id == themes.stream_id(grant.meeting_id):
                self._send_themes(grant)
            elif _changes_voting(record):
                self.outbox_raw(self.views.voting_message(grant.meeting_id))

    def _send_themes(self, grant: Grant) -> None:
        """The wall's themes after a theme event (once per wall version), so pages never
        re-derive merges, splits or undos from the events."""
        version, message = self.views.themes_message(grant.meeting_id)
        if version != self._themes_sent:
            self._themes_sent = version
            self.outbox_raw(message)

    def _revoked(self) -> None:
        self.error(None, ProtocolError("device_revoked", REVOKED_MESSAGE))
        self._close(status.WS_1008_POLICY_VIOLATION)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            self.send({"type": "heartbeat", "server_time": now_micros()})

    async def _read(self, grant: Grant) -> None:
        while True:
            try:
                message = await self._receive()
            except ProtocolError as error:
                self.error(None, error)
                continue
            try:
                await self._handle(grant, message)
            except RoundtableError as error:
                self.error(protocol.message_id(message), error)
            except Exception:  # a bug of ours: tell the sender, keep the connection
                log.exception("command failed (%s)", message.get("name"))
                failure = ProtocolError("internal_error", "the server failed; send it again")
                self.error(protocol.message_id(message), failure)

    async def _handle(self, grant: Grant, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "ping":
            self.send(
                {
                    "type": "pong",
                    "id": protocol.message_id(message),
                    "client_time": protocol.number(message.get("client_time")),
                    "server_time": now_micros(),
                }
            )
        elif kind == "status":
            self.presence.reported(grant, _waiting(message))
        elif kind == "command":
            command_id, name, data = protocol.command(message)
            positions = (await self.dispatcher.run(grant, command_id, name, data)).positions
            self.send(
                {
                    "type": "ack",
                    "id": command_id,
                    "position": positions[-1] if positions else None,
                    "positions": list(positions),
                }
            )
        elif kind == "hello":
            raise ProtocolError("hello_first", "this connection has already said hello")
        else:
            raise ProtocolError("unknown_type", f"there is no message type {kind!r}")


def _visible_streams(grant: Grant) -> frozenset[str] | None:
    """A tablet gets its own table's events, the meeting's and the lead's messages; every
    other role gets every event of the meeting (``None``)."""
    if grant.role != "facilitator":
        return None
    return frozenset(
        {
            meeting.stream_id(grant.meeting_id),
            messages.stream_id(grant.meeting_id),
            comments.stream_id(grant.meeting_id, grant.table or 0),
        }
    )


def _changes_voting(record: Recorded) -> bool:
    """Whether the event changes the ``voting`` view: a voting event, or the close (which
    closes voting)."""
    return record.stream_id == voting.stream_id(record.meeting_id) or (
        record.type == "MeetingClosed"
    )


def _waiting(message: dict[str, Any]) -> int:
    waiting = message.get("waiting")
    if isinstance(waiting, bool) or not isinstance(waiting, int):
        raise ProtocolError("invalid_field", '"waiting" must be a whole number')
    if not 0 <= waiting <= protocol.MAX_WAITING:
        raise ProtocolError("invalid_field", f'"waiting" must be 0 to {protocol.MAX_WAITING}')
    return waiting


def _revokes(record: Recorded, grant: Grant) -> bool:
    return bool(orjson.loads(record.data or b"{}").get("device_id") == grant.device_id)


@functools.lru_cache(maxsize=4096)
def event_message(record: Recorded) -> bytes:
    """The push message of one event, encoded once for every connection that gets it."""
    return orjson.dumps(
        {
            "type": "event",
            "position": record.position,
            "stream": record.stream_id,
            "version": record.version,
            "event_type": record.type,
            "data": orjson.loads(canonical(record.decode())),
            "recorded_at": record.recorded_at,
            "by": record.metadata.device_id,
        }
    )
