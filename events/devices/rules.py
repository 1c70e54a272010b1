"""The devices decider: which devices joined a meeting, which were revoked, which links used.

A sign-in link can be used once: its use is the ``DeviceJoined`` that names it, so a second
use is refused here, and the store's expected version makes two uses at the same instant
impossible too. A link printed to a terminal is replaced by the next one printed for its role:
stdout and journals keep old ones, so only the latest unused one signs in. Revoking is
idempotent and takes a device or an issued link (so an unused link can be revoked before
anyone opens it); an id the meeting never knew is refused. Which tables exist, and whether a
join code is right, is the shell's business (``server.access``): it has the plan and secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TypeVar, assert_never

from events.devices import events as e
from events.devices.events import DeviceEvent
from events.errors import DomainError

K = TypeVar("K")
V = TypeVar("V")

SIGN_IN_ROLES = ("lead", "observer", "staff", "organiser")
"""The roles a sign-in link can grant; a facilitator joins a table with its join code (an
organiser's link is in the server's organisers stream, the others in a meeting's)."""


SPENT_LINK = (
    "this sign-in link was already used: each link signs in one screen, once. If this is "
    "the screen it signed in, open the page again without the link; otherwise make a new "
    "link on the lead's laptop (Devices, Create sign-in link) or with `roundtable link`"
)
"""Said to whoever opens a spent link: often the lead themself, so not "ask the lead"."""


class DeviceError(DomainError):
    code = "device_refused"


class SignInLinkUsed(DeviceError):
    code = "signin_used"


class SignInLinkRevoked(DeviceError):
    code = "signin_revoked"


class InvalidRole(DeviceError):
    code = "invalid_role"


class SignInLinkReplaced(DeviceError):
    code = "signin_replaced"


class UnknownDevice(DeviceError):
    code = "unknown_device"


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    device_id: str
    role: str
    table: int | None
    label: str | None
    link_id: str | None
    joined_at: int
    revoked_at: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DevicesState:
    devices: Mapping[str, Device] = field(default_factory=lambda: MappingProxyType({}))
    revoked: frozenset[str] = frozenset()
    used_links: frozenset[str] = frozenset()
    code_generations: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    links: frozenset[str] = frozenset()
    """Every sign-in link issued (logs from before links were recorded lack theirs)."""
    printed: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The latest printed sign-in link of each role."""
    replaced: frozenset[str] = frozenset()
    """Printed sign-in links a later printed link of their role replaced."""

    def generation(self, table: int) -> int:
        """How many times the table's join code was replaced (0: the first code)."""
        return self.code_generations.get(table, 0)


initial_state = DevicesState()


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinTable:
    """Make ``device_id`` the tablet of ``table`` (its join code was checked by the shell).
    ``previous`` is the device this browser already was in the meeting (its token checked by
    the shell): the same table's keeps being the tablet, nothing new is joined; another
    table's is signed out at once, so one tablet is one device on the lead's panel."""

    device_id: str
    table: int
    label: str | None
    at: int
    previous: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignIn:
    """Use the one-time sign-in link ``link_id`` to make ``device_id`` a ``role`` screen."""

    link_id: str
    device_id: str
    role: str
    label: str | None
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueSignInLink:
    link_id: str
    role: str
    printed: bool
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RevokeDevice:
    device_id: str
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceJoinCode:
    table: int
    at: int


DeviceCommand = JoinTable | SignIn | IssueSignInLink | RevokeDevice | ReplaceJoinCode


def stream_id(meeting_id: str) -> str:
    return f"devices-{meeting_id}"


def tablet_name(table: int) -> str:
    """What a tablet is called on the lead's panel when the facilitator gave no name."""
    return f"Table {table} tablet"


def rejoins(state: DevicesState, previous: str | None, table: int) -> bool:
    """Whether the device ``previous`` is a tablet of ``table`` still signed in: joining that
    table again from the same browser is the same device, not a second one."""
    old = state.devices.get(previous or "")
    return (
        old is not None
        and old.role == "facilitator"
        and old.table == table
        and old.device_id not in state.revoked
    )


def decide(command: DeviceCommand, state: DevicesState) -> list[DeviceEvent]:
    match command:
        case JoinTable(device_id=device_id, table=table, label=label, at=at, previous=previous):
            if rejoins(state, previous, table):
                return []
            joined = e.DeviceJoined(
                device_id=device_id,
                role="facilitator",
                table=table,
                label=label or tablet_name(table),
                link_id=None,
                at=at,
            )
            old = state.devices.get(previous or "")
            if old is None or old.role != "facilitator" or old.device_id in state.revoked:
                return [joined]
            return [joined, e.DeviceRevoked(device_id=old.device_id, at=at)]
        case SignIn(link_id=link_id, device_id=device_id, role=role, label=label, at=at):
            if role not in SIGN_IN_ROLES:
                raise InvalidRole(f"a sign-in link cannot grant the role {role!r}")
            if link_id in state.used_links:
                raise SignInLinkUsed(SPENT_LINK)
            if link_id in state.revoked:
                raise SignInLinkRevoked("this sign-in link was revoked by the lead")
            if link_id in state.replaced:
                raise SignInLinkReplaced(
                    "a newer sign-in link was printed since: use the one printed last"
                )
            return [
                e.DeviceJoined(
                    device_id=device_id, role=role, table=None, label=label, link_id=link_id, at=at
                )
            ]
        case IssueSignInLink(link_id=link_id, role=role, printed=printed, at=at):
            if role not in SIGN_IN_ROLES:
                raise InvalidRole(f"a sign-in link cannot grant the role {role!r}")
            return [e.SignInLinkIssued(link_id=link_id, role=role, printed=printed, at=at)]
        case RevokeDevice(device_id=device_id, at=at):
            if device_id in state.revoked:
                return []
            if device_id not in state.devices and device_id not in state.links:
                raise UnknownDevice("this meeting has no such device or sign-in link")
            return [e.DeviceRevoked(device_id=device_id, at=at)]
        case ReplaceJoinCode(table=table, at=at):
            return [e.JoinCodeReplaced(table=table, at=at)]
        case _:
            assert_never(command)


def evolve(state: DevicesState, event: DeviceEvent) -> DevicesState:
    match event:
        case e.DeviceJoined():
            device = Device(
                device_id=event.device_id,
                role=event.role,
                table=event.table,
                label=event.label,
                link_id=event.link_id,
                joined_at=event.at,
            )
            used = state.used_links | ({event.link_id} if event.link_id else set())
            return replace(
                state,
                devices=_with(state.devices, event.device_id, device),
                used_links=frozenset(used),
            )
        case e.DeviceRevoked(device_id=device_id, at=at):
            devices = state.devices
            if device_id in devices:
                devices = _with(devices, device_id, replace(devices[device_id], revoked_at=at))
            return replace(state, devices=devices, revoked=state.revoked | {device_id})
        case e.SignInLinkIssued(link_id=link_id, role=role, printed=printed):
            state = replace(state, links=state.links | {link_id})
            if not printed:
                return state
            earlier = state.printed.get(role)
            return replace(
                state,
                printed=_with(state.printed, role, link_id),
                replaced=state.replaced | ({earlier} if earlier else set()),
            )
        case e.JoinCodeReplaced(table=table):
            generations = _with(state.code_generations, table, state.generation(table) + 1)
            return replace(state, code_generations=generations)
        case _:
            assert_never(event)


def _with(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    return MappingProxyType({**mapping, key: value})
