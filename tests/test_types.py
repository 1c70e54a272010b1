"""Types are checked. The pages' scripts: every module in ``client/js`` says ``// @ts-check``,
and TypeScript (pinned in ``tests/node``) checks them all against their JSDoc types. The Python:
mypy (pinned in the test extra) with pyproject's ``[tool.mypy]``, strict for the domain and the
read side, ordinary elsewhere. A wrong field name or a value of the wrong shape fails here
rather than on a tablet at the venue; each check is shown to fail on a planted error."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
TSC = ROOT / "tests" / "node" / "node_modules" / ".bin" / "tsc"
CLIENT = ROOT / "client"
MYPY = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def _tsc(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TSC), "-p", str(project / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_page_script_says_ts_check() -> None:
    unchecked = [
        p.name for p in sorted((CLIENT / "js").glob("*.js")) if "// @ts-check" not in p.read_text()
    ]
    assert unchecked == []


def test_the_page_scripts_type_check() -> None:
    checked = _tsc(CLIENT)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_planted_type_error_fails_the_check(tmp_path: Path) -> None:
    shutil.copytree(CLIENT / "js", tmp_path / "js")
    shutil.copy(CLIENT / "tsconfig.json", tmp_path / "tsconfig.json")
    moments = tmp_path / "js" / "moments.js"
    planted = moments.read_text().replace(
        '  if (message.event_type === "MessageSent") {',
        '  /** @type {number} */\n  const wrong = message.recorded_at ? "a string" : 0;\n'
        '  if (wrong && message.event_type === "MessageSent") {',
    )
    assert planted != moments.read_text()
    moments.write_text(planted)
    checked = _tsc(tmp_path)
    assert checked.returncode != 0
    assert "moments.js" in checked.stdout
    assert "not assignable to type 'number'" in checked.stdout


def _mypy(folder: Path) -> subprocess.CompletedProcess[str]:
    """mypy as ``.ci/test`` runs it: in ``folder``, with the ``pyproject.toml`` found there."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_python_type_checks() -> None:
    checked = _mypy(ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_planted_python_type_errors_fail_the_check(tmp_path: Path) -> None:
    """Against the project's own mypy settings: an unannotated function fails in the domain
    (strict) and passes in the server (ordinary); a wrong type fails anywhere."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for folder in MYPY["files"]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "events" / "rules.py").write_text("def decide(command):\n    return [command]\n")
    (tmp_path / "server" / "app.py").write_text(
        "def route(path):\n    return path\n\n\nPORT: int = route('/') and '8000'\n"
    )
    checked = _mypy(tmp_path)
    assert checked.returncode != 0
    found = sorted(
        line.split(": error: ")[0] for line in checked.stdout.splitlines() if ": error: " in line
    )
    assert found == ["events/rules.py:1", "server/app.py:5"], checked.stdout
