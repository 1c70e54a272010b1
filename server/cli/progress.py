"""A progress bar for long commands: on a terminal's stderr only, so pipes and logs stay clean."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
_EVERY = 0.1  # seconds between redraws: drawing must not be what slows the work down


class Progress:
    """``update(done)`` as work advances; ``close()`` clears the line. Silent unless ``stream``
    is a terminal."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.shown = self.stream.isatty()
        self._drawn = 0.0

    def update(self, done: int) -> None:
        """Work is ``done`` of ``total`` (a position, a count or bytes)."""
        self.done = done
        if self.shown and time.monotonic() - self._drawn >= _EVERY:
            self._draw()

    def advance(self, step: int) -> None:
        self.update(self.done + step)

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = int(share * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%}")
        self.stream.flush()
        self._drawn = time.monotonic()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (len(self.label) + _WIDTH + 8) + "\r")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
