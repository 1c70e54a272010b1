"""The archive format on its own: what ``Checker`` accepts and the first line it refuses."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from events.log.archive import ArchiveError, Checker
from events.log.store import EventStore
from events.log.store_archive import export
from server.cli.progress import Progress
from tests.sample_events import note, test_codec


@pytest.fixture
def lines(tmp_path: Path) -> list[bytes]:
    async def write() -> bytes:
        async with EventStore(str(tmp_path / "log.db"), codec=test_codec) as store:
            for i in range(6):
                await store.append(
                    f"table-{i % 2}" if i < 4 else "other-table",
                    [note(f"comment {i}", actor="lead")],
                    meeting_id="kamloops" if i < 4 else "other",
                    expected_version=None,
                )
            out = io.BytesIO()
            await export(store, out)
            return out.getvalue()

    return asyncio.run(write()).splitlines(keepends=True)


def check(lines: list[bytes]) -> int:
    checker = Checker()
    for line in lines:
        checker.feed(line)
    return checker.finish().events


def refused_at(lines: list[bytes]) -> int:
    with pytest.raises(ArchiveError) as error:
        check(lines)
    return error.value.line


def test_an_archive_as_written_is_accepted(lines: list[bytes]) -> None:
    assert check(lines) == 6


def test_whitespace_that_changes_no_value_is_still_refused(lines: list[bytes]) -> None:
    lines[3] = lines[3].replace(b'{"data"', b'{ "data"', 1)
    assert refused_at(lines) == 4


def test_a_header_from_elsewhere_is_refused(lines: list[bytes]) -> None:
    lines[0] = b'{"archive":"something-else","format":1,"meeting":null}\n'
    assert refused_at(lines) == 1


def test_anything_after_the_trailer_is_refused(lines: list[bytes]) -> None:
    assert refused_at([*lines, lines[1]]) == len(lines) + 1


def test_a_last_line_cut_mid_way_is_refused(lines: list[bytes]) -> None:
    lines[-1] = lines[-1][:-10]
    assert refused_at(lines) == len(lines)


def test_an_empty_file_is_refused() -> None:
    assert refused_at([]) == 1


def test_progress_draws_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Progress("working", 10, stream) as bar:
            bar.update(5)
    assert "working [" in terminal.getvalue()
    assert "50%" in terminal.getvalue()
    assert pipe.getvalue() == ""
