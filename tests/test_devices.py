"""The devices decider: joining, one-time sign-in links, revoking, replacing join codes."""

from __future__ import annotations

from events.decider import fold
from events.devices import rules as devices
from events.devices.events import DeviceJoined, DeviceRevoked, JoinCodeReplaced
from events.devices.rules import (
    InvalidRole,
    JoinTable,
    ReplaceJoinCode,
    RevokeDevice,
    SignIn,
    SignInLinkRevoked,
    SignInLinkUsed,
)
from tests.spec import Spec

spec = Spec(devices)
TABLET = DeviceJoined(
    device_id="t1", role="facilitator", table=2, label="Table 2 tablet", link_id=None, at=1
)
LEAD = DeviceJoined(device_id="l1", role="lead", table=None, label="laptop", link_id="link", at=2)


def test_a_device_joins_a_table() -> None:
    spec.when(JoinTable(device_id="t1", table=2, label=None, at=1)).then(TABLET)


def test_a_spare_tablet_joins_the_same_table_at_any_time() -> None:
    spare = JoinTable(device_id="t2", table=2, label="spare iPad", at=9)
    spec.given(TABLET).when(spare).then(
        DeviceJoined(device_id="t2", role="facilitator", table=2, label="spare iPad",
                     link_id=None, at=9)
    )  # fmt: skip


def test_a_sign_in_link_makes_a_device_of_its_role() -> None:
    command = SignIn(link_id="link", device_id="l1", role="lead", label="laptop", at=2)
    spec.when(command).then(LEAD)


def test_a_sign_in_link_works_once() -> None:
    again = SignIn(link_id="link", device_id="l2", role="lead", label=None, at=3)
    spec.given(LEAD).when(again).then_raises(SignInLinkUsed, "already used")


def test_a_revoked_link_cannot_be_used() -> None:
    use = SignIn(link_id="link", device_id="l1", role="staff", label=None, at=3)
    spec.given(DeviceRevoked(device_id="link", at=2)).when(use).then_raises(
        SignInLinkRevoked, "revoked"
    )


def test_a_sign_in_link_cannot_make_a_facilitator() -> None:
    use = SignIn(link_id="link", device_id="x", role="facilitator", label=None, at=3)
    spec.when(use).then_raises(InvalidRole, "cannot grant the role 'facilitator'")


def test_revoking_is_an_event_once() -> None:
    spec.given(TABLET).when(RevokeDevice(device_id="t1", at=5)).then(
        DeviceRevoked(device_id="t1", at=5)
    )
    spec.given(TABLET, DeviceRevoked(device_id="t1", at=5)).when(
        RevokeDevice(device_id="t1", at=6)
    ).then_nothing()


def test_a_join_code_is_replaced() -> None:
    spec.when(ReplaceJoinCode(table=3, at=4)).then(JoinCodeReplaced(table=3, at=4))


def test_the_state_knows_devices_revocations_links_and_code_generations() -> None:
    state = fold(
        devices,
        [
            TABLET,
            LEAD,
            DeviceRevoked(device_id="t1", at=5),
            JoinCodeReplaced(table=2, at=6),
            JoinCodeReplaced(table=2, at=7),
        ],
    )
    assert state.revoked == {"t1"}
    assert state.devices["t1"].revoked_at == 5
    assert state.devices["l1"].revoked_at is None
    assert state.used_links == {"link"}
    assert (state.generation(2), state.generation(3)) == (2, 0)


def test_a_tablet_without_a_name_is_called_after_its_table() -> None:
    unnamed = JoinTable(device_id="t1", table=2, label=None, at=1)
    spec.when(unnamed).then(
        DeviceJoined(device_id="t1", role="facilitator", table=2, label="Table 2 tablet",
                     link_id=None, at=1)
    )  # fmt: skip


def test_joining_the_same_table_again_from_the_same_browser_is_the_same_device() -> None:
    again = JoinTable(device_id="t9", table=2, label=None, at=7, previous="t1")
    spec.given(TABLET).when(again).then_nothing()


def test_joining_another_table_signs_the_browsers_old_tablet_out_at_once() -> None:
    moved = JoinTable(device_id="t9", table=3, label=None, at=7, previous="t1")
    spec.given(TABLET).when(moved).then(
        DeviceJoined(device_id="t9", role="facilitator", table=3, label="Table 3 tablet",
                     link_id=None, at=7),
        DeviceRevoked(device_id="t1", at=7),
    )  # fmt: skip


def test_a_signed_out_or_unknown_old_device_is_simply_a_new_join() -> None:
    fresh = DeviceJoined(device_id="t9", role="facilitator", table=2, label="Table 2 tablet",
                         link_id=None, at=7)  # fmt: skip
    signed_out = DeviceRevoked(device_id="t1", at=5)
    for given, previous in (((TABLET, signed_out), "t1"), ((), "t1"), ((LEAD,), "l1")):
        again = JoinTable(device_id="t9", table=2, label=None, at=7, previous=previous)
        spec.given(*given).when(again).then(fresh)
