"""The replayed views as Markdown, for a person: the clock, each table's comments per question
(sub-bullets nested), the theme wall per topic and question, and the report-back.

It reads the rendered views (the data ``--format json`` prints), never the folds, so what it
shows is what the screens showed. Times are the meeting's local wall-clock times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from events.instants import to_datetime

View = dict[str, Any]


def markdown(views: dict[str, View], *, position: int, at: int | None) -> str:
    """The whole replay: a heading, then one section per view (views it does not know, and the
    vote before there is one, are left out: the JSON has them)."""
    meeting = views["meeting"]
    clock = _Clock(meeting["timezone"])
    when = f"{clock.time(at)} ({meeting['timezone']})" if at is not None else "the start"
    lines = [
        f"# {meeting['title']}: as at {when}, position {position}",
        "",
        f"{meeting['venue']}, {meeting['date']}; meeting `{meeting['meeting_id']}` "
        f"is {meeting['status']}.",
    ]
    for name, section in SECTIONS:
        body = section(views[name], views, clock) if name in views else []
        if body:
            lines += ["", *body]
    return "\n".join(lines) + "\n"


class _Clock:
    """Instants shown as the meeting's local times."""

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone

    def time(self, instant: int | None) -> str:
        if instant is None:
            return "-"
        return to_datetime(instant, self.timezone).strftime("%H:%M:%S")


def _meeting(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    state = view["clock"]
    rotation = view["rotation"] or {}
    lines = ["## Clock", ""]
    phase = state["phase"] or "not started"
    if state["rotation"] is not None:
        phase += f", rotation {state['rotation']} of {rotation.get('count', '?')}"
    lines.append(f"- Phase: {phase} (since {clock.time(state['since'])})")
    if state["paused_at"] is not None:
        lines.append(
            f"- Paused at {clock.time(state['paused_at'])}, "
            f"{state['remaining'] // 60_000_000} min left"
        )
    elif state["ends"] is not None:
        lines.append(f"- Ends at {clock.time(state['ends'])}")
    lines += ["", "| segment | rotation | start | end | status |", "|---|---|---|---|---|"]
    for s in view["schedule"]:
        lines.append(
            f"| {s['phase']} | {s['rotation'] or ''} | {clock.time(s['start'])} "
            f"| {clock.time(s['end'])} | {s['status']} |"
        )
    return lines


def _announcements(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    message = view["message"]
    if message is None and not view["wall_held"]:
        return ["## Announcements", "", "- none"]
    lines = ["## Announcements", ""]
    if message is not None:
        text = _one_line(message["text"])
        lines.append(f"- To the tablets at {clock.time(message['at'])}: {text}")
    if view["wall_held"]:
        lines.append("- The projected wall is on its hold screen.")
    return lines


def _tables(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    meeting = views["meeting"]
    prompts = _names(meeting)[1]
    lines: list[str] = []
    for table in meeting["tables"]:
        shown = view.get(str(table["number"]))
        if shown is None:
            continue
        by = f" ({table['facilitator']})" if table["facilitator"] else ""
        lines += [
            *([""] if lines else []),
            f"## Table {table['number']}: {table['topic_title']}{by}",
        ]
        for question in shown["questions"]:
            lines += ["", f"### {prompts.get(question['question'], question['question'])}", ""]
            if not question["comments"]:
                lines.append("- (nothing yet)")
            for comment in question["comments"]:
                lines.append(f"- {_comment(comment, clock)}")
                lines += [f"  - {_comment(child, clock)}" for child in comment["children"]]
    return lines


def _comment(comment: View, clock: _Clock) -> str:
    marks = [f"rotation {comment['rotation']}" if comment["rotation"] else comment["phase"]]
    marks.append(clock.time(comment["typed_at"]))
    marks += [mark for mark in ("late", "edited", "starred") if comment[mark]]
    return f"{_one_line(comment['text'])} _({', '.join(marks)})_"


def _wall(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    topics, prompts = _names(views["meeting"])
    lines = ["## Theme wall"]
    for topic in view["topics"]:
        scopes = [q for q in topic["questions"] if q["themes"]]
        if not scopes:
            continue
        lines += ["", f"### {topics.get(topic['topic'], 'Across topics')}"]
        for scope in scopes:
            lines += ["", f"#### {prompts.get(scope['question'], 'Any question')}", ""]
            for theme in scope["themes"]:
                key = f" (key theme {theme['key_rank']})" if theme["key_rank"] else ""
                lines.append(f"- **{_one_line(theme['title'])}**{key}: {_backing(theme)}")
                lines += [
                    f"  - {_one_line(c['text'])} _(table {c['table']})_" for c in theme["comments"]
                ]
    if len(lines) == 1:
        lines += ["", "- no themes yet"]
    return lines


def _report_back(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    frozen = " (frozen)" if view["frozen"] else ""
    lines = [f"## Report-back{frozen}"]
    topics = [(t["title"], t["questions"]) for t in view["topics"]]
    if view["across_topics"]:
        topics.append(("Across topics", view["across_topics"]))
    for title, sections in topics:
        lines += ["", f"### {title}"]
        for section in sections:
            lines += ["", f"#### {section['prompt'] or 'Any question'}", ""]
            if not section["key_themes"]:
                lines.append(f"- ({section['status'].replace('_', ' ')})")
            for theme in section["key_themes"]:
                lines.append(f"{theme['rank']}. **{_one_line(theme['title'])}**: {_backing(theme)}")
    return lines


def _voting(view: View, views: dict[str, View], clock: _Clock) -> list[str]:
    """The room's vote as the presentation showed it then (its counts, unless held back)."""
    if view["round"] is None:
        return []  # no vote yet: no section
    state = "open" if view["open"] else "closed"
    lines = [
        "## The room's vote",
        "",
        f"Round {view['round']}, {state}, {view['dots']} dot{'s' * (view['dots'] != 1)} a phone.",
    ]
    counts = view["counts"]
    if counts is None:
        return [*lines, "", "- counts held back until the close"]
    lines += [f"{counts['phones']} phone{'s' * (counts['phones'] != 1)} voted.", ""]
    for theme in view["themes"]:
        phones = counts["dots"].get(theme["theme_id"], 0)
        paper = counts["paper"].get(theme["theme_id"], 0)
        on_paper = f" ({paper} on paper)" if paper else ""
        lines.append(f"- {_one_line(theme['title'])}: {phones + paper} dots{on_paper}")
    return lines


def _backing(theme: View) -> str:
    """How widely a theme was heard: ``3 comments from 2 tables``."""
    count, tables = theme["count"], len(theme["tables"])
    return f"{count} comment{'s' * (count != 1)} from {tables} table{'s' * (tables != 1)}"


def _names(meeting: View) -> tuple[dict[str | None, str], dict[str | None, str]]:
    topics = {t["id"]: t["title"] for t in meeting["topics"]}
    prompts = {q["id"]: q["prompt"] for q in meeting["questions"]}
    return topics, prompts


def _one_line(text: str) -> str:
    """Text as typed, made safe for one Markdown list line (no stray emphasis or HTML; a
    line break stored by an older version becomes a space)."""
    return "".join(
        f"\\{ch}" if ch in "\\`*_[]<>#|" else " " if ch in LINE_BREAKS else ch for ch in text
    )


LINE_BREAKS = frozenset("\n\r\v\f\x85\u2028\u2029")


Section = Callable[[View, dict[str, View], _Clock], list[str]]

SECTIONS: tuple[tuple[str, Section], ...] = (
    ("meeting", _meeting),
    ("announcements", _announcements),
    ("tables", _tables),
    ("wall", _wall),
    ("report_back", _report_back),
    ("voting", _voting),
)
"""Each view's section, in reading order (the topics view repeats the tables: left out)."""
