"""Meeting templates: a JSON file in the shape of the Kamloops data file, read into a command.

This module only reads the file's shape (types, dates, times of day); the rules a meeting
must follow (no overlapping agenda items, tables on known topics...) are the meeting
decider's, so an edit made later meets the same ones. ``comments`` and ``key_themes`` in a
template are ignored. Every error names the field (``agenda[3].start``) and the problem.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

from events.errors import RoundtableError
from events.instants import hhmm, local_instant, zone
from events.meeting.commands import ScheduleMeeting
from events.meeting.plan import AgendaItem, Question, Rotations, Seat, Table, Topic, rotating_seats
from server.failures import FileFailure

_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class TemplateError(RoundtableError):
    """A template that cannot be read as a meeting."""

    code = "bad_template"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


def read(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FileFailure(f"cannot read the template {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise TemplateError("template", f"{path} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateError(
            "template", f"{path} is not JSON ({error.msg} at line {error.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise TemplateError("template", "expected one JSON object")
    return data


def schedule_command(data: Mapping[str, Any], meeting_id: str) -> ScheduleMeeting:
    """The command that schedules the meeting ``data`` describes, as ``meeting_id``."""
    meeting = _object(data.get("meeting"), "meeting")
    timezone = _text(meeting, "timezone", "meeting")
    try:
        zone(timezone)
    except ValueError as error:
        raise TemplateError("meeting.timezone", str(error)) from None
    day_text = _text(meeting, "date", "meeting")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise TemplateError("meeting.date", f"{day_text!r} is not a date (YYYY-MM-DD)") from None
    clock = _Clock(day, timezone)
    agenda = _agenda(_list(data.get("agenda"), "agenda"), clock)
    topics = tuple(
        Topic(topic_id=_text(t, "id", p), title=_text(t, "title", p))
        for p, t in _objects(data.get("topics"), "topics")
    )
    questions = tuple(
        Question(question_id=_text(q, "id", p), prompt=_text(q, "prompt", p))
        for p, q in _objects(data.get("questions"), "questions")
    )
    tables = tuple(
        Table(
            number=_int(t, "number", p),
            topic_id=_text(t, "topic", p),
            facilitator=_optional_text(t, "facilitator", p),
        )
        for p, t in _objects(data.get("tables"), "tables")
    )
    rotations = _rotations(_object(data.get("rotation"), "rotation"), agenda, tables, clock)
    return ScheduleMeeting(
        meeting_id=meeting_id,
        title=_text(meeting, "title", "meeting"),
        date=day.isoformat(),
        venue=_optional_text(meeting, "venue", "meeting") or "",
        timezone=timezone,
        agenda=agenda,
        topics=topics,
        questions=questions,
        tables=tables,
        rotations=rotations,
    )


class _Clock:
    """Reads ``HH:MM`` times of the meeting's day as instants in its time zone."""

    def __init__(self, day: date, timezone: str) -> None:
        self.day = day
        self.timezone = timezone

    def instant(self, value: object, path: str) -> int:
        match = _HHMM.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise TemplateError(path, f"{value!r} is not a time of day (HH:MM, 24-hour)")
        at = local_instant(self.day, time(int(match[1]), int(match[2])), self.timezone)
        if at is None:
            raise TemplateError(
                path, f"{value} does not exist on {self.day} in {self.timezone} (clocks skip it)"
            )
        return at


def _agenda(items: list[Any], clock: _Clock) -> tuple[AgendaItem, ...]:
    kinds = Counter(item.get("kind") for item in items if isinstance(item, dict))
    seen: Counter[str] = Counter()
    agenda = []
    for index, item in enumerate(items):
        path = f"agenda[{index}]"
        item = _object(item, path)
        kind = _text(item, "kind", path)
        seen[kind] += 1
        slug = kind.replace("_", "-")
        generated = slug if kinds[kind] == 1 else f"{slug}-{seen[kind]}"
        end = item.get("end")
        agenda.append(
            AgendaItem(
                item_id=_optional_text(item, "id", path) or generated,
                kind=kind,
                title=_text(item, "title", path),
                start=clock.instant(item.get("start"), f"{path}.start"),
                end=None if end is None else clock.instant(end, f"{path}.end"),
            )
        )
    return tuple(agenda)


def _rotations(
    rotation: Mapping[str, Any],
    agenda: tuple[AgendaItem, ...],
    tables: tuple[Table, ...],
    clock: _Clock,
) -> Rotations:
    start = clock.instant(rotation.get("start"), "rotation.start")
    roundtables = [item for item in agenda if item.kind == "roundtables"]
    if len(roundtables) == 1 and roundtables[0].start != start:
        raise TemplateError(
            "rotation.start",
            f"{hhmm(start, clock.timezone)} is not when the roundtables agenda item starts "
            f"({hhmm(roundtables[0].start, clock.timezone)})",
        )
    count = _int(rotation, "count", "rotation")
    numbers = tuple(t.number for t in tables)
    groups = rotation.get("groups")
    if groups is None:
        names = tuple(_group_name(i) for i in range(len(tables)))
    else:
        names = tuple(
            _string(g, f"rotation.groups[{i}]")
            for i, g in enumerate(_list(groups, "rotation.groups"))
        )
    seating = rotation.get("seating")
    if seating is None:
        seats = rotating_seats(names, numbers, max(count, 0))
    else:
        seats = _seats(_list(seating, "rotation.seating"))
    return Rotations(
        minutes=_int(rotation, "minutes_per_table", "rotation"),
        count=count,
        groups=names,
        seats=seats,
    )


def _seats(seating: list[Any]) -> tuple[Seat, ...]:
    """``seating[r]`` maps table numbers (as strings) to the group at that table in rotation r+1."""
    seats = []
    for index, tables in enumerate(seating):
        path = f"rotation.seating[{index}]"
        for table, group in _object(tables, path).items():
            if not table.isdigit():
                raise TemplateError(path, f"{table!r} is not a table number")
            seats.append(
                Seat(rotation=index + 1, table=int(table), group=_string(group, f"{path}.{table}"))
            )
    return tuple(seats)


def _group_name(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: as many groups as there are tables."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return name


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TemplateError(path, f"expected an object, got {_shown(value)}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise TemplateError(path, f"expected a list, got {_shown(value)}")
    return value


def _objects(value: Any, path: str) -> list[tuple[str, Mapping[str, Any]]]:
    items = _list(value, path)
    return [(f"{path}[{i}]", _object(item, f"{path}[{i}]")) for i, item in enumerate(items)]


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise TemplateError(path, f"expected text, got {_shown(value)}")
    return value


def _text(obj: Mapping[str, Any], key: str, path: str) -> str:
    value = obj.get(key)
    if value is None:
        raise TemplateError(f"{path}.{key}", "is missing")
    return _string(value, f"{path}.{key}")


def _optional_text(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    return None if value is None else _string(value, f"{path}.{key}")


def _int(obj: Mapping[str, Any], key: str, path: str) -> int:
    value = obj.get(key)
    if value is None:
        raise TemplateError(f"{path}.{key}", "is missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TemplateError(f"{path}.{key}", f"expected a whole number, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    return "nothing" if value is None else json.dumps(value, ensure_ascii=False)[:40]
