"""Folding one meeting's themes stream, and its moderation stream, through the catalog, in
process: the CPU time per stream length, to see whether the fold grows with the square of it.

The themes stream places each comment in a theme (a theme created per 20 comments, one
placement in 50 undone and placed again); the moderation stream approves each comment for
the wall. Each length is folded into a fresh catalog with the cycle collector paused (as
``roundtable rebuild`` folds), then its views are read once; and, as the live server does
(it pushes the wall's outline after each themes event), with the wall read after every event.

    .venv/bin/python bench/wall_fold.py [--lengths 1000,4000,8000,16000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import machine
from events.log.codec import Event, codec
from events.log.envelope import Metadata, Recorded
from events.themes import events as e
from events.themes.moderation import CommentApproved
from projections.catalog import Catalog

MEETING = "bench"
TABLES = 40


def _records(stream_id: str, events: Iterator[Event]) -> list[Recorded]:
    records = []
    for version, event in enumerate(events, start=1):
        type_name, schema, data = codec.encode(event)
        records.append(
            Recorded(
                position=version,
                stream_id=stream_id,
                version=version,
                meeting_id=MEETING,
                event_id=f"{stream_id}-{version}",
                type=type_name,
                schema=schema,
                data=data,
                digest="",
                metadata=Metadata(actor="lead"),
                recorded_at=1_700_000_000_000_000 + version,
                hash="",
            )
        )
    return records


def _ref(n: int) -> e.CommentRef:
    return e.CommentRef(n % TABLES + 1, f"c{n}")


def placements(count: int) -> Iterator[Event]:
    """``count`` comments placed in themes, with an undo (and the placement again) per 50."""
    for n in range(count):
        theme = f"th{n // 20}"
        if n % 20 == 0:
            yield e.ThemeCreated(theme_id=theme, title=theme, topic=None, question=None, by="l")
        added = e.CommentAddedToTheme(theme_id=theme, comment=_ref(n), previous=None, by="l")
        yield added
        if n % 50 == 49:
            yield e.GroupingUndone(action=0, by="l")
            yield added


def approvals(count: int) -> Iterator[Event]:
    for n in range(count):
        ref = _ref(n)
        yield CommentApproved(table=ref.table, comment_id=ref.comment_id, by="l")


def fold_seconds(
    records: list[Recorded], read: Callable[[Catalog], object], *, every: bool = False
) -> float:
    """CPU seconds to fold ``records`` into a fresh catalog and read the view once (``every``:
    after every event)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        catalog = Catalog()
        for record in records:
            catalog.apply(record)
            if every:
                read(catalog)
        read(catalog)
        return time.process_time() - start
    finally:
        gc.enable()


def wall(catalog: Catalog) -> object:
    return catalog.wall(MEETING)


def scene(catalog: Catalog) -> object:
    return catalog.scene(MEETING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="1000,4000,8000,16000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    streams: list[tuple[str, str, Callable[[int], Iterator[Event]], Callable[[Catalog], object]]]
    streams = [
        ("themes", f"themes-{MEETING}", placements, wall),
        ("moderation", f"moderation-{MEETING}", approvals, scene),
        ("themes, read after each event", f"themes-{MEETING}", placements, wall),
    ]
    for name, stream_id, events, read in streams:
        for length in (int(n) for n in args.lengths.split(",")):
            records = _records(stream_id, events(length))
            every = name.endswith("each event")
            runs = sorted(fold_seconds(records, read, every=every) for _ in range(args.runs))
            shown = ", ".join(f"{s:.3f}" for s in runs)
            per = runs[0] / len(records) * 1e6
            print(
                f"{name}: {length:>6} comments, {len(records):>6} events: "
                f"CPU {shown} s (best {per:.2f} µs an event)"
            )
    print(machine())


if __name__ == "__main__":
    main()
