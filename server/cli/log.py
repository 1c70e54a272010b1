"""``roundtable log export`` and ``roundtable log import``: the log as a portable archive.

The archive (docs/archive.md) keeps every event with its position, recorded time and hashes,
so an evening can be kept as a file, verified months later, and loaded into another database.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from events.errors import RoundtableError
from events.log.store_archive import export, import_archive
from server.cli.options import add_db_option, settings_from
from server.cli.output import check_target, replacing
from server.cli.progress import Progress
from server.failures import FileFailure


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "log",
        help="export the log to an archive file, or import one",
        description="Move the log in and out as a verifiable archive (docs/archive.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    out = actions.add_parser(
        "export",
        help="write every event (or one meeting's) to a JSON Lines archive",
        description=(
            "Write a header line, one canonical JSON line per event in position order, and a "
            "trailer with the count and each meeting's head hash. The same log gives the "
            "same bytes."
        ),
    )
    add_db_option(out)
    out.add_argument("--meeting", metavar="ID", help="only this meeting's events")
    out.add_argument(
        "--out", required=True, type=Path, metavar="FILE.jsonl", help="the archive to write"
    )
    out.set_defaults(run=run_export)
    into = actions.add_parser(
        "import",
        help="load an archive into an empty log, or one that is its beginning",
        description=(
            "Check the whole archive (order, versions, digests, every meeting's chain, the "
            "trailer), then insert its events with their positions, times and hashes in one "
            "transaction. A bad file is refused naming its first bad line, and nothing is "
            "imported; importing the same file again does nothing."
        ),
    )
    into.add_argument("file", type=Path, metavar="FILE.jsonl", help="the archive to read")
    add_db_option(into, creates=True)
    into.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    return asyncio.run(_export(args))


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise FileFailure(f"cannot read {args.file}: there is no such file")
    return asyncio.run(_import(args))


class NothingToExport(RoundtableError):
    """``--meeting`` names a meeting the log does not hold: no archive is written."""


async def _export(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    check_target(args.out)
    async with settings.store() as store:
        total = await store.last_position()
        # A reader never sees half an archive under the final name, nor an empty one.
        with Progress("exporting", total) as bar, replacing(args.out) as out:
            tally = await export(store, out, meeting_id=args.meeting, progress=bar.update)
            if args.meeting and tally.events == 0:
                raise NothingToExport(
                    f"{args.meeting}: no such meeting in this log ('roundtable meeting list' "
                    "names them)"
                )
    print(f"exported {tally.events} events to {args.out}")
    for meeting_id, head in sorted(tally.heads.items()):
        print(f"{meeting_id}: head {head}")
    return 0


async def _import(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    async with settings.store() as store:
        with Progress("importing", 2 * args.file.stat().st_size) as bar:
            done = await import_archive(store, args.file, progress=bar.advance)
    if done.added == 0:
        print(f"nothing to import: the log already holds all {done.events} events of {args.file}")
    else:
        print(
            f"imported {done.added} events from {args.file} "
            f"({done.kept} were already in the log); run 'roundtable verify' to check them"
        )
    return 0
