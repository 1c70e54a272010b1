"""The summary-report decider, rule by rule and refusal by refusal, as given/when/then."""

from __future__ import annotations

import pytest

from events.decider import fold
from events.log.codec import codec
from events.report import events as e
from events.report import rules as report
from events.report.commands import (
    EditKeyTheme,
    OrderKeyThemes,
    PublishReport,
    RedactComment,
    RemoveKeyTheme,
    SetFrontMatter,
    UnredactComment,
    WriteKeyTheme,
)
from events.report.rules import NothingToPublish, ReportRefused, StalePublish, UnknownKeyTheme
from events.tables.rules import UnknownQuestion
from events.themes.commands import UnknownTopic
from events.themes.events import CommentRef
from tests.spec import Spec

TOPICS = frozenset({"crime-prevention", "social-health"})
QUESTIONS = frozenset({"working-well", "coordination", "advocacy"})
BY = "staff-1"
summary = Spec(report)
GEORGE = CommentRef(1, "t1-q2-014")


def write(kid: str, text: str = "Partnerships", question: str = "working-well") -> WriteKeyTheme:
    return WriteKeyTheme(
        key_theme_id=kid,
        topic="crime-prevention",
        question=question,
        text=text,
        topics=TOPICS,
        questions=QUESTIONS,
        by=BY,
    )


def written(kid: str, text: str = "Partnerships", question: str = "working-well") -> e.Event:
    return e.ReportThemeWritten(
        key_theme_id=kid, topic="crime-prevention", question=question, text=text, by=BY
    )


def test_writing_a_key_theme_trims_it() -> None:
    summary.when(write("k1", "  Partnerships  ")).then(written("k1"))


def test_writing_the_same_key_theme_again_does_nothing_and_another_under_its_id_is_refused() -> (
    None
):
    summary.given(written("k1")).when(write("k1")).then_nothing()
    summary.given(written("k1")).when(write("k1", "Other")).then_raises(ReportRefused, "already")


@pytest.mark.parametrize(
    ("text", "match"),
    [("   ", "needs some text"), ("x" * 501, "at most 500"), ("two\nlines", "U\\+000A")],
)
def test_a_key_theme_must_be_one_line_of_reasonable_length(text: str, match: str) -> None:
    summary.when(write("k1", text)).then_raises(ReportRefused, match)


def test_a_key_theme_needs_a_topic_and_question_of_the_meeting() -> None:
    summary.when(write("k1", question="nope")).then_raises(UnknownQuestion)
    command = WriteKeyTheme(
        key_theme_id="k1",
        topic="nope",
        question="advocacy",
        text="x",
        topics=TOPICS,
        questions=QUESTIONS,
        by=BY,
    )
    summary.when(command).then_raises(UnknownTopic)


def test_editing_and_removing_a_key_theme() -> None:
    summary.given(written("k1")).when(EditKeyTheme(key_theme_id="k1", text="New", by=BY)).then(
        e.ReportThemeEdited(key_theme_id="k1", text="New", by=BY)
    )
    summary.given(written("k1")).when(
        EditKeyTheme(key_theme_id="k1", text="Partnerships", by=BY)
    ).then_nothing()
    summary.given(written("k1")).when(RemoveKeyTheme(key_theme_id="k1", by=BY)).then(
        e.ReportThemeRemoved(key_theme_id="k1", by=BY)
    )
    removed = (written("k1"), e.ReportThemeRemoved(key_theme_id="k1", by=BY))
    summary.given(*removed).when(RemoveKeyTheme(key_theme_id="k1", by=BY)).then_nothing()
    summary.given(*removed).when(EditKeyTheme(key_theme_id="k1", text="x", by=BY)).then_raises(
        UnknownKeyTheme
    )
    summary.given(*removed).when(write("k1")).then_raises(ReportRefused, "already")


def test_key_themes_keep_the_order_staff_give_them() -> None:
    history = (written("k1"), written("k2"), written("k3"))
    order = OrderKeyThemes(
        topic="crime-prevention", question="working-well", key_theme_ids=("k3", "k1", "k2"), by=BY
    )
    summary.given(*history).when(order).then(
        e.ReportThemesOrdered(
            topic="crime-prevention",
            question="working-well",
            key_theme_ids=("k3", "k1", "k2"),
            by=BY,
        )
    )
    state = fold(report, (*history, *summary.given(*history).when(order).decided()))
    assert state.order[("crime-prevention", "working-well")] == ("k3", "k1", "k2")
    removed = report.evolve(state, e.ReportThemeRemoved(key_theme_id="k1", by=BY))
    assert removed.order[("crime-prevention", "working-well")] == ("k3", "k2")


def test_an_order_must_name_every_key_theme_of_its_scope_once() -> None:
    history = (written("k1"), written("k2"), written("k9", question="advocacy"))
    for ids in (("k1",), ("k1", "k1", "k2"), ("k1", "k2", "k9")):
        order = OrderKeyThemes(
            topic="crime-prevention", question="working-well", key_theme_ids=ids, by=BY
        )
        summary.given(*history).when(order).then_raises(ReportRefused, "once each")


def test_front_matter_is_plain_text_with_normal_line_ends() -> None:
    command = SetFrontMatter(part="intro", text="  First.\r\n\r\nSecond line  \r\n", by=BY)
    summary.when(command).then(
        e.ReportFrontMatterSet(part="intro", text="First.\n\nSecond line", by=BY)
    )
    summary.given(e.ReportFrontMatterSet(part="intro", text="First.", by=BY)).when(
        SetFrontMatter(part="intro", text="First.", by=BY)
    ).then_nothing()
    summary.when(SetFrontMatter(part="outro", text="x", by=BY)).then_raises(ReportRefused)
    summary.when(SetFrontMatter(part="intro", text="a\x07b", by=BY)).then_raises(
        ReportRefused, "U\\+0007"
    )


def test_redacting_needs_a_known_comment_and_a_reason() -> None:
    redact = RedactComment(comment=GEORGE, reason="names a private person", known=True, by=BY)
    summary.when(redact).then(
        e.CommentRedacted(comment=GEORGE, reason="names a private person", by=BY)
    )
    redacted = e.CommentRedacted(comment=GEORGE, reason="x", by=BY)
    summary.given(redacted).when(redact).then_nothing()
    unknown = RedactComment(comment=GEORGE, reason="x", known=False, by=BY)
    summary.when(unknown).then_raises(ReportRefused, "no comment")
    no_reason = RedactComment(comment=GEORGE, reason=" ", known=True, by=BY)
    summary.when(no_reason).then_raises(ReportRefused, "reason")


def test_unredacting_takes_a_redaction_back() -> None:
    redacted = e.CommentRedacted(comment=GEORGE, reason="x", by=BY)
    summary.given(redacted).when(UnredactComment(comment=GEORGE, by=BY)).then(
        e.CommentUnredacted(comment=GEORGE, by=BY)
    )
    summary.when(UnredactComment(comment=GEORGE, by=BY)).then_nothing()
    assert fold(report, (redacted, e.CommentUnredacted(comment=GEORGE, by=BY))).redacted == {}


def test_publishing_numbers_versions_and_needs_a_change_since_the_last() -> None:
    first = e.ReportPublished(version=1, by=BY)
    summary.when(PublishReport(version=None, by=BY)).then(first)
    summary.given(first).when(PublishReport(version=None, by=BY)).then_raises(
        NothingToPublish, "since version 1"
    )
    summary.given(first, written("k1")).when(PublishReport(version=2, by=BY)).then(
        e.ReportPublished(version=2, by=BY)
    )
    summary.given(first, written("k1")).when(PublishReport(version=3, by=BY)).then_raises(
        StalePublish, "not 3"
    )


def test_every_report_event_is_registered_and_round_trips() -> None:
    for event in (
        written("k1"),
        e.ReportThemesOrdered(
            topic="crime-prevention", question="advocacy", key_theme_ids=("a", "b"), by=BY
        ),
        e.CommentRedacted(comment=GEORGE, reason="x", by=BY),
        e.ReportPublished(version=1, by=BY),
    ):
        assert codec.decode(*codec.encode(event)) == event
    assert report.stream_id("kamloops") == "summary-kamloops"
