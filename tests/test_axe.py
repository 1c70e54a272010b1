"""The axe harness itself: it finds a planted violation and passes a clean page."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.axe import assert_accessible, violations

pytestmark = pytest.mark.asyncio(loop_scope="session")

CLEAN = """<!doctype html><html lang="en"><head><title>Clean</title></head>
<body><main><h1>Clean</h1><button>Send</button></main></body></html>"""


async def test_a_planted_violation_fails_and_a_clean_page_passes(browser: Browser) -> None:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.set_content(CLEAN.replace("<button>Send</button>", "<button></button>"))
        found = {v["id"]: v["impact"] for v in await violations(page)}
        assert found.get("button-name") == "critical"
        with pytest.raises(AssertionError, match="button-name"):
            await assert_accessible(page, "a nameless button")
        await page.set_content(CLEAN)
        await assert_accessible(page, "a clean page")
    finally:
        await context.close()
