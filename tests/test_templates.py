"""Templates: ``roundtable meeting create`` on the Kamloops file and on broken ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from events.meeting.plan import Seat
from harness.cli import roundtable
from server import template
from server.seed import KAMLOOPS
from tests.meeting_fixtures import kamloops_data, local


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_meeting_create_list_and_show_on_the_kamloops_file(tmp_path: Path) -> None:
    db = tmp_path / "roundtable.db"
    created = roundtable("meeting", "create", "--template", KAMLOOPS, "--db", db)
    assert (created.returncode, created.stdout, created.stderr) == (0, "2023-06-15\n", "")
    again = roundtable("meeting", "create", "--template", KAMLOOPS, "--db", db)
    assert again.stdout == "2023-06-15-2\n"
    listed = roundtable("meeting", "list", "--db", db)
    assert listed.stdout.splitlines() == [
        "2023-06-15\t2023-06-15\t18:50\tscheduled\tSafe and Secure Kamloops Network Meeting",
        "2023-06-15-2\t2023-06-15\t18:50\tscheduled\tSafe and Secure Kamloops Network Meeting",
    ]
    shown = json.loads(roundtable("meeting", "show", "2023-06-15", "--db", db).stdout)
    assert [t["topic"] for t in shown["tables"]] == [
        "social-health",
        "enforcement-justice",
        "streets-public-spaces",
        "crime-prevention",
    ]
    assert shown["questions"][1]["prompt"] == (
        "What can we do to improve the coordination of efforts and resources?"
    )
    assert roundtable("meeting", "open", "2023-06-15", "--db", db).stdout == "2023-06-15: open\n"
    closed = roundtable("meeting", "close", "2023-06-15", "--db", db)
    assert closed.stdout == "2023-06-15: closed\n"
    missing = roundtable("meeting", "list", "--db", tmp_path / "nosuch.db")
    assert (missing.returncode, missing.stdout) == (3, "")
    assert missing.stderr.startswith("roundtable meeting list: no database at ")
    assert not (tmp_path / "nosuch.db").exists()
    (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
    assert roundtable("meeting", "list", "--db", tmp_path / "empty.db").stdout == (
        "no meetings in this log\n"
    )


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(kamloops_data())
    change(data)
    return data


BROKEN = {
    "table on an unknown topic": (
        lambda d: d["tables"][2].update(topic="housing"),
        "roundtable meeting create: tables: table 3 is on topic 'housing', "
        "which is not a topic of this meeting",
    ),
    "overlapping agenda items": (
        lambda d: d["agenda"][2].update(start="17:40"),
        "roundtable meeting create: agenda: 'Welcome and Introduction to the Evening: Lead "
        "Facilitator, Tracey Lorenson, Civic Excellence' (17:35 to 17:45) overlaps 'Dinner' "
        "(17:40 to 18:00)",
    ),
    "zero rotations": (
        lambda d: d["rotation"].update(count=0),
        "roundtable meeting create: rotation.count: there must be at least one rotation (got 0)",
    ),
    "a bad time": (
        lambda d: d["agenda"][3].update(start="25:00"),
        "roundtable meeting create: agenda[3].start: '25:00' is not a time of day (HH:MM, 24-hour)",
    ),
    "a duplicate table number": (
        lambda d: d["tables"][3].update(number=2),
        "roundtable meeting create: tables: table number 2 is used twice",
    ),
    "rotations not at the roundtables": (
        lambda d: d["rotation"].update(start="18:55"),
        "roundtable meeting create: rotation.start: 18:55 is not when the roundtables agenda item "
        "starts (18:50)",
    ),
    "a missing title": (
        lambda d: d["meeting"].pop("title"),
        "roundtable meeting create: meeting.title: is missing",
    ),
    "a wrongly typed count": (
        lambda d: d["rotation"].update(count="four"),
        'roundtable meeting create: rotation.count: expected a whole number, got "four"',
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_template_is_refused_with_one_line_naming_the_field(
    tmp_path: Path, case: str
) -> None:
    change, message = BROKEN[case]
    db = tmp_path / "roundtable.db"
    result = roundtable(
        "meeting", "create", "--template", write(tmp_path / "t.json", _broken(change)), "--db", db
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")
    assert not db.exists(), "a refused first command leaves no database behind"


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("{ not json", encoding="utf-8")
    result = roundtable("meeting", "create", "--template", path, "--db", tmp_path / "r.db")
    assert result.returncode == 1
    assert result.stderr.startswith(f"roundtable meeting create: template: {path} is not JSON")


def test_comments_and_key_themes_in_a_template_are_ignored() -> None:
    data = kamloops_data()
    without = {k: v for k, v in data.items() if k not in ("comments", "key_themes")}
    assert template.schedule_command(data, "k") == template.schedule_command(without, "k")


def test_agenda_ids_come_from_kinds_and_times_are_local_to_the_meeting() -> None:
    command = template.schedule_command(kamloops_data(), "k")
    assert [i.item_id for i in command.agenda][:5] == [
        "arrival",
        "welcome",
        "meal",
        "presentation-1",
        "presentation-2",
    ]
    assert command.agenda[0].start == local("17:30")
    assert command.agenda[-1].item_id == "wrap-up"


def test_a_template_may_name_groups_seating_and_facilitators() -> None:
    def change(data: dict[str, Any]) -> None:
        data["rotation"].update(
            count=2,
            groups=["Red", "Blue"],
            seating=[{"1": "Red", "2": "Blue"}, {"1": "Blue", "2": "Red"}],
        )
        data["tables"][0]["facilitator"] = "Tk'emlúps te Secwépemc guest"

    command = template.schedule_command(_broken(change), "k")
    assert command.rotations.groups == ("Red", "Blue")
    assert command.rotations.seats[:2] == (
        Seat(rotation=1, table=1, group="Red"),
        Seat(rotation=1, table=2, group="Blue"),
    )
    assert command.tables[0].facilitator == "Tk'emlúps te Secwépemc guest"


def test_a_time_the_clocks_skip_is_refused() -> None:
    def change(data: dict[str, Any]) -> None:
        data["meeting"]["date"] = "2024-03-10"
        data["agenda"][0]["start"] = "02:30"

    with pytest.raises(template.TemplateError, match=r"agenda\[0\].start: 02:30 does not exist"):
        template.schedule_command(_broken(change), "k")
