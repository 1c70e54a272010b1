"""The notification of an append on PostgreSQL: its rows when they fit, else its last position."""

from __future__ import annotations

import pytest

from events.log import notice as log_notice


def row(position: int, text: str) -> tuple[object, ...]:
    data = f'{{"text": "{text}"}}'.encode()
    return (position, f"e{position}", "s", position, "m", "Noted", 2, data, "d", b"{}", 7, "h")


def test_rows_that_fit_come_back_as_they_were() -> None:
    rows = [row(4, "é and \u2603"), row(5, "")]
    payload = log_notice.encode(rows)
    assert log_notice.last(payload) == 5
    assert log_notice.rows(payload) == rows


def test_rows_that_do_not_fit_leave_only_the_last_position() -> None:
    rows = [row(p, "x" * 400) for p in range(1, 21)]
    payload = log_notice.encode(rows)
    assert payload == "20"
    assert log_notice.last(payload) == 20
    assert log_notice.rows(payload) == []


@pytest.mark.parametrize("payload", ["", "x", "-1", "[]", " 7"])
def test_a_notice_names_its_last_position_first(payload: str) -> None:
    with pytest.raises(ValueError, match="not a log notice"):
        log_notice.last(payload)


@pytest.mark.parametrize(
    "payload",
    [
        "1 ",
        "1 []",
        "1 {}",
        "1 not json",
        "1 [[1]]",
        '1 [["1", 2]]',
        '1 [[1,2,3,4,5,6,7,"!",9,10,11,12]]',
    ],
)
def test_rows_that_are_not_the_logs_are_refused(payload: str) -> None:
    with pytest.raises(ValueError, match="not a log notice"):
        log_notice.rows(payload)
