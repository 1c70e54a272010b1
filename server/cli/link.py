"""``roundtable link``: print a one-time sign-in link (lead, observer or staff) for a meeting,
or an organiser's for the server.

For whoever runs the server: a lead who lost their screen, staff the week after, once the
lead's page is gone, or another organiser. Having the database is having every key, so this
needs nothing more.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from server import access
from server.addresses import base_urls
from server.auth import Auth
from server.cli.options import add_db_option, add_public_url_option, settings_from
from server.failures import UsageError
from server.tokens import ORGANISERS


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "link",
        help="print a one-time sign-in link for a meeting (or an organiser's)",
        description="Print a one-time sign-in link for a lead, observer or staff screen of a "
        "meeting, or for an organiser of this server (--role organiser, no --meeting).",
    )
    add_db_option(parser)
    parser.add_argument("--meeting", metavar="ID", help="the meeting's id (not for organiser)")
    parser.add_argument("--role", required=True, choices=sorted(access.PAGES), help="the role")
    add_public_url_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if (args.role == "organiser") == (args.meeting is not None):
        raise UsageError("give --meeting ID for a meeting's role, and none for --role organiser")
    scope = args.meeting or ORGANISERS

    async def main() -> str:
        async with settings.store() as store:
            auth = await Auth.open(store, settings)
            if args.meeting is not None:
                await access.load_plan(auth, args.meeting)
            base = base_urls(settings)[0]
            url, _ = await access.signin_link(auth, base, scope, args.role, printed=True)
            return url

    print(asyncio.run(main()))
    return 0
