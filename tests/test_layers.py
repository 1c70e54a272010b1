"""The layers hold: the domain (``events``) knows nothing above it, the read side
(``projections``) only the domain, the server both; the client, the shipped packages, the
benchmarks and the docs' scripts never reach into the test suite; and no module imports itself
back through others.

Each import of every module under the folders below is read with ``ast`` (nothing is imported),
so a wrong import fails here before it is ever run. ``from package import name`` counts as an
import of ``package.name`` when that is a module, else of ``package``. The checker itself is
shown to fail on a planted wrong import and a planted cycle, so a pass means something.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
FOLDERS = ("events", "projections", "server", "client", "harness", "bench", "docs", "tests")
"""Every folder of Python in the repository (``tests/node`` holds only npm's packages)."""

ALLOWED: Mapping[str, frozenset[str]] = {
    "events": frozenset({"events"}),
    "projections": frozenset({"events", "projections"}),
    "server": frozenset({"events", "projections", "server"}),
    # The Python side of the protocol (a table's live client, the simulated tables): it speaks
    # to a server over a socket and imports none of ours.
    "client": frozenset({"client"}),
    "harness": frozenset({"events", "projections", "server", "client", "harness"}),
    "bench": frozenset({"events", "projections", "server", "client", "harness", "bench"}),
    "docs": frozenset({"events", "projections", "server", "client", "harness", "bench", "docs"}),
    "tests": frozenset(FOLDERS),
}
"""What each folder may import of ours (its first dotted part); anything else is a library."""

EXCEPTIONS = {("server.cli.simulate", "client")}
"""Imports across a layer on purpose: ``roundtable simulate`` is a command line that runs the
protocol's own client (``client.simulation``) against a server, as the tables would."""


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    typing_only: bool
    """Under ``if TYPE_CHECKING:``: a layer still, but never run, so never part of a cycle."""


def module_files(root: Path) -> dict[str, Path]:
    """Every Python module under ``root``'s folders, by dotted name (a package by its own)."""
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, known: Mapping[str, Path]) -> Iterator[Import]:
    """The modules of ours (in ``known``) that ``name`` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(block)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in FOLDERS:
                yield Import(name, _nearest(target, known), node.lineno, id(node) in typing_only)


def _nearest(target: str, known: Mapping[str, Path]) -> str:
    """``target`` or the closest package of ours that holds it (``pkg.name`` -> ``pkg``)."""
    while target not in known and "." in target:
        target = target.rpartition(".")[0]
    return target


def all_imports(root: Path) -> list[Import]:
    known = module_files(root)
    return [found for name, path in known.items() for found in imports_of(name, path, known)]


def wrong_layer(found: list[Import]) -> list[str]:
    """Each import a folder may not make, as ``importer:line -> imported``."""
    return [
        f"{i.importer}:{i.line} -> {i.imported}"
        for i in found
        if i.imported.split(".")[0] not in ALLOWED[i.importer.split(".")[0]]
        and (i.importer, i.imported.split(".")[0]) not in EXCEPTIONS
    ]


def cycles(found: list[Import]) -> list[list[str]]:
    """The import graph's strongly connected parts of more than one module (Tarjan's)."""
    graph: dict[str, set[str]] = {}
    for i in found:
        if i.typing_only:
            continue
        graph.setdefault(i.importer, set()).add(i.imported)
        graph.setdefault(i.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    parts: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in sorted(graph[node]):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            part: list[str] = []
            while not part or part[-1] != node:
                part.append(stack.pop())
            if len(part) > 1:
                parts.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return parts


def test_every_import_keeps_to_its_layer() -> None:
    assert wrong_layer(all_imports(ROOT)) == []


def test_no_module_imports_itself_back() -> None:
    assert cycles(all_imports(ROOT)) == []


def test_the_checker_sees_every_folder() -> None:
    folders = {name.split(".")[0] for name in module_files(ROOT)}
    assert folders == set(FOLDERS)


def _plant(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "wrong"),
    [
        (
            {"events/rules.py": "from projections.views import View\n", "projections/views.py": ""},
            "events.rules:1 -> projections.views",
        ),
        (
            {"projections/views.py": "import server.app\n", "server/app.py": ""},
            "projections.views:1 -> server.app",
        ),
        (
            {"bench/run.py": "from tests import conftest\n", "tests/conftest.py": ""},
            "bench.run:1 -> tests.conftest",
        ),
        (
            {"client/live.py": "\n\ndef f():\n    from server import app\n", "server/app.py": ""},
            "client.live:4 -> server.app",
        ),
        (
            {"server/app.py": "from ..tests import servers\n", "tests/servers.py": ""},
            "server.app:1 -> tests.servers",
        ),
    ],
)
def test_a_planted_wrong_import_fails(tmp_path: Path, files: dict[str, str], wrong: str) -> None:
    assert wrong_layer(all_imports(_plant(tmp_path, files))) == [wrong]


def test_a_planted_cycle_fails(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "events/__init__.py": "from events import kinds as kinds\n",
            "events/kinds.py": "from events.rules import check\n",
            "events/rules.py": "from events import REGISTRY\n",
            "events/alone.py": "from events import kinds\n",
            "events/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from events.both import x\n",
            "events/both.py": "from events import typed\n",
        },
    )
    assert cycles(all_imports(root)) == [["events", "events.kinds", "events.rules"]]
