"""What the command line can fail on, as one line naming the problem and what to do, and the
exit status of each kind (documented in the README's command table).

Commands raise ``Failure`` for what they find themselves; ``explain`` turns the exceptions the
libraries underneath raise (a database that cannot be reached, a file that cannot be read) into
the same shape, so that ``server.cli.main`` prints one line for every known failure, never a
traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy.exc

from events.errors import RoundtableError

REFUSED = 1
"""The command ran and the answer is no: a broken chain, a refused command, nothing found."""
USAGE = 2
"""An option, argument or setting (environment variable) is wrong."""
DATABASE = 3
"""The database cannot be opened: no such file, a server that does not answer, a bad login."""
FILE = 4
"""A file or folder cannot be read or written."""
NETWORK = 5
"""The network: the port to serve on is taken, or the server to talk to does not answer."""
INTERRUPTED = 130
"""Ctrl-C."""


class Failure(RoundtableError):
    """A failure the command line reports as one line, exiting with ``status``."""

    status = REFUSED


class UsageError(Failure):
    code = "usage"
    status = USAGE


class DatabaseUnavailable(Failure):
    code = "database"
    status = DATABASE


class FileFailure(Failure):
    code = "file"
    status = FILE


class NetworkFailure(Failure):
    code = "network"
    status = NETWORK


def file_failure(doing: str, path: Path | str, error: OSError) -> FileFailure:
    """``cannot write out.md: No space left on device``; with the folder's name where the
    folder is what is missing."""
    path = Path(path)
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError) and not path.parent.exists():
        return FileFailure(f"cannot {doing} {path}: there is no folder {path.parent}")
    return FileFailure(f"cannot {doing} {path}: {reason}")


def explain(error: BaseException, database: str) -> Failure | None:
    """The one-line failure a library's exception means, or ``None`` for a bug (which keeps
    its traceback). ``database`` names the database in words, without its password."""
    if isinstance(error, Failure):
        return error
    if isinstance(error, RoundtableError):
        return Failure(str(error))
    cause = (error.orig or error) if isinstance(error, sqlalchemy.exc.DBAPIError) else error
    if isinstance(cause, sqlite3.DatabaseError):
        return _sqlite(cause, database)
    for driver_error in (cause, cause.__cause__):  # asyncpg's, under SQLAlchemy's adapter
        postgres = _postgres(driver_error, database) if driver_error else None
        if postgres is not None:
            return postgres
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        return DatabaseUnavailable(f"{database}: {_first_line(cause)}")
    if isinstance(error, OSError) and error.filename:
        return file_failure("use", error.filename, error)
    return None


def _sqlite(error: sqlite3.DatabaseError, database: str) -> Failure:
    text = str(error)
    if "unable to open" in text:
        return DatabaseUnavailable(
            f"cannot open {database}: check that its folder exists and can be written"
        )
    if "not a database" in text:
        return DatabaseUnavailable(
            f"{database} is not a Roundtable database (not SQLite): check --db or DATABASE_URL"
        )
    return DatabaseUnavailable(f"{database}: {text}")


def _postgres(error: BaseException, database: str) -> Failure | None:
    """PostgreSQL's refusals by their class name (asyncpg's exceptions), without importing
    the driver for commands that run on SQLite."""
    kind = type(error).__name__
    if kind == "InvalidCatalogNameError":
        return DatabaseUnavailable(
            f"{database}: the server has no such database: create it (createdb NAME) or check "
            "the name in the URL"
        )
    if kind in ("InvalidAuthorizationSpecificationError", "InvalidPasswordError"):
        return DatabaseUnavailable(
            f"{database}: the server refused the login ({_first_line(error)}): check the user "
            "and password in the URL"
        )
    if isinstance(error, ConnectionRefusedError | TimeoutError) or kind == "CannotConnectNowError":
        return DatabaseUnavailable(
            f"nothing answers at {database}: start PostgreSQL, or check the host and port"
        )
    if isinstance(error, OSError) and not error.filename:
        return DatabaseUnavailable(f"cannot reach {database}: {error.strerror or error}")
    return None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
