"""Erasure in the log, on a real SQLite file and a real PostgreSQL: a comment edited twice and
quoted in a theme's titles and a key-theme sentence is erased; its words are in no row, the
chain verifies and counts the erased payloads, every read gets the stand-ins."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from events.erasure import ErasureRefused
from events.log.chain import verify
from events.log.envelope import Metadata, NewEvent
from events.log.store import EventStore
from events.log.store_archive import export, import_archive
from events.report import rules as report
from events.report.events import ReportThemeWritten
from events.suggestions.glossary import seeded
from events.tables import rules as comments
from events.tables.events import CommentAdded, CommentEdited, CommentErased
from events.tables.rules import CommentWordsErased, EditComment
from events.themes import rules as themes
from events.themes.events import CommentAddedToTheme, CommentRef, ThemeCreated, ThemeRenamed
from harness.servers import seed_evening
from projections import screens
from projections.catalog import Catalog
from projections.lead_suggestions import MeetingSuggester
from server import erasure

pytestmark = pytest.mark.asyncio

NAME = b"Marta Quill"
"""The words to erase: every version of the comment, the theme's titles and a sentence."""
STAFF = Metadata(actor="staff", device_id="staff-1")
WHEN = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)


def _new(event: object, event_id: str) -> NewEvent:
    return NewEvent(event, event_id, Metadata(actor="lead", device_id="lead-1"))  # type: ignore[arg-type]


async def quoted_comment(store: EventStore, meeting_id: str) -> None:
    """Comment c1 at table 1, edited twice, in theme th1 whose titles quote it, and quoted in
    key-theme sentence kt1; comment c2 beside it keeps its words."""
    added = {
        "question": "working-well",
        "parent": None,
        "rotation": 1,
        "group": "A",
        "phase": "roundtables",
        "late": False,
        "typed_at": 1,
        "by": "lead-1",
    }
    table = comments.stream_id(meeting_id, 1)
    await store.append(
        table,
        [
            _new(CommentAdded(comment_id="c1", text="Marta Quil said beds", **added), "a1"),
            _new(CommentAdded(comment_id="c2", text="Outreach works", **added), "a2"),
            _new(CommentEdited(comment_id="c1", text="Marta Quill said beds", by="l"), "e1"),
            _new(CommentEdited(comment_id="c1", text="Marta Quill: no beds", by="l"), "e2"),
        ],
        meeting_id=meeting_id,
        expected_version=0,
    )
    ref = CommentRef(1, "c1")
    await store.append(
        themes.stream_id(meeting_id),
        [
            _new(
                ThemeCreated(
                    theme_id="th1", title="Marta Quill", topic=None, question=None, by="l"
                ),
                "t1",
            ),
            _new(CommentAddedToTheme(theme_id="th1", comment=ref, previous=None, by="l"), "t2"),
            _new(ThemeRenamed(theme_id="th1", title="Beds (Marta Quill)", by="l"), "t3"),
        ],
        meeting_id=meeting_id,
        expected_version=0,
    )
    sentence = ReportThemeWritten(
        key_theme_id="kt1",
        topic="crime-prevention",
        question="working-well",
        text="As Marta Quill said, there are no beds",
        by="staff-1",
    )
    await store.append(
        report.stream_id(meeting_id),
        [_new(sentence, "k1")],
        meeting_id=meeting_id,
        expected_version=0,
    )


ORDER = {
    "table": 1,
    "comment_id": "c1",
    "reason": "the resident asked",
    "show_reason": True,
    "themes": ["th1"],
    "key_themes": ["kt1"],
}
"""Staff's erasure of c1, its theme's titles and its key-theme sentence."""


def _order(meeting_id: str, **changes: object) -> dict[str, object]:
    return erasure.check({**ORDER, **changes})


async def test_erasing_nulls_every_payload_with_the_words_and_the_chain_still_verifies(
    store_url: str, tmp_path: Path
) -> None:
    meeting_id = await seed_evening(store_url)
    async with EventStore(store_url) as store:
        await quoted_comment(store, meeting_id)
        before = {r.event_id: r for r in [r async for r in store.read_all()]}
        done = await erasure.erase(
            store, meeting_id, _order(meeting_id), command_id="erase-1", metadata=STAFF, now=WHEN
        )
        assert (done.payloads, done.duplicate) == (6, False)
        async with store.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT event_id, data, digest FROM events"))).all()
        assert all(
            NAME not in (data or b"") and b"Quil " not in (data or b"") for _, data, _ in rows
        )
        nulled = sorted(event_id for event_id, data, _ in rows if data is None)
        assert nulled == ["a1", "e1", "e2", "k1", "t1", "t3"]
        assert all(before[i].digest == digest for i, _, digest in rows if i in before)
        [report_] = (await verify(store.read_all())).values()
        assert report_.intact
        assert report_.erased == 6
        assert report_.describe().endswith(", 6 payloads erased")

        again = await erasure.erase(
            store, meeting_id, _order(meeting_id), command_id="erase-1", metadata=STAFF, now=WHEN
        )
        assert (again.position, again.duplicate) == (done.position, True)
        with pytest.raises(ErasureRefused, match="already erased"):
            await erasure.erase(
                store, meeting_id, _order(meeting_id), command_id="erase-2", metadata=STAFF
            )
        assert await store.last_position() == done.position

    async with EventStore(store_url) as fresh:  # another process: it finds the stand-ins itself
        table = await fresh.read_stream(comments.stream_id(meeting_id, 1))
        marker = "[erased on 2026-12-07: the resident asked]"
        erased = table[-1].decode()
        assert isinstance(erased, CommentErased)
        assert erased.marker == marker
        assert [r.decode().text for r in table[:4]] == [marker, "Outreach works", marker, marker]  # type: ignore[union-attr]
        state = comments.initial_state
        for record in table:
            state = comments.evolve(state, record.decode())  # type: ignore[arg-type]
        assert state.comments["c1"].text == marker
        assert state.comments["c1"].erased
        with pytest.raises(CommentWordsErased):
            comments.decide(EditComment(comment_id="c1", text="Marta Quill again", by="x"), state)
        catalog = Catalog()
        async for record in fresh.read_all():
            catalog.apply(record)
        views = orjson.dumps(screens.render(catalog.scene(meeting_id), views=screens.VIEWS))
        assert NAME not in views
        assert marker.encode() in views
        scene = catalog.scene(meeting_id)
        suggester = MeetingSuggester(seeded("kamloops"))
        assert scene.meeting.state.plan is not None
        states = {number: view.state for number, view in scene.tables.items()}
        suggester.sync(scene.meeting.state.plan, states, states)
        assert len(suggester) == 1  # c2 alone: the erased comment has no words to match
        archive = tmp_path / "after.jsonl"
        with archive.open("wb") as out:
            await export(fresh, out)
    assert NAME not in archive.read_bytes()
    async with EventStore(str(tmp_path / "elsewhere.db")) as elsewhere:  # imported elsewhere
        await import_archive(elsewhere, archive)
        [imported] = (await verify(elsewhere.read_all())).values()
        assert imported.intact
        assert imported.erased == 6
        assert (imported.head, imported.events) == (report_.head, report_.events)
        copied = await elsewhere.read_stream(comments.stream_id(meeting_id, 1))
        assert copied[0].decode().text == marker  # type: ignore[union-attr]
