"""The report-back view: key themes in the lead's order with their support, empty sections
that say why, an early end, a freeze that holds what the room saw, and a canonical rebuild."""

from __future__ import annotations

from typing import Any

import orjson

from events.instants import MINUTE
from events.log.codec import Event, codec
from events.log.envelope import Metadata, Recorded
from events.meeting import rules as meeting
from events.meeting.commands import (
    JumpToReportBack,
    MeetingCommand,
    OpenMeeting,
    StartRoundtables,
    TickClock,
)
from events.report import report_back as rb
from events.tables import events as c
from events.tables.rules import table_number
from events.themes import events as t
from events.themes import rules as themes
from events.themes.events import CommentRef
from projections import meeting as meeting_views
from projections import report_back, theme_wall
from projections import table as table_views
from projections.catalog import fold
from projections.meeting import MeetingView
from projections.screens import render_report_back
from projections.table import TableView
from projections.theme_wall import ThemeWallView
from server.seed import rehearsal

START = 1_686_880_000_000_000
QUESTIONS = ["working-well", "coordination", "advocacy"]
TOPICS = ["crime-prevention", "social-health", "streets-public-spaces", "enforcement-justice"]
HEALTH = 1  # table 1 is on Social and Health Infrastructure; table 4 on Crime Prevention


class Log:
    """A meeting's log built in memory: the meeting decided by its own rules, the rest given."""

    def __init__(self) -> None:
        plan = rehearsal(START - 10 * MINUTE)
        self.meeting_id = plan.meeting_id
        self.records: list[Recorded] = []
        self.versions: dict[str, int] = {}
        self.state = meeting.initial_state
        self.run(plan)
        self.run(OpenMeeting(at=START - 5 * MINUTE))
        self.run(StartRoundtables(at=START))

    def run(self, command: MeetingCommand) -> None:
        for event in meeting.decide(command, self.state):
            self.state = meeting.evolve(self.state, event)
            self.add(meeting.stream_id(self.meeting_id), event)

    def add(self, stream: str, event: Event) -> None:
        self.versions[stream] = self.versions.get(stream, 0) + 1
        name, schema, data = codec.encode(event)
        position = len(self.records) + 1
        self.records.append(
            Recorded(
                position=position,
                stream_id=stream,
                version=self.versions[stream],
                meeting_id=self.meeting_id,
                event_id=f"e{position}",
                type=name,
                schema=schema,
                data=data,
                digest="",
                metadata=Metadata(),
                recorded_at=START + position,
                hash="",
            )
        )

    def comment(
        self, table: int, cid: str, question: str, text: str, rotation: int = 1, **more: Any
    ) -> None:
        event = c.CommentAdded(
            comment_id=cid,
            question=question,
            text=text,
            parent=more.get("parent"),
            rotation=rotation,
            group=None,
            phase="roundtables",
            late=False,
            typed_at=START + rotation * MINUTE + len(self.records),
            by=f"tablet-{table}",
        )
        self.add(f"table-{self.meeting_id}-{table}", event)

    def table(self, table: int, event: Event) -> None:
        self.add(f"table-{self.meeting_id}-{table}", event)

    def theme(self, event: Event) -> None:
        self.add(themes.stream_id(self.meeting_id), event)

    def key_theme(self, tid: str, title: str, topic: str | None, question: str | None, *refs: Any):
        self.theme(
            t.ThemeCreated(theme_id=tid, title=title, topic=topic, question=question, by="L")
        )
        for table, cid in refs:
            ref = CommentRef(table, cid)
            self.theme(t.CommentAddedToTheme(theme_id=tid, comment=ref, previous=None, by="L"))
        self.theme(t.ThemeMarkedKey(theme_id=tid, by="L"))

    def freeze(self, frozen: bool) -> None:
        event = rb.ReportBackFrozen(by="L") if frozen else rb.ReportBackUnfrozen(by="L")
        self.add(rb.stream_id(self.meeting_id), event)

    def view(self) -> dict[str, Any]:
        return render_report_back(fold(self.records).scene(self.meeting_id))


def evening() -> Log:
    """Two rotations at table 1 (health) and one at table 4 (crime prevention), themed."""
    log = Log()
    log.comment(HEALTH, "h1", "coordination", "Detox beds", rotation=1)
    log.comment(HEALTH, "h1a", "coordination", "Dry housing", parent="h1")
    log.comment(HEALTH, "h2", "coordination", "One phone number for services", rotation=2)
    log.comment(HEALTH, "h3", "coordination", "Shared case plans", rotation=2)
    log.comment(HEALTH, "h4", "working-well", "Car 40", rotation=1)
    log.comment(4, "p1", "working-well", "CSO outreach", rotation=1)
    log.table(HEALTH, c.CommentStarred(comment_id="h3", by="tablet-1"))
    log.table(HEALTH, c.CommentStarred(comment_id="h1a", by="tablet-1"))
    log.key_theme("k-beds", "Detox and treatment beds", "social-health", "coordination",
                  (1, "h1"), (1, "h1a"), (1, "h2"))  # fmt: skip
    log.key_theme("k-plans", "Shared case plans", "social-health", "coordination", (1, "h3"))
    log.theme(
        t.KeyThemesOrdered(
            topic="social-health",
            question="coordination",
            theme_ids=("k-plans", "k-beds"),
            by="L",
        )
    )
    return log


def section(view: dict[str, Any], topic: str, question: str | None) -> dict[str, Any]:
    (found,) = [
        q
        for t_ in view["topics"]
        if t_["topic"] == topic
        for q in t_["questions"]
        if q["question"] == question
    ]
    return found


def test_key_themes_in_the_lead_order_with_their_comments_counts_and_stars() -> None:
    view = evening().view()
    coordination = section(view, "social-health", "coordination")
    assert coordination["status"] == "key_themes"
    assert coordination["prompt"].startswith("What can we do to improve the coordination")
    plans, beds = coordination["key_themes"]
    assert (plans["title"], plans["rank"], beds["title"], beds["rank"]) == (
        "Shared case plans",
        1,
        "Detox and treatment beds",
        2,
    )
    assert [x["text"] for x in beds["comments"]] == [
        "Detox beds",
        "Dry housing",
        "One phone number for services",
    ]
    assert beds["count"] == 3
    assert beds["tables"] == [{"table": 1, "comments": 3}]
    assert beds["rotations"] == [{"rotation": 1, "comments": 2}, {"rotation": 2, "comments": 1}]
    assert (beds["stars"], plans["stars"]) == (1, 1)
    assert coordination["count"] == 4
    assert coordination["starred"] == []  # both starred comments are in key themes


def test_every_topic_has_every_question_and_empty_ones_say_why() -> None:
    log = evening()
    log.table(4, c.CommentStarred(comment_id="p1", by="tablet-4"))
    view = log.view()
    assert [x["topic"] for x in view["topics"]] == TOPICS
    for each in view["topics"]:
        assert [q["question"] for q in each["questions"]] == QUESTIONS
    assert section(view, "social-health", "working-well")["status"] == "no_key_themes"
    assert section(view, "social-health", "advocacy")["status"] == "no_comments"
    assert section(view, "enforcement-justice", "advocacy")["key_themes"] == []
    assert section(view, "enforcement-justice", "advocacy")["count"] == 0
    crime = section(view, "crime-prevention", "working-well")
    assert crime["status"] == "no_key_themes"
    assert [x["text"] for x in crime["starred"]] == ["CSO outreach"]  # starred, no key theme yet
    assert view["across_topics"] == []


def test_while_the_roundtables_run_and_after_an_early_end() -> None:
    log = evening()
    log.run(TickClock(at=START + 20 * MINUTE))
    running = log.view()
    assert running["rotations"] == {"planned": 4, "held": 2, "skipped": 0, "running": True}
    assert running["phase_kind"] == "roundtables"
    log.run(JumpToReportBack(at=START + 25 * MINUTE))
    ended = log.view()
    assert ended["rotations"] == {"planned": 4, "held": 2, "skipped": 2, "running": False}
    assert ended["phase_kind"] == "report_back"
    assert section(ended, "social-health", "coordination")["status"] == "key_themes"


def test_key_themes_for_any_question_and_across_topics_get_their_own_sections() -> None:
    log = evening()
    log.key_theme("k-any", "Outreach", "social-health", None, (1, "h4"))
    log.key_theme("k-across", "Treatment everywhere", None, None, (4, "p1"))
    view = log.view()
    health = next(x for x in view["topics"] if x["topic"] == "social-health")
    assert [q["question"] for q in health["questions"]] == [*QUESTIONS, None]
    (any_question,) = health["questions"][-1]["key_themes"]
    assert any_question["title"] == "Outreach"
    (across,) = view["across_topics"]
    assert across["question"] is None
    assert [k["title"] for k in across["key_themes"]] == ["Treatment everywhere"]
    assert across["count"] == 1
    assert across["tables"] == [{"table": 4, "comments": 1}]


def test_a_retracted_comment_and_a_merged_key_theme_drop_out() -> None:
    log = evening()
    log.table(HEALTH, c.CommentRetracted(comment_id="h2", by="tablet-1"))
    log.theme(t.ThemesMerged(theme_id="k-plans", into="k-beds", comments=(CommentRef(1, "h3"),),
                             by="L"))  # fmt: skip
    (beds,) = section(log.view(), "social-health", "coordination")["key_themes"]
    assert [x["text"] for x in beds["comments"]] == [
        "Detox beds",
        "Dry housing",
        "Shared case plans",
    ]
    assert beds["rank"] == 1


def test_a_frozen_report_back_shows_what_stood_before_the_freeze() -> None:
    log = evening()
    before = log.view()
    log.freeze(True)
    frozen_at = len(log.records)
    log.key_theme("k-late", "Promoted after the freeze", "social-health", "advocacy", (1, "h4"))
    log.table(HEALTH, c.CommentEdited(comment_id="h1", text="Edited after the freeze", by="t"))
    frozen = log.view()
    assert frozen["frozen"] is True
    assert frozen["frozen_at"] == frozen_at
    assert {**frozen, "frozen": False, "frozen_at": None} == before
    log.freeze(False)
    live = log.view()
    assert live["frozen"] is False
    assert section(live, "social-health", "advocacy")["key_themes"][0]["title"] == (
        "Promoted after the freeze"
    )


def test_the_view_is_canonical_and_equals_the_one_from_the_separate_folds() -> None:
    log = evening()
    records = log.records
    m = log.meeting_id
    meeting_view, wall = MeetingView(), ThemeWallView(m)
    tables = {n: TableView(m, n) for n in (1, 4)}
    for record in records:  # each view folded alone, from its own stream, without the catalog
        if record.stream_id == meeting.stream_id(m):
            meeting_view = meeting_views.evolve(meeting_view, record)
        elif record.stream_id == themes.stream_id(m):
            wall = theme_wall.evolve(wall, record)
        elif (number := table_number(record.stream_id, m)) is not None:
            tables[number] = table_views.evolve(tables[number], record)
    states = {n: view.state for n, view in tables.items()}
    separate = report_back.dumps(meeting_view, states, wall)
    whole = fold(records)
    assert orjson.loads(separate) == log.view()
    sources = whole.sources(m)
    assert separate == report_back.dumps(
        sources.meeting, sources.tables, sources.wall, whole.freeze(m)
    )


def test_an_empty_log_and_a_meeting_without_comments() -> None:
    empty = render_report_back(fold([]).scene("nothing"))
    assert empty["meeting_id"] is None
    assert empty["topics"] == []
    view = Log().view()
    statuses = {q["status"] for x in view["topics"] for q in x["questions"]}
    assert statuses == {"no_comments"}
    assert view["rotations"]["held"] == 1
