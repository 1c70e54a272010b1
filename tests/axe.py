"""axe-core in the page tests: every page of the product is checked as its people use it.

axe-core is installed from npm at a pinned version (``tests/node/package.json``; ``.ci/test``
runs ``npm ci`` there). The pages' Content-Security-Policy refuses injected script tags, so the
library's text is evaluated in the page through the browser's debugging protocol instead.
A page passes when axe finds no violation of ``serious`` or ``critical`` impact.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

AXE_JS = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
}"""


@cache
def axe_source() -> str:
    """axe-core's script, read once per test session."""
    if not AXE_JS.exists():
        raise RuntimeError(
            f"{AXE_JS} is missing: run `npm ci --prefix tests/node` (bash .ci/test does)"
        )
    return AXE_JS.read_text(encoding="utf-8")


async def violations(page: Page) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now: id, impact, help and a few targets."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(axe_source())
    found: list[dict[str, Any]] = await page.evaluate(RUN)
    return found


async def assert_accessible(page: Page, state: str) -> None:
    """Fail with axe's own words when the page, in ``state``, has a serious or critical
    violation."""
    blocking = [v for v in await violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {state}: " + "; ".join(
        f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in blocking
    )
