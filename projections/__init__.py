"""The read side: every view of the log, folded from its events.

``projections.catalog`` is the one fold: ``ROUTES`` says, for each kind of stream (``meeting``,
``table``, ``themes``, ``messages``, ``moderation``, ``report-back``, ``suggestions``,
``devices``, ``voting``, ``summary``), which fold applies its events to the meeting's views. The
live server (``server.live.views``), ``roundtable rebuild`` and ``replay``, the replay page, the
reports (``report_source``), the HTTP reads and the tokens' checks all read that one fold, so
they cannot disagree. The other modules here are the views themselves (each a frozen value and
an ``evolve``, or the decider's own state in a ``stream_state.StreamState``) and the renderers
that turn them into canonical JSON (``screens`` for what each device is sent).

**A new view** goes in one place: its value and ``evolve`` in a module here, one field in the
catalog's ``Folds`` (and in ``screens.Scene``, which hands it out frozen), and one row in
``ROUTES`` when it reads a stream of a new kind (or one more line in the fold of the kind it
reads). ``tests/test_views_everywhere.py`` then checks it live against the rebuild and the
replay at every position of an evening, and fails if a kind of stream has no row.
"""
