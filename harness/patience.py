"""How long a test waits for something that is bound to happen, on a machine that may be busy.

Every deadline in the tests bounds a wait for an event (a port that answers, a message, a page's
state); none measures speed. On a loaded machine the event comes later, not never, so one factor
stretches them all: ``ROUNDTABLE_TEST_PATIENCE`` (1 on a developer's machine; CI sets more, and
so can anyone who runs the suite beside other work)."""

from __future__ import annotations

import os

FACTOR = float(os.environ.get("ROUNDTABLE_TEST_PATIENCE", "1"))


def seconds(bound: float) -> float:
    """``bound`` seconds, stretched by the run's patience."""
    return bound * FACTOR


def ms(bound: float) -> float:
    """``bound`` seconds as Playwright's milliseconds, stretched by the run's patience."""
    return bound * 1000 * FACTOR
