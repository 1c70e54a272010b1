"""The table commands' builds: what the table rules cannot know, looked up for them.

The meeting's questions, and where a point belongs in the evening (``events.tables.placement``, from
when it was typed, on the meeting's clock as of its arrival). The rows are in
``server.live.command_table``; the rules in ``events.tables.rules``.
"""

from __future__ import annotations

from events.errors import DomainError
from events.meeting.plan import Plan
from events.tables import rules as comments
from events.tables import typed_time
from events.tables.placement import place
from server.live.sent import Sent


class NoSuchTable(DomainError):
    code = "unknown_table"


def check_table(plan: Plan, table: int) -> int:
    """``table`` if the meeting has it; ``NoSuchTable`` if not."""
    if plan.table(table) is None:
        raise NoSuchTable(f"there is no table {table} in meeting {plan.meeting_id!r}")
    return table


def _questions(sent: Sent) -> frozenset[str]:
    return frozenset(q.question_id for q in sent.plan.questions)


def add_comment(sent: Sent) -> comments.AddComment:
    """A point, placed in the evening by when it was typed (clamped to the meeting's open and
    the arrival), late if the closing rule took it after the close."""
    view = sent.views.meeting(sent.meeting_id)
    assert view is not None
    assert sent.table is not None
    data = sent.data
    typed_at, clamped = typed_time.placed(
        data.get("typed_at"), opened_at=view.state.clock.opened_at, arrived_at=sent.now
    )
    state = sent.views.meeting_as_of(sent.meeting_id, sent.now)
    assert state.plan is not None
    placed = place(state.plan, state.clock, sent.table, typed_at)
    return comments.AddComment(
        comment_id=data["comment_id"],
        question=data["question"],
        text=data["text"],
        parent=data.get("parent"),
        questions=_questions(sent),
        rotation=placed.rotation,
        group=placed.group,
        phase=placed.phase,
        late=placed.late or sent.late,
        typed_at=typed_at,
        clamped=clamped,
        by=sent.by,
    )


def move_comment(sent: Sent) -> comments.MoveComment:
    return comments.MoveComment(
        comment_id=sent.data["comment_id"],
        question=sent.data["question"],
        questions=_questions(sent),
        by=sent.by,
    )
