"""Fixtures: real stores (a SQLite file and a PostgreSQL database), their URLs, a real server
on the Kamloops rehearsal, and one headless Chromium for every page test of the session."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings
from playwright.async_api import Browser, async_playwright

from events.log.store import EventStore, asyncpg_dsn
from harness.browser import ARGS, CHROMIUM
from harness.servers import Server, seed_evening, serve
from harness.throwaway import throwaway_database

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
"""Where a developer's run creates its throwaway database when CI did not hand one over."""

LONGEST_FIRST = (
    "test_limits",
    "test_wall_moderation",
    "test_moments_page",
    "test_lead_page",
    "test_replay_page",
    "test_present_page",
    "test_tablet_connection",
    "test_wall_page",
    "test_wall_room",
    "test_tablet_page",
    "test_docs_run",
    "test_ws_workers",
    "test_planning_page",
)
"""The modules that take longest (20 s or more each in ``bench/suite.py``'s figures, a real
minute or hundreds of connections, docs/benchmarks.md), the longest first. They are collected
first, so pytest-xdist (``--dist loadfile --no-loadscope-reorder``, as ``.ci/test`` runs it)
hands them out first and the short modules fill in around them: a long module handed out last
would keep one worker busy while the others idle. (Without ``--no-loadscope-reorder`` xdist
hands out the modules with the most tests first, whatever they cost.)"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long modules first (``LONGEST_FIRST``), the rest in their usual order."""
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database owned by this test run (``ROUNDTABLE_TEST_POSTGRES_URL`` or new)."""
    given = os.environ.get("ROUNDTABLE_TEST_POSTGRES_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if given and not worker:
        yield given
        return
    if given:
        # Workers run side by side and each empties its log at will: each gets a database of
        # its own, made through the one handed over (CI's role may create databases).
        with throwaway_database(given, f"{given.rsplit('/', 1)[1]}_{worker}") as url:
            yield url
        return
    name = f"roundtable_test_{os.getpid()}"
    admin = os.environ.get("ROUNDTABLE_TEST_POSTGRES_ADMIN_URL", ADMIN_URL)
    with throwaway_database(admin, name) as url:
        yield url


async def reset_postgres(url: str) -> None:
    """Give a test an empty log: drop Roundtable's tables (the store recreates them)."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("DROP TABLE IF EXISTS events, streams, roundtable_meta")
    finally:
        await conn.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "roundtable.db")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store of each back end in turn."""
    if request.param == "sqlite":
        return str(tmp_path / "roundtable.db")
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(reset_postgres(url))
    return url


@pytest_asyncio.fixture
async def store(store_url: str) -> AsyncIterator[EventStore]:
    """An open, empty event store: a real SQLite file, then a real PostgreSQL database."""
    async with EventStore(store_url) as opened:
        yield opened


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched once for the whole session; a page test module marks its
    tests ``pytest.mark.asyncio(loop_scope="session")`` and opens its own contexts."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        await launched.close()


@contextlib.contextmanager
def evening_in(folder: Path) -> Iterator[tuple[Server, str]]:
    """A real server on ``folder/evening.db``: the Kamloops rehearsal, opened, its
    roundtables started 20 minutes ago (rotation 2 is on). Yields it and the meeting's id."""
    db = str(folder / "evening.db")
    # Not asyncio.run: that would unset the session's loop, which the page tests run on.
    with contextlib.closing(asyncio.new_event_loop()) as loop:
        meeting_id = loop.run_until_complete(seed_evening(db))
    with serve(db, logs=folder) as running:
        yield running, meeting_id


@pytest.fixture
def evening_server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """``evening_in`` for one test."""
    with evening_in(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def module_evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """``evening_in`` shared by a module's tests: each works on a table of its own (the
    rehearsal has four), so they do not disturb each other, and a page module runs faster."""
    with evening_in(tmp_path_factory.mktemp("evening")) as running:
        yield running
