"""The lead's choices about theme suggestions, in the meeting's stream ``suggestions-<meeting_id>``.

Suggestions themselves are not events: they are computed from the log (docs/themes.md), so a
replay shows what the lead saw. What the lead decided about them is: a suggestion dismissed,
suggestions switched off or on, and the meeting's glossary edited. Accepting a suggestion is a
grouping action of the theme wall (``theme_events.SuggestionAccepted``), undone like the others.
"""

from __future__ import annotations

from events.log.codec import Event, codec
from events.log.codec import record as _record
from events.themes.events import CommentRef


@codec.register
@_record
class SuggestionDismissed(Event):
    """The lead dismissed suggestion ``suggestion_id``, which gathered ``comments``: a later
    suggestion at least half of whose comments (two at least) are among them is the same idea
    and is not shown again."""

    type = "SuggestionDismissed"
    suggestion_id: str
    comments: tuple[CommentRef, ...]
    by: str


@codec.register
@_record
class SuggestionsSwitched(Event):
    """The lead switched the meeting's theme suggestions on (``enabled``) or off."""

    type = "SuggestionsSwitched"
    enabled: bool
    by: str


@codec.register
@_record
class GlossaryConceptSet(Event):
    """A concept of the meeting's glossary was added, or replaced whole (same ``concept_id``);
    the fields are those of a glossary entry (docs/themes.md)."""

    type = "GlossaryConceptSet"
    concept_id: str
    phrases: tuple[str, ...]
    acronyms: tuple[str, ...]
    broader: tuple[str, ...]
    note: str
    by: str


@codec.register
@_record
class GlossaryConceptRemoved(Event):
    """A concept was taken out of the meeting's glossary."""

    type = "GlossaryConceptRemoved"
    concept_id: str
    by: str


SuggestionsEvent = (
    SuggestionDismissed | SuggestionsSwitched | GlossaryConceptSet | GlossaryConceptRemoved
)
