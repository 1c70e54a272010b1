"""The write side of Roundtable: event types, the rules that decide them, and the log.

Every rule is a pure function here, time passed in, with a given/when/then spec table in the
tests: a decider's ``decide`` for each command (a new command is one case there and one row in
``server.live.command_table``), ``closing`` for what a closed meeting takes, ``joining`` for who may
join a table. ``decider.run`` is the one pipeline that runs a command against its stream. What
the log says is read through one fold, ``projections.catalog`` (a new view: one route row and
one fold there).

Importing any part of ``events`` registers every event type with ``events.log.codec.codec``, so
that whatever reads the log can decode all of it.
"""

from events import messages as messages
from events import voting as voting
from events.devices import events as device_events
from events.meeting import events as meeting_events
from events.report import events as report_events
from events.report import report_back as report_back
from events.suggestions import events as suggestion_events
from events.tables import events as comment_events
from events.themes import events as theme_events
from events.themes import moderation as moderation

__all__ = [
    "comment_events",
    "device_events",
    "meeting_events",
    "report_events",
    "suggestion_events",
    "theme_events",
]
