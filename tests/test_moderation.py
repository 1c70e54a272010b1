"""The lead's moderation of the projected wall: the decider, the one rule of when a comment is on
the wall (and the wall page's copy of it, run in Chromium against the same table), the fold."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from playwright.async_api import Browser

from client.live import CommandRefused, LiveClient
from events.instants import MINUTE
from events.themes import moderation
from events.themes.moderation import (
    ApproveComment,
    Choice,
    CommentApproved,
    CommentTakenOff,
    ModerationRefused,
    SetWallRule,
    Standing,
    TakeOffWall,
    WallRuleSet,
    since,
    stream_id,
)
from harness.browser import page_url
from harness.servers import Server, token
from projections.moderation import ModerationView, evolve, render
from tests.spec import Spec
from tests.test_projection_theme_wall import M, records

wall = Spec(moderation)
BY = "lead-laptop"
ADDED = 1_686_880_000_000_000
"""When the comment reached the server (µs)."""


def rule(name: str, minutes: int | None = None) -> WallRuleSet:
    return WallRuleSet(rule=name, minutes=minutes, by=BY)


def approved(table: int = 2, comment_id: str = "c1") -> CommentApproved:
    return CommentApproved(table=table, comment_id=comment_id, by=BY)


def taken_off(table: int = 2, comment_id: str = "c1") -> CommentTakenOff:
    return CommentTakenOff(table=table, comment_id=comment_id, by=BY)


def test_a_rule_is_set_once_and_choosing_it_again_records_nothing() -> None:
    wall.given().when(SetWallRule(rule="approve", minutes=None, by=BY)).then(rule("approve"))
    wall.given().when(SetWallRule(rule="after", minutes=5, by=BY)).then(rule("after", 5))
    wall.given(rule("after", 5)).when(SetWallRule(rule="after", minutes=3, by=BY)).then(
        rule("after", 3)
    )
    wall.given(rule("after", 5)).when(SetWallRule(rule="after", minutes=5, by=BY)).then_nothing()
    wall.given().when(SetWallRule(rule="off", minutes=None, by=BY)).then_nothing()  # the default


@pytest.mark.parametrize(
    ("name", "minutes", "refusal"),
    [
        ("always", None, "one of off, approve, after"),
        ("after", None, "minutes from 1 to 60"),
        ("after", 0, "minutes from 1 to 60"),
        ("after", 61, "minutes from 1 to 60"),
        ("approve", 5, "minutes go with the 'after' rule only"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(
    name: str, minutes: int | None, refusal: str
) -> None:
    command = SetWallRule(rule=name, minutes=minutes, by=BY)
    wall.given().when(command).then_raises(ModerationRefused, refusal)


def test_approving_and_taking_off_are_the_last_word_on_a_comment() -> None:
    approve = ApproveComment(table=2, comment_id="c1", by=BY)
    take_off = TakeOffWall(table=2, comment_id="c1", by=BY)
    wall.given().when(approve).then(approved())
    wall.given(approved()).when(approve).then(approved())  # the words read now (edited since?)
    wall.given(approved()).when(take_off).then(taken_off())
    wall.given(approved(), taken_off()).when(take_off).then_nothing()
    wall.given(taken_off()).when(approve).then(approved())  # the lead changed their mind
    wall.given(approved(table=3)).when(approve).then(approved())  # another table's c1


APPROVED_AT = ADDED + 2 * MINUTE
TAKEN_OFF = Choice(approved=False, at=ADDED + MINUTE)
APPROVED = Choice(approved=True, at=APPROVED_AT)

EDITED_BEFORE = ADDED + MINUTE
EDITED_AFTER = APPROVED_AT + MINUTE

WAIT = 5 * MINUTE
"""The ``after`` rule's five minutes."""

SINCE: list[tuple[str, str, int | None, Choice | None, int | None, int | None]] = [
    # (case, rule, minutes, the lead's last word, last edited, on the wall from)
    ("off: nothing", "off", None, None, None, None),
    ("off: not even approved", "off", None, APPROVED, None, None),
    ("approve: waits for the lead", "approve", None, None, None, None),
    ("approve: from the approval", "approve", None, APPROVED, None, APPROVED_AT),
    ("approve: edited, then approved", "approve", None, APPROVED, EDITED_BEFORE, APPROVED_AT),
    ("approve: edited since, waits again", "approve", None, APPROVED, EDITED_AFTER, None),
    ("approve: taken off", "approve", None, TAKEN_OFF, None, None),
    ("after: N minutes after it arrived", "after", 5, None, None, ADDED + WAIT),
    ("after: N minutes after its edit", "after", 5, None, EDITED_BEFORE, EDITED_BEFORE + WAIT),
    ("after: approved sooner", "after", 5, APPROVED, None, APPROVED_AT),
    ("after: edited since approved", "after", 5, APPROVED, EDITED_AFTER, EDITED_AFTER + WAIT),
    ("after: taken off, never", "after", 5, TAKEN_OFF, None, None),
]


@pytest.mark.parametrize(("case", "name", "minutes", "choice", "edited", "expected"), SINCE)
def test_when_a_comment_is_on_the_wall(
    case: str,
    name: str,
    minutes: int | None,
    choice: Choice | None,
    edited: int | None,
    expected: int | None,
) -> None:
    choices = MappingProxyType({} if choice is None else {(2, "c1"): choice})
    assert since(Standing(name, minutes, choices), (2, "c1"), ADDED, edited) == expected, case
    assert since(Standing(name, minutes, choices), (3, "c1"), ADDED) == (
        ADDED + WAIT if name == "after" else None
    ), "the lead's word is about one comment of one table"


def test_the_view_folds_the_rule_and_each_comments_last_word_with_its_time() -> None:
    events = [rule("approve"), approved(), approved(3, "c9"), taken_off(), rule("after", 2)]
    view = ModerationView()
    for recorded in records(*((stream_id(M), event) for event in events)):
        view = evolve(view, recorded)  # recorded at 1000 + its position
    assert render(view) == {
        "rule": "after",
        "minutes": 2,
        "choices": [[2, "c1", False, 1004], [3, "c9", True, 1003]],
    }
    assert view.position == 5
    assert render(ModerationView()) == {"rule": "off", "minutes": None, "choices": []}


@pytest.mark.asyncio(loop_scope="session")
async def test_the_wall_pages_copy_of_the_rule_answers_the_same_table(
    browser: Browser, evening_server: tuple[Server, str]
) -> None:
    server, _ = evening_server
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(page_url(server, "/static/css/wall.css"))
        cases = [
            {
                "view": {
                    "rule": name,
                    "minutes": minutes,
                    "choices": [] if choice is None else [[2, "c1", choice.approved, choice.at]],
                },
                "edited": edited,
                "expected": expected,
            }
            for _, name, minutes, choice, edited, expected in SINCE
        ]
        answers = await page.evaluate(
            """async ([cases, added]) => {
              const { since, standingOf } = await import('/static/js/wall_rule.js');
              return cases.map(({ view, edited }) =>
                since(standingOf(view), '2/c1', added, edited));
            }""",
            [cases, ADDED],
        )
        assert answers == [c["expected"] for c in cases]
    finally:
        await context.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_refusals_go_to_the_sender_only_and_the_wall_goes_on(
    evening_server: tuple[Server, str],
) -> None:
    server, meeting_id = evening_server
    lead = token(meeting_id, "lead", device="lead-laptop")
    observer = token(meeting_id, "observer", device="wall")
    async with LiveClient(server.ws, lead) as client, LiveClient(server.ws, observer) as wall:
        refusals = [
            ("set_wall_rule", {"rule": "always"}, "invalid_moderation"),
            ("set_wall_rule", {"rule": "after", "minutes": 0}, "invalid_moderation"),
            ("set_wall_rule", {"rule": "after", "minutes": "5"}, "invalid_field"),
            ("approve_comment", {"table": 2, "comment_id": "nobody"}, "unknown_comment"),
            ("take_off_wall", {"table": 9, "comment_id": "nobody"}, "unknown_comment"),
        ]
        for name, data, code in refusals:
            with pytest.raises(CommandRefused) as refused:
                await client.command(name, data)
            assert refused.value.code == code, name
        with pytest.raises(CommandRefused) as refused:
            await wall.command("set_wall_rule", {"rule": "approve"})
        assert refused.value.code == "forbidden"
        # Nothing was recorded; the next good choice goes through and reaches the wall.
        ack = await client.command("set_wall_rule", {"rule": "after", "minutes": 5})
        await wall.wait_for_position(int(ack["position"]))
        assert [e["event_type"] for e in wall.events if e["stream"].startswith("moderation-")] == [
            "WallRuleSet"
        ]
    async with LiveClient(server.ws, observer) as again:
        view = again.state["views"]["moderation"]
        assert view == {"rule": "after", "minutes": 5, "choices": []}
