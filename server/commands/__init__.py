"""Subcommands of ``roundtable``, one module each, plus the options they share."""

from __future__ import annotations

import argparse

from server.settings import Settings


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db``: a SQLite path or a database URL; overrides ``DATABASE_URL``."""
    parser.add_argument(
        "--db",
        metavar="PATH-or-URL",
        help="SQLite file or database URL (default: $DATABASE_URL, else ./roundtable.db)",
    )


def settings_from(args: argparse.Namespace, **overrides: object) -> Settings:
    return Settings.from_env().override(database_url=getattr(args, "db", None), **overrides)
