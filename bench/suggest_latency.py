"""Time to recompute theme suggestions after one new comment, in a meeting of 2,000.

The meetings are synthetic but shaped like a big evening (a citizens' assembly with 40
tables): Kamloops comments come back at other tables in other words (a framing word
added, a word dropped, words swapped, a place or group named, two points run together).
In the "even" meeting every Kamloops comment comes back about as often; in the "skewed"
one a few ideas are heard at most tables (the n-th most common about 1/n as often as the
first), which makes big blocks of linked comments, the costly case. Deterministic: the
same seed builds the same meeting. A ``Suggester`` holds all but the last ``--additions``
comments; each of those is then added and the suggestions recomputed, timed; then as
many comments are edited (new text, same id), timed the same way.

    .venv/bin/python bench/suggest_latency.py [--comments 2000] [--additions 50]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from bench.figures import latency, machine
from events.suggestions.glossary import seeded
from projections.suggestions import Comment, Suggester, suggest
from server.cli.themes import comments_from

KAMLOOPS = (
    Path(__file__).resolve().parent.parent / "server" / "templates" / "kamloops-2023-06-15.json"
)
FRAMES = ("More", "Increase", "Need for", "Better", "Support for", "Continue", "Improve")
PLACES = (
    "downtown",
    "on the North Shore",
    "in Brocklehurst",
    "in Aberdeen",
    "for youth",
    "for seniors",
    "after hours",
    "on weekends",
    "near schools",
    "in Sahali",
)


def meeting(count: int, skew: float, seed: int = 2023) -> list[Comment]:
    """``count`` comments: the Kamloops ones first, then variations at 40 tables."""
    source = comments_from(orjson.loads(KAMLOOPS.read_bytes()))
    rng = random.Random(seed)
    popular = rng.sample(source, len(source))
    weights = [1 / (rank + 1) ** skew for rank in range(len(popular))]
    made = list(source)
    while len(made) < count:
        base = rng.choices(popular, weights)[0]
        table = rng.randint(1, 40)
        made.append(
            Comment(
                id=f"s{len(made):05d}",
                table=table,
                topic=source[table % 4].topic,
                question=base.question,
                text=_vary(base.text, rng, source),
                parent=None,
            )
        )
    return made


def _vary(text: str, rng: random.Random, source: list[Comment]) -> str:
    words = text.split()
    kind = rng.randrange(6)
    if kind == 0:
        words.insert(0, rng.choice(FRAMES))
    elif kind == 1 and len(words) > 2:
        del words[rng.randrange(len(words))]
    elif kind == 2 and len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == 3:
        words.append(rng.choice(PLACES))
    elif kind == 4:
        words += ["and", *rng.choice(source).text.split()[:3]]
    return " ".join(words)


def timed(suggester: Suggester, comments: list[Comment]) -> list[float]:
    """Seconds to add (or replace) each comment and recompute the suggestions."""
    timings = []
    for comment in comments:
        start = time.perf_counter()
        suggester.add(comment)
        suggester.suggestions()
        timings.append(time.perf_counter() - start)
    return timings


def run(name: str, comments: list[Comment], additions: int) -> None:
    glossary = seeded("kamloops")
    start = time.perf_counter()
    everything = suggest(comments, glossary)
    batch = time.perf_counter() - start

    suggester = Suggester(glossary)
    for comment in comments[:-additions]:
        suggester.add(comment)
    suggester.suggestions()
    added = timed(suggester, comments[-additions:])
    assert suggester.suggestions() == everything, "one by one must equal all at once"
    rng = random.Random(len(comments))
    edits = [replace(c, text=_vary(c.text, rng, comments)) for c in rng.sample(comments, additions)]
    edited = timed(suggester, edits)
    final = {c.id: c for c in comments} | {c.id: c for c in edits}
    assert suggester.suggestions() == suggest(final.values(), glossary), (
        "edits must equal a rebuild"
    )

    grouped = sum(len(s.comments) for s in everything)
    print(f"{name}: {len(comments)} comments, {len(everything)} suggestions, {grouped} grouped")
    print(f"  all at once: {batch * 1000:.0f} ms")
    print(f"  after one new comment ({len(added)} additions): {latency(added)}")
    print(f"  after one edited comment ({len(edited)} edits): {latency(edited)}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--comments", type=int, default=2000)
    options.add_argument("--additions", type=int, default=50)
    args = options.parse_args()
    for name, skew in (("even", 0.0), ("skewed", 1.0)):
        run(name, meeting(args.comments, skew), args.additions)
    print(machine())


if __name__ == "__main__":
    main()
