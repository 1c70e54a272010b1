"""``roundtable themes suggest``: JSON on stdout from the meeting file alone; clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from server.cli import main as cli
from server.seed import KAMLOOPS


def roundtable(*args: str | Path, hash_seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "server", *map(str, args)],
        capture_output=True,
        timeout=60,
        env=os.environ | {"PYTHONHASHSEED": hash_seed},
    )


def kamloops() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(KAMLOOPS.read_bytes())
    return data


def write(path: Path, data: Any) -> Path:
    path.write_bytes(orjson.dumps(data))
    return path


def test_suggest_prints_groups_of_real_comments_for_the_kamloops_file() -> None:
    done = roundtable("themes", "suggest", KAMLOOPS)
    assert (done.returncode, done.stderr) == (0, b"")
    printed = orjson.loads(done.stdout)
    assert list(printed) == ["groups"]
    known = {c["id"] for c in kamloops()["comments"]}
    ids = [i for group in printed["groups"] for i in group["comments"]]
    assert len(ids) == len(set(ids))
    assert set(ids) <= known
    for group in printed["groups"]:
        assert list(group) == ["title", "comments"]
        assert isinstance(group["title"], str)
        assert group["title"]
        assert len(group["comments"]) >= 2
    detox = {"t1-q2-010", "t1-q2-017", "t1-q3-010", "t2-q3-003", "t2-q3-004", "t3-q3-008"}
    assert any(detox <= set(group["comments"]) for group in printed["groups"])
    assert roundtable("themes", "suggest", KAMLOOPS, hash_seed="4242").stdout == done.stdout


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, Any, str]:
    code = cli.main(["themes", "suggest", *map(str, args)])
    out, err = capsys.readouterr()
    return code, orjson.loads(out) if code == 0 else out, err


def titles(printed: Any) -> list[str]:
    return [group["title"] for group in printed["groups"]]


def test_no_glossary_and_another_glossary_change_the_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, seeded, _ = run(capsys, KAMLOOPS)
    code, bare, _ = run(capsys, KAMLOOPS, "--no-glossary")
    assert code == 0
    assert bare != seeded
    glossary = {"concepts": [{"id": "cso", "phrases": ["CSO"]}]}
    code, own, _ = run(capsys, KAMLOOPS, "--glossary", write(tmp_path / "g.json", glossary))
    assert code == 0
    assert own not in (seeded, bare)
    inside = write(tmp_path / "meeting.json", kamloops() | {"glossary": glossary})
    assert run(capsys, inside)[1] == own


def test_comment_text_comes_out_verbatim_as_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Kúkpi7 → <b>detox</b> 🙂"
    data = kamloops()
    data["comments"] = [
        {"id": "a", "table": 1, "question": "q", "text": text, "parent": None},
        {
            "id": "b",
            "table": 2,
            "question": "q",
            "text": "Detox centre downtown, all night",
            "parent": "a",
        },
    ]
    assert cli.main(["themes", "suggest", str(write(tmp_path / "m.json", data))]) == 0
    out = capsys.readouterr().out
    assert f'"title": "{text}"' in out
    assert orjson.loads(out) == {"groups": [{"title": text, "comments": ["a", "b"]}]}


def broken(data: dict[str, Any], change: str) -> dict[str, Any]:
    comment = data["comments"][3]
    match change:
        case "no comments":
            del data["comments"]
        case "no text":
            del comment["text"]
        case "number text":
            comment["text"] = 7
        case "unknown table":
            comment["table"] = 9
        case "twice":
            data["comments"].append(dict(data["comments"][0]))
        case "bad glossary":
            data["glossary"] = {"concepts": "CSO"}
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no comments", "comments: missing"),
        ("no text", "comments[3].text: missing"),
        ("number text", "comments[3].text: expected text"),
        ("unknown table", "comments[3].table: table 9 is not in tables"),
        ("twice", "comments: id 't1-q1-001' appears twice"),
        ("bad glossary", "glossary.concepts: expected a list"),
    ],
)
def test_a_broken_meeting_file_is_one_line_on_stderr_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str, message: str
) -> None:
    path = write(tmp_path / "broken.json", broken(kamloops(), change))
    assert run(capsys, path) == (1, "", f"roundtable themes suggest: {message}\n")


def test_a_missing_file_is_exit_4_and_a_broken_one_exit_1_each_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, tmp_path / "nowhere.json")
    assert (code, out) == (4, "")
    assert err.startswith("roundtable themes suggest: cannot read meeting file ")
    assert err.count("\n") == 1
    (tmp_path / "bad.json").write_text('{"comments": [', encoding="utf-8")
    code, out, err = run(capsys, tmp_path / "bad.json")
    assert (code, out) == (1, "")
    assert err.startswith("roundtable themes suggest: meeting file ")
    assert "is not JSON" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, KAMLOOPS, "--glossary", tmp_path / "bad.json")
    assert code == 1
    assert err.startswith("roundtable themes suggest: glossary ")


def test_the_help_in_the_docs_is_the_real_help(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        cli.main(["themes", "suggest", "--help"])
    docs = (Path(__file__).parent.parent / "docs" / "themes.md").read_text(encoding="utf-8")
    assert f"```text\n{capsys.readouterr().out}```" in docs


def test_errors_from_the_real_command_go_to_stderr_with_their_status(tmp_path: Path) -> None:
    done = roundtable("themes", "suggest", tmp_path / "nowhere.json")
    assert done.returncode == 4
    assert done.stdout == b""
    assert done.stderr.decode().startswith("roundtable themes suggest: cannot read meeting file")
