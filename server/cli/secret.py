"""``roundtable secret rotate``: replace the stored key that signs tokens (signs all out)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from server import secret
from server.cli.options import add_db_option, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "secret",
        help="rotate the key that signs tokens (signs every device out)",
        description=(
            "Rotate the key kept in the database that signs every token. After the server "
            "restarts, every device, sign-in link and join code of the old key is refused: "
            "reprint the join sheets and sign the lead in again with the link serve prints."
        ),
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    rotate = actions.add_parser("rotate", help="replace the stored key with a new random one")
    add_db_option(rotate)
    rotate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)

    async def main() -> None:
        async with settings.store() as store:
            await secret.rotate(store)

    asyncio.run(main())
    print("The stored key was replaced: restart the server; every device must join again.")
    if settings.secret_key:
        print("Note: SECRET_KEY is set in this environment and takes precedence over the stored")
        print("key; to rotate it, set a new SECRET_KEY where the server is started.")
    return 0
