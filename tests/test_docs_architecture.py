"""docs/architecture.md stays true: every folder of code has its paragraph, and every file or
folder it names exists (a bare ``name.py`` under the folder whose paragraph names it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
TOUR = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PARAGRAPH = re.compile(r"^\*\*`(\w+)/`\*\* .*?(?=\n\n|\Z)", re.M | re.S)
NAMED = re.compile(r"`([\w./<>*-]+\.(?:py|md|html)|[\w-]+/[\w./-]*)`")


def _missing(folder: Path, names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if "<" not in name
        and "*" not in name
        and not (ROOT / name).exists()
        and not any(folder.rglob(name))
    ]


def test_every_folder_of_code_has_its_paragraph() -> None:
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert folders - {m.group(1) for m in PARAGRAPH.finditer(TOUR)} == set()


def test_every_file_the_tour_names_exists() -> None:
    missing: list[str] = []
    for paragraph in PARAGRAPH.finditer(TOUR):
        missing += _missing(ROOT / paragraph.group(1), NAMED.findall(paragraph.group(0)))
    missing += _missing(ROOT, NAMED.findall(TOUR.partition("## Where a new thing goes")[2]))
    assert missing == []
