"""``roundtable backup``: a copy of the SQLite log taken while the server runs.

SQLite's online backup API copies the database page by page from one consistent snapshot
(in WAL mode the server's writer goes on meanwhile), so the copy holds every event committed,
and so acknowledged, before it began. The copy is a single file (no ``-wal`` beside it) made
under a temporary name and renamed when complete.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from events.log.store import database_url
from server.cli.options import add_db_option, settings_from
from server.cli.output import check_target, replacing_path
from server.failures import UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="copy the log to a file, also while the server runs",
        description=(
            "Copy the SQLite database to FILE with SQLite's online backup, safely while "
            "'roundtable serve' runs: the copy holds every event acknowledged before it began "
            "and is a database of its own ('roundtable verify --db FILE' checks it)."
        ),
    )
    add_db_option(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the copy")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    url = database_url(settings_from(args).database_url)
    if url.get_backend_name() != "sqlite":
        raise UsageError(
            "backup copies a SQLite file; on PostgreSQL use pg_dump, or 'roundtable log "
            "export' for a verifiable archive of the log"
        )
    source = Path(str(url.database))
    if args.out.exists() and args.out.resolve() == source.resolve():
        raise UsageError(f"--out {args.out} is the database itself: give another file")
    check_target(args.out)
    with replacing_path(args.out) as temporary:
        events, position = copy(source, temporary)
    print(f"backed up {events} events (to position {position}) to {args.out}")
    print(f"check the copy with: roundtable verify --db {args.out}")
    return 0


def copy(source: Path, target: Path) -> tuple[int, int]:
    """Copy ``source`` into a new single-file database at ``target``; its events and last
    position."""
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        events, position = dst.execute(
            "SELECT count(*), coalesce(max(position), 0) FROM events"
        ).fetchone()
    return int(events), int(position)
