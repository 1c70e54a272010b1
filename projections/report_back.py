"""The 8:00 pm report-back: per topic and question, the key themes in the lead's order, each
with its supporting comments, how many comments, tables and rotations back it, and the
comments the facilitators starred.

``render`` is a pure function of the meeting view, the table states, the theme wall and the
freeze (the report-back stream's fold). While the lead has it frozen, it renders the sources
as they stood just before the freeze: ``evolve`` keeps them when it folds ``ReportBackFrozen``
(the folds are immutable, so keeping them is keeping references). It reuses the wall's and the
topic view's rendering, so a theme shows the same comments and counts on every screen.

Every topic has a section for every question of the meeting, even an empty one, which says
why it is empty; key themes for any question of a topic, and cross-topic key themes, get extra
sections only when there are some. The data is canonical: ``dumps`` of a view rebuilt from
position 0 equals the live one, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from events.log.codec import canonical
from events.log.envelope import Recorded
from events.meeting.plan import Plan
from events.report import report_back as rb
from projections import meeting as meeting_view
from projections import theme_wall, topic
from projections.comment_refs import Tables, counts
from projections.meeting import MeetingView
from projections.theme_wall import ThemeWallView


@dataclass(frozen=True, slots=True)
class Sources:
    """What the report-back is drawn from, each a fold of the log."""

    meeting: MeetingView
    tables: Tables
    wall: ThemeWallView


@dataclass(frozen=True, slots=True)
class Freeze:
    """The report-back stream folded: whether it is frozen, and on what."""

    state: rb.ReportBackState = field(default_factory=rb.ReportBackState)
    frozen: Sources | None = None
    """The sources as they stood just before the freeze (``None``: it follows live)."""
    frozen_at: int | None = None
    """The position of the ``ReportBackFrozen`` event in force."""
    event_positions: dict[str, int] = field(default_factory=dict)
    version: int = 0
    position: int = 0


def evolve(freeze: Freeze, record: Recorded, sources: Sources) -> Freeze:
    """Apply one event of the report-back stream; ``sources`` are the views before it."""
    event = record.decode()
    assert isinstance(event, rb.ReportBackEvent)
    frozen = isinstance(event, rb.ReportBackFrozen)
    return replace(
        freeze,
        state=rb.evolve(freeze.state, event),
        frozen=sources if frozen else None,
        frozen_at=record.position if frozen else None,
        event_positions={**freeze.event_positions, record.event_id: record.position},
        version=record.version,
        position=record.position,
    )


# The whole fold, for a rebuild or a replay ------------------------------------------------


# Rendering ------------------------------------------------------------------------------


def render(
    meeting: MeetingView, tables: Tables, wall: ThemeWallView, freeze: Freeze | None = None
) -> dict[str, Any]:
    """The report-back as data (the frozen one while the lead has it frozen)."""
    freeze = freeze or Freeze()
    if freeze.frozen is not None:
        meeting, tables, wall = freeze.frozen.meeting, freeze.frozen.tables, freeze.frozen.wall
    plan = meeting.state.plan
    base = {"frozen": freeze.frozen is not None, "frozen_at": freeze.frozen_at}
    if plan is None:
        return {**base, "meeting_id": None, "topics": [], "across_topics": []}
    shown = theme_wall.render(wall, plan, tables)
    scopes = {(t["topic"], q["question"]): q for t in shown["topics"] for q in t["questions"]}
    keyed = {theme_id for q in scopes.values() for theme_id in q["key_themes"]}
    view = meeting_view.render(meeting)
    return {
        **base,
        "meeting_id": plan.meeting_id,
        "title": plan.title,
        "date": plan.date,
        "status": view["status"],
        "phase_kind": view["clock"]["phase_kind"],
        "rotations": _rotations(view),
        "topics": [_topic(plan, t.topic_id, tables, wall, scopes, keyed) for t in plan.topics],
        "across_topics": [
            section
            for q in [*(q.question_id for q in plan.questions), None]
            if (section := _extra(plan, scopes[(None, q)], tables))
        ],
    }


def dumps(
    meeting: MeetingView, tables: Tables, wall: ThemeWallView, freeze: Freeze | None = None
) -> bytes:
    return canonical(render(meeting, tables, wall, freeze))


def _rotations(view: dict[str, Any]) -> dict[str, Any]:
    """How many rotations were planned, held, skipped (an early end) and still to come."""
    states = [s["status"] for s in view["schedule"] if s["rotation"] is not None]
    return {
        "planned": len(states),
        "held": sum(s in ("done", "current") for s in states),
        "skipped": states.count("skipped"),
        "running": "current" in states,
    }


def _topic(
    plan: Plan,
    topic_id: str,
    tables: Tables,
    wall: ThemeWallView,
    scopes: Mapping[tuple[str | None, str | None], dict[str, Any]],
    keyed: set[str],
) -> dict[str, Any]:
    comments = topic.render(plan, topic_id, tables, wall.state)
    sections = [
        _section(plan, q, scopes[(topic_id, q["question"])], keyed) for q in comments["questions"]
    ]
    extra = _extra(plan, scopes[(topic_id, None)], tables)
    return {
        "topic": topic_id,
        "title": comments["title"],
        "table_numbers": comments["tables"],
        "questions": [*sections, *([extra] if extra else [])],
        **comments["counts"],
    }


def _section(
    plan: Plan, said: dict[str, Any], scope: dict[str, Any], keyed: set[str]
) -> dict[str, Any]:
    """One topic's question: its key themes, its starred comments not in a key theme, the
    counts of every comment, and whether (and why) it is empty."""
    key = _key_themes(scope)
    question = plan.question(said["question"])
    starred = [c for c in said["comments"] if c["starred"] and c["theme"] not in keyed]
    count = said["counts"]["count"]
    if key:
        status = "key_themes"
    elif count:
        status = "no_key_themes"
    else:
        status = "no_comments"
    return {
        "question": said["question"],
        "prompt": question.prompt if question else None,
        "status": status,
        "key_themes": key,
        "starred": [_plain(c) for c in starred],
        **said["counts"],
    }


def _extra(plan: Plan, scope: dict[str, Any], tables: Tables) -> dict[str, Any] | None:
    """A section of key themes for any question, or across topics: only if it has some."""
    key = _key_themes(scope)
    if not key:
        return None
    question = plan.question(scope["question"]) if scope["question"] else None
    found = {(c["table"], c["comment_id"]) for theme in key for c in theme["comments"]}
    pairs = [(n, tables[n].comments[cid]) for n, cid in sorted(found)]
    return {
        "question": scope["question"],
        "prompt": question.prompt if question else None,
        "status": "key_themes",
        "key_themes": key,
        "starred": [],
        **counts(pairs),
    }


def _key_themes(scope: dict[str, Any]) -> list[dict[str, Any]]:
    """The scope's key themes in the lead's order, as the wall shows them."""
    by_id = {t["id"]: t for t in scope["themes"]}
    return [_key_theme(by_id[theme_id]) for theme_id in scope["key_themes"]]


def _key_theme(theme: dict[str, Any]) -> dict[str, Any]:
    comments = [_plain(c) for c in theme["comments"]]
    return {
        "id": theme["id"],
        "title": theme["title"],
        "rank": theme["key_rank"],
        "comments": comments,
        "stars": sum(c["starred"] for c in comments),
        "count": theme["count"],
        "tables": theme["tables"],
        "rotations": theme["rotations"],
    }


def _plain(comment: dict[str, Any]) -> dict[str, Any]:
    """What the report-back shows of a comment."""
    keep = ("table", "comment_id", "parent", "text", "rotation", "starred")
    return {name: comment[name] for name in keep}
