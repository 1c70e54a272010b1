"""A message's life (``events.messages``): sent, then ended by the lead, by its phase, by its
minutes or by the close; given/when/then against the Kamloops clock."""

from __future__ import annotations

import pytest

from events import messages
from events.log.codec import canonical, codec
from events.meeting import commands as c
from events.meeting import rules as meeting
from events.messages import (
    ClearMessage,
    EndDueMessage,
    MessageEnded,
    MessageRefused,
    MessageSent,
    SendMessage,
)
from tests.meeting_fixtures import local
from tests.spec import Spec
from tests.test_placement import evening, then

given = Spec(messages).given


def warning(ends: str = "phase", **more: object) -> MessageSent:
    fields: dict[str, object] = {"text": "2 minutes left", "by": "lead-1", "message_id": "m1"}
    fields["ends"] = ends
    return MessageSent(**({**fields, **more}))  # type: ignore[arg-type]


def clock_at(time: str, *commands: c.MeetingCommand) -> EndDueMessage:
    """The clock's tick at ``time`` on the evening started at 18:53, after ``commands``."""
    state = evening()
    for command in commands:
        state = then(state, meeting.decide(command, state))
    at = local(time)
    return EndDueMessage(at=at, clock=meeting.as_of(state, at).clock)


def test_a_message_sent_in_rotation_1_with_its_phase_records_what_it_is_about() -> None:
    send = SendMessage(
        text=" 2 minutes left ",
        by="lead-1",
        message_id="m1",
        at=local("19:06"),
        ends="phase",
        phase="roundtables",
        rotation=1,
    )
    given().when(send).then(warning(phase="roundtables", rotation=1))


def test_a_timed_message_ends_at_its_minutes() -> None:
    send = SendMessage(
        text="Back in 5", by="lead-1", message_id="m2", at=local("19:55"), ends="minutes", minutes=5
    )
    sent = messages.decide(send, messages.initial_state)
    assert sent == [warning("minutes", text="Back in 5", message_id="m2", until=local("20:00"))]
    given(*sent).when(clock_at("19:59:59")).then_nothing()
    given(*sent).when(clock_at("20:01")).then(
        MessageEnded(message_id="m2", reason="minutes", due=local("20:00"), by="clock")
    )


def test_a_rotation_bound_message_ends_at_its_rotations_bell() -> None:
    sent = warning(phase="roundtables", rotation=1)
    given(sent).when(clock_at("19:07:30")).then_nothing()
    given(sent).when(clock_at("19:09")).then(
        MessageEnded(message_id="m1", reason="phase", due=local("19:08"), by="clock")
    )


def test_a_paused_rotation_keeps_its_message_until_it_really_ends() -> None:
    sent = warning(phase="roundtables", rotation=1)
    pause = c.PauseClock(at=local("19:00"))
    given(sent).when(clock_at("19:20", pause)).then_nothing()


def test_the_lead_clears_a_message_and_clearing_nothing_does_nothing() -> None:
    given(warning()).when(ClearMessage(by="lead-1", at=local("19:01"))).then(
        MessageEnded(message_id="m1", reason="cleared", due=local("19:01"), by="lead-1")
    )
    ended = MessageEnded(message_id="m1", reason="cleared", due=local("19:01"), by="lead-1")
    given(warning(), ended).when(ClearMessage(by="lead-1", at=local("19:02"))).then_nothing()


def test_closing_the_meeting_ends_every_message() -> None:
    sent = warning("cleared")
    close = c.CloseMeeting(at=local("20:30"))
    given(sent).when(clock_at("20:31", close)).then(
        MessageEnded(message_id="m1", reason="closed", due=local("20:30"), by="clock")
    )


def test_a_newer_message_replaces_the_current_one() -> None:
    newer = warning("cleared", message_id="m2", text="Please move")
    state = messages.evolve(messages.evolve(messages.initial_state, warning()), newer)
    assert state.current == newer
    old_end = MessageEnded(message_id="m1", reason="phase", due=local("19:08"), by="clock")
    assert messages.evolve(state, old_end).current == newer


@pytest.mark.parametrize(
    ("ends", "minutes", "phase", "error"),
    [
        ("forever", None, None, "a message ends"),
        ("minutes", None, None, "1 to 120 minutes"),
        ("minutes", 0, None, "1 to 120 minutes"),
        ("minutes", 121, None, "1 to 120 minutes"),
        ("phase", None, None, "no phase under way"),
    ],
)
def test_a_message_must_say_how_it_ends(
    ends: str, minutes: int | None, phase: str | None, error: str
) -> None:
    send = SendMessage(
        text="Hi", by="l", message_id="m", at=0, ends=ends, minutes=minutes, phase=phase
    )
    given().when(send).then_raises(MessageRefused, match=error)


def test_a_message_stored_before_messages_had_a_life_lasts_until_cleared() -> None:
    stored = canonical({"text": "Welcome", "by": "lead-1"})
    assert codec.decode("MessageSent", 1, stored) == MessageSent(
        text="Welcome", by="lead-1", message_id="", ends="cleared"
    )
