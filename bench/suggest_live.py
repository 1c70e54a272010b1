"""Time of one live recomputation on the lead's page, in a meeting of 2,000 comments at 40 tables.

What ``server.live.suggestions`` does after a new comment (once per burst): sync the changed table
into the ``MeetingSuggester`` (a diff of that table's live comments), recompute the groups,
filter them by the wall and the lead's choices (``offered``), and encode the ``suggestions``
message (with the glossary). The meeting is bench/suggest_latency.py's skewed one.

    .venv/bin/python bench/suggest_live.py [--comments 2000] [--additions 50]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from bench.figures import latency, machine
from bench.suggest_latency import meeting
from events.suggestions.glossary import seeded
from events.suggestions.rules import initial_state as choices
from events.tables.outline import Comment, TableState
from events.themes.rules import initial_state as wall
from projections import lead_suggestions
from projections.suggestions import Comment as Point


class _Table:
    def __init__(self, topic: str) -> None:
        self.topic_id = topic


class _Plan:
    """What the live path reads of a meeting's plan: each table's topic."""

    def __init__(self, points: list[Point]) -> None:
        self._tables = {p.table: _Table(p.topic) for p in points}

    def table(self, number: int) -> _Table | None:
        return self._tables.get(number)


def _comment(point: Point) -> Comment:
    return Comment(
        comment_id=point.id,
        question=point.question,
        parent=None,
        text=point.text,
        rotation=1,
        group=None,
        phase="roundtables",
        late=False,
        typed_at=0,
        by="bench",
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--comments", type=int, default=2000)
    options.add_argument("--additions", type=int, default=50)
    args = options.parse_args()
    points = meeting(args.comments, 1.0)
    plan: Any = _Plan(points)
    glossary = seeded("kamloops")
    tables: dict[int, TableState] = {}

    def put(point: Point) -> None:
        state = tables.get(point.table) or TableState()
        tables[point.table] = TableState({**state.comments, point.id: _comment(point)}, state.order)

    for point in points[: -args.additions]:
        put(point)
    suggester = lead_suggestions.MeetingSuggester(glossary)
    start = time.perf_counter()
    suggester.sync(plan, tables, tables)
    first = time.perf_counter() - start
    timings = []
    for point in points[-args.additions :]:
        put(point)
        start = time.perf_counter()
        suggester.sync(plan, tables, [point.table])
        offered = lead_suggestions.offered(suggester.suggestions(), wall, choices, plan)
        orjson.dumps(lead_suggestions.render(0, choices, glossary, offered))
        timings.append(time.perf_counter() - start)
    print(f"{args.comments} comments at {len(tables)} tables, {len(offered)} suggestions offered")
    print(f"  first computation (a lead opens the page after a restart): {first * 1000:.0f} ms")
    print(f"  after one new comment, sync + groups + offer + encode: {latency(timings)}")
    print(machine())


if __name__ == "__main__":
    main()
