"""``roundtable themes suggest``: theme suggestions for a meeting file, as JSON.

For evaluation and scripting: it reads a meeting in the shape of the Kamloops data file
and needs nothing else (no server, no database, no network). The glossary is the meeting
file's own ``glossary`` object if it has one, else the seeded Kamloops glossary.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from events.errors import RoundtableError
from events.suggestions.glossary import EMPTY, Glossary, seeded
from projections.suggestions import Comment, suggest
from server.failures import FileFailure


class InputError(RoundtableError):
    """A meeting file or glossary that cannot be read; the message names the file or field."""

    code = "bad_input"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "themes",
        help="suggest themes: groups of comments that say the same thing",
        description="Theme suggestions, computed offline (docs/themes.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    suggest_parser = actions.add_parser(
        "suggest",
        help="print suggested groups of a meeting file's comments as JSON",
        description=(
            'Print {"groups": [{"title": ..., "comments": [ids]}]} for the comments of a '
            "meeting file in the shape of the Kamloops data file; each comment is in at "
            "most one group."
        ),
    )
    suggest_parser.add_argument("file", type=Path, metavar="FILE.json", help="the meeting file")
    choice = suggest_parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--glossary", type=Path, metavar="FILE", help="use this glossary (JSON, docs/themes.md)"
    )
    choice.add_argument(
        "--no-glossary", action="store_true", help="match on words alone, without a glossary"
    )
    suggest_parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    data = _json(args.file, "meeting file")
    comments = comments_from(data)
    if args.no_glossary:
        glossary = EMPTY
    elif args.glossary:
        glossary = Glossary.from_json(_json(args.glossary, "glossary"))
    elif "glossary" in data:
        glossary = Glossary.from_json(data["glossary"])
    else:
        glossary = seeded("kamloops")
    groups = [
        {"title": found.title, "comments": list(found.comments)}
        for found in suggest(comments, glossary)
    ]
    sys.stdout.buffer.write(orjson.dumps({"groups": groups}, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def comments_from(data: Mapping[str, Any]) -> list[Comment]:
    """The comments of a meeting file, each with its table's topic; every fault named."""
    topics = {}
    for i, table in enumerate(_list(data, "tables", "")):
        where = f"tables[{i}]"
        topics[_field(table, "number", int, where)] = _field(table, "topic", str, where)
    comments: list[Comment] = []
    for i, raw in enumerate(_list(data, "comments", "")):
        where = f"comments[{i}]"
        table = _field(raw, "table", int, where)
        if table not in topics:
            raise InputError(f"{where}.table: table {table} is not in tables")
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise InputError(f"{where}.parent: expected a comment id or null")
        comments.append(
            Comment(
                id=_field(raw, "id", str, where),
                table=table,
                topic=topics[table],
                question=_field(raw, "question", str, where),
                text=_field(raw, "text", str, where),
                parent=parent,
            )
        )
    twice = sorted(i for i, n in Counter(c.id for c in comments).items() if n > 1)
    if twice:
        raise InputError(f"comments: id {twice[0]!r} appears twice")
    return comments


def _json(path: Path, what: str) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileFailure(f"cannot read {what} {path}: {error.strerror}") from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InputError(f"{what} {path} is not JSON: {error}") from None


def _list(data: Any, name: str, where: str) -> list[Any]:
    if not isinstance(data, Mapping):
        raise InputError(f"{where or 'meeting file'}: expected a JSON object")
    if name not in data:
        raise InputError(f"{name}: missing")
    value = data[name]
    if not isinstance(value, list):
        raise InputError(f"{name}: expected a list")
    return value


def _field(data: Any, name: str, kind: type, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: expected an object")
    if name not in data:
        raise InputError(f"{where}.{name}: missing")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(f"{where}.{name}: expected {'a number' if kind is int else 'text'}")
    return value
