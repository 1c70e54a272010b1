"""The ``roundtable`` command line: one subcommand per module in ``server.cli``.

Every known failure ends here as one line on stderr (``roundtable COMMAND: what is wrong and
what to do``) and an exit status from ``server.failures``; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from server.cli import (
    backup,
    erase,
    export,
    join_sheets,
    link,
    log,
    meeting,
    rebuild,
    replay,
    secret,
    serve,
    simulate,
    stats,
    themes,
    verify,
)
from server.cli.options import LogFile, database_label, settings_from
from server.failures import INTERRUPTED, USAGE, Failure, explain

COMMANDS = (
    serve,
    verify,
    meeting,
    join_sheets,
    link,
    secret,
    simulate,
    themes,
    log,
    rebuild,
    replay,
    stats,
    export,
    backup,
    erase,
)
"""Each module has ``register(subparsers)``; the parser it adds sets ``run(args) -> int``."""


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line said in one line (the usage is one
    ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    root = Parser(
        prog="roundtable",
        description="Run live roundtable meetings from one verifiable event log.",
    )
    subparsers = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    name = " ".join(["roundtable", args.command, getattr(args, "action", None) or ""]).strip()
    log_file: LogFile | None = None
    status = 1
    try:
        log_file = LogFile.of(args)
        status = int(args.run(args))
    except KeyboardInterrupt:
        status = INTERRUPTED
    except Exception as error:
        failure = explain(error, _database(args))
        if failure is None:
            raise
        print(f"{name}: {failure}", file=sys.stderr)
        status = failure.status
    finally:
        if status != 0 and log_file is not None:
            log_file.discard_if_new_and_empty()
    return status


def _database(args: argparse.Namespace) -> str:
    """The command's database in words, for a message about it."""
    try:
        return database_label(settings_from(args).database_url)
    except Failure:
        return "the database"


if __name__ == "__main__":
    sys.exit(main())
