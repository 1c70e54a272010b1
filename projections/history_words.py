"""A history's changes in people's words: what each change did, with theme titles, comment
texts and question prompts, never ids or data structures.

``projections.history`` says which fields of a comment or theme changed, old and new; this
turns one such change into a sentence ("put “Detox beds” (table 2) in it"), given the names
the meeting knew things by (``Names``, folded from the same log). Who and when are said by
the page beside the sentence. Pure: the spec table is in tests/test_history_words.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from events.log.envelope import Recorded
from events.meeting.plan import Plan
from events.tables import rules as comments
from events.tables.events import CommentAdded, CommentEdited
from events.themes import rules as themes
from events.themes.events import ThemeEvent

#: The most comments a sentence names one by one; the rest are counted.
NAMED = 3


@dataclass(frozen=True, slots=True)
class Names:
    """What the meeting calls things: each theme's title and comment's text as they last
    were, each question's prompt and topic's title."""

    themes: dict[str, str] = field(default_factory=dict)
    comments: dict[tuple[int, str], str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)

    def theme(self, theme_id: str) -> str:
        return _quoted(self.themes.get(theme_id, "a theme"))

    def comment(self, table: int, comment_id: str) -> str:
        text = self.comments.get((table, comment_id))
        return f"{_quoted(text)} (table {table})" if text else f"a comment at table {table}"

    def question(self, question_id: str | None) -> str:
        if question_id is None:
            return "any question"
        return _quoted(self.questions.get(question_id, question_id))

    def scope(self, topic: str | None, question: str | None) -> str:
        where = "across topics" if topic is None else f"in {self.topics.get(topic, topic)}"
        return f"{where}, for {self.question(question)}"


def names(records: Iterable[Recorded], meeting_id: str, plan: Plan | None) -> Names:
    """The names of everything in the meeting's log, as they last were."""
    table_of = (
        {comments.stream_id(meeting_id, t.number): t.number for t in plan.tables} if plan else {}
    )
    wall_stream = themes.stream_id(meeting_id)
    wall = themes.initial_state
    texts: dict[tuple[int, str], str] = {}
    for record in records:
        if record.stream_id == wall_stream:
            event = record.decode()
            assert isinstance(event, ThemeEvent)
            wall = themes.evolve(wall, event)
        elif record.stream_id in table_of and record.type in ("CommentAdded", "CommentEdited"):
            event = record.decode()
            assert isinstance(event, CommentAdded | CommentEdited)
            texts[(table_of[record.stream_id], event.comment_id)] = event.text
    return Names(
        themes={tid: theme.title for tid, theme in wall.themes.items()},
        comments=texts,
        questions={q.question_id: q.prompt for q in plan.questions} if plan else {},
        topics={t.topic_id: t.title for t in plan.topics} if plan else {},
    )


def said(change: dict[str, Any], names: Names, table: int | None = None) -> str:
    """One change of a history (``projections.history``) as a sentence without its subject:
    "starred it", "renamed it from “Beds” to “Detox beds”". ``table``: the history is of a
    comment at that table; else of a theme."""
    fields = {c["field"]: (c["old"], c["new"]) for c in change["changes"]}
    clauses = _theme(fields, names) if table is None else _comment(fields, names, table)
    sentence = "; ".join(clauses) or "changed nothing that shows"
    if change["event_type"] == "GroupingUndone":
        return f"undid the last grouping: {sentence}"
    return sentence


def _comment(fields: dict[str, tuple[Any, Any]], names: Names, table: int) -> list[str]:
    def parent_text(parent: str) -> str:
        text = names.comments.get((table, parent))
        return _quoted(text) if text else "another comment"

    if "text" in fields and fields["text"][0] is None:
        text, question = fields["text"][1], fields.get("question", (None, None))[1]
        made = f"added {_quoted(text)} under {names.question(question)}"
        parent = fields.get("parent", (None, None))[1]
        return [made + (f", as a sub-point of {parent_text(parent)}" if parent else "")]
    clauses: list[str] = []
    for name, (old, new) in fields.items():
        match name:
            case "text":
                clauses.append(f"changed the text from {_quoted(old)} to {_quoted(new)}")
            case "question":
                clauses.append(f"moved it from {names.question(old)} to {names.question(new)}")
            case "parent":
                clauses.append(
                    "made it a point of its own"
                    if new is None
                    else f"made it a sub-point of {parent_text(new)}"
                )
            case "retracted":
                clauses.append("retracted it" if new else "restored it")
            case "starred":
                clauses.append("starred it" if new else "took its star away")
            case "erased":
                clauses.append("erased its words for good")
            case "theme":
                clauses.append(_moved_theme(old, new, names))
    return clauses


def _moved_theme(old: str | None, new: str | None, names: Names) -> str:
    if old is None:
        return f"put it in the theme {names.theme(str(new))}"
    if new is None:
        return f"took it out of the theme {names.theme(old)}"
    return f"moved it from the theme {names.theme(old)} to {names.theme(new)}"


def _theme(fields: dict[str, tuple[Any, Any]], names: Names) -> list[str]:
    if "title" in fields and fields["title"][0] is None:
        title, topic, question = (
            fields.get(k, (None, None))[1] for k in ("title", "topic", "question")
        )
        made = f"created the theme {_quoted(title)} {names.scope(topic, question)}"
        members = fields.get("comments", ([], []))[1]
        return [made + (f", with {_refs(members, names)}" if members else "")]
    if "title" in fields and fields["title"][1] is None:
        return ["removed the theme (its creation was undone)"]
    clauses: list[str] = []
    for name, (old, new) in fields.items():
        match name:
            case "title":
                clauses.append(f"renamed it from {_quoted(old)} to {_quoted(new)}")
            case "key":
                clauses.append("marked it a key theme" if new else "unmarked it as a key theme")
            case "merged_into":
                clauses.append(
                    f"merged it into {names.theme(new)}"
                    if new
                    else f"brought it back out of {names.theme(old)}"
                )
            case "comments":
                clauses += _members(old or [], new or [], names)
    if "topic" in fields or "question" in fields:
        topic = fields.get("topic", (None, None))[1]
        question = fields.get("question", (None, None))[1]
        clauses.append(f"moved it {names.scope(topic, question)}")
    return clauses


def _members(old: list[list[Any]], new: list[list[Any]], names: Names) -> list[str]:
    before, after = {tuple(r) for r in old}, {tuple(r) for r in new}
    came = [r for r in map(tuple, new) if r not in before]
    went = [r for r in map(tuple, old) if r not in after]
    clauses = []
    if came:
        clauses.append(f"put {_refs(came, names)} in it")
    if went:
        clauses.append(f"took {_refs(went, names)} out of it")
    return clauses


def _refs(refs: Iterable[Any], names: Names) -> str:
    named = [names.comment(int(table), str(cid)) for table, cid in refs]
    if len(named) > NAMED:
        named = [*named[:NAMED], f"{len(named) - NAMED} more"]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _quoted(text: str | None) -> str:
    if text is None:
        return "nothing"
    return f"“{text if len(text) <= 80 else text[:79] + '…'}”"
