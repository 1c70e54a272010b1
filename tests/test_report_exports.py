"""The summary report of the Kamloops evening, typed through the real protocol into a real
server and written by staff over HTTP, checked against the data file in every format."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import orjson
import pytest

from client.simulation import comment_id
from harness.cli import roundtable
from harness.report_evening import (
    DATA,
    FORMATS,
    GEORGE,
    INTRO,
    REASON,
    STEPS,
    TYPO,
    close_meeting,
    download,
    fetch,
    ok,
    staff_command,
    type_evening,
    write_report,
)
from harness.servers import Server, evening, serve, token

APPENDIX = "Appendix \N{EN DASH} All Comments"
PROMPTS = {q["prompt"]: q["id"] for q in DATA["questions"]}
TOPICS = {t["id"]: t["title"] for t in DATA["topics"]}
Outline = dict[tuple[int, str], list[tuple[str, list[str]]]]


@dataclass(frozen=True, slots=True)
class Evening:
    server: Server
    db: Path
    meeting_id: str
    during: bytes
    early: tuple[int, Any]
    v1: dict[str, bytes]
    v2: dict[str, bytes]


@pytest.fixture(scope="module")
def kamloops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evening]:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "evening.db"
    meeting_id = evening(str(db), minutes_ago=20)
    with serve(db, logs=folder) as server:
        asyncio.run(asyncio.wait_for(type_evening(server.ws, meeting_id), 120))
        during = download(server, meeting_id, "md")
        early = staff_command(
            server, meeting_id, "set_front_matter", {"part": "intro", "text": "x"}
        )
        asyncio.run(asyncio.wait_for(close_meeting(server.ws, meeting_id), 30))
        write_report(server, meeting_id)
        ok(server, meeting_id, "publish_report", {"version": 1})
        v1 = {fmt: download(server, meeting_id, fmt, 1) for fmt in FORMATS}
        ok(server, meeting_id, "set_front_matter", {"part": "next_steps", "text": STEPS})
        ok(server, meeting_id, "publish_report", {"version": 2})
        v2 = {fmt: download(server, meeting_id, fmt, 2) for fmt in FORMATS}
        yield Evening(server, db, meeting_id, during, early, v1, v2)


def unescape(text: str) -> str:
    """What a Markdown reader shows for ``text`` (CommonMark backslash escapes)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def expected_appendix() -> Outline:
    """The data file's comments by table and question: top-level in order, sub-bullets under
    their parents, the private person's comment redacted."""
    outline: Outline = {}
    for table in sorted(t["number"] for t in DATA["tables"]):
        for question in DATA["questions"]:
            outline[(table, question["id"])] = []
    tops: dict[str, tuple[str, list[str]]] = {}
    for c in DATA["comments"]:
        text = "[redacted]" if c["id"] == GEORGE["id"] else c["text"]
        if c["parent"] is None:
            tops[c["id"]] = (text, [])
            outline[(c["table"], c["question"])].append(tops[c["id"]])
        else:
            tops[c["parent"]][1].append(text)
    return outline


def expected_key_themes() -> dict[tuple[str, str], list[str]]:
    themes: dict[tuple[str, str], list[str]] = {
        (t["id"], q["id"]): [] for t in DATA["topics"] for q in DATA["questions"]
    }
    for theme in DATA["key_themes"]:
        themes[(theme["topic"], theme["question"])].append(theme["text"])
    return themes


def markdown_section(md: str, heading: str) -> list[str]:
    after = md.split(f"\n## {heading}\n", 1)[1]
    return re.split(r"\n## |\n---\n", after, maxsplit=1)[0].splitlines()


def markdown_appendix(md: str) -> Outline:
    outline: Outline = {}
    table = 0
    key = (0, "")
    for line in markdown_section(md, APPENDIX):
        if match := re.fullmatch(r"### Table (\d+): (.*)", line):
            table = int(match[1])
        elif line.startswith("#### "):
            key = (table, PROMPTS[unescape(line[5:])])
            outline[key] = []
        elif line.startswith("- "):
            outline[key].append((unescape(line[2:]), []))
        elif line.startswith("  - "):
            outline[key][-1][1].append(unescape(line[4:]))
        else:
            assert line in ("", "*No comments.*"), line
    return outline


def test_the_markdown_appendix_is_the_data_files_comments_verbatim(kamloops: Evening) -> None:
    md = kamloops.v1["md"].decode()
    assert markdown_appendix(md) == expected_appendix()
    assert sum(len(items) for items in markdown_appendix(md).values()) == 204 - 15
    assert "Testing, testing" not in md  # the retracted point is left out


def test_the_markdown_key_themes_are_the_40_of_the_published_report(kamloops: Evening) -> None:
    found: dict[tuple[str, str], list[str]] = {}
    topics = {title: topic for topic, title in TOPICS.items()}
    topic, key = "", ("", "")
    for line in markdown_section(kamloops.v1["md"].decode(), "Key Themes"):
        if line.startswith("### "):
            topic = topics[unescape(line[4:])]
        elif line.startswith("#### "):
            key = (topic, PROMPTS[unescape(line[5:])])
            found[key] = []
        elif line.startswith("- "):
            found[key].append(unescape(line[2:]))
    assert found == expected_key_themes()
    assert list(found) == list(expected_key_themes())  # topics in the report's order
    assert sum(len(themes) for themes in found.values()) == 40


def test_the_report_opens_with_the_meeting_details_and_front_matter(kamloops: Evening) -> None:
    md = kamloops.v1["md"].decode()
    head = md.split("\n## ", 1)[0]
    assert head.startswith(f"# {DATA['meeting']['title']} (rehearsal) — Summary Report\n")
    assert "**Version 1, published " in head
    for line in ("Tables: 4", "Rotations: 4 of 15 minutes", "Comments: 204"):
        assert f"- {line}\n" in head
    assert f"- Venue: {DATA['meeting']['venue']}\n" in head
    assert "## Introduction\n\nThe Safe and Secure Kamloops Network met on 15 June 2023.\n" in md
    assert "## Next Steps" not in md
    assert f"## Next Steps\n\n{STEPS}" in kamloops.v2["md"].decode()


def test_a_draft_during_the_meeting_says_so_and_staff_cannot_edit_yet(kamloops: Evening) -> None:
    during = kamloops.during.decode()
    assert "**DRAFT as of " in during
    assert "the meeting is still running" in during
    assert (
        markdown_appendix(during)[(GEORGE["table"], GEORGE["question"])][12][0] == (GEORGE["text"])
    )
    status, body = kamloops.early
    assert status == 403
    assert body["code"] == "forbidden"
    assert "only after the meeting is closed" in body["message"]


def test_a_published_version_exports_to_the_same_bytes_again(kamloops: Evening) -> None:
    server, meeting_id = kamloops.server, kamloops.meeting_id
    for fmt in FORMATS:
        assert download(server, meeting_id, fmt, 1) == kamloops.v1[fmt], fmt
        assert download(server, meeting_id, fmt, 2) == kamloops.v2[fmt], fmt
    assert kamloops.v1["md"] != kamloops.v2["md"]


def test_the_command_line_exports_the_same_bytes(kamloops: Evening, tmp_path: Path) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        done = roundtable(
            "export", "--db", str(kamloops.db), "--meeting", kamloops.meeting_id,
            "--format", fmt, "--out", str(out), "--version", "1",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == kamloops.v1[fmt], fmt
        assert f"wrote {out} (version 1, " in done.stdout
    draft = tmp_path / "draft.md"
    args = ("export", "--db", str(kamloops.db), "--meeting", kamloops.meeting_id)
    assert roundtable(*args, "--format", "md", "--out", str(draft)).returncode == 0
    assert draft.read_bytes() == download(kamloops.server, kamloops.meeting_id, "md")
    assert b"not a published version (version 2 is the last published)" in draft.read_bytes()
    missing = roundtable(*args, "--format", "md", "--out", str(draft), "--version", "9")
    assert missing.returncode == 1
    assert "version 9 of this report was not published" in missing.stderr


def _texts(fmt: str, data: bytes) -> str:
    """Everything a reader of the file could see (a Word file is a zip of XML parts)."""
    if fmt == "md":
        return unescape(data.decode())
    if fmt != "docx":
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
        return "".join(archive.read(name).decode() for name in parts)


def test_redacted_text_is_in_no_export_and_still_in_the_log(kamloops: Evening) -> None:
    draft = {fmt: download(kamloops.server, kamloops.meeting_id, fmt) for fmt in FORMATS}
    for edition in (kamloops.v1, kamloops.v2, draft):
        for fmt, data in edition.items():
            seen = _texts(fmt, data)
            assert "George" not in seen, fmt
            assert REASON not in seen, fmt
            assert "[redacted]" in seen, fmt
    with sqlite3.connect(kamloops.db) as conn:
        rows = conn.execute(
            "SELECT type, data, metadata FROM events WHERE type IN ('CommentAdded', "
            "'CommentRedacted') AND meeting_id = ?",
            (kamloops.meeting_id,),
        ).fetchall()
    texts = [orjson.loads(data).get("text") for kind, data, _ in rows if kind == "CommentAdded"]
    assert GEORGE["text"] in texts
    (redaction,) = [(orjson.loads(d), orjson.loads(m)) for k, d, m in rows if k != "CommentAdded"]
    assert redaction[0]["reason"] == REASON
    assert redaction[0]["comment"]["comment_id"] == comment_id(kamloops.meeting_id, GEORGE["id"])
    assert redaction[1]["actor"] == "staff"


def test_staff_see_the_redaction_and_its_reason_and_others_do_not(kamloops: Evening) -> None:
    url = f"{kamloops.server.base}/api/meetings/{kamloops.meeting_id}/report"
    status, _, body = fetch(url, token(kamloops.meeting_id, "staff"))
    assert status == 200
    editor = orjson.loads(body)["editor"]
    assert [r["reason"] for r in editor["redactions"]] == [REASON]
    assert [p["version"] for p in editor["publications"]] == [1, 2]
    status, _, body = fetch(url, token(kamloops.meeting_id, "lead"))  # reads, does not edit
    assert status == 200
    assert "editor" not in orjson.loads(body)
    assert REASON.encode() not in body


def test_the_footer_names_the_log_head_at_publication(kamloops: Evening) -> None:
    with sqlite3.connect(kamloops.db) as conn:
        rows = conn.execute(
            "SELECT position, hash, type FROM events WHERE meeting_id = ? ORDER BY position",
            (kamloops.meeting_id,),
        ).fetchall()
    published = [(n, row) for n, row in enumerate(rows, 1) if row[2] == "ReportPublished"]
    for (count, (position, head, _)), edition in zip(
        published, (kamloops.v1, kamloops.v2), strict=True
    ):
        record = orjson.loads(edition["json"])["record"]
        assert record == {
            "meeting_id": kamloops.meeting_id,
            "position": position,
            "events": count,
            "head": head,
        }
        assert f"--expect-head {head}" in edition["md"].decode()
    head = orjson.loads(kamloops.v2["json"])["record"]["head"]
    args = ("verify", "--db", str(kamloops.db), "--meeting", kamloops.meeting_id)
    checked = roundtable(*args, "--expect-head", head)
    assert checked.returncode == 0, checked.stdout


def _docx_outline(document: Any) -> tuple[list[tuple[str, str]], Outline]:
    """The headings, and the appendix rebuilt from heading and list styles alone."""
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [(style, text) for style, text in paragraphs if style.startswith(("Head", "Tit"))]
    start = paragraphs.index(("Heading 1", APPENDIX))
    outline: Outline = {}
    table, key = 0, (0, "")
    for style, text in paragraphs[start + 1 :]:
        if style == "Heading 2":
            table = int(re.fullmatch(r"Table (\d+): .*", text)[1])  # type: ignore[index]
        elif style == "Heading 3":
            key = (table, PROMPTS[text])
            outline[key] = []
        elif style == "List Bullet":
            outline[key].append((text, []))
        elif style == "List Bullet 2":
            outline[key][-1][1].append(text)
    return headings, outline


def test_the_word_file_has_real_headings_and_list_levels(kamloops: Evening) -> None:
    document = docx.Document(io.BytesIO(kamloops.v1["docx"]))
    headings, outline = _docx_outline(document)
    assert headings[0] == ("Title", f"{DATA['meeting']['title']} (rehearsal) — Summary Report")
    assert [t for s, t in headings if s == "Heading 1"] == [
        "Introduction",
        "Topics and Questions",
        "Key Themes",
        APPENDIX,
    ]
    tables = [t for s, t in headings if s == "Heading 2"]
    assert tables[:4] == [t["title"] for t in DATA["topics"]]
    assert tables[4:] == [f"Table {n}: {TOPICS[t]}" for n, t in _tables()]
    assert outline == expected_appendix()
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Bullet 2") == 15
    assert "log head" in document.sections[0].footer.paragraphs[0].text
    published = datetime.fromisoformat(orjson.loads(kamloops.v1["json"])["edition"]["as_of"])
    properties = document.core_properties
    assert properties.created == properties.modified == published  # not the time of export
    assert properties.revision == 1
    with zipfile.ZipFile(io.BytesIO(kamloops.v1["docx"])) as archive:
        assert len({info.date_time for info in archive.infolist()}) == 1


def _tables() -> list[tuple[int, str]]:
    return sorted((t["number"], t["topic"]) for t in DATA["tables"])


def test_the_csv_has_one_row_per_comment_in_appendix_order(kamloops: Evening) -> None:
    rows = list(csv.DictReader(io.StringIO(kamloops.v1["csv"].decode("utf-8-sig"))))
    assert len(rows) == 204
    flat = [
        (table, question, text)
        for (table, question), items in expected_appendix().items()
        for top, children in items
        for text in (top, *children)
    ]
    assert [(int(r["table"]), PROMPTS[r["question"]], r["text"]) for r in rows] == flat
    ids = {r["comment_id"] for r in rows}
    assert all(r["parent_id"] in ids for r in rows if r["parent_id"])
    assert sum(1 for r in rows if r["parent_id"]) == 15
    (george,) = [r for r in rows if r["redacted"]]
    assert george["comment_id"] == comment_id(kamloops.meeting_id, GEORGE["id"])
    edited = [r["comment_id"] for r in rows if r["last_edited"]]
    assert edited == [comment_id(kamloops.meeting_id, TYPO["id"])]
    assert {r["rotation"] for r in rows} == {"2"}  # typed 20 minutes in: rotation 2
    assert all(r["group"] and r["created"] and r["topic"] == TOPICS[_topic(r)] for r in rows)


def _topic(row: dict[str, str]) -> str:
    return next(t["topic"] for t in DATA["tables"] if t["number"] == int(row["table"]))


def test_the_json_is_the_whole_report_and_anonymous(kamloops: Evening) -> None:
    report = orjson.loads(kamloops.v1["json"])
    assert report["edition"]["status"] == "published"
    assert report["meeting"]["comments"] == 204
    assert report["front_matter"] == {"intro": INTRO, "next_steps": ""}
    themes = [t["text"] for k in report["key_themes"] for q in k["questions"] for t in q["themes"]]
    assert themes == [t for ts in expected_key_themes().values() for t in ts]
    for fmt in FORMATS:
        seen = _texts(fmt, kamloops.v1[fmt])
        assert "lead-0" not in seen, fmt  # no device, no name
        assert "staff-0" not in seen, fmt


def test_refusals_name_the_problem(kamloops: Evening) -> None:
    server, meeting_id = kamloops.server, kamloops.meeting_id
    status, body = staff_command(
        server, meeting_id, "write_key_theme", {"key_theme_id": "x"}, who="staff"
    )
    assert (status, body["code"]) == (400, "bad_request")
    status, body = staff_command(
        server, meeting_id, "set_front_matter", {"part": "intro", "text": "x"}, who="lead"
    )
    assert (status, body["code"]) == (403, "forbidden")
    status, body = staff_command(server, meeting_id, "publish_report", {"version": 5})
    assert (status, body["code"]) == (409, "stale_publish")
    url = f"{server.base}/api/meetings/{meeting_id}/report/export"
    assert fetch(f"{url}/pdf", token(meeting_id, "staff"))[0] == 400
    assert fetch(f"{url}/md?version=7", token(meeting_id, "staff"))[0] == 404
    assert fetch(f"{url}/md")[0] == 401


def test_a_hostile_key_theme_is_inert_in_every_format(kamloops: Evening) -> None:
    server, meeting_id = kamloops.server, kamloops.meeting_id
    hostile = '<script>alert(1)</script> [x](javascript:alert(2)) =HYPERLINK("http://x")'
    theme = {"topic": "crime-prevention", "question": "advocacy", "text": hostile}
    ok(server, meeting_id, "write_key_theme", {"key_theme_id": "hostile", **theme})
    html = download(server, meeting_id, "html").decode()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html
    md = download(server, meeting_id, "md").decode()
    assert "- \\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(2))" in md
    assert unescape(md).count(hostile) == 1
    ok(server, meeting_id, "remove_key_theme", {"key_theme_id": "hostile"})


def test_a_published_version_comes_out_the_same_from_an_archived_log(
    kamloops: Evening, tmp_path: Path
) -> None:
    archive, copy = tmp_path / "meeting.jsonl", tmp_path / "copy.db"
    meeting = ("--meeting", kamloops.meeting_id)
    exported = roundtable(
        "log", "export", "--db", str(kamloops.db), *meeting, "--out", str(archive)
    )
    assert exported.returncode == 0, exported.stderr
    assert roundtable("log", "import", str(archive), "--db", str(copy)).returncode == 0
    for fmt in FORMATS:
        out = tmp_path / f"again.{fmt}"
        args = ("--format", fmt, "--out", str(out), "--version", "1")
        assert roundtable("export", "--db", str(copy), *meeting, *args).returncode == 0
        assert out.read_bytes() == kamloops.v1[fmt], fmt
