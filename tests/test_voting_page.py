"""The room's vote in Chromium: the lead opens it on the lead's page, five phones (each its
own browser context, a phone's viewport and touch, plain http on a LAN name: an insecure
origin) open the wall's short link and vote, the presentation counts them live, a reload
keeps a phone's dots, the close refuses later dots in plain words; axe on the phone page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from events.log.store import EventStore
from harness.browser import page_url
from harness.lead_page import open_lead
from harness.present_page import open_present, stored_session
from harness.servers import Server, evening_server
from harness.voting_evening import KEY_THEMES, promote_key_themes
from harness.wall_page import open_wall
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

PHONE = {"width": 390, "height": 844}
"""A phone held upright (CSS pixels)."""
PROJECTOR = {"width": 1920, "height": 1080}
TIMEOUT = 20_000
SHOTS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with evening_server(tmp_path_factory.mktemp("voting-page")) as running:
        yield running


async def open_phone(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    """A participant's phone (its own context: its own storage) on the short link."""
    context = await browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector('#vote[data-state="open"]', timeout=TIMEOUT)
    return context, page


async def tap_place(page: Page, theme_id: str, left: int) -> None:
    """Tap + on a theme; wait until the phone shows ``left`` dots left."""
    await page.locator(f"#place-{theme_id}").tap()
    await page.wait_for_selector(f'#vote[data-left="{left}"]', timeout=TIMEOUT)


async def counted(page: Page, theme_id: str, total: int) -> None:
    await page.wait_for_selector(
        f'#voting .vote-count[data-theme="{theme_id}"][data-total="{total}"]', timeout=TIMEOUT
    )


async def test_five_phones_vote_from_the_walls_link_and_the_presentation_counts_live(
    browser: Browser, evening: tuple[Server, str]
) -> None:
    server, meeting_id = evening
    await promote_key_themes(server, meeting_id)
    contexts: list[BrowserContext] = []
    try:
        lead_context, lead = await open_lead(browser, server, meeting_id)
        wall_context, wall = await open_wall(browser, server, meeting_id, PROJECTOR)
        present_context, present = await open_present(
            browser, server, meeting_id, "observer", PROJECTOR
        )
        contexts += [lead_context, wall_context, present_context]

        await lead.locator("#voting-summary").click()
        await lead.locator("#voting-topic").select_option("crime-prevention")
        await lead.locator("#voting-dots").fill("2")
        await lead.locator("#voting-open").click()
        await lead.wait_for_selector("#voting-open[disabled]", timeout=TIMEOUT)

        await wall.wait_for_selector("#voting:not([hidden]) .vote-qr", timeout=TIMEOUT)
        url = await wall.locator("#voting .vote-url").text_content()
        assert url is not None
        assert url.startswith("tablet.test:")
        qr = await wall.evaluate(
            "() => fetch(document.querySelector('#voting .vote-qr').src).then((r) => r.status)"
        )
        assert qr == 200
        await present.wait_for_selector('#voting:not([hidden])[data-open="true"]', timeout=TIMEOUT)

        phones = []
        for _ in range(5):
            context, phone = await open_phone(browser, f"http://{url}")
            contexts.append(context)
            phones.append(phone)
        assert not await phones[0].evaluate("() => window.isSecureContext")
        await assert_accessible(phones[0], "the phone page, voting open")

        for number, phone in enumerate(phones):
            await tap_place(phone, "v-cso", 1)
            await counted(present, "v-cso", number + 1)
        await tap_place(phones[0], "v-data", 0)
        await counted(present, "v-data", 1)
        assert await phones[0].locator("#place-v-lights").is_disabled()
        await assert_accessible(phones[0], "the phone page, every dot placed")

        # a reload keeps the phone's dots; it moves one
        await phones[0].reload()
        await phones[0].wait_for_selector('#vote[data-state="open"][data-left="0"]')
        assert (
            await phones[0].locator('.theme[data-theme="v-cso"]').get_attribute("data-dots") == "1"
        )
        await phones[0].locator("#back-v-data").tap()
        await phones[0].wait_for_selector('#vote[data-left="1"]', timeout=TIMEOUT)
        await counted(present, "v-data", 0)
        await tap_place(phones[0], "v-lights", 0)
        await counted(present, "v-lights", 1)
        assert await present.locator("#voting").get_attribute("data-phones") == "5"
        await lead.wait_for_selector(
            '#voting-counts .voting-count[data-theme="v-cso"]', timeout=TIMEOUT
        )
        await assert_accessible(lead, "the lead's vote controls, voting open")
        await assert_accessible(present, "the presentation's vote screen, voting open")
        await assert_accessible(wall, "the wall with the vote column")

        # the lead closes voting: a later dot is refused in plain words
        await lead.locator("#voting-close").click()
        await present.wait_for_selector('#voting[data-open="false"]', timeout=TIMEOUT)
        await wall.wait_for_selector(
            '#voting[hidden][data-open="false"]', state="attached", timeout=TIMEOUT
        )
        last = phones[4]
        await last.locator("#place-v-data").tap()
        message = last.locator("#message")
        await message.wait_for(state="visible", timeout=TIMEOUT)
        assert (await message.text_content() or "").startswith("Voting is closed")
        await last.wait_for_selector('#vote[data-state="closed"]', timeout=TIMEOUT)
        await assert_accessible(last, "the phone page, voting closed")
        assert set(KEY_THEMES) >= {"v-cso", "v-data", "v-lights"}
    finally:
        for context in contexts:
            await context.close()


async def test_replay_shows_the_counts_growing(
    browser: Browser, evening: tuple[Server, str]
) -> None:
    """After the vote above: the replay's vote view at each dot on 'Expanded CSO…' shows one
    more than at the one before, as the presentation showed it then."""
    server, meeting_id = evening
    async with EventStore(server.db) as store:
        records = [r async for r in store.read_all(meeting_id=meeting_id)]
    placed = [r.position for r in records if r.type == "DotPlaced" and b"v-cso" in r.data]
    assert len(placed) == 5
    context = await browser.new_context(viewport=PROJECTOR)  # type: ignore[arg-type]
    await context.add_init_script(stored_session(meeting_id, "staff", "staff-replay"))
    page = await context.new_page()
    try:
        for count, position in enumerate(placed, 1):
            query = f"?meeting={meeting_id}&position={position}&view=vote"
            await page.goto(page_url(server, f"/replay{query}"))
            await page.wait_for_selector(
                f'#replay[data-position="{position}"] #vote-box:not([hidden]) '
                f'.vote-count[data-theme="v-cso"][data-total="{count}"]',
                timeout=TIMEOUT,
            )
        closed = f"?meeting={meeting_id}&view=vote"
        await page.goto(page_url(server, f"/replay{closed}"))
        await page.wait_for_selector('#vote-stage[data-open="false"][data-phones="5"]')
    finally:
        await context.close()
