"""Live theme suggestions for the lead's connections, and the commands that answer them.

For each meeting a lead has opened, a ``MeetingSuggester`` follows the live table views. An
event only marks what changed (a table's comments, the wall, the lead's choices); the
suggestions are recomputed a moment later (``DELAY``), once for a whole burst of comments,
and pushed to the meeting's lead connections as a ``suggestions`` message when it differs
from the last one. What is pushed depends on the views alone (``projections.lead_suggestions``),
never on when events arrived, so a server restarted mid-evening offers what it offered before.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import orjson

from events import suggestions as rules
from events.envelope import Metadata, Recorded
from events.store import EventStore
from events.suggestions import (
    DismissSuggestion,
    RemoveGlossaryConcept,
    SetGlossaryConcept,
    SuggestionsCommand,
    SwitchSuggestions,
)
from events.theme_events import CommentRef
from events.theme_rules import AcceptSuggestion
from events.themes import stream_id as themes_stream
from projections import lead_suggestions
from projections.comment_refs import live
from projections.glossary import Concept, Glossary, seeded
from projections.lead_suggestions import MeetingSuggester
from server.protocol import MAX_ID, ProtocolError
from server.streams import StreamWriter
from server.tables import NoSuchTable
from server.views import LiveViews

NAMES = frozenset(
    {
        "accept_suggestion",
        "dismiss_suggestion",
        "set_suggestions",
        "set_glossary_concept",
        "remove_glossary_concept",
    }
)
"""The websocket commands on suggestions (each needs ``theme.edit``)."""

DELAY = 0.1
"""Seconds between the first change and the recomputation: a burst of comments costs one."""

SEED = "kamloops"
"""The glossary every meeting starts from: the one Roundtable ships (docs/themes.md)."""

Send = Callable[[bytes], None]


@functools.cache
def base_glossary() -> Glossary:
    return seeded(SEED)


class _Meeting:
    """One meeting's suggester, what changed since it last ran, and who listens."""

    def __init__(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        self.suggester: MeetingSuggester | None = None
        self.dirty: set[int] | None = None
        """Tables whose comments changed; ``None``: all of them (start, glossary edited)."""
        self.stale = True
        self.watchers: set[Send] = set()
        self.message: bytes = b""
        self.timer: asyncio.TimerHandle | None = None


class LiveSuggestions:
    """The suggestions of every meeting a lead has opened in this process."""

    def __init__(self, views: LiveViews, delay: float = DELAY) -> None:
        self._views = views
        self._delay = delay
        self._meetings: dict[str, _Meeting] = {}

    def watch(self, meeting_id: str, send: Send) -> None:
        """Push the meeting's suggestions to ``send`` now and whenever they change."""
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            meeting = self._meetings[meeting_id] = _Meeting(meeting_id)
            self._views.listen(meeting_id, functools.partial(self._offer, meeting))
        meeting.watchers.add(send)
        if meeting.stale:
            self._recompute(meeting)
        send(meeting.message)

    def unwatch(self, meeting_id: str, send: Send) -> None:
        meeting = self._meetings.get(meeting_id)
        if meeting is not None:
            meeting.watchers.discard(send)

    def stop(self) -> None:
        for meeting in self._meetings.values():
            if meeting.timer is not None:
                meeting.timer.cancel()

    def current(self, meeting_id: str) -> dict[str, Any]:
        """The meeting's suggestions message as it stands now (recomputed if need be)."""
        meeting = self._meetings.get(meeting_id) or _Meeting(meeting_id)
        if meeting.stale:
            self._recompute(meeting)
        return dict(orjson.loads(meeting.message))

    def _offer(self, meeting: _Meeting, record: Recorded) -> None:
        stream = record.stream_id
        if stream.startswith("table-"):
            number = int(stream.rsplit("-", 1)[1])
            if meeting.dirty is not None:
                meeting.dirty.add(number)
        elif stream == rules.stream_id(meeting.meeting_id):
            if record.type.startswith("GlossaryConcept"):
                meeting.suggester = None
        elif stream != themes_stream(meeting.meeting_id):
            return
        meeting.stale = True
        if meeting.timer is None and meeting.watchers:
            loop = asyncio.get_running_loop()
            meeting.timer = loop.call_later(self._delay, self._flush, meeting)

    def _flush(self, meeting: _Meeting) -> None:
        meeting.timer = None
        if meeting.watchers and meeting.stale:
            before = meeting.message
            self._recompute(meeting)
            if meeting.message != before:
                for send in list(meeting.watchers):
                    send(meeting.message)

    def _recompute(self, meeting: _Meeting) -> None:
        views, meeting_id = self._views, meeting.meeting_id
        view = views.meeting(meeting_id)
        plan = view.state.plan if view is not None else None
        choices = views.choices(meeting_id).state
        glossary = rules.glossary(choices, base_glossary())
        offered: list[dict[str, Any]] = []
        if choices.enabled and plan is not None:
            tables = views.table_states(meeting_id)
            if meeting.suggester is None:
                meeting.suggester, meeting.dirty = MeetingSuggester(glossary), None
            numbers = [t.number for t in plan.tables] if meeting.dirty is None else meeting.dirty
            meeting.suggester.sync(plan, tables, numbers)
            meeting.dirty = set()
            wall = views.wall(meeting_id).state
            found = meeting.suggester.suggestions()
            offered = lead_suggestions.offered(found, wall, choices, plan)
        else:
            meeting.suggester, meeting.dirty = None, None  # rebuilt when switched on again
        message = lead_suggestions.render(views.position, choices, glossary, offered)
        meeting.message = orjson.dumps(message)
        meeting.stale = False


class SuggestionWriter:
    """Runs the dismiss, switch and glossary commands of every meeting in this process."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._views = views
        self._writer = StreamWriter(store, views)

    async def run(
        self,
        meeting_id: str,
        command: SuggestionsCommand,
        *,
        command_id: str,
        metadata: Metadata,
    ) -> tuple[int, ...]:
        return await self._writer.run(
            ("suggestions", meeting_id),
            stream_id=rules.stream_id(meeting_id),
            meeting_id=meeting_id,
            view=lambda: self._views.choices(meeting_id),
            decide=lambda view: rules.decide(command, view.state),
            command_id=command_id,
            metadata=metadata,
        )


def build_accept(
    views: LiveViews, meeting_id: str, by: str, data: dict[str, Any]
) -> AcceptSuggestion:
    """The theme command of ``accept_suggestion``, with each comment looked up."""
    view = views.meeting(meeting_id)
    plan = view.state.plan if view is not None else None
    assert plan is not None  # the connection's hello checked the meeting
    refs = comment_refs(views, meeting_id, "accept_suggestion", data["comments"])
    into, theme_id = data.get("into"), data.get("theme_id")
    if (into is None) == (theme_id is None):
        raise ProtocolError(
            "invalid_field", "accept_suggestion needs 'theme_id' (a new theme) or 'into', not both"
        )
    if into is None and "title" not in data:
        raise ProtocolError("invalid_field", "accept_suggestion needs 'title' for a new theme")
    tables = views.table_states(meeting_id)
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
        by=by,
    )


def build(
    views: LiveViews, meeting_id: str, by: str, name: str, data: dict[str, Any]
) -> SuggestionsCommand:
    """The suggestions command of a checked protocol command (not ``accept_suggestion``)."""
    match name:
        case "dismiss_suggestion":
            refs = comment_refs(views, meeting_id, name, data["comments"])
            return DismissSuggestion(suggestion_id=data["suggestion_id"], comments=refs, by=by)
        case "set_suggestions":
            return SwitchSuggestions(enabled=data["enabled"], by=by)
        case "set_glossary_concept":
            current = rules.glossary(views.choices(meeting_id).state, base_glossary())
            concept = concept_from(data["concept"], current)
            return SetGlossaryConcept(concept=concept, base=base_glossary(), by=by)
        case "remove_glossary_concept":
            return RemoveGlossaryConcept(concept_id=data["concept_id"], base=base_glossary(), by=by)
    raise ProtocolError("unknown_command", f"there is no command {name!r}")


def concept_from(raw: dict[str, Any], current: Glossary) -> Concept:
    """The concept in ``raw`` (a glossary entry), checked as part of the glossary it would
    make, so that its broader concepts must exist and its phrases name nothing else."""
    entries = [rules.concept_json(c) for c in current.concepts]
    concept_id = raw.get("id")
    place = next((i for i, c in enumerate(current.concepts) if c.id == concept_id), len(entries))
    entries[place : place + 1] = [raw]
    glossary = Glossary.from_json({"name": current.name, "concepts": entries})
    return glossary.concepts[place]


def comment_refs(
    views: LiveViews, meeting_id: str, name: str, items: list[Any]
) -> tuple[CommentRef, ...]:
    """A list of ``{"table": int, "comment_id": str}``, checked (at most 500)."""
    view = views.meeting(meeting_id)
    plan = view.state.plan if view is not None else None
    assert plan is not None
    if not 0 < len(items) <= rules.MAX_DISMISSED_COMMENTS:
        raise ProtocolError(
            "invalid_field",
            f"{name}: 'comments' lists 1 to {rules.MAX_DISMISSED_COMMENTS} comments",
        )
    refs = []
    for item in items:
        if not isinstance(item, dict):
            raise ProtocolError("invalid_field", f"{name}: a comment is {{table, comment_id}}")
        table, cid = item.get("table"), item.get("comment_id")
        if isinstance(table, bool) or not isinstance(table, int):
            raise ProtocolError("invalid_field", f"{name}: 'table' must be int")
        if not isinstance(cid, str) or not 0 < len(cid) <= MAX_ID:
            raise ProtocolError(
                "invalid_field", f"{name}: 'comment_id' must be 1 to {MAX_ID} characters"
            )
        if plan.table(table) is None:
            raise NoSuchTable(f"there is no table {table} in this meeting")
        refs.append(CommentRef(table, cid))
    return tuple(refs)
