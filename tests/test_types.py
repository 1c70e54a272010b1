"""The pages' scripts are type-checked: every module in ``client/js`` says ``// @ts-check``, and
TypeScript (pinned in ``tests/node``) checks them all against their JSDoc types, so a wrong
field name or a value of the wrong shape fails here rather than on a tablet at the venue."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent
TSC = ROOT / "tests" / "node" / "node_modules" / ".bin" / "tsc"
CLIENT = ROOT / "client"


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
