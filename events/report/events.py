"""Every fact about the summary report of one meeting, in its stream ``summary-<meeting_id>``.

Staff write the report after the lead closes the meeting: key-theme sentences per topic and
question (new sentences, not the wall's theme titles), the front matter, redactions, and
numbered publications. The comments themselves stay in their tables' streams; a redaction
hides a comment's text in every export while the log keeps it, with who (``by`` and the
metadata), when (``recorded_at``) and why (``reason``). ``by`` is the device that caused it.
"""

from __future__ import annotations

from events.log.codec import Event, codec
from events.log.codec import record as _record
from events.themes.events import CommentRef


@codec.register
@_record
class ReportThemeWritten(Event):
    """Staff wrote a key-theme sentence under a topic and question; it comes last there.
    ``key_theme_id`` is the staff page's own id for it."""

    type = "ReportThemeWritten"
    key_theme_id: str
    topic: str
    question: str
    text: str
    by: str


@codec.register
@_record
class ReportThemeEdited(Event):
    """A key-theme sentence was reworded (the event holds all of it)."""

    type = "ReportThemeEdited"
    key_theme_id: str
    text: str
    by: str


@codec.register
@_record
class ReportThemeRemoved(Event):
    """A key-theme sentence was taken out of the report."""

    type = "ReportThemeRemoved"
    key_theme_id: str
    by: str


@codec.register
@_record
class ReportThemesOrdered(Event):
    """The key-theme sentences of one topic and question were put in this order (each once)."""

    type = "ReportThemesOrdered"
    topic: str
    question: str
    key_theme_ids: tuple[str, ...]
    by: str


@codec.register
@_record
class ReportFrontMatterSet(Event):
    """A part of the front matter (``intro`` or ``next_steps``) got this plain text (all of
    it; empty leaves the part out)."""

    type = "ReportFrontMatterSet"
    part: str
    text: str
    by: str


@codec.register
@_record
class CommentRedacted(Event):
    """A comment is shown as "[redacted]" in every export from now on, for ``reason``
    (personal information, say); its text stays in the log."""

    type = "CommentRedacted"
    comment: CommentRef
    reason: str
    by: str


@codec.register
@_record
class CommentUnredacted(Event):
    """A redaction was taken back: the comment is shown again (a wrong comment was redacted)."""

    type = "CommentUnredacted"
    comment: CommentRef
    by: str


@codec.register
@_record
class ReportPublished(Event):
    """Staff published the report as ``version`` (1, 2, ...): the version is the report as
    the log stood at this event's own position, so exporting it again gives the same bytes."""

    type = "ReportPublished"
    version: int
    by: str


ReportEvent = (
    ReportThemeWritten
    | ReportThemeEdited
    | ReportThemeRemoved
    | ReportThemesOrdered
    | ReportFrontMatterSet
    | CommentRedacted
    | CommentUnredacted
    | ReportPublished
)
