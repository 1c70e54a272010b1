"""Given/when/then for deciders: ``Spec(meeting).given(*events).when(command).then(*events)``."""

from __future__ import annotations

from typing import Any

import pytest

from events.decider import Decider, fold


class Spec:
    def __init__(self, decider: Decider[Any, Any], history: tuple[Any, ...] = ()) -> None:
        self._decider = decider
        self._history = history
        self._command: Any = None

    def given(self, *events: Any) -> Spec:
        return Spec(self._decider, events)

    def when(self, command: Any) -> Spec:
        self._command = command
        return self

    def decided(self) -> list[Any]:
        return list(self._decider.decide(self._command, fold(self._decider, self._history)))

    def then(self, *expected: Any) -> None:
        assert self.decided() == list(expected)

    def then_nothing(self) -> None:
        assert self.decided() == []

    def then_raises(self, error: type[Exception], match: str | None = None) -> None:
        with pytest.raises(error, match=match):
            self.decided()
