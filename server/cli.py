"""The ``roundtable`` command line: one subcommand per module in ``server.commands``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from events.errors import RoundtableError
from server.commands import (
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
)
"""Each module has ``register(subparsers)``; the parser it adds sets ``run(args) -> int``."""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="roundtable",
        description="Run live roundtable meetings from one verifiable event log.",
    )
    subparsers = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except RoundtableError as error:
        print(f"roundtable {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
