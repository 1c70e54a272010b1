"""Live theme suggestions for the lead's connections, and the commands that answer them.

For each meeting a lead has opened, a ``MeetingSuggester`` follows the live table views. An
event only marks what changed (a table's comments, the wall, the lead's choices); the
suggestions are recomputed a moment later (``DELAY``), once for a whole burst of comments,
and pushed to the meeting's lead connections as a ``suggestions`` message when it differs
from the last one. The computation runs in a worker thread, on a snapshot of the views taken
on the event loop, one at a time per meeting: on a big meeting it can take a tenth of a second
(half a second for the first after a restart), and the loop goes on serving every tablet
meanwhile. What is pushed depends on the snapshot alone (``projections.lead_suggestions``),
never on when events arrived or how long a computation took, so a server restarted
mid-evening offers what it offered before.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from events.log.envelope import Recorded
from events.meeting.plan import Plan
from events.suggestions import rules as rules
from events.suggestions.glossary import Concept, Glossary, seeded
from events.suggestions.rules import (
    DismissSuggestion,
    RemoveGlossaryConcept,
    SetGlossaryConcept,
    SuggestionsState,
)
from events.tables.rules import table_number
from events.themes.commands import AcceptSuggestion
from events.themes.events import CommentRef
from events.themes.rules import ThemeWallState
from events.themes.rules import stream_id as themes_stream
from projections import lead_suggestions
from projections.comment_refs import Tables, live
from projections.lead_suggestions import MeetingSuggester
from server.live.protocol import ProtocolError
from server.live.sent import Sent
from server.live.themes import comment_ref
from server.live.views import LiveViews

DELAY = 0.1
"""Seconds between the first change and the recomputation: a burst of comments costs one."""

SEED = "kamloops"
"""The glossary every meeting starts from: the one Roundtable ships (docs/themes.md)."""

Send = Callable[[bytes], None]

log = logging.getLogger("roundtable.suggestions")


@functools.cache
def base_glossary() -> Glossary:
    return seeded(SEED)


class _Meeting:
    """One meeting's suggester, what changed since it last ran, and who listens."""

    def __init__(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        self.suggester: MeetingSuggester | None = None
        """Held here between computations; a running computation has it to itself."""
        self.regroup = False
        """The glossary changed: the next snapshot starts a new suggester."""
        self.dirty: set[int] = set()
        """Tables whose comments changed since the last snapshot."""
        self.stale = True
        """The views changed since the last snapshot (or none was taken yet)."""
        self.watchers: set[Send] = set()
        self.waiting: dict[Send, int] = {}
        """Leads not yet sent a message, and the first computation (by snapshot number) that
        is current for them: one whose snapshot was taken after they connected."""
        self.message: bytes = b""
        self.timer: asyncio.TimerHandle | None = None
        self.task: asyncio.Task[None] | None = None
        """The computation running in a worker thread (at most one)."""
        self.again = False
        """Asked for while ``task`` ran: it runs once more if the views changed meanwhile."""
        self.taken = 0
        """Snapshots taken so far (numbered from 1)."""


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """What one computation reads, taken on the event loop: the views' states are immutable
    (each event makes new ones), so the worker thread reads them while the loop goes on."""

    number: int
    position: int
    plan: Plan | None
    tables: Tables
    dirty: frozenset[int]
    wall: ThemeWallState
    choices: SuggestionsState
    glossary: Glossary


def _compute(
    snapshot: _Snapshot, suggester: MeetingSuggester | None
) -> tuple[MeetingSuggester | None, bytes]:
    """The suggestions message of ``snapshot`` (run in a worker thread), and the suggester to
    keep for the next one (``None``: off, rebuilt when switched on again)."""
    plan, choices, glossary = snapshot.plan, snapshot.choices, snapshot.glossary
    offered: list[dict[str, Any]] = []
    if choices.enabled and plan is not None:
        numbers: Iterable[int] = snapshot.dirty
        if suggester is None:
            suggester = MeetingSuggester(glossary)
            numbers = [t.number for t in plan.tables]
        suggester.sync(plan, snapshot.tables, numbers)
        found = suggester.suggestions()
        offered = lead_suggestions.offered(found, snapshot.wall, choices, plan)
    else:
        suggester = None
    held_out = suggester.held_out if suggester is not None else 0
    message = lead_suggestions.render(snapshot.position, choices, glossary, offered, held_out)
    return suggester, orjson.dumps(message)


class LiveSuggestions:
    """The suggestions of every meeting a lead has opened in this process.

    The computation (sync, groups, offer, encode) runs in a worker thread, one at a time per
    meeting, on a snapshot taken on the event loop: it can take a tenth of a second on a big
    meeting (half a second for the first after a restart), and the loop must go on acking
    every tablet's command and pushing every event meanwhile."""

    def __init__(self, views: LiveViews, delay: float = DELAY) -> None:
        self._views = views
        self._delay = delay
        self._meetings: dict[str, _Meeting] = {}

    def watch(self, meeting_id: str, send: Send) -> None:
        """Push the meeting's suggestions to ``send`` now (or once the first computation ends)
        and whenever they change."""
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            meeting = self._meetings[meeting_id] = _Meeting(meeting_id)
            self._views.listen(meeting_id, functools.partial(self._offer, meeting))
        meeting.watchers.add(send)
        if meeting.message and not meeting.stale and meeting.task is None:
            send(meeting.message)  # nothing changed since it was computed
            return
        # The message in hand (if any) is out of date: this lead gets the next current one,
        # never a stale one first (a card replaced under the lead's cursor loses their edit).
        running = meeting.task is not None and not meeting.stale
        meeting.waiting[send] = meeting.taken if running else meeting.taken + 1
        self._start(meeting)

    def unwatch(self, meeting_id: str, send: Send) -> None:
        meeting = self._meetings.get(meeting_id)
        if meeting is not None:
            meeting.watchers.discard(send)
            meeting.waiting.pop(send, None)

    async def stop(self) -> None:
        tasks = []
        for meeting in self._meetings.values():
            if meeting.timer is not None:
                meeting.timer.cancel()
            if meeting.task is not None:
                meeting.task.cancel()
                tasks.append(meeting.task)
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _offer(self, meeting: _Meeting, record: Recorded) -> None:
        stream = record.stream_id
        if (number := table_number(stream, meeting.meeting_id)) is not None:
            meeting.dirty.add(number)
        elif stream == rules.stream_id(meeting.meeting_id):
            if record.type.startswith("GlossaryConcept"):
                meeting.regroup = True
        elif stream != themes_stream(meeting.meeting_id):
            return
        meeting.stale = True
        if meeting.timer is None and meeting.watchers:
            loop = asyncio.get_running_loop()
            meeting.timer = loop.call_later(self._delay, self._flush, meeting)

    def _flush(self, meeting: _Meeting) -> None:
        meeting.timer = None
        if meeting.watchers and meeting.stale:
            self._start(meeting)

    def _start(self, meeting: _Meeting) -> asyncio.Task[None]:
        """The meeting's computation: started, or asked to run once more when it ends."""
        if meeting.task is None:
            meeting.task = asyncio.create_task(
                self._run(meeting), name=f"suggestions-{meeting.meeting_id}"
            )
            meeting.task.add_done_callback(_report)
        else:
            meeting.again = True
        return meeting.task

    async def _run(self, meeting: _Meeting) -> None:
        try:
            while True:
                meeting.again = False
                await self._recompute(meeting)
                if not (meeting.again and meeting.stale):
                    return
        finally:
            meeting.task = None

    async def _recompute(self, meeting: _Meeting) -> None:
        snapshot = self._snapshot(meeting)
        suggester, meeting.suggester = meeting.suggester, None  # the thread's alone until done
        try:
            suggester, message = await asyncio.to_thread(_compute, snapshot, suggester)
        except BaseException:
            meeting.stale = True  # the next computation starts a suggester from scratch
            raise
        meeting.suggester = suggester
        before, meeting.message = meeting.message, message
        ready = [w for w, needs in meeting.waiting.items() if needs <= snapshot.number]
        for send in list(meeting.watchers) if message != before else ready:
            send(message)
        for send in ready:
            del meeting.waiting[send]

    def _snapshot(self, meeting: _Meeting) -> _Snapshot:
        """What the next computation reads; from here on, changes mark the meeting stale
        again."""
        views, meeting_id = self._views, meeting.meeting_id
        view = views.meeting(meeting_id)
        choices = views.choices(meeting_id).state
        if meeting.regroup:
            meeting.suggester, meeting.regroup = None, False
        meeting.taken += 1
        snapshot = _Snapshot(
            number=meeting.taken,
            position=views.position,
            plan=view.state.plan if view is not None else None,
            tables=views.table_states(meeting_id),
            dirty=frozenset(meeting.dirty),
            wall=views.wall(meeting_id).state,
            choices=choices,
            glossary=rules.glossary(choices, base_glossary()),
        )
        meeting.dirty.clear()
        meeting.stale = False
        return snapshot


def _report(task: asyncio.Task[None]) -> None:
    """Log a computation that failed (the next change or lead starts another)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("suggestions: %s failed", task.get_name(), exc_info=error)


def accept_suggestion(sent: Sent) -> AcceptSuggestion:
    """The theme command of ``accept_suggestion`` (one grouping action on the wall), with
    each comment looked up."""
    data, plan = sent.data, sent.plan
    refs = comment_refs(plan, "accept_suggestion", data["comments"])
    into, theme_id = data.get("into"), data.get("theme_id")
    if (into is None) == (theme_id is None):
        raise ProtocolError(
            "invalid_field", "accept_suggestion needs 'theme_id' (a new theme) or 'into', not both"
        )
    if into is None and "title" not in data:
        raise ProtocolError("invalid_field", "accept_suggestion needs 'title' for a new theme")
    tables = sent.views.table_states(sent.meeting_id)
    found: dict[CommentRef, tuple[str, str]] = {}
    for ref in refs:
        comment = live(tables, ref.table, ref.comment_id)
        table = plan.table(ref.table)
        if comment is not None and table is not None:
            found[ref] = (table.topic_id, comment.question)
    return AcceptSuggestion(
        suggestion_id=data["suggestion_id"],
        theme_id=theme_id or "",
        title=data.get("title", ""),
        into=into,
        comments=refs,
        found=found,
        by=sent.by,
    )


def dismiss_suggestion(sent: Sent) -> DismissSuggestion:
    refs = comment_refs(sent.plan, "dismiss_suggestion", sent.data["comments"])
    return DismissSuggestion(suggestion_id=sent.data["suggestion_id"], comments=refs, by=sent.by)


def set_glossary_concept(sent: Sent) -> SetGlossaryConcept:
    """The concept checked as part of the glossary it would make (``concept_from``)."""
    current = rules.glossary(sent.views.choices(sent.meeting_id).state, base_glossary())
    concept = concept_from(sent.data["concept"], current)
    return SetGlossaryConcept(concept=concept, base=base_glossary(), by=sent.by)


def remove_glossary_concept(sent: Sent) -> RemoveGlossaryConcept:
    concept_id = sent.data["concept_id"]
    return RemoveGlossaryConcept(concept_id=concept_id, base=base_glossary(), by=sent.by)


def concept_from(raw: dict[str, Any], current: Glossary) -> Concept:
    """The concept in ``raw`` (a glossary entry), checked as part of the glossary it would
    make, so that its broader concepts must exist and its phrases name nothing else."""
    entries = [rules.concept_json(c) for c in current.concepts]
    concept_id = raw.get("id")
    place = next((i for i, c in enumerate(current.concepts) if c.id == concept_id), len(entries))
    entries[place : place + 1] = [raw]
    glossary = Glossary.from_json({"name": current.name, "concepts": entries})
    return glossary.concepts[place]


def comment_refs(plan: Plan, name: str, items: list[Any]) -> tuple[CommentRef, ...]:
    """A list of ``{"table": int, "comment_id": str}``, checked (at most 500)."""
    if not 0 < len(items) <= rules.MAX_DISMISSED_COMMENTS:
        raise ProtocolError(
            "invalid_field",
            f"{name}: 'comments' lists 1 to {rules.MAX_DISMISSED_COMMENTS} comments",
        )
    return tuple(comment_ref(plan, name, item) for item in items)
