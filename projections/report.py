"""The summary report as data, in the structure of the published Kamloops report.

Title and meeting details, the front matter, the topics and questions, the key themes by
topic and question, and the appendix of every comment verbatim by table and question, in
each table's final order with sub-bullets under their parents (``projections.table`` gives
that order): retracted comments left out, edited ones in their final text, redacted ones as
``[redacted]``. It is anonymous: no facilitator, device or participant appears. Every export
format renders this one document, so they cannot disagree; it holds ints, strings, booleans,
lists and nulls only, so its canonical JSON is the JSON export.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from events.instants import hhmm, iso
from events.meeting.plan import Plan
from events.themes.events import CommentRef
from projections import table as table_view
from projections.report_source import ReportSource
from projections.voting import dots, phones

REDACTED = "[redacted]"
APPENDIX = "Appendix \N{EN DASH} All Comments"
FORMAT = 1


class NoReport(ValueError):
    """There is no meeting (or no such published version) to make a report of."""


def document(source: ReportSource, *, version: int | None = None) -> dict[str, Any]:
    """The report of ``source``: version ``version`` if the source was folded up to its
    publication (``report_source.fold(upto=...)``), else the draft as it stands."""
    plan = source.meeting.state.plan
    if plan is None:
        raise NoReport(f"there is no meeting {source.meeting_id!r} in this log")
    appendix = [_table(source, plan, table.number) for table in plan.tables]
    return {
        "report": "roundtable-summary-report",
        "format": FORMAT,
        "edition": _edition(source, plan, version),
        "meeting": _details(source, plan, sum(t["comments_count"] for t in appendix)),
        "front_matter": {
            "intro": source.report.front_matter.get("intro", ""),
            "next_steps": source.report.front_matter.get("next_steps", ""),
        },
        "topics": [
            {
                "id": topic.topic_id,
                "title": topic.title,
                "tables": [t.number for t in plan.tables if t.topic_id == topic.topic_id],
            }
            for topic in plan.topics
        ],
        "questions": [{"id": q.question_id, "prompt": q.prompt} for q in plan.questions],
        "key_themes": [
            {
                "topic": topic.topic_id,
                "title": topic.title,
                "questions": [
                    {
                        "question": q.question_id,
                        "prompt": q.prompt,
                        "themes": _key_themes(source, topic.topic_id, q.question_id),
                    }
                    for q in plan.questions
                ],
            }
            for topic in plan.topics
        ],
        "vote": _vote(source, plan),
        "appendix": appendix,
        "record": {
            "meeting_id": source.meeting_id,
            "position": source.position,
            "events": source.events,
            "head": source.head,
        },
    }


def _edition(source: ReportSource, plan: Plan, version: int | None) -> dict[str, Any]:
    """Whether this is a published version or a draft, and as of when."""
    published = source.publications[-1] if source.publications else None
    if version is not None:
        if (
            published is None
            or published.version != version
            or published.position != (source.position)
        ):
            raise NoReport(f"version {version} of this report was not published")
        return {
            "status": "published",
            "version": version,
            "as_of": iso(published.published_at, plan.timezone),
            "meeting_closed": source.closed,
            "last_published": version,
        }
    return {
        "status": "draft",
        "version": None,
        "as_of": iso(source.recorded_at, plan.timezone) if source.recorded_at else None,
        "meeting_closed": source.closed,
        "last_published": published.version if published else 0,
    }


def _details(source: ReportSource, plan: Plan, comments: int) -> dict[str, Any]:
    day = date.fromisoformat(plan.date)
    first = plan.agenda[0] if plan.agenda else None
    last = plan.agenda[-1] if plan.agenda else None
    end = plan.ends(last) if last is not None else None
    rotations = plan.rotations
    return {
        "id": plan.meeting_id,
        "title": plan.title,
        "date": plan.date,
        "day": f"{day:%A} {day.day} {day:%B %Y}",
        "start": hhmm(first.start, plan.timezone) if first else None,
        "end": hhmm(end, plan.timezone) if end is not None else None,
        "timezone": plan.timezone,
        "venue": plan.venue,
        "tables": len(plan.tables),
        "rotations": rotations.count if rotations else 0,
        "minutes_per_rotation": rotations.minutes if rotations else None,
        "comments": comments,
    }


def _key_themes(source: ReportSource, topic: str, question: str) -> list[dict[str, Any]]:
    state = source.report
    return [
        {"id": kid, "text": state.key_themes[kid].text}
        for kid in state.order.get((topic, question), ())
    ]


def _vote(source: ReportSource, plan: Plan) -> dict[str, Any] | None:
    """The room's vote on the wall's key themes (null when there was none): how many phones
    voted, in how many rounds, and each theme voted on, in the order the rounds had them
    (themes with dots on paper only last), with its dots from phones and on paper."""
    state = source.voting
    if not state.rounds and not state.paper:
        return None
    placed = dots(state)
    order = [t for held in state.rounds for t in held.themes]
    order += sorted(state.paper)
    themes = []
    for theme_id in dict.fromkeys(order):
        theme = source.wall.themes.get(theme_id)
        topic = plan.topic(theme.topic) if theme is not None and theme.topic else None
        themes.append(
            {
                "topic": topic.topic_id if topic else None,
                "topic_title": topic.title if topic else None,
                "title": theme.title if theme is not None else theme_id,
                "from_phones": placed[theme_id],
                "on_paper": state.paper.get(theme_id, 0),
                "dots": placed[theme_id] + state.paper.get(theme_id, 0),
            }
        )
    return {"phones": phones(state), "rounds": len(state.rounds), "themes": themes}


def _table(source: ReportSource, plan: Plan, number: int) -> dict[str, Any]:
    table = plan.table(number)
    assert table is not None
    topic = plan.topic(table.topic_id)
    view = source.tables.get(number) or table_view.TableView(source.meeting_id, number)
    questions = [q.question_id for q in plan.questions]
    rendered = table_view.render(view, questions)
    sections = []
    count = 0
    for question, shown in zip(plan.questions, rendered["questions"], strict=True):
        items = [_comment(source, plan, number, c) for c in shown["comments"]]
        count += sum(1 + len(item["children"]) for item in items)
        sections.append(
            {"question": question.question_id, "prompt": question.prompt, "comments": items}
        )
    return {
        "table": number,
        "topic": table.topic_id,
        "title": topic.title if topic else table.topic_id,
        "questions": sections,
        "comments_count": count,
    }


def _comment(source: ReportSource, plan: Plan, table: int, shown: dict[str, Any]) -> dict[str, Any]:
    """One comment of the table view as the report shows it (no device, no name)."""
    cid = shown["id"]
    ref = CommentRef(table, cid)
    redacted = ref in source.report.redacted
    edited = source.edited_at.get((table, cid))
    theme_id = source.wall.placed.get(ref)
    theme = source.wall.themes.get(theme_id) if theme_id is not None else None
    data: dict[str, Any] = {
        "id": cid,
        "text": REDACTED if redacted else shown["text"],
        "redacted": redacted,
        "rotation": shown["rotation"],
        "group": shown["group"],
        "late": shown["late"],
        "created": iso(shown["added_at"], plan.timezone),
        "edited": iso(edited, plan.timezone) if edited is not None else None,
        "themes": [theme.title] if theme is not None and not theme.ended else [],
    }
    if "children" in shown:
        data["children"] = [_comment(source, plan, table, child) for child in shown["children"]]
    return data
