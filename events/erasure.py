"""Erasure: a comment's words taken out of the log for good, with a record that says so.

Redaction hides words in exports and keeps them in the log; erasure is for when privacy law
requires that they be removed. ``decide`` finds every stored payload that carries the
comment's words (its addition and each edit, and the theme titles and key-theme sentences
staff say quote it) and returns one ``CommentErased`` naming them; the store appends it and
sets those payloads to null in the same transaction. The digests stay, so the meeting's hash
chain still verifies.

A view still needs to know where the words were (the comment's question and place, the
theme's topic), so the erasure keeps, for each erased payload, a *stand-in*: the payload as
stored with its words replaced by the marker "[erased on DATE]". The store hands a stand-in
to whoever reads an erased event (``Recorded.decode``), so every fold, replay and export goes
on as before and shows the marker where the words were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from events.errors import DomainError
from events.log.codec import canonical
from events.log.envelope import Recorded
from events.one_line import clean_line
from events.tables.events import CommentErased, ErasedPayload

MAX_REASON = 300
ERASED = CommentErased.type

WORDS: dict[str, tuple[str, str]] = {
    "CommentAdded": ("comment_id", "text"),
    "CommentEdited": ("comment_id", "text"),
    "ThemeCreated": ("theme_id", "title"),
    "ThemeRenamed": ("theme_id", "title"),
    "ThemeSplit": ("new_theme_id", "title"),
    "SuggestionAccepted": ("theme_id", "title"),
    "ReportThemeWritten": ("key_theme_id", "text"),
    "ReportThemeEdited": ("key_theme_id", "text"),
}
"""Each event type that can carry a comment's words: the field naming what the words belong
to, and the field holding them."""
_COMMENT = ("CommentAdded", "CommentEdited")
_THEME = ("ThemeCreated", "ThemeRenamed", "ThemeSplit", "SuggestionAccepted")
_KEY_THEME = ("ReportThemeWritten", "ReportThemeEdited")


class ErasureRefused(DomainError):
    code = "invalid_erasure"


@dataclass(frozen=True, slots=True, kw_only=True)
class EraseComment:
    """Erase comment ``comment_id`` of ``table``, and the titles of ``themes`` and sentences
    of ``key_themes`` that quote it; ``on`` is the date shown in the marker (the meeting's
    day of the erasure)."""

    table: int
    comment_id: str
    reason: str
    show_reason: bool
    themes: tuple[str, ...] = ()
    key_themes: tuple[str, ...] = ()
    on: str
    by: str


def marker(on: str, reason: str | None) -> str:
    """What people see where the words were."""
    return f"[erased on {on}: {reason}]" if reason else f"[erased on {on}]"


def decide(
    command: EraseComment,
    table: Sequence[Recorded],
    themes: Sequence[Recorded],
    report: Sequence[Recorded],
) -> CommentErased:
    """The erasure of ``command``'s comment, given the streams of its table, of the meeting's
    themes and of its summary report as stored; ``ErasureRefused`` says what is wrong."""
    reason = clean_line(command.reason, what="the reason", most=MAX_REASON, refused=ErasureRefused)
    cid = command.comment_id
    if any(r.type == ERASED and _payload(r)["comment_id"] == cid for r in table):
        raise ErasureRefused(f"the words of comment {cid!r} were already erased")
    comment = _carrying(table, _COMMENT, {cid})
    if not comment:
        raise ErasureRefused(f"there is no comment {cid!r} at table {command.table}")
    chosen = _carrying(themes, _THEME, set(command.themes))
    _all_found(command.themes, chosen, "theme")
    sentences = _carrying(report, _KEY_THEME, set(command.key_themes))
    _all_found(command.key_themes, sentences, "key-theme sentence")
    shown = marker(command.on, reason if command.show_reason else None)
    return CommentErased(
        comment_id=cid,
        reason=reason,
        show_reason=command.show_reason,
        on=command.on,
        marker=shown,
        erased=tuple(_erased(r, shown) for r in (*comment, *chosen, *sentences)),
        themes=tuple(sorted(set(command.themes))),
        key_themes=tuple(sorted(set(command.key_themes))),
        by=command.by,
    )


def _payload(record: Recorded) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(record.data or b"{}")
    return data


def _carrying(records: Iterable[Recorded], types: tuple[str, ...], ids: set[str]) -> list[Recorded]:
    """The events of ``types`` about one of ``ids`` whose payload is still stored."""
    found = []
    for record in records:
        if record.type in types and record.data is not None:
            owner, _ = WORDS[record.type]
            if _payload(record).get(owner) in ids:
                found.append(record)
    return found


def _all_found(wanted: Iterable[str], found: list[Recorded], what: str) -> None:
    owners = {_payload(r)[WORDS[r.type][0]] for r in found}
    missing = sorted(set(wanted) - owners)
    if missing:
        raise ErasureRefused(f"there is no {what} {missing[0]!r} with words to erase")


def _erased(record: Recorded, shown: str) -> ErasedPayload:
    stand_in = _payload(record)
    stand_in[WORDS[record.type][1]] = shown
    return ErasedPayload(
        event_id=record.event_id, position=record.position, type=record.type, stand_in=stand_in
    )


def stand_ins(data: bytes) -> dict[str, bytes]:
    """The stand-in payload of every event a stored ``CommentErased`` erased, by event id."""
    erased = orjson.loads(data)["erased"]
    return {item["event_id"]: canonical(item["stand_in"]) for item in erased}
