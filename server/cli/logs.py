"""The server's log: what uvicorn writes, with a failure that repeats written once per interval.

Under abuse (a thousand half-sent requests, a flood of refused handshakes) the same line can
come thousands of times a second; written each time it fills the disk and hides everything
else. ``Repeats`` lets the first of a kind through, counts the others, and lets one through
again after ``INTERVAL`` seconds saying how many it held back.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from typing import Any

from uvicorn.config import LOGGING_CONFIG

INTERVAL = 60.0
"""Seconds between two lines of the same kind."""

MAX_KINDS = 1000
"""Kinds remembered at once; the oldest are forgotten first (a flood of distinct lines is
then written as it comes, which the interval bounds for any one kind)."""


class Repeats(logging.Filter):
    """Write a kind of line (logger, level and message template) once per ``interval``."""

    def __init__(
        self, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._kinds: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        kind = _kind(record)
        if kind is None:
            return True
        now = self._clock()
        seen = self._kinds.get(kind)
        if seen is not None and now - seen[0] < self.interval:
            self._kinds[kind] = (seen[0], seen[1] + 1)
            return False
        self._kinds.pop(kind, None)
        if len(self._kinds) >= MAX_KINDS:
            del self._kinds[next(iter(self._kinds))]
        self._kinds[kind] = (now, 0)
        if seen is not None and seen[1]:
            record.msg = (
                f"{record.msg} (and {seen[1]} more like it in the last {self.interval:.0f} s)"
            )
        return True


def _kind(record: logging.LogRecord) -> tuple[str, int, str] | None:
    """What makes two lines the same failure: the logger, the level and the message's
    template; for the access log, a refusal's status, method and path (an answered request
    is one line each, ``None``)."""
    if record.name != "uvicorn.access":
        return (record.name, record.levelno, str(record.msg))
    args = record.args if isinstance(record.args, tuple) else ()
    if len(args) == 5 and isinstance(args[4], int) and args[4] >= 400:
        return (record.name, args[4], f"{args[1]} {args[2]}")
    return None


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up, with every line (uvicorn's, asyncio's, Roundtable's) going
    through one ``Repeats``."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"repeats": {"()": Repeats}}
    for handler in config["handlers"].values():
        handler["filters"] = ["repeats"]
    config["loggers"][""] = {"handlers": ["default"], "level": "WARNING"}
    return config
