"""Every command, given each mistake a new user makes, answers in one line on stderr with its
documented exit status (README, "When a command fails") and leaves no file behind.

The commands run in this process (``server.cli.main.main``) against real SQLite files and the real
PostgreSQL server of the test run; what needs a second process (a port in use, the
environment of a real command) runs the real command.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from harness import servers
from harness.servers import free_port, serve, token
from server.cli import main as cli
from server.seed import KAMLOOPS

READERS: dict[str, list[str]] = {
    "verify": ["verify"],
    "meeting list": ["meeting", "list"],
    "meeting show": ["meeting", "show", "m"],
    "meeting open": ["meeting", "open", "m"],
    "meeting close": ["meeting", "close", "m"],
    "join-sheets": ["join-sheets", "--meeting", "m", "--out", "sheets"],
    "link": ["link", "--meeting", "m", "--role", "lead"],
    "secret rotate": ["secret", "rotate"],
    "log export": ["log", "export", "--out", "log.jsonl"],
    "export": ["export", "--meeting", "m", "--format", "md", "--out", "report.md"],
    "rebuild": ["rebuild"],
    "replay": ["replay", "--meeting", "m", "--at", "19:00"],
    "stats": ["stats", "--meeting", "m"],
    "backup": ["backup", "--out", "copy.db"],
}
"""Commands that use a log that must exist already."""
CREATORS: dict[str, list[str]] = {
    "meeting create": ["meeting", "create", "--template", str(KAMLOOPS)],
    "log import": ["log", "import", "ARCHIVE"],
    "serve": ["serve", "--port", "0"],
}
"""Commands that may make a new SQLite log."""


def run(capsys: pytest.CaptureFixture[str], folder: Path, args: list[str]) -> tuple[int, str, str]:
    """``roundtable ARGS`` in ``folder``: its exit status, stdout and stderr."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        status = cli.main(args)
    except SystemExit as exit:  # argparse's refusals
        status = int(exit.code or 0)
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    return status, out, err


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def folder(tmp_path: Path, archive: Path) -> Path:
    """A working folder holding only a file that is not a database and an archive."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.db").write_text("not a database, just notes\n")
    (work / "evening.jsonl").write_bytes(archive.read_bytes())
    return work


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real archive of the Kamloops meeting, for ``log import``."""
    made = tmp_path_factory.mktemp("archive")
    db = str(made / "made.db")
    assert cli.main(["meeting", "create", "--template", str(KAMLOOPS), "--db", db]) == 0
    out = made / "evening.jsonl"
    assert cli.main(["log", "export", "--db", db, "--out", str(out)]) == 0
    return out


def mistakes(postgres_url: str) -> dict[str, tuple[str, int]]:
    """Each wrong ``--db``: the value and the exit status it gets."""
    url = make_url(postgres_url)
    return {
        "no such file": ("nosuch.db", 3),
        "missing folder": ("nofolder/evening.db", 3),
        "wrong scheme": ("mysql://me@localhost/evening", 2),
        "not a database": ("notes.db", 3),
        "postgres down": (url.set(port=free_port()).render_as_string(hide_password=False), 3),
        "no such database": (url.set(database="no_such_roundtable_db").render_as_string(False), 3),
        "unknown role": (url.set(username="no_such_role", password=None).render_as_string(), 3),
    }


MISTAKES = (
    "no such file",
    "missing folder",
    "wrong scheme",
    "not a database",
    "postgres down",
    "no such database",
    "unknown role",
)


CASES = [
    (command, mistake)
    for command in [*READERS, *CREATORS]
    for mistake in MISTAKES
    if not (command in CREATORS and mistake == "no such file")  # they make a new one
]


@pytest.mark.parametrize(("command", "mistake"), CASES)
def test_a_wrong_database_is_one_line_its_status_and_no_file(
    command: str,
    mistake: str,
    folder: Path,
    postgres_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, status = mistakes(postgres_url)[mistake]
    if command == "backup" and mistake in ("postgres down", "no such database", "unknown role"):
        status = 2  # backup copies SQLite files: PostgreSQL is refused before connecting
    args = [a if a != "ARCHIVE" else "evening.jsonl" for a in (READERS | CREATORS)[command]]
    before = listing(folder)
    code, out, err = run(capsys, folder, [*args, "--db", db])
    assert (code, out) == (status, ""), err
    assert err.startswith(f"roundtable {command}: "), err
    assert err.count("\n") == 1, err
    assert listing(folder) == before


def test_settings_that_cannot_be_read_are_named(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value, says in (
        ("TOKEN_DAYS", "abc", "TOKEN_DAYS=abc: give a whole number of days (default 30)"),
        ("SQLITE_SYNCHRONOUS", "bogus", "SQLITE_SYNCHRONOUS=bogus: give one of OFF, NORMAL"),
        ("PORT", "70000", "PORT=70000: give a port from 0 to 65535 (default 8000)"),
        ("HEARTBEAT_SECONDS", "soon", "HEARTBEAT_SECONDS=soon: give a number of seconds"),
    ):
        with monkeypatch.context() as env:
            env.setenv(name, value)
            code, out, err = run(capsys, folder, ["meeting", "create", "--template", "x.json"])
        assert (code, out) == (2, "")
        assert err.startswith(f"roundtable meeting create: {says}"), err
        assert err.count("\n") == 1
    assert listing(folder) == {"notes.db", "evening.jsonl"}


def test_a_wrong_option_is_one_line_and_exit_2(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, says in (
        (["serve", "--port", "70000"], "argument --port: '70000' is not a port: give 0 to 65535"),
        (["serve", "--workers", "0"], "argument --workers: '0': give 1 or more"),
        (["export", "--meeting", "m", "--format", "pdf", "--out", "r"], "argument --format"),
        (["verify", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    ):
        code, out, err = run(capsys, folder, args)
        assert (code, out) == (2, ""), err
        assert err.startswith(f"roundtable {args[0]}: {says}") or (
            err.startswith(f"roundtable: {says}")  # argparse names the root for these
        ), err
        assert err.count("\n") == 1
    assert listing(folder) == {"notes.db", "evening.jsonl"}


@pytest.fixture
def kamloops(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``folder`` with the Kamloops meeting (``2023-06-15``) in ``roundtable.db``."""
    template = ["meeting", "create", "--template", str(KAMLOOPS)]
    assert run(capsys, folder, template)[:2] == (0, "2023-06-15\n")
    return folder


def test_files_that_cannot_be_read_or_written(
    kamloops: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evening = kamloops
    (evening / "existing").write_text("keep me")
    (evening / "a-folder").mkdir()
    full = Path("/dev/full")
    assert stat.S_ISCHR(full.stat().st_mode)
    for args, status, says in (
        (["join-sheets", "--meeting", "2023-06-15", "--out", "existing"], 4, "cannot write into"),
        (["log", "export", "--out", "/nonexistent/x"], 4, "cannot write /nonexistent/x: there"),
        (["log", "export", "--meeting", "nosuch", "--out", "n.jsonl"], 1, "nosuch: no such"),
        (["log", "export", "--out", str(full)], 4, "cannot write /dev/full: No space left"),
        (["export", "--meeting", "2023-06-15", "--format", "md", "--out", str(full)], 4, ""),
        (["export", "--meeting", "2023-06-15", "--format", "md", "--out", "a-folder"], 4, ""),
        (["backup", "--out", str(full)], 4, "cannot write /dev/full: it is not a regular file"),
        (["backup", "--out", "roundtable.db"], 2, "--out roundtable.db is the database itself"),
        (["meeting", "create", "--template", "a-folder"], 4, "cannot read the template"),
        (["meeting", "create", "--template", "notes.db"], 1, "template: notes.db is not JSON"),
        (["log", "import", "a-folder"], 4, "cannot read a-folder"),
        (["log", "import", "notes.db"], 1, "line 1"),
        (["themes", "suggest", "a-folder"], 4, "cannot read meeting file a-folder"),
        (["simulate", "--token", "x", "--url", "http://127.0.0.1:1", "--file", "a-folder"], 4, ""),
    ):
        before = listing(evening)
        code, out, err = run(capsys, evening, args)
        name = " ".join(a for a in args[:2] if not a.startswith("-"))
        assert (code, out) == (status, ""), (args, err)
        assert err.startswith(f"roundtable {name}: {says}"), (args, err)
        assert err.count("\n") == 1, err
        assert listing(evening) == before, args
    assert (evening / "existing").read_text() == "keep me"
    assert stat.S_ISCHR(full.stat().st_mode), "a device is written in place, never replaced"


def test_a_refused_first_command_leaves_no_database(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "bad.json").write_text('{"meeting": {}}')
    code, _, err = run(capsys, folder, ["meeting", "create", "--template", "bad.json"])
    assert code == 1
    assert err.startswith("roundtable meeting create: "), err
    assert listing(folder) == {"notes.db", "evening.jsonl", "bad.json"}


def roundtable(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command, with the test servers' signing key."""
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "SECRET_KEY": servers.SECRET},
    )


def test_serve_on_a_port_in_use_prints_no_link(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = roundtable("serve", "--demo", "--port", str(port), "--db", str(tmp_path / "d.db"))
    assert (done.returncode, done.stdout) == (5, "")
    assert done.stderr == (
        f"roundtable serve: http://127.0.0.1:{port} is already in use (is Roundtable already "
        "running?): stop the other server, or give another --port\n"
    )
    assert list(tmp_path.iterdir()) == [], "no demo database was made"


def test_simulate_fails_in_one_line_where_nothing_answers(tmp_path: Path) -> None:
    """The deadline of ``roundtable`` is generous; the command answers on its first refused
    connection (it used to retry for minutes)."""
    nowhere = f"http://127.0.0.1:{free_port()}"
    for url in (nowhere, nowhere.replace("http", "ws") + "/ws"):
        done = roundtable("simulate", "--url", url, "--token", "abc", timeout=60)
        assert (done.returncode, done.stdout) == (5, "")
        assert done.stderr.startswith(f"roundtable simulate: nothing answers at {nowhere} ")
        assert done.stderr.count("\n") == 1
    no_url = roundtable("simulate", "--token", "abc")
    assert (no_url.returncode, no_url.stderr) == (
        2,
        "roundtable simulate: give the server's address with --url http://HOST:PORT\n",
    )


def test_simulate_takes_a_sign_in_link_and_refuses_a_wrong_token(tmp_path: Path) -> None:
    db = str(tmp_path / "evening.db")
    meeting_id = servers.evening(db)
    with serve(db, logs=tmp_path) as running:
        link = roundtable(
            "link",
            "--db",
            db,
            "--meeting",
            meeting_id,
            "--role",
            "lead",
            "--public-url",
            running.base,
        ).stdout.strip()
        typed = roundtable("simulate", "--token", link, "--tables", "1", "--rate", "0")
        assert (typed.returncode, typed.stderr) == (0, ""), typed.stderr
        assert typed.stdout == f"typed 48 of 48 comments into meeting {meeting_id}\n"
        again = roundtable("simulate", "--token", link, "--tables", "1")
        assert (again.returncode, again.stdout) == (1, "")
        assert again.stderr.startswith(
            "roundtable simulate: the server refused the token: this sign-in link was already used"
        )
        assert again.stderr.count("\n") == 1
        garbage = roundtable("simulate", "--url", running.base, "--token", "not.a-token")
        assert (garbage.returncode, garbage.stdout) == (1, "")
        assert garbage.stderr.startswith("roundtable simulate: the server refused the token: ")
        tablet = token(meeting_id, "facilitator", table=1)
        table = roundtable("simulate", "--url", running.ws, "--token", tablet)
        assert (table.returncode, table.stdout) == (1, "")
        assert table.stderr.startswith("roundtable simulate: this is a facilitator's token; ")
