"""The shell around the summary report: read it from the log, run staff commands on it.

The HTTP API and ``roundtable export`` both come here, so a download and a command-line
export of one version are the same bytes. A report is made from the meeting's events read
straight from the store (``projections.report_source``), not from a live view: a published
version must come out the same in any process, at any later time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.instants import iso
from events.log.envelope import Recorded
from events.log.store import EventStore
from events.report.commands import OrderKeyThemes, RedactComment, UnredactComment, WriteKeyTheme
from events.themes.events import CommentRef
from projections.report import NoReport, document
from projections.report_source import ReportSource, published_position
from projections.report_source import fold as fold_source
from server.access import BadRequest, UnknownMeeting
from server.live.sent import Sent


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


def write_key_theme(sent: Sent) -> WriteKeyTheme:
    """Staff's ``write_key_theme``, knowing the meeting's topics and questions."""
    plan, data = sent.plan, sent.data
    return WriteKeyTheme(
        key_theme_id=data["key_theme_id"],
        topic=data["topic"],
        question=data["question"],
        text=data["text"],
        topics=frozenset(t.topic_id for t in plan.topics),
        questions=frozenset(q.question_id for q in plan.questions),
        by=sent.by,
    )


def order_key_themes(sent: Sent) -> OrderKeyThemes:
    ids = sent.data["key_theme_ids"]
    if not all(isinstance(i, str) for i in ids):
        raise BadRequest("order_key_themes: 'key_theme_ids' must be strings")
    topic, question = sent.data["topic"], sent.data["question"]
    return OrderKeyThemes(topic=topic, question=question, key_theme_ids=tuple(ids), by=sent.by)


def redact_comment(sent: Sent) -> RedactComment:
    """Staff's ``redact_comment``, knowing whether the comment is one of the meeting's (from
    its table's live view)."""
    ref = _ref(sent)
    known = sent.plan.table(ref.table) is not None and (
        ref.comment_id in sent.views.table(sent.meeting_id, ref.table).state.comments
    )
    return RedactComment(comment=ref, reason=sent.data["reason"], known=known, by=sent.by)


def unredact_comment(sent: Sent) -> UnredactComment:
    return UnredactComment(comment=_ref(sent), by=sent.by)


def _ref(sent: Sent) -> CommentRef:
    return CommentRef(sent.data["table"], sent.data["comment_id"])
