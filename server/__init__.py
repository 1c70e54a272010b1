"""The server: the shells around the rules in ``events``, and the transports.

A websocket command is one row of ``server.command_table`` (name, fields, permission, stream,
and the build that turns its data into a domain command); ``server.dispatch`` looks it up and
``server.streams`` decides it against its stream's live view through ``events.decider.run``.
A new command is one row there and one ``decide`` case in ``events/`` (docs/protocol.md,
"Where a new command goes"). The rules themselves (who may join, what a closed meeting takes,
where a point goes) are pure functions in ``events/``; this package only carries them.
"""
