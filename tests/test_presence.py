"""The lead's device messages: the whole list once, then one message per change of one device."""

from __future__ import annotations

from typing import Any

import orjson

from server.live.presence import DeviceStatus, Presence
from server.tokens import Grant

TABLET = Grant(meeting_id="m", role="facilitator", device_id="tab-1", expires=0, table=1)
JOINED = [{"device_id": "tab-1", "role": "facilitator", "table": 1, "label": "Table 1 tablet",
           "joined_at": 5, "revoked_at": None},
          {"device_id": "tab-2", "role": "facilitator", "table": 2, "label": "Anna's iPad",
           "joined_at": 6, "revoked_at": None}]  # fmt: skip


def watched(presence: Presence, joined: list[dict[str, Any]]) -> list[dict[str, Any]]:
    heard: list[dict[str, Any]] = []
    presence.watch("m", lambda message: heard.append(orjson.loads(message)), joined)
    return heard


def test_a_lead_gets_the_whole_list_once_then_one_message_per_device_change() -> None:
    presence = Presence()
    presence.connected(TABLET)
    heard = watched(presence, JOINED)
    (first,) = heard
    assert first["type"] == "presence"
    listed = {d["device_id"]: d for d in first["devices"]}
    assert listed["tab-1"]["label"] == "Table 1 tablet"
    assert listed["tab-1"]["online"] is True
    assert (listed["tab-2"]["label"], listed["tab-2"]["online"]) == ("Anna's iPad", False)
    assert listed["tab-2"]["since"] is None  # not seen since this server started

    presence.reported(TABLET, 3)
    presence.disconnected(TABLET)
    changes = heard[1:]
    assert [m["type"] for m in changes] == ["device", "device"]
    assert [(m["device"]["device_id"], m["device"]["online"], m["device"]["waiting"])
            for m in changes] == [("tab-1", True, 3), ("tab-1", False, 3)]  # fmt: skip


def test_another_process_going_silent_is_one_change_per_device_it_served() -> None:
    presence = Presence()
    heard = watched(presence, [])
    online = DeviceStatus("facilitator", 2, 1, 0, 10, None)
    presence.peer_said("peer", "m", "tab-2", online)
    presence.peer_said("peer", "m", "tab-3", online)
    presence.forget("peer")
    gone = [(m["device"]["device_id"], m["device"]["online"]) for m in heard[3:]]
    assert sorted(gone) == [("tab-2", False), ("tab-3", False)]
    assert presence.status_of("m", "tab-2").connections == 0
