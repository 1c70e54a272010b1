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
