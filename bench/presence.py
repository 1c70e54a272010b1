"""What the lead's table health panel costs on the wire: one message per device change.

A lead's connection gets the whole device list once (``presence``) and then one ``device``
message per change of one device (``server.live.presence``). This plays a 40-table room through
``Presence`` as the server does: every tablet (two per table) connects, reports its outbox,
then the venue's Wi-Fi drops and every tablet reconnects and reports again; a lead watches.
It prints the messages and bytes the lead received, and what the same changes would have cost
if each had pushed the whole list (as before), counted in the same run.

    .venv/bin/python bench/presence.py [--tables 40] [--per-table 2]
"""

from __future__ import annotations

import argparse

from server.live.presence import Presence
from server.tokens import Grant

MEETING = "m"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--per-table", type=int, default=2)
    args = parser.parse_args()
    presence = Presence()
    received: list[bytes] = []
    whole = 0  # bytes, had every change pushed the whole list

    def lead(message: bytes) -> None:
        nonlocal whole
        received.append(message)
        if b'"type":"device"' in message:
            whole += len(presence.message(MEETING))

    presence.watch(MEETING, lead)
    tablets = [
        Grant(MEETING, "facilitator", f"tab-{t}-{i}", 0, table=t)
        for t in range(1, args.tables + 1)
        for i in range(args.per_table)
    ]
    for grant in tablets:
        presence.connected(grant)
        presence.reported(grant, 0)
    for grant in tablets:  # the Wi-Fi drops across the room...
        presence.disconnected(grant)
    for grant in tablets:  # ...and comes back: each tablet reconnects with 2 waiting
        presence.connected(grant)
        presence.reported(grant, 2)
    changes = [m for m in received if b'"type":"device"' in m]
    sent = sum(map(len, changes))
    print(f"{len(tablets)} tablets at {args.tables} tables, one lead watching")
    print(f"the whole list, as a lead connecting gets it: {len(presence.message(MEETING)):,} bytes")
    print(f"the changes: {len(changes):,} device messages, {sent:,} bytes")
    print(f"had each change pushed the whole list: {whole:,} bytes ({whole / sent:.0f}x)")


if __name__ == "__main__":
    main()
