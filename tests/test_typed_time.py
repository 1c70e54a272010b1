"""When a comment was typed: the tablet's claim clamped, never refused
(``events.tables.typed_time``)."""

from __future__ import annotations

import pytest

from events.tables.typed_time import READ_BACK, placed, readable

OPENED = 1_686_877_200_000_000  # 18:00
ARRIVED = 1_686_880_000_000_000  # 18:46:40

PLACED: list[tuple[int | None, int | None, tuple[int, bool]]] = [
    # claimed, opened_at -> (typed_at, clamped)
    (None, OPENED, (ARRIVED, False)),
    (ARRIVED - 5, OPENED, (ARRIVED - 5, False)),
    (ARRIVED, OPENED, (ARRIVED, False)),
    (OPENED, OPENED, (OPENED, False)),
    (ARRIVED + 1, OPENED, (ARRIVED, True)),
    (2**62, OPENED, (ARRIVED, True)),
    (2**63 - 1, OPENED, (ARRIVED, True)),
    (OPENED - 1, OPENED, (OPENED, True)),
    (0, OPENED, (OPENED, True)),
    (-1, OPENED, (OPENED, True)),
    (-(2**62), OPENED, (OPENED, True)),
    (-(2**63), OPENED, (OPENED, True)),
    # before the meeting opens, the arrival is the only instant the server knows
    (ARRIVED - 5, None, (ARRIVED, True)),
    (None, None, (ARRIVED, False)),
]


@pytest.mark.parametrize(("claimed", "opened_at", "expected"), PLACED)
def test_a_new_comment_is_placed_between_the_opening_and_its_arrival(
    claimed: int | None, opened_at: int | None, expected: tuple[int, bool]
) -> None:
    assert placed(claimed, opened_at=opened_at, arrived_at=ARRIVED) == expected


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (ARRIVED - 5, ARRIVED - 5),
        (2**62, ARRIVED),
        (-(2**62), ARRIVED - READ_BACK),
        (-1, ARRIVED - READ_BACK),
        (0, ARRIVED - READ_BACK),
    ],
)
def test_a_stored_value_of_an_older_version_is_read_near_its_recording(
    stored: int, expected: int
) -> None:
    assert readable(stored, ARRIVED) == expected
