"""Quality of the theme suggestions on the Kamloops evening, against labels made by reading.

Prints pairwise precision, recall and F1 of ``roundtable themes suggest`` against
tests/data/kamloops-theme-labels.json (groups of comments that say the same thing, made
before the method was tuned), with and without the Kamloops glossary, next to two
baselines: every comment alone, and plain TF-IDF (lower-cased words, no stemming, no stop
words, no glossary) grouped by the same average linkage. The TF-IDF baseline is shown at
our threshold and at the threshold that suits it best on these very labels, which
flatters it. Last, how our figures move with the threshold.

    .venv/bin/python bench/themes.py
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from events.suggestions.glossary import EMPTY, Glossary, seeded
from projections.agreement import Agreement, pairwise
from projections.grouping import average_link
from projections.suggestions import Comment, Settings, suggest
from server.cli.themes import comments_from

ROOT = Path(__file__).resolve().parent.parent
KAMLOOPS = ROOT / "server" / "templates" / "kamloops-2023-06-15.json"
LABELS = ROOT / "tests" / "data" / "kamloops-theme-labels.json"
SWEEP = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
_WORD = re.compile(r"\w\w+")


def tfidf_groups(comments: Sequence[Comment], threshold: float) -> list[tuple[str, ...]]:
    """Plain TF-IDF (smoothed IDF, unit length) and cosine, grouped by average linkage."""
    bags = [Counter(_WORD.findall(c.text.lower())) for c in comments]
    df = Counter(word for bag in bags for word in bag)
    vectors = []
    for bag in bags:
        weights = {w: n * (math.log((1 + len(bags)) / (1 + df[w])) + 1) for w, n in bag.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({w: x / norm for w, x in weights.items()})
    links: dict[str, dict[str, float]] = {c.id: {} for c in comments}
    for (a, va), (b, vb) in combinations(zip((c.id for c in comments), vectors, strict=True), 2):
        similarity = sum(x * vb.get(w, 0.0) for w, x in va.items())
        if similarity > 0:
            links[a][b] = links[b][a] = similarity
    return average_link(list(links), links, threshold)


def ours(
    comments: Sequence[Comment], glossary: Glossary, threshold: float
) -> list[tuple[str, ...]]:
    settings = replace(Settings(), threshold=threshold)
    return [s.comments for s in suggest(comments, glossary, settings)]


def row(name: str, agreement: Agreement) -> str:
    precision = "—" if agreement.precision is None else f"{agreement.precision:.3f}"
    return (
        f"| {name} | {agreement.suggested} | {precision} | {agreement.recall:.3f} "
        f"| {agreement.f1:.3f} |"
    )


def main() -> None:
    comments = comments_from(orjson.loads(KAMLOOPS.read_bytes()))
    labels = [group["comments"] for group in orjson.loads(LABELS.read_bytes())["groups"]]
    threshold = Settings().threshold
    kamloops = seeded("kamloops")

    def score(groups: Sequence[Sequence[str]]) -> Agreement:
        return pairwise(groups, labels)

    labelled = score([]).labelled
    grouped = sum(len(g) for g in labels)
    print(f"labels: {len(labels)} groups, {grouped} of {len(comments)} comments, {labelled} pairs")
    print()
    print("| method | pairs suggested | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    print(row("every comment alone", score([])))
    print(row(f"plain TF-IDF, threshold {threshold}", score(tfidf_groups(comments, threshold))))
    best = max(SWEEP, key=lambda t: score(tfidf_groups(comments, t)).f1)
    print(row(f"plain TF-IDF, its best threshold ({best})", score(tfidf_groups(comments, best))))
    print(row("Roundtable, no glossary", score(ours(comments, EMPTY, threshold))))
    print(row("Roundtable, Kamloops glossary", score(ours(comments, kamloops, threshold))))
    print()
    print(f"Roundtable with the Kamloops glossary, by threshold (default {threshold}):")
    print()
    print("| threshold | pairs suggested | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    for value in SWEEP:
        print(row(str(value), score(ours(comments, kamloops, value))))


if __name__ == "__main__":
    main()
