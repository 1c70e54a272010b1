"""Every fact about who may use a meeting: devices joining, being revoked, join codes replaced.

They live in the meeting's devices stream, ``devices-<meeting_id>``, in the meeting's hash
chain, so the record of the evening also says which devices could write to it. A device is a
browser holding a token: a tablet that joined a table with its join code, or a lead, observer
or staff screen that used a one-time sign-in link. Instants are int microseconds since the
epoch, UTC.
"""

from __future__ import annotations

from events.log.codec import Event, codec
from events.log.codec import record as _record


@codec.register
@_record
class DeviceJoined(Event):
    """A device was given a token: a tablet by a table's join code (``link_id`` is ``None``),
    or a lead, observer or staff screen by the one-time sign-in link ``link_id``."""

    type = "DeviceJoined"
    device_id: str
    role: str
    table: int | None
    label: str | None
    link_id: str | None
    at: int


@codec.register
@_record
class DeviceRevoked(Event):
    """The lead signed a device (or an unused sign-in link) out: its token is refused from now
    on, and a connection it holds is closed."""

    type = "DeviceRevoked"
    device_id: str
    at: int


@codec.register
@_record
class JoinCodeReplaced(Event):
    """A table's join code was replaced (a join sheet was lost): the old code joins no more;
    devices that already joined stay signed in."""

    type = "JoinCodeReplaced"
    table: int
    at: int


@codec.register
@_record
class SignInLinkIssued(Event):
    """A one-time sign-in link was made for ``role``: ``printed`` to a terminal (by ``serve``
    or ``roundtable link``; a newer printed link of the role replaces it while unused) or
    handed to the lead's page. Its token never enters the log, only its id."""

    type = "SignInLinkIssued"
    link_id: str
    role: str
    printed: bool
    at: int


DeviceEvent = DeviceJoined | DeviceRevoked | JoinCodeReplaced | SignInLinkIssued
