"""The chain's hash computed by PostgreSQL (``events.log.pg_append``'s ``roundtable_link_v4``,
which the append function uses under the log's lock) is ``events.log.chain.link``'s, byte for
byte, whatever the strings: quotes, backslashes, control characters, non-ASCII, emoji.
PostgreSQL's text cannot hold NUL, so no event can carry one there."""

from __future__ import annotations

import asyncio

import asyncpg
from hypothesis import example, given
from hypothesis import strategies as st

from events.log import chain, pg_append
from events.log.store import EventStore, asyncpg_dsn
from tests.conftest import reset_postgres

HOSTILE = ['"', "\\", '\\"', "\n\r\t\b\f", "\x01\x1f\x7f", "é", "😀", "\u2028\u2029", "/", "</"]
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
FIELDS = st.tuples(
    TEXT | st.sampled_from(HOSTILE),  # stream
    st.integers(1, 2**31 - 1),  # version
    TEXT,  # meeting
    TEXT,  # event id
    TEXT,  # type
    st.integers(-(2**31), 2**31 - 1),  # schema
    TEXT,  # metadata, as the JSON text it is stored as
    st.integers(-(2**63), 2**63 - 1),  # recorded at
)
_QUERY = f"""
SELECT {pg_append.LINK}(p, at, s, v, m, i, t, k, d, x, r)
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $5::text[], $6::text[],
            $7::text[], $8::integer[], $9::text[], $10::bytea[], $11::bigint[])
    AS u(p, at, s, v, m, i, t, k, d, x, r)
"""


def test_every_hostile_string_is_linked_as_python_links_it(postgres_url: str) -> None:
    asyncio.run(_install(postgres_url))

    @given(st.lists(FIELDS, min_size=1, max_size=20))
    @example([(h, 1, h, h, h, 1, h, 1) for h in HOSTILE])
    def check(headers: list[tuple[str, int, str, str, str, int, str, int]]) -> None:
        links = [
            (chain.GENESIS if n == 0 else chain.digest(str(n).encode()), n + 1, *header)
            for n, header in enumerate(headers)
        ]
        columns = [
            [link[0] for link in links],
            [link[1] for link in links],
            *([link[k] for link in links] for k in range(2, 8)),
            [chain.digest(link[5].encode()) for link in links],
            [link[8].encode() for link in links],
            [link[9] for link in links],
        ]
        got = asyncio.run(_link(postgres_url, columns))
        want = [_python(*link) for link in links]
        assert got == want

    check()


def _python(
    previous: str,
    position: int,
    stream: str,
    version: int,
    meeting: str,
    event_id: str,
    type_name: str,
    schema: int,
    metadata: str,
    recorded_at: int,
) -> str:
    return chain.link(
        previous,
        position=position,
        stream_id=stream,
        version=version,
        meeting_id=meeting,
        event_id=event_id,
        type=type_name,
        schema=schema,
        digest=chain.digest(event_id.encode()),
        metadata=metadata,
        recorded_at=recorded_at,
    )


async def _install(url: str) -> None:
    await reset_postgres(url)
    async with EventStore(url):
        pass


async def _link(url: str, columns: list[list[object]]) -> list[str]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return [row[0] for row in await conn.fetch(_QUERY, *columns)]
    finally:
        await conn.close()
