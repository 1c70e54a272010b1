"""What staff may ask of the summary report (``events.report.rules`` decides it).

A command carries what the shell looked up for it: the meeting's topics and questions, and
whether a comment to redact is one of the meeting's.
"""

from __future__ import annotations

from events.log.codec import record as _command
from events.themes.events import CommentRef

FRONT_MATTER_PARTS = ("intro", "next_steps")
"""The parts of the front matter, in the order the report prints them."""


@_command
class WriteKeyTheme:
    key_theme_id: str
    topic: str
    question: str
    text: str
    topics: frozenset[str]
    questions: frozenset[str]
    by: str


@_command
class EditKeyTheme:
    key_theme_id: str
    text: str
    by: str


@_command
class RemoveKeyTheme:
    key_theme_id: str
    by: str


@_command
class OrderKeyThemes:
    topic: str
    question: str
    key_theme_ids: tuple[str, ...]
    by: str


@_command
class SetFrontMatter:
    part: str
    text: str
    by: str


@_command
class RedactComment:
    comment: CommentRef
    reason: str
    known: bool
    """The comment is one of the meeting's (the shell looked at its table)."""
    by: str


@_command
class UnredactComment:
    comment: CommentRef
    by: str


@_command
class PublishReport:
    version: int | None
    """The number the staff page expects to publish (last published + 1), or ``None``: the
    next; a stale page is refused rather than publishing what its person never saw."""
    by: str


ReportCommand = (
    WriteKeyTheme
    | EditKeyTheme
    | RemoveKeyTheme
    | OrderKeyThemes
    | SetFrontMatter
    | RedactComment
    | UnredactComment
    | PublishReport
)
