"""The summary-report decider: what staff write into the report, and when it is published.

One stream per meeting (``summary-<meeting_id>``). Key-theme sentences belong to a topic and
question and keep the order staff give them; a removed one keeps its id (it cannot be
written again under another scope). Publishing numbers the versions from 1, and needs a
change since the last one, so every version differs from the one before.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from events.errors import DomainError
from events.report import events as e
from events.report.commands import (
    FRONT_MATTER_PARTS,
    EditKeyTheme,
    OrderKeyThemes,
    PublishReport,
    RedactComment,
    RemoveKeyTheme,
    ReportCommand,
    SetFrontMatter,
    UnredactComment,
    WriteKeyTheme,
)
from events.themes.commands import check_scope
from events.themes.events import CommentRef

MAX_SENTENCE = 500
"""Longest key-theme sentence, in code points after trimming: one sentence of a report."""
MAX_FRONT_MATTER = 20_000
"""Longest front-matter part: a few pages of plain text."""
MAX_REASON = 300
MAX_ID = 64


class ReportRefused(DomainError):
    code = "invalid_report"


class UnknownKeyTheme(ReportRefused):
    code = "unknown_key_theme"


class NothingToPublish(ReportRefused):
    code = "nothing_to_publish"


class StalePublish(ReportRefused):
    code = "stale_publish"


Scope = tuple[str, str]
"""(topic, question) of a key-theme sentence."""


@dataclass(frozen=True, slots=True)
class KeyTheme:
    key_theme_id: str
    topic: str
    question: str
    text: str
    removed: bool = False

    @property
    def scope(self) -> Scope:
        return (self.topic, self.question)


@dataclass(frozen=True, slots=True)
class Redaction:
    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class ReportState:
    key_themes: dict[str, KeyTheme] = field(default_factory=dict)
    order: dict[Scope, tuple[str, ...]] = field(default_factory=dict)
    """The live sentences of each scope, in the report's order."""
    front_matter: dict[str, str] = field(default_factory=dict)
    redacted: dict[CommentRef, Redaction] = field(default_factory=dict)
    published: int = 0
    """The last version published (0: none yet)."""
    changed: bool = False
    """Whether anything changed since the last version (or since the start)."""


initial_state = ReportState()


def stream_id(meeting_id: str) -> str:
    return f"summary-{meeting_id}"


def decide(command: ReportCommand, state: ReportState) -> list[e.ReportEvent]:
    match command:
        case WriteKeyTheme(key_theme_id=kid, topic=topic, question=question, by=by):
            _check_id(kid)
            check_scope(topic, question, command.topics, command.questions)
            text = _line(command.text, "a key theme", MAX_SENTENCE)
            old = state.key_themes.get(kid)
            if old is not None:
                if (old.scope, old.text, old.removed) == ((topic, question), text, False):
                    return []
                raise ReportRefused("there is already a key theme with this id")
            return [
                e.ReportThemeWritten(
                    key_theme_id=kid, topic=topic, question=question, text=text, by=by
                )
            ]
        case EditKeyTheme(key_theme_id=kid, by=by):
            text = _line(command.text, "a key theme", MAX_SENTENCE)
            theme = _live(state, kid)
            return (
                []
                if text == theme.text
                else [e.ReportThemeEdited(key_theme_id=kid, text=text, by=by)]
            )
        case RemoveKeyTheme(key_theme_id=kid, by=by):
            known = state.key_themes.get(kid)
            if known is not None and known.removed:
                return []  # another staff window removed it first
            _live(state, kid)
            return [e.ReportThemeRemoved(key_theme_id=kid, by=by)]
        case OrderKeyThemes(topic=topic, question=question, key_theme_ids=ids, by=by):
            current = state.order.get((topic, question), ())
            if sorted(ids) != sorted(current) or len(set(ids)) != len(ids):
                raise ReportRefused("name every key theme of this topic and question, once each")
            if tuple(ids) == current:
                return []
            return [
                e.ReportThemesOrdered(
                    topic=topic, question=question, key_theme_ids=tuple(ids), by=by
                )
            ]
        case SetFrontMatter(part=part, by=by):
            if part not in FRONT_MATTER_PARTS:
                raise ReportRefused(f"the front matter has {' and '.join(FRONT_MATTER_PARTS)}")
            text = _paragraphs(command.text)
            if text == state.front_matter.get(part, ""):
                return []
            return [e.ReportFrontMatterSet(part=part, text=text, by=by)]
        case RedactComment(comment=ref, by=by):
            reason = _line(command.reason, "a redaction's reason", MAX_REASON)
            if not command.known:
                raise ReportRefused(
                    f"there is no comment {ref.comment_id!r} at table {ref.table} of this meeting"
                )
            if ref in state.redacted:
                return []
            return [e.CommentRedacted(comment=ref, reason=reason, by=by)]
        case UnredactComment(comment=ref, by=by):
            return [e.CommentUnredacted(comment=ref, by=by)] if ref in state.redacted else []
        case PublishReport(version=version, by=by):
            number = state.published + 1
            if version is not None and version != number:
                raise StalePublish(
                    f"version {state.published} is the last one published; this would be "
                    f"{number}, not {version}: reload the report"
                )
            if state.published and not state.changed:
                raise NothingToPublish(
                    f"nothing changed since version {state.published} was published"
                )
            return [e.ReportPublished(version=number, by=by)]


def evolve(state: ReportState, event: e.ReportEvent) -> ReportState:
    match event:
        case e.ReportPublished(version=version):
            return replace(state, published=version, changed=False)
        case e.ReportThemeWritten(key_theme_id=kid, topic=topic, question=question):
            theme = KeyTheme(kid, topic, question, event.text)
            order = (*state.order.get(theme.scope, ()), kid)
            state = replace(state, order={**state.order, theme.scope: order})
            state = _with(state, theme)
        case e.ReportThemeEdited(key_theme_id=kid, text=text):
            state = _with(state, replace(state.key_themes[kid], text=text))
        case e.ReportThemeRemoved(key_theme_id=kid):
            theme = state.key_themes[kid]
            order = tuple(k for k in state.order.get(theme.scope, ()) if k != kid)
            state = replace(state, order={**state.order, theme.scope: order})
            state = _with(state, replace(theme, removed=True))
        case e.ReportThemesOrdered(topic=topic, question=question, key_theme_ids=ids):
            state = replace(state, order={**state.order, (topic, question): ids})
        case e.ReportFrontMatterSet(part=part, text=text):
            state = replace(state, front_matter={**state.front_matter, part: text})
        case e.CommentRedacted(comment=ref, reason=reason, by=by):
            state = replace(state, redacted={**state.redacted, ref: Redaction(reason, by)})
        case e.CommentUnredacted(comment=ref):
            state = replace(state, redacted={r: v for r, v in state.redacted.items() if r != ref})
    return replace(state, changed=True)


def _with(state: ReportState, theme: KeyTheme) -> ReportState:
    return replace(state, key_themes={**state.key_themes, theme.key_theme_id: theme})


def _live(state: ReportState, key_theme_id: str) -> KeyTheme:
    theme = state.key_themes.get(key_theme_id)
    if theme is None or theme.removed:
        raise UnknownKeyTheme("there is no such key theme in the report")
    return theme


def _check_id(key_theme_id: str) -> None:
    if not 0 < len(key_theme_id) <= MAX_ID or not key_theme_id.isprintable():
        raise ReportRefused(f"a key theme id is 1 to {MAX_ID} printable characters")


def _line(text: str, what: str, limit: int) -> str:
    """One line of text as stored: ends trimmed; refused if empty, too long or multi-line."""
    trimmed = text.strip()
    if not trimmed:
        raise ReportRefused(f"{what} needs some text")
    if len(trimmed) > limit:
        raise ReportRefused(f"{what} is at most {limit} characters; this has {len(trimmed)}")
    _no_control(trimmed, what, allowed="")
    return trimmed


def _paragraphs(text: str) -> str:
    """Plain text of one or more paragraphs: line ends made ``\\n``, ends trimmed."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    normal = "\n".join(line.rstrip() for line in normal.split("\n")).strip()
    if len(normal) > MAX_FRONT_MATTER:
        raise ReportRefused(
            f"the front matter is at most {MAX_FRONT_MATTER} characters a part; "
            f"this has {len(normal)}"
        )
    _no_control(normal, "the front matter", allowed="\n")
    return normal


def _no_control(text: str, what: str, *, allowed: str) -> None:
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed), None)
    if bad is not None:
        raise ReportRefused(f"{what} cannot hold control characters (found U+{ord(bad):04X})")
