"""The suite's own schedule: the modules named as the longest exist, and are collected first
(``tests/conftest.py``), so a renamed module cannot silently drop out of the head of the queue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import LONGEST_FIRST

TESTS = Path(__file__).parent


def test_every_module_named_as_longest_is_a_module_of_the_suite() -> None:
    missing = [name for name in LONGEST_FIRST if not (TESTS / f"{name}.py").is_file()]
    assert missing == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_the_longest_modules_are_collected_first_in_their_order() -> None:
    # Named short one first, the long ones backwards: only the hook can put them in order.
    named = [TESTS / "test_access.py", *(TESTS / f"{name}.py" for name in LONGEST_FIRST[::-1])]
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:xdist",
            *map(str, named),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=TESTS.parent,
    ).stdout
    order: list[str] = []
    for line in listed.splitlines():
        if "::" in line:
            module = Path(line.split("::")[0]).stem
            if not order or order[-1] != module:
                order.append(module)
    assert order == [*LONGEST_FIRST, "test_access"], "and each module's tests stay together"
