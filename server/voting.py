"""The shell around the voting decider: the lead's commands, the phones' dots, phone ids and
the meeting's voting code.

Every voting command of a meeting is decided in order against the live vote, in batches that
commit at once (``VotingWriter``), so 300 phones placing dots at once never overspend a
phone's dots nor wait for each other's commits one by one.
What the rule cannot see is looked up here: the key themes in scope when the lead opens a
round, whether a theme exists, and whether the meeting is closed (which closes voting).

A phone is known only by the id this server gave it: random, with an HMAC tag of the server's
secret, so a phone cannot pose as another made-up one without the server's say; it carries no
name and is no device of the meeting. The voting code (``/v/<code>``) is derived from the
meeting id the same way: short enough to type from the wall.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from events import voting
from events.decider import RETRY_SECONDS, Current, event_ids, resent
from events.errors import DomainError, WrongExpectedVersion
from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore
from events.meeting.plan import Plan
from events.voting import VotingCommand
from server.live.sent import Sent
from server.live.views import LiveViews

CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
"""A voting code's letters: lower case, no 0/o, 1/l/i, so it is typed right from the wall."""
CODE_LENGTH = 6
PHONES = (voting.PlaceDot, voting.TakeBackDot)
"""The commands phones send (refused once the meeting is closed)."""


class PhoneRefused(DomainError):
    """A dot from an id this server did not give (made up, cut short, or from another server)."""

    code = "phone_refused"

    def __init__(self) -> None:
        super().__init__("This phone's voting id is not one this server gave: reload the page.")


class UnknownVote(DomainError):
    code = "unknown_vote"

    def __init__(self) -> None:
        super().__init__("There is no vote at this address: check the link on the wall.")


class Phones:
    """Gives phone ids and checks them, and finds a meeting by its voting code."""

    def __init__(self, secret: bytes, views: LiveViews) -> None:
        self._secret = secret
        self._views = views
        self._codes: dict[str, str] = {}

    def _tag(self, text: str, length: int) -> bytes:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).digest()[:length]

    def new_phone(self, meeting_id: str) -> str:
        """A fresh phone id for the meeting: 96 random bits and a 64-bit tag."""
        nonce = secrets.token_urlsafe(12)
        tag = base64.urlsafe_b64encode(self._tag(f"phone:{meeting_id}:{nonce}", 8)).decode()
        return f"{nonce}.{tag.rstrip('=')}"

    def check_phone(self, meeting_id: str, phone: object) -> str:
        """``phone`` if this server gave it for the meeting; ``PhoneRefused`` otherwise."""
        if not isinstance(phone, str) or phone.count(".") != 1 or len(phone) > 40:
            raise PhoneRefused()
        nonce, tag = phone.split(".")
        good = base64.urlsafe_b64encode(self._tag(f"phone:{meeting_id}:{nonce}", 8)).decode()
        if not hmac.compare_digest(tag.encode(), good.rstrip("=").encode()):
            raise PhoneRefused()
        return phone

    def code(self, meeting_id: str) -> str:
        """The meeting's voting code (the same after a restart: it is derived, not stored)."""
        digest = self._tag(f"vote:{meeting_id}", CODE_LENGTH)
        return "".join(CODE_LETTERS[b % len(CODE_LETTERS)] for b in digest)

    def meeting_of(self, code: str) -> str:
        """The meeting whose voting code ``code`` is; ``UnknownVote`` if none."""
        found = self._codes.get(code)
        if found is None:
            views = self._views
            scheduled = (m for m in views.meeting_ids() if views.meeting(m) is not None)
            self._codes = {self.code(m): m for m in scheduled}
            found = self._codes.get(code)
        if found is None:
            raise UnknownVote()
        return found


@dataclass(slots=True)
class _Waiting:
    """A voting command waiting for the meeting's next batch, and who awaits its positions."""

    command: VotingCommand
    command_id: str
    metadata: Metadata
    done: asyncio.Future[tuple[int, ...]]


class VotingWriter:
    """Runs voting commands for every meeting in this process, in batches.

    Every dot of a meeting is decided against the one voting stream (a phone's dots are
    counted against its round), so deciding them one append at a time would make 300 phones
    queue behind each other's commits. Commands that arrive while a batch commits wait for
    the next: each is decided in turn against the state the ones before it left (a refusal
    goes to its sender only), and the batch is one append, so one commit for all of them."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._store = store
        self._views = views
        self._waiting: dict[str, list[_Waiting]] = {}
        self._drains: dict[str, asyncio.Task[None]] = {}
        self._appended: dict[str, int] = {}

    async def run(
        self, meeting_id: str, command: VotingCommand, *, command_id: str, metadata: Metadata
    ) -> tuple[int, ...]:
        """Decide and append ``command`` on the meeting's vote (with the others waiting); the
        positions of its events (of the original ones, for a resend). A dot after the close of
        the meeting is refused in the phone's words (voting closed with it)."""
        done: asyncio.Future[tuple[int, ...]] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(meeting_id, []).append(
            _Waiting(command, command_id, metadata, done)
        )
        if meeting_id not in self._drains:
            self._drains[meeting_id] = asyncio.create_task(self._drain(meeting_id))
        return await done

    async def _drain(self, meeting_id: str) -> None:
        try:
            while batch := self._waiting.pop(meeting_id, None):
                try:
                    await self._commit(meeting_id, batch)
                except Exception as error:  # the store failed: every sender is told
                    for waiting in batch:
                        if not waiting.done.done():
                            waiting.done.set_exception(error)
        finally:
            del self._drains[meeting_id]

    def _closed(self, meeting_id: str) -> bool:
        """Whether the meeting is closed (which closes voting), as the views know it now."""
        view = self._views.meeting(meeting_id)
        return view is not None and view.state.clock.closed_at is not None

    async def _commit(self, meeting_id: str, batch: list[_Waiting]) -> None:
        """Decide ``batch`` in order against the live vote and append what it decided at once;
        decided again if another process appended first."""
        await self._views.wait_for(self._appended.get(meeting_id, 0))
        deadline = asyncio.get_running_loop().time() + RETRY_SECONDS
        while True:
            view = self._views.voted(meeting_id)
            state = view.state
            news: list[NewEvent] = []
            outcomes: list[tuple[int, ...] | DomainError | slice] = []
            # each command's: the positions it made before (a resend), its refusal, its events
            earlier: dict[str, tuple[int, ...] | DomainError | slice] = {}
            for waiting in batch:
                current = Current(view.state, view.version, view.event_positions)
                again = earlier.get(waiting.command_id) or resent(current, waiting.command_id)
                if again:  # sent again (it may have waited in this very batch)
                    outcomes.append(again)
                    continue
                try:
                    if self._closed(meeting_id) and isinstance(waiting.command, PHONES):
                        raise voting.VotingIsClosed()
                    decided = voting.decide(waiting.command, state)
                except DomainError as refused:
                    outcomes.append(refused)
                    earlier[waiting.command_id] = refused
                    continue
                for event in decided:
                    state = voting.evolve(state, event)
                ids = event_ids(waiting.command_id, decided)
                outcomes.append(slice(len(news), len(news) + len(decided)))
                earlier[waiting.command_id] = outcomes[-1]
                news += [
                    NewEvent(e, i, waiting.metadata) for e, i in zip(decided, ids, strict=True)
                ]
            positions: tuple[int, ...] = ()
            if news:
                try:
                    appended = await self._store.append(
                        voting.stream_id(meeting_id),
                        news,
                        meeting_id=meeting_id,
                        expected_version=view.version,
                    )
                except WrongExpectedVersion:
                    if asyncio.get_running_loop().time() > deadline:
                        raise
                    await self._views.wait_for(await self._store.last_position())
                    continue
                positions = appended.positions
                self._appended[meeting_id] = positions[-1]
            break
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                waiting.done.set_exception(outcome)
            elif isinstance(outcome, slice):
                waiting.done.set_result(positions[outcome])
            else:
                waiting.done.set_result(outcome)


def open_voting(sent: Sent) -> voting.OpenVoting:
    """The lead's ``open_voting``, with the key themes in scope read off the wall now."""
    topic = sent.data.get("topic")
    return voting.OpenVoting(
        topic=topic,
        themes=key_themes(sent.views, sent.meeting_id, topic),
        dots=sent.data["dots"],
        shown=sent.data.get("shown", "live"),
        by=sent.by,
    )


def count_paper_dots(sent: Sent) -> voting.CountPaperDots:
    """The lead's ``count_paper_dots``, knowing whether the theme is one of the meeting's."""
    theme_id = sent.data["theme_id"]
    known = theme_id in sent.views.wall(sent.meeting_id).state.themes
    return voting.CountPaperDots(theme_id=theme_id, dots=sent.data["dots"], known=known, by=sent.by)


def key_themes(views: LiveViews, meeting_id: str, topic: str | None) -> tuple[str, ...]:
    """The key themes of ``topic`` (every topic's, then the cross-topic ones, when ``None``),
    in the lead's order: by topic in the plan's order, then by question."""
    view = views.meeting(meeting_id)
    plan = view.state.plan if view is not None else None
    if plan is None:
        return ()
    if topic is not None and plan.topic(topic) is None:
        raise voting.VotingRefused(f"there is no topic {topic!r} in this meeting")
    state = views.wall(meeting_id).state
    found: list[str] = []
    for scope in _scopes(plan, topic):
        found.extend(t for t in state.key_themes(scope) if t not in found)
    return tuple(found)


def _scopes(plan: Plan, topic: str | None) -> list[tuple[str | None, str | None]]:
    topics = [topic] if topic is not None else [t.topic_id for t in plan.topics]
    questions: list[str | None] = [q.question_id for q in plan.questions]
    scopes: list[tuple[str | None, str | None]] = [
        (t, q) for t in topics for q in [*questions, None]
    ]
    if topic is None:
        scopes.extend((None, q) for q in [*questions, None])
    return scopes
