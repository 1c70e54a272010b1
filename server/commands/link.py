"""``roundtable link``: print a one-time sign-in link (lead, observer or staff) for a meeting.

For whoever runs the server: a lead who lost their screen, or staff the week after, once the
lead's page is gone. Having the database is having every key, so this needs nothing more.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from server import access
from server.addresses import base_urls
from server.auth import Auth
from server.commands import add_db_option, add_public_url_option, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "link",
        help="print a one-time sign-in link for a meeting",
        description="Print a one-time sign-in link for a lead, observer or staff screen.",
    )
    add_db_option(parser)
    parser.add_argument("--meeting", required=True, metavar="ID", help="the meeting's id")
    parser.add_argument("--role", required=True, choices=sorted(access.PAGES), help="the role")
    add_public_url_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)

    async def main() -> str:
        async with settings.store() as store:
            auth = await Auth.open(store, settings)
            await access.load_plan(store, args.meeting)
            base = base_urls(settings)[0]
            url, _ = await access.signin_link(auth, base, args.meeting, args.role, printed=True)
            return url

    print(asyncio.run(main()))
    return 0
