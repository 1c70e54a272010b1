"""The shell around the voting decider: the lead's commands, the phones' dots, phone ids and
the meeting's voting code.

Every voting command of a meeting is decided one at a time against the live vote
(``server.streams``), so 300 phones placing dots at once never overspend a phone's dots.
What the rule cannot see is looked up here: the key themes in scope when the lead opens a
round, whether a theme exists, and whether the meeting is closed (which closes voting).

A phone is known only by the id this server gave it: random, with an HMAC tag of the server's
secret, so a phone cannot pose as another made-up one without the server's say; it carries no
name and is no device of the meeting. The voting code (``/v/<code>``) is derived from the
meeting id the same way: short enough to type from the wall.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from events import voting
from events.envelope import Metadata
from events.errors import DomainError
from events.plan import Plan
from events.store import EventStore
from events.voting import VotingCommand
from server.streams import StreamWriter
from server.views import LiveViews

NAMES = frozenset({"open_voting", "close_voting", "count_paper_dots"})
"""The lead's websocket commands on voting (each needs ``voting.run``)."""
CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
"""A voting code's letters: lower case, no 0/o, 1/l/i, so it is typed right from the wall."""
CODE_LENGTH = 6


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
            self._codes = {self.code(m): m for m in self._views.meetings}
            found = self._codes.get(code)
        if found is None:
            raise UnknownVote()
        return found


class VotingWriter:
    """Runs voting commands for every meeting in this process."""

    def __init__(self, store: EventStore, views: LiveViews) -> None:
        self._writer = StreamWriter(store, views)
        self._views = views

    async def run(
        self, meeting_id: str, command: VotingCommand, *, command_id: str, metadata: Metadata
    ) -> tuple[int, ...]:
        """Decide and append ``command`` on the meeting's vote; a dot after the close of the
        meeting is refused in the phone's words (voting closed with it)."""
        view = self._views.meeting(meeting_id)
        closed = view is not None and view.state.clock.closed_at is not None
        if closed and isinstance(command, voting.PlaceDot | voting.TakeBackDot):
            raise voting.VotingIsClosed()
        return await self._writer.run(
            ("voting", meeting_id),
            stream_id=voting.stream_id(meeting_id),
            meeting_id=meeting_id,
            view=lambda: self._views.voted(meeting_id),
            decide=lambda view: voting.decide(command, view.state),
            command_id=command_id,
            metadata=metadata,
        )


def build(views: LiveViews, meeting_id: str, by: str, name: str, data: dict[str, Any]) -> Any:
    """The voting command for a checked protocol command of the lead."""
    match name:
        case "open_voting":
            topic = data.get("topic")
            return voting.OpenVoting(
                topic=topic,
                themes=key_themes(views, meeting_id, topic),
                dots=data["dots"],
                shown=data.get("shown", "live"),
                by=by,
            )
        case "close_voting":
            return voting.CloseVoting(by=by)
        case _:
            theme_id = data["theme_id"]
            known = theme_id in views.wall(meeting_id).state.themes
            return voting.CountPaperDots(theme_id=theme_id, dots=data["dots"], known=known, by=by)


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
    scopes = [(t, q) for t in topics for q in [*questions, None]]
    if topic is None:
        scopes.extend((None, q) for q in [*questions, None])
    return list(scopes)
