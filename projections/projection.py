"""The read side's one shape: a projection folds recorded events into a view.

A view is a pure function of the events it has seen, so rebuilding it from position 0 gives
what a live runner has built, byte for byte; ``rebuild`` is that fold.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from events.envelope import Recorded

ViewT = TypeVar("ViewT")


class Projection(Protocol[ViewT]):
    """``name`` identifies the view (and, later, its checkpoint)."""

    name: str

    def initial(self) -> ViewT: ...

    def apply(self, view: ViewT, record: Recorded) -> ViewT: ...


def rebuild(projection: Projection[ViewT], records: Iterable[Recorded]) -> ViewT:
    """The view after ``records``, from the projection's initial view."""
    view = projection.initial()
    for record in records:
        view = projection.apply(view, record)
    return view
