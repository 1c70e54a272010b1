"""The server: the shells around the rules in ``events``, and the transports.

A command (a websocket's, or staff's report command over HTTP) is one row of
``server.live.command_table`` (name, fields, permission, stream, and the build that turns its data
into a domain command); ``server.live.dispatch`` looks it up and ``server.live.streams`` decides it
against its stream's live view through ``events.decider.run``. A new command is one row there
and one ``decide`` case in ``events/`` (docs/protocol.md, "Where a new command goes").

What every transport reads is ``server.live.views.LiveViews``: the catalog of every view
(``projections.catalog``) kept current by one subscription. The websocket's ``state``, the
HTTP reads (``Auth.meeting``, ``Auth.devices``) and the tokens' checks look views up there,
never by folding a stream again, so HTTP and the socket show one moment. A new view is one
route row and one fold in ``projections.catalog`` (docs/events.md, "Where a new view goes").

The rules themselves (who may join, what a closed meeting takes, where a point goes) are pure
functions in ``events/``; this package only carries them.
"""
