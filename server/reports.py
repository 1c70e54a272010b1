"""The shell around the summary report: read it from the log, run staff commands on it.

The HTTP API and ``roundtable export`` both come here, so a download and a command-line
export of one version are the same bytes. A report is made from the meeting's events read
straight from the store (``projections.report_source``), not from a live view: a published
version must come out the same in any process, at any later time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events import comments, report
from events.decider import Outcome, execute, fold
from events.envelope import Metadata, Recorded
from events.instants import iso
from events.plan import Plan
from events.report_commands import (
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
from events.store import EventStore
from events.theme_events import CommentRef
from projections.report import NoReport, document
from projections.report_source import ReportSource, published_position
from projections.report_source import fold as fold_source
from server.access import BadRequest, UnknownMeeting

PUBLISH = "publish_report"
COMMANDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "write_key_theme": {"key_theme_id": str, "topic": str, "question": str, "text": str},
    "edit_key_theme": {"key_theme_id": str, "text": str},
    "remove_key_theme": {"key_theme_id": str},
    "order_key_themes": {"topic": str, "question": str, "key_theme_ids": list},
    "set_front_matter": {"part": str, "text": str},
    "redact_comment": {"table": int, "comment_id": str, "reason": str},
    "unredact_comment": {"table": int, "comment_id": str},
    PUBLISH: {"version": (int, type(None))},
}
"""Each staff command and the fields of its ``data`` (all required; ``None`` where allowed)."""


class UnknownVersion(UnknownMeeting):
    code = "unknown_version"


@dataclass(frozen=True, slots=True)
class Loaded:
    source: ReportSource
    report: dict[str, Any]


async def load(store: EventStore, meeting_id: str, version: int | None = None) -> Loaded:
    """The draft of the meeting's report as it stands, or its published ``version``."""
    records: list[Recorded] = [r async for r in store.read_all(meeting_id=meeting_id)]
    upto = None
    if version is not None:
        upto = published_position(records, meeting_id, version)
        if upto is None:
            raise UnknownVersion(f"version {version} of this report was not published")
    source = fold_source(meeting_id, records, upto)
    try:
        return Loaded(source, document(source, version=version))
    except NoReport as error:
        raise UnknownMeeting(str(error)) from error


def editor(source: ReportSource) -> dict[str, Any]:
    """What only the staff page needs: the versions, the redactions with their reasons, and
    the lead's key themes from the wall (to start the sentences from)."""
    plan = source.meeting.state.plan
    assert plan is not None
    return {
        "publications": [
            {
                "version": p.version,
                "published_at": iso(p.published_at, plan.timezone),
                "head": p.head,
                "events": p.events,
                "position": p.position,
            }
            for p in source.publications
        ],
        "changed": source.report.changed,
        "redactions": [
            {"table": ref.table, "comment_id": ref.comment_id, "reason": r.reason}
            for ref, r in sorted(source.report.redacted.items())
        ],
        "wall_key_themes": [
            {
                "topic": topic.topic_id,
                "question": question.question_id,
                "titles": [
                    source.wall.themes[t].title
                    for t in source.wall.key_themes((topic.topic_id, question.question_id))
                ],
            }
            for topic in plan.topics
            for question in plan.questions
        ],
    }


def eraser(source: ReportSource) -> dict[str, Any]:
    """What the page needs to offer erasure (to whoever may erase now): the lead's theme of
    each comment, to offer its title with the comment, and the comments already erased."""
    return {
        "comment_themes": [
            {
                "table": ref.table,
                "comment_id": ref.comment_id,
                "theme_id": theme_id,
                "title": source.wall.themes[theme_id].title,
            }
            for ref, theme_id in sorted(source.wall.placed.items())
        ],
        "erased": [
            {"table": number, "comment_id": cid}
            for number, view in sorted(source.tables.items())
            for cid, comment in sorted(view.state.comments.items())
            if comment.erased
        ],
    }


def check(name: str, data: Any) -> dict[str, Any]:
    """The command's data, with every field present and of its type (else ``BadRequest``)."""
    fields = COMMANDS.get(name)
    if fields is None:
        raise BadRequest(f"there is no report command {name!r}")
    if not isinstance(data, dict):
        raise BadRequest(f"{name}: 'data' must be an object")
    for key, kind in fields.items():
        value = data.get(key)
        if key not in data or isinstance(value, bool) or not isinstance(value, kind):
            raise BadRequest(f"{name}: {key!r} is required and must be {_kind(kind)}")
    if "key_theme_ids" in fields and not all(isinstance(i, str) for i in data["key_theme_ids"]):
        raise BadRequest(f"{name}: 'key_theme_ids' must be strings")
    return data


def _kind(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join("null" if k is type(None) else k.__name__ for k in kinds)


async def build(
    store: EventStore, plan: Plan, name: str, data: dict[str, Any], by: str
) -> ReportCommand:
    """The command for checked ``data``, with what the rules cannot look up themselves."""
    match name:
        case "write_key_theme":
            return WriteKeyTheme(
                key_theme_id=data["key_theme_id"],
                topic=data["topic"],
                question=data["question"],
                text=data["text"],
                topics=frozenset(t.topic_id for t in plan.topics),
                questions=frozenset(q.question_id for q in plan.questions),
                by=by,
            )
        case "edit_key_theme":
            return EditKeyTheme(key_theme_id=data["key_theme_id"], text=data["text"], by=by)
        case "remove_key_theme":
            return RemoveKeyTheme(key_theme_id=data["key_theme_id"], by=by)
        case "order_key_themes":
            return OrderKeyThemes(
                topic=data["topic"],
                question=data["question"],
                key_theme_ids=tuple(data["key_theme_ids"]),
                by=by,
            )
        case "set_front_matter":
            return SetFrontMatter(part=data["part"], text=data["text"], by=by)
        case "redact_comment":
            ref = CommentRef(data["table"], data["comment_id"])
            known = await _known(store, plan, ref)
            return RedactComment(comment=ref, reason=data["reason"], known=known, by=by)
        case "unredact_comment":
            return UnredactComment(comment=CommentRef(data["table"], data["comment_id"]), by=by)
        case _:
            return PublishReport(version=data["version"], by=by)


async def _known(store: EventStore, plan: Plan, ref: CommentRef) -> bool:
    if plan.table(ref.table) is None:
        return False
    records = await store.read_stream(comments.stream_id(plan.meeting_id, ref.table))
    state = fold(comments, (r.decode() for r in records))
    return ref.comment_id in state.comments


async def run(
    store: EventStore,
    meeting_id: str,
    command: ReportCommand,
    *,
    command_id: str,
    metadata: Metadata,
) -> Outcome:
    """Decide ``command`` on the meeting's report stream and append (a resend adds nothing)."""
    return await execute(
        store,
        report,
        command,
        stream_id=report.stream_id(meeting_id),
        meeting_id=meeting_id,
        command_id=command_id,
        metadata=metadata,
    )
