"""The shell examples of README.md and docs/ run, and print what the docs show.

THE MARKER CONVENTION (for everyone who writes docs): every fenced block whose info string is
``sh``, ``shell``, ``bash`` or ``console`` has, on the line right before its opening fence,
one of these two HTML comments (invisible on GitHub):

    <!-- runnable -->       this test runs the block and compares what it prints
    <!-- illustrative -->   shown only, never run (needs a server, a network, root, time)

A runnable block is run in a fresh temporary folder that looks like this repository (each of
its top-level files and folders linked in, so ``server/templates/...`` is there) with no
database in it: ``roundtable.db`` there is new, and ``DATABASE_URL``, ``PORT`` and the like
are unset; the installed ``roundtable`` is first on ``PATH``. Its lines are:

- ``$ COMMAND``: run by bash; it must exit 0, unless the output ends with ``[exit N]``;
- the lines after a command, up to the next ``$``: what it prints (stdout, then stderr),
  compared line by line; ``...`` inside a line matches anything (a hash, a folder), and a
  line that is only ``...`` matches any number of lines (the rest of a long output);
- a line starting with ``#`` before the first command is a comment.

A block with no ``$`` line is a plain script: run as is, it must exit 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SHELL = ("sh", "shell", "bash", "console")
MARKERS = ("<!-- runnable -->", "<!-- illustrative -->")
FENCE = re.compile(r"^```(\S*)")


@dataclass(frozen=True, slots=True)
class Block:
    path: Path
    line: int
    """The line of the opening fence (1-based)."""
    marker: str | None
    text: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def shell_blocks() -> list[Block]:
    """Every fenced shell block of README.md and docs/*.md, with the marker before it."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            opening = FENCE.match(lines[i])
            if opening is None:
                i += 1
                continue
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            if opening.group(1) in SHELL:
                before = lines[i - 1].strip() if i else ""
                marker = before if before in MARKERS else None
                found.append(Block(path, i + 1, marker, "\n".join(lines[i + 1 : end])))
            i = end + 1
    return found


BLOCKS = shell_blocks()
RUNNABLE = [b for b in BLOCKS if b.marker == "<!-- runnable -->"]


def test_every_shell_block_is_marked_runnable_or_illustrative() -> None:
    unmarked = [b.name for b in BLOCKS if b.marker is None]
    assert not unmarked, f"put <!-- runnable --> or <!-- illustrative --> before: {unmarked}"
    assert RUNNABLE, "the docs have runnable examples"


def test_no_shell_example_hides_in_an_indented_block() -> None:
    """Indented code blocks cannot carry a marker: shell examples are fenced."""
    command = re.compile(r"^    (\$ )?(roundtable|\.venv/bin/\S+|python3?|pip|bash) ")
    hidden = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if command.match(line)
    ]
    assert not hidden, f"fence these shell examples (```sh) and mark them: {hidden}"


@dataclass(frozen=True, slots=True)
class Step:
    command: str
    expected: list[str]
    status: int


def steps(text: str) -> list[Step]:
    """A runnable block as commands, each with the output and exit status it shows."""
    found: list[Step] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            found.append(Step(line[2:], [], 0))
        elif found:
            found[-1].expected.append(line)
        else:
            assert not line.strip() or line.startswith("#"), f"output before a command: {line}"
    for i, step in enumerate(found):
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()  # a blank line between commands is for the reader
        ending = re.fullmatch(r"\[exit (\d+)\]", step.expected[-1]) if step.expected else None
        if ending:
            found[i] = Step(step.command, step.expected[:-1], int(ending.group(1)))
    return found


def matches(expected: list[str], printed: list[str]) -> bool:
    """``printed`` is ``expected``, where ``...`` in a line is any text and a line of only
    ``...`` is any number of lines."""
    if not expected:
        return not printed
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(matches(rest, printed[k:]) for k in range(len(printed) + 1))
    pattern = ".*".join(re.escape(part) for part in head.split("..."))
    return (
        bool(printed)
        and re.fullmatch(pattern, printed[0]) is not None
        and matches(rest, printed[1:])
    )


def fresh_folder(tmp_path: Path) -> Path:
    """A folder that looks like the repository, without any database or output in it."""
    folder = tmp_path / "clone"
    folder.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".venv") and not entry.name.endswith(".db"):
            (folder / entry.name).symlink_to(entry)
    return folder


def environment() -> dict[str, str]:
    unset = ("DATABASE_URL", "PORT", "HOST", "PUBLIC_URL", "SECRET_KEY", "TOKEN_DAYS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"
    return env


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_a_runnable_block_prints_what_the_docs_show(block: Block, tmp_path: Path) -> None:
    folder = fresh_folder(tmp_path)
    commands = steps(block.text)
    if not commands:
        done = subprocess.run(
            ["bash", "-e", "-c", block.text], cwd=folder, env=environment(), timeout=300
        )
        assert done.returncode == 0, f"{block.name} failed"
        return
    for step in commands:
        done = subprocess.run(
            ["bash", "-c", step.command],
            cwd=folder,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        printed = (done.stdout + done.stderr).splitlines()
        assert done.returncode == step.status, f"{block.name}: $ {step.command}\n{done.stderr}"
        assert matches(step.expected, printed), (
            f"{block.name}: $ {step.command} printed:\n" + "\n".join(printed)
        )


def test_the_matcher_of_the_harness() -> None:
    """The comparison cannot pass vacuously: a wrong line, a missing line or an extra line
    fails it."""
    assert matches(["a ... c", "..."], ["a b c", "d", "e"])
    assert matches(["x", "...", "z"], ["x", "z"])
    assert not matches(["a ... c"], ["a b d"])
    assert not matches(["a", "b"], ["a"])
    assert not matches(["a"], ["a", "b"])
    assert steps("$ false\nno\n[exit 1]") == [Step("false", ["no"], 1)]
