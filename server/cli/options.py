"""Subcommands of ``roundtable``, one module each, plus the options and checks they share."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from events.log.store import database_url
from server.failures import DatabaseUnavailable
from server.settings import Settings


def add_db_option(parser: argparse.ArgumentParser, *, creates: bool = False) -> None:
    """``--db``: a SQLite path or a database URL; overrides ``DATABASE_URL``. Only a command
    that ``creates`` a log may be given a SQLite file that does not exist yet."""
    parser.add_argument(
        "--db",
        metavar="PATH-or-URL",
        help="SQLite file or database URL (default: $DATABASE_URL, else ./roundtable.db)",
    )
    parser.set_defaults(creates_log=creates)


def add_public_url_option(parser: argparse.ArgumentParser) -> None:
    """``--public-url``: the address tablets use; overrides ``PUBLIC_URL``."""
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address tablets use, in links and QR codes (default: $PUBLIC_URL, else the "
        "LAN addresses found)",
    )


def settings_from(args: argparse.Namespace, **overrides: object) -> Settings:
    """The environment's settings with the options given on the command line on top."""
    public_url = getattr(args, "public_url", None)
    return Settings.from_env().override(
        database_url=getattr(args, "db", None),
        public_url=public_url.rstrip("/") if public_url else None,
        **overrides,
    )


def database_label(value: str) -> str:
    """The database in words for a message: a SQLite file's path, or the URL without its
    password."""
    url = database_url(value)
    if url.get_backend_name() == "sqlite":
        return url.database or value
    return make_url(value).render_as_string(hide_password=True)


@dataclass(frozen=True, slots=True)
class LogFile:
    """The SQLite file a command works on, and whether it was there before the command ran."""

    path: Path
    existed: bool

    @classmethod
    def of(cls, args: argparse.Namespace) -> LogFile | None:
        """The command's SQLite file (``None`` on PostgreSQL or for a command without a log);
        a command that only uses a log refuses one that does not exist, rather than creating
        an empty one and answering from it."""
        if not hasattr(args, "creates_log"):
            return None
        url = database_url(settings_from(args).database_url)
        if url.get_backend_name() != "sqlite" or not url.database:
            return None
        path = Path(url.database)
        if not path.parent.is_dir():
            raise DatabaseUnavailable(
                f"cannot open {path}: there is no folder {path.parent} (make it, or give --db "
                "a file in a folder that exists)"
            )
        if not path.exists() and not args.creates_log:
            raise DatabaseUnavailable(
                f"no database at {path}: give --db the file the meeting was served from (or "
                "set DATABASE_URL); 'roundtable serve' or 'meeting create' makes a new one"
            )
        return cls(path, path.exists())

    def discard_if_new_and_empty(self) -> None:
        """After a failure: remove the file if this command made it and it holds no event,
        so a refused first command leaves nothing behind."""
        if self.existed or not self.path.exists():
            return
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
                events = db.execute("SELECT count(*) FROM events").fetchone()[0]
        except sqlite3.Error:
            events = 0  # no events table: nothing was ever written to it
        if events == 0:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
