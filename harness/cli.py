"""``roundtable ARGS`` run in this process, answered as ``subprocess.run`` would answer it.

A ``roundtable`` process spends most of a second importing the server before it does anything;
a test about what a command does (its output, its files, its exit status) runs the same
``server.cli.main.main`` here instead. A test about the process itself (a signal, a traceback,
the installed script) starts the real one.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

from server.cli import main as cli


def roundtable(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``roundtable`` with ``args`` in this process: its exit status and what it wrote to
    stdout and stderr (as text, as ``capture_output=True, text=True`` gives them). Not from a
    running event loop: the commands run their own (``asyncio.run``)."""
    argv = [str(arg) for arg in args]
    out, err = _Stream(), _Stream()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as done:  # argparse's usage errors and --help
            status = done.code if isinstance(done.code, int) else 1
    return subprocess.CompletedProcess(
        ["roundtable", *argv], status, out.getvalue(), err.getvalue()
    )


class _Stream(io.TextIOWrapper):
    """A text stream with a ``buffer`` (some commands write bytes to ``sys.stdout.buffer``)
    that is not a terminal, as a pipe to a parent process is not."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)

    def getvalue(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8")
