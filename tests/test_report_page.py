"""The staff report page and the HTML export in real headless Chromium.

Staff open the one-time link the lead made for them, write key themes, redact, publish and
download, all on the page; the HTML export is then rendered and printed to PDF. Every wait
is on the page's state, never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from playwright.async_api import Browser, Page

from harness.browser import page_url
from harness.report_evening import (
    DATA,
    close_meeting,
    download,
    fetch,
    type_evening,
)
from harness.servers import Server, evening, serve, token
from tests.axe import assert_accessible

pytestmark = pytest.mark.asyncio(loop_scope="session")

HOSTILE = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>'
FIRST = ".scope[data-topic='crime-prevention'][data-question='working-well']"


@pytest.fixture(scope="module")
def closed_evening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """The Kamloops evening typed in and closed; the server left running."""
    folder = tmp_path_factory.mktemp("report-page")
    db = folder / "evening.db"
    meeting_id = evening(str(db), minutes_ago=20)
    with serve(db, logs=folder) as server:
        with contextlib.closing(asyncio.new_event_loop()) as loop:
            loop.run_until_complete(type_evening(server.ws, meeting_id))
            loop.run_until_complete(close_meeting(server.ws, meeting_id))
        yield server, meeting_id


def staff_link(server: Server, meeting_id: str) -> str:
    """A one-time staff link, made by the lead as on the evening, opened under a LAN name."""
    url = f"{server.base}/api/meetings/{meeting_id}/links"
    status, _, body = fetch(url, token(meeting_id, "lead"), {"role": "staff"})
    assert status == 200, body
    link = orjson.loads(body)["url"]
    return page_url(server, "/" + link.split("/", 3)[3])


async def ready(page: Page, published: int | None = None) -> None:
    selector = "#page[data-state='ready'][data-editable]"
    if published is not None:
        selector += f"[data-published='{published}']"
    await page.wait_for_selector(selector, timeout=20_000)


async def sentences(page: Page) -> list[str]:
    return list(
        await page.locator(f"{FIRST} .sentence input").evaluate_all("e => e.map(i => i.value)")
    )


async def test_staff_write_redact_publish_and_download_on_the_page(
    browser: Browser, closed_evening: tuple[Server, str], tmp_path: Path
) -> None:
    server, meeting_id = closed_evening
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(staff_link(server, meeting_id))
        await ready(page)
        assert "signin" not in page.url  # the one-time link is not kept in the address
        await assert_accessible(page, "the staff report page, the evening closed")
        new = page.locator(f"{FIRST} .new-theme")
        for text in ("Partnerships between agencies", HOSTILE):
            await new.fill(text)
            await new.press("Enter")
            await page.wait_for_function(
                f"() => document.querySelectorAll(`{FIRST} .sentence`).length === "
                f"{1 if text != HOSTILE else 2}"
            )
            await ready(page)
        assert await sentences(page) == ["Partnerships between agencies", HOSTILE]
        await (
            page.locator(f"{FIRST} .sentence").nth(1).get_by_role("button", name="Move up").click()
        )
        await page.wait_for_function(
            f"() => document.querySelector(`{FIRST} .sentence input`).value.startsWith('<img')"
        )
        assert await page.evaluate("window.pwned") is None

        george = page.locator("li.comment", has=page.locator(":scope > .text", has_text="George"))
        await george.get_by_role("button", name="Redact…").click()
        await george.get_by_label("Reason for redacting").fill("names a private person")
        await george.get_by_role("button", name="Redact with this reason").click()
        redacted = page.locator("li.comment.redacted")
        await redacted.first.wait_for()
        assert await redacted.locator(":scope > .text").all_text_contents() == ["[redacted]"]
        assert "(names a private person)" in await redacted.first.text_content()  # type: ignore[operator]

        await page.locator("#intro").fill("Notes from the evening.\n\nFor Council.")
        await page.locator("#save-front").click()
        await page.wait_for_function(
            "() => document.querySelector('#intro').value.endsWith('Council.')"
        )
        await ready(page)
        await page.locator("#publish").click()
        await ready(page, published=1)
        assert "Published version 1." in await page.locator("#notice").text_content()  # type: ignore[operator]
        await assert_accessible(page, "the staff report page, published, a comment redacted")

        await page.locator("#version").select_option("1")
        files = {}
        for fmt in ("md", "html", "docx"):
            async with page.expect_download() as waiting:
                await page.locator(f"#downloads button[data-format='{fmt}']").click()
            downloaded = await waiting.value
            assert downloaded.suggested_filename == f"{meeting_id}-report-v1.{fmt}"
            saved = await downloaded.path()
            files[fmt] = await asyncio.to_thread(saved.read_bytes)
            assert files[fmt] == download(server, meeting_id, fmt, 1)
        assert b"George" not in files["md"]
        assert errors == []
    finally:
        await context.close()
    await print_html(browser, files["html"], tmp_path)


async def print_html(browser: Browser, html: bytes, folder: Path) -> None:
    """The HTML export in Chromium: hostile text shown as typed, nothing run; a PDF prints."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.set_content(html.decode())
        assert await page.evaluate("window.pwned") is None
        assert await page.locator("script, img").count() == 0
        first = page.locator("#key-themes ul").first.locator("li").first
        assert await first.text_content() == HOSTILE
        shown = await page.locator("#appendix li").all_text_contents()
        assert "[redacted]" in shown
        assert not any("George" in text for text in shown)
        pdf = await page.pdf(format="Letter", print_background=True)
        (folder / "report.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF-")
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert pages >= 6, pages  # the front, the key themes, and the 204 comments
        assert await page.locator("#appendix li").count() == len(DATA["comments"])
    finally:
        await context.close()


async def test_the_report_page_is_read_only_for_the_lead_and_before_close(
    browser: Browser, closed_evening: tuple[Server, str]
) -> None:
    server, meeting_id = closed_evening
    context = await browser.new_context()
    try:
        session = {
            "token": token(meeting_id, "lead"),
            "meeting_id": meeting_id,
            "device_id": "lead-0",
            "role": "lead",
            "table": None,
            "expires": 0,
        }
        stored = orjson.dumps(orjson.dumps(session).decode()).decode()
        script = f"localStorage.setItem('roundtable:session:{meeting_id}', {stored})"
        await context.add_init_script(script)
        page = await context.new_page()
        await page.goto(page_url(server, f"/report?meeting={meeting_id}"))
        await page.wait_for_selector("#page[data-state='ready']")
        assert await page.locator("#page[data-editable]").count() == 0
        assert not await page.locator("#publish").is_visible()
        assert not await page.get_by_role("button", name="Redact…").first.is_visible()
        assert await page.locator("li.comment").count() == len(DATA["comments"])
    finally:
        await context.close()
