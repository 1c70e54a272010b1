"""The demo evening: the Kamloops meeting as a rehearsal on today's date (``serve --demo``).

The whole timetable is shifted so that the roundtables start at the next whole minute at
least one minute from now, the meeting is opened and its automatic start is chosen, so the
clock runs the evening by itself (the lead can still start the roundtables earlier). Its id
is ``demo-<date>`` and every command has an id derived from it: seeding again on the same
date adds nothing, and the rehearsal keeps the times it was first given.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from events.instants import MINUTE, hhmm, to_datetime
from events.log.store import EventStore
from events.meeting.commands import ChooseAutoStart, OpenMeeting, ScheduleMeeting
from projections.meeting import MeetingView
from server import meetings, template
from server.settings import Settings

KAMLOOPS = Path(__file__).parent / "templates" / "kamloops-2023-06-15.json"
ACTOR = "demo"


def rehearsal(now: int, evening: ScheduleMeeting | None = None) -> ScheduleMeeting:
    """The Kamloops evening (or ``evening``) moved so that its roundtables start a minute or
    two after ``now``."""
    evening = evening or template.schedule_command(template.read(KAMLOOPS), "kamloops")
    roundtables = next(item for item in evening.agenda if item.kind == "roundtables")
    start = -(-(now + MINUTE) // MINUTE) * MINUTE  # the next whole minute, a minute from now
    shift = start - roundtables.start
    day = to_datetime(start, evening.timezone).date().isoformat()
    agenda = tuple(
        replace(
            item,
            start=item.start + shift,
            end=None if item.end is None else item.end + shift,
        )
        for item in evening.agenda
    )
    return replace(
        evening,
        meeting_id=f"demo-{day}",
        title=f"{evening.title} (rehearsal)",
        date=day,
        agenda=agenda,
    )


async def seed_demo(store: EventStore, *, now: int) -> str:
    """Schedule, open and auto-start today's rehearsal (once per date); its meeting id."""
    command = rehearsal(now)
    meeting_id = command.meeting_id
    steps = (
        ("schedule", command),
        ("open", OpenMeeting(at=now)),
        ("auto-start", ChooseAutoStart(enabled=True, at=now)),
    )
    for name, step in steps:
        await meetings.run(store, meeting_id, step, command_id=f"{meeting_id}/{name}", actor=ACTOR)
    return meeting_id


def links(view: MeetingView, base_url: str) -> str:
    """What to open, for the person who started the demo."""
    plan, clock = view.state.plan, view.state.clock
    assert plan is not None
    assert plan.roundtables is not None
    meeting_id = plan.meeting_id
    query = f"?meeting={meeting_id}"
    if clock.started_at is not None:
        when = f"the roundtables started at {hhmm(clock.started_at, plan.timezone)}"
    else:
        when = (
            f"the roundtables start by themselves at {hhmm(plan.roundtables.start, plan.timezone)}"
            f" ({plan.timezone}), or when the lead starts them"
        )
    lines = [
        f"Demo: {plan.title}, meeting {meeting_id}",
        f"  {when}",
    ]
    for table in plan.tables:
        topic = plan.topic(table.topic_id)
        title = topic.title if topic else table.topic_id
        lines.append(_link(f"table {table.number}", f"{title}: open its join link (below)"))
    lines.append(_link("tablet page", f"{base_url}/table{query}  (once the tablet has joined)"))
    lines.append(_link("meeting data", f"{base_url}/api/meetings/{meeting_id}  (with a token)"))
    return "\n".join(lines)


def _link(label: str, url: str) -> str:
    return f"  {label:<16} {url}"


async def demo(settings: Settings, *, now: int) -> str:
    """Seed the demo into the configured store; the lines to print."""
    async with settings.store() as store:
        meeting_id = await seed_demo(store, now=now)
        view = await meetings.load(store, meeting_id)
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return links(view, f"http://{host}:{settings.port}")
