"""The Kamloops data the tests use is the shipped template, and it is what its README says.

The tests carry no second copy of the file (``tests/data/README.md``): they read
``server/templates/kamloops-2023-06-15.json``. This pins it by its SHA-256 and checks the
counts table of ``tests/data/kamloops-2023-06-15.md`` against it, so a change to the demo
evening cannot quietly change every test's expectations.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from server.seed import KAMLOOPS

FACTS = Path(__file__).parent / "data" / "kamloops-2023-06-15.md"
README = Path(__file__).parent / "data" / "README.md"
DATA: dict[str, Any] = orjson.loads(KAMLOOPS.read_bytes())


def test_the_file_is_the_one_the_readme_pins() -> None:
    digest = hashlib.sha256(KAMLOOPS.read_bytes()).hexdigest()
    assert f"`{digest}`" in README.read_text(encoding="utf-8")


def test_the_counts_table_is_the_files() -> None:
    rows = re.findall(
        r"^\| (\d) \| ([a-z-]+) \| (\d+)[^|]*\| (\d+)[^|]*\| (\d+)[^|]*\| (\d+) \|$",
        FACTS.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert len(rows) == 4
    topics = {t["number"]: t["topic"] for t in DATA["tables"]}
    counted = Counter((c["table"], c["question"]) for c in DATA["comments"])
    for table, topic, working, coordination, advocacy, total in rows:
        n = int(table)
        assert topics[n] == topic
        assert [counted[n, q] for q in ("working-well", "coordination", "advocacy")] == [
            int(working),
            int(coordination),
            int(advocacy),
        ]
        assert sum(counted[n, q] for q in ("working-well", "coordination", "advocacy")) == int(
            total
        )


def test_the_totals_sub_bullets_and_key_themes_are_the_files() -> None:
    facts = FACTS.read_text(encoding="utf-8")
    subs = sum(1 for c in DATA["comments"] if c["parent"] is not None)
    assert f"**{len(DATA['comments'])}** ({subs} sub-bullets)" in facts
    assert f"Key themes ({len(DATA['key_themes'])})" in facts
