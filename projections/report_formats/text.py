"""The report's wording that every format shares: details, edition, topics, footer.

Each format only marks these lines up (and escapes them its own way), so a Markdown, HTML
and Word copy of one version say the same thing.
"""

from __future__ import annotations

from typing import Any

TITLE_SUFFIX = "Summary Report"


def title(report: dict[str, Any]) -> str:
    return f"{report['meeting']['title']} — {TITLE_SUFFIX}"


def edition_line(report: dict[str, Any]) -> str:
    """``Version 2, published 2023-06-22T10:04:11-07:00`` or what kind of draft this is."""
    edition = report["edition"]
    if edition["status"] == "published":
        return f"Version {edition['version']}, published {edition['as_of']}"
    if not edition["meeting_closed"]:
        return (
            f"DRAFT as of {edition['as_of']}: the meeting is still running, "
            "so comments and themes may still change"
        )
    last = edition["last_published"]
    after = f" (version {last} is the last published)" if last else ""
    return f"DRAFT as of {edition['as_of']}: not a published version{after}"


def details(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The meeting details as (label, value) lines, in the order the report prints them."""
    meeting = report["meeting"]
    lines = [("Date", meeting["day"])]
    if meeting["start"] and meeting["end"]:
        lines.append(("Time", f"{meeting['start']}\N{EN DASH}{meeting['end']}"))
    lines.append(("Venue", meeting["venue"]))
    lines.append(("Tables", str(meeting["tables"])))
    rotations = str(meeting["rotations"])
    if meeting["minutes_per_rotation"]:
        rotations += f" of {meeting['minutes_per_rotation']} minutes"
    lines.append(("Rotations", rotations))
    lines.append(("Comments", str(meeting["comments"])))
    return lines


def topic_lines(report: dict[str, Any]) -> list[str]:
    """``Crime Prevention (table 4)``: each topic with the tables that discussed it."""
    lines = []
    for topic in report["topics"]:
        tables = topic["tables"]
        where = ""
        if tables:
            word = "table" if len(tables) == 1 else "tables"
            where = f" ({word} {', '.join(str(t) for t in tables)})"
        lines.append(f"{topic['title']}{where}")
    return lines


def footer_lines(report: dict[str, Any]) -> list[str]:
    """What lets anyone holding the report check it against the archived log."""
    record = report["record"]
    meeting_id = record["meeting_id"]
    return [
        f"Meeting {meeting_id}: log head {record['head']} after {record['events']} events "
        f"(log position {record['position']}).",
        "Check it against the log archived at publication: roundtable verify --db LOG "
        f"--meeting {meeting_id} --expect-head {record['head']}",
    ]


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split on blank lines), each a list of its lines."""
    blocks = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


VOTE = "The Room's Vote"
ACROSS = "Across the topics"


def vote_summary(report: dict[str, Any]) -> str:
    """How many phones voted, in how many rounds, and what the counts are."""
    vote = report["vote"]
    phones = f"{vote['phones']} {'phone' if vote['phones'] == 1 else 'phones'}"
    rounds = f"{vote['rounds']} {'round' if vote['rounds'] == 1 else 'rounds'}"
    return (
        f"{phones} voted in {rounds}, each placing dots on the key themes that mattered most "
        "to them; dots counted on paper, where phones could not vote, are added in."
    )


def vote_groups(report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The themes voted on, by topic: ``Detox beds: 14 dots (9 from phones, 5 on paper)``."""
    groups: dict[str, list[str]] = {}
    for theme in report["vote"]["themes"]:
        counted = f"{theme['dots']} {'dot' if theme['dots'] == 1 else 'dots'}"
        if theme["on_paper"]:
            counted += f" ({theme['from_phones']} from phones, {theme['on_paper']} on paper)"
        groups.setdefault(theme["topic_title"] or ACROSS, []).append(f"{theme['title']}: {counted}")
    return list(groups.items())


NO_KEY_THEMES = "No key themes yet."
NO_COMMENTS = "No comments."
