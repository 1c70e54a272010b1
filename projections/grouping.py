"""Grouping comments by similarity: blocks of strong links, then average linkage in each.

Average linkage joins two groups only while the mean similarity of all their pairs stays
at or above the threshold, so one shared word cannot chain unrelated comments together the
way connected components (single linkage) do. Two groups whose mean reaches the threshold
have at least one pair that does, so average linkage never joins two components of the
graph of strong links (similarity at or above the threshold): each component is grouped on
its own, and a new comment regroups only its own component.

In a big meeting one component can hold most comments (ideas bridged by comments that name
two of them), and average linkage over thousands of comments is too slow to run after every
comment. ``Blocks`` therefore splits a component of more than ``largest`` comments at its
weakest links first: into the components of the links at the next threshold up, and so on.
The blocks depend only on the links, never on the order they came in.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

Links = Mapping[str, Mapping[str, float]]
"""Similarity by comment id, both ways: ``links[a][b] == links[b][a]``; absent means 0."""


class Blocks:
    """Union-find forests of the strong links, one per threshold from ``threshold`` up."""

    def __init__(self, threshold: float, largest: int, step: float = 0.05) -> None:
        count = int((1.0 - threshold) / step + 1e-9) + 1
        self.levels = tuple(threshold + i * step for i in range(count))
        self.largest = largest
        self._parent: list[dict[str, str]] = [{} for _ in self.levels]
        self._members: list[dict[str, list[str]]] = [{} for _ in self.levels]

    def add(self, node: str, links: Mapping[str, float]) -> None:
        """A new comment and its links to the comments already here."""
        for parent, members in zip(self._parent, self._members, strict=True):
            parent[node] = node
            members[node] = [node]
        for other, similarity in links.items():
            self._join_up_to(node, other, similarity)

    def remove(self, node: str, own: Mapping[str, float], links: Links) -> None:
        """Forget ``node`` (whose links were ``own``); a component it held together splits."""
        for level, floor in enumerate(self.levels):
            members = self._members[level]
            rest = [m for m in members.pop(self._find(level, node)) if m != node]
            del self._parent[level][node]
            neighbours = [other for other, similarity in own.items() if similarity >= floor]
            for piece in _pieces(rest, neighbours, floor, links):
                for member in piece:
                    self._parent[level][member] = piece[0]
                members[piece[0]] = piece

    def parts(self) -> list[frozenset[str]]:
        """The blocks of two or more: components, split while larger than ``largest``."""
        found: dict[tuple[int, str], frozenset[str]] = {}
        for node in self._parent[0]:
            level, root = 0, self._find(0, node)
            while len(self._members[level][root]) > self.largest and level + 1 < len(self.levels):
                level += 1
                root = self._find(level, node)
            if len(self._members[level][root]) > 1 and (level, root) not in found:
                found[(level, root)] = frozenset(self._members[level][root])
        return list(found.values())

    def _join_up_to(self, a: str, b: str, similarity: float) -> None:
        for level, floor in enumerate(self.levels):
            if similarity < floor:
                break
            self._join(level, a, b)

    def _find(self, level: int, node: str) -> str:
        parent = self._parent[level]
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    def _join(self, level: int, a: str, b: str) -> None:
        root_a, root_b = self._find(level, a), self._find(level, b)
        if root_a == root_b:
            return
        members = self._members[level]
        if len(members[root_a]) < len(members[root_b]):
            root_a, root_b = root_b, root_a
        self._parent[level][root_b] = root_a
        members[root_a] += members.pop(root_b)


def _pieces(rest: list[str], neighbours: list[str], floor: float, links: Links) -> list[list[str]]:
    """What is left of a component without one node: one piece unless the node held it together.

    Every other member reaches one of the node's neighbours without passing through the
    node, so searching from the neighbours finds every piece; a search that meets all of
    them early proves that nothing split, which is the common case and costs little.
    """
    if len(neighbours) <= 1:
        return [rest] if rest else []
    pieces: list[list[str]] = []
    seen: set[str] = set()
    for start in neighbours:
        if start in seen:
            continue
        seen.add(start)
        stack, piece = [start], [start]
        while stack:
            for other, similarity in links[stack.pop()].items():
                if similarity >= floor and other not in seen:
                    seen.add(other)
                    stack.append(other)
                    piece.append(other)
            if not pieces and seen.issuperset(neighbours):
                return [rest]
        pieces.append(piece)
    return pieces


def average_link(members: Iterable[str], links: Links, threshold: float) -> list[tuple[str, ...]]:
    """Groups of two or more ``members``, each member sorted, joined by average linkage.

    Ties are broken by member id, and every sum is taken in one order, so the result
    depends only on the members and their links, never on the order they came in.
    """
    names = sorted(members)
    index = {name: i for i, name in enumerate(names)}
    size = [1] * len(names)
    groups: list[list[str]] = [[name] for name in names]
    sums: list[dict[int, float]] = [{} for _ in names]
    for i, name in enumerate(names):
        for other, similarity in links.get(name, {}).items():
            j = index.get(other)
            if j is not None and j != i:
                sums[i][j] = similarity
    version = [0] * len(names)
    queue = [(-s, i, j, 0, 0) for i in range(len(names)) for j, s in sums[i].items() if i < j]
    queue = [entry for entry in queue if -entry[0] >= threshold]
    heapq.heapify(queue)
    while queue:
        _, i, j, version_i, version_j = heapq.heappop(queue)
        if (version[i], version[j]) != (version_i, version_j) or not size[i] or not size[j]:
            continue
        _merge(i, j, sums, size, groups)
        version[i] += 1
        version[j] += 1
        for k, total in sums[i].items():
            average = total / (size[i] * size[k])
            if average >= threshold:
                a, b = min(i, k), max(i, k)
                heapq.heappush(queue, (-average, a, b, version[a], version[b]))
    return [tuple(sorted(group)) for group, n in zip(groups, size, strict=True) if n > 1]


def _merge(
    i: int, j: int, sums: list[dict[int, float]], size: list[int], groups: list[list[str]]
) -> None:
    """Merge group ``j`` into group ``i``: sizes, members, and link sums to every other group."""
    for k, total in sums[j].items():
        if k != i:
            sums[i][k] = sums[i].get(k, 0.0) + total
            sums[k][i] = sums[i][k]
            del sums[k][j]
    sums[i].pop(j, None)
    sums[j] = {}
    size[i] += size[j]
    size[j] = 0
    groups[i] += groups[j]
    groups[j] = []


def centrality(members: Sequence[str], links: Links) -> dict[str, float]:
    """Each member's summed similarity to the other members: the highest is the most central."""
    ordered = sorted(members)
    return {
        name: sum(links.get(name, {}).get(other, 0.0) for other in ordered if other != name)
        for name in members
    }
