"""The projected wall in headless Chromium with a full evening: 2,000 comments, 100 themes.

A real server with the Kamloops rehearsal (rotation 2 running); 2,000 comments typed at its
four tables and 100 themes of 10 comments each (25 per topic), all over the live protocol.
Then the wall page, signed in as an observer, in Debian's Chromium:

- **first render**: from the navigation's start to the first page drawn (the page's own
  ``performance.now()`` when a MutationObserver first sees a theme on the board: the whole
  meeting folded and the cycle of pages laid out), over ``--loads`` fresh loads;
- **approve to appearance** and **take off to disappearance**: with the lead's rule "each one
  I approve", a tablet sends a comment, then the lead's websocket client approves it and notes
  the time; a MutationObserver in the page notes ``Date.now()`` when it is quoted on the wall;
  then the lead takes it off and the page notes when it has left; the differences, over
  ``--appends`` comments, one after the other.

    .venv/bin/python bench/wall.py [--comments 2000] [--themes 100] [--loads 5] [--appends 100]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import Page, async_playwright

from bench.figures import latency, machine
from client.live import LiveClient
from harness.browser import ARGS, CHROMIUM, page_url
from harness.present_page import stored_session
from harness.servers import Server, seed_evening, serve, token

TABLES = {
    1: "social-health",
    2: "enforcement-justice",
    3: "streets-public-spaces",
    4: "crime-prevention",
}
QUESTIONS = ("working-well", "coordination", "advocacy")
VIEWPORT = {"width": 1920, "height": 1080}

FIRST_RENDER = """() => {
  const seen = () => document.querySelector('#board .theme') !== null;
  new MutationObserver((_, observer) => {
    if (window.__firstRender === undefined && seen()) {
      window.__firstRender = performance.now();
      observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true});
}"""

WATCH_QUOTES = """() => {
  window.__seen = {};
  window.__gone = {};
  const shown = '#quotes:not([hidden]) .quote:not([hidden])';
  const quoted = () => new Set([...document.querySelectorAll(shown)].map((q) => q.dataset.ref));
  let before = quoted();
  new MutationObserver(() => {
    const now = Date.now();
    const after = quoted();
    for (const ref of after) if (!before.has(ref)) window.__seen[ref] ??= now;
    for (const ref of before) if (!after.has(ref)) window.__gone[ref] ??= now;
    before = after;
  }).observe(document.querySelector('#wall'), {childList: true, subtree: true, attributes: true});
}"""


async def fill(server: Server, meeting_id: str, comments: int, themes: int) -> None:
    """Type ``comments`` at the four tables and make ``themes`` themes of 10 comments each."""
    ids: dict[int, list[tuple[str, str]]] = {table: [] for table in TABLES}
    async with LiveClient(server.ws, token(meeting_id, "lead", device="bench-lead")) as lead:
        pending = []
        for n in range(comments):
            table = 1 + n % len(TABLES)
            question = QUESTIONS[n // len(TABLES) % len(QUESTIONS)]
            comment_id = f"b-{n}"
            text = f"Comment {n}: shared intake and case plans across agencies, table {table}"
            data = {"comment_id": comment_id, "question": question, "text": text}
            data.update(rotation=1 + n % 2, table=table)
            pending.append(lead.submit("add_comment", data, command_id=f"add-{n}"))
            ids[table].append((comment_id, question))
        await asyncio.gather(*pending)
        pending = []
        for t in range(themes):
            table = 1 + t % len(TABLES)
            first = t // len(TABLES) * 10
            members = ids[table][first : first + 10]
            theme_id = f"theme-{t}"
            data = {
                "theme_id": theme_id,
                "title": f"Theme {t}: a shared intake line",
                "topic": TABLES[table],
            }
            pending.append(lead.submit("create_theme", data, command_id=f"create-{t}"))
            for comment_id, _ in members:
                put = {"theme_id": theme_id, "table": table, "comment_id": comment_id}
                pending.append(lead.submit("add_to_theme", put, command_id=f"put-{t}-{comment_id}"))
        await asyncio.gather(*pending)


async def first_render(page: Page, url: str) -> float:
    await page.goto("about:blank")
    await page.goto(url, wait_until="commit")
    await page.wait_for_function("() => window.__firstRender !== undefined", timeout=60_000)
    return float(await page.evaluate("window.__firstRender")) / 1000


async def moderation(
    page: Page, server: Server, meeting_id: str, count: int
) -> tuple[list[float], list[float]]:
    """Seconds from the lead's approval to the quote on the wall, and from taking it off to
    its leaving, for ``count`` comments."""
    await page.evaluate(WATCH_QUOTES)
    shown, gone = [], []
    tablet = token(meeting_id, "facilitator", 2, "bench-tablet")
    lead_token = token(meeting_id, "lead", device="bench-lead")
    async with LiveClient(server.ws, tablet) as client, LiveClient(server.ws, lead_token) as lead:
        await lead.command("set_wall_rule", {"rule": "approve"})
        for n in range(count):
            comment_id = f"live-{n}"
            data = {"comment_id": comment_id, "question": "coordination", "rotation": 2}
            data["text"] = f"Live comment {n}: more detox and treatment beds"
            await client.command("add_comment", data, command_id=comment_id)
            ref = f"2/{comment_id}"
            choice = {"table": 2, "comment_id": comment_id}
            for name, seen, into in (
                ("approve_comment", "__seen", shown),
                ("take_off_wall", "__gone", gone),
            ):
                sent = time.time() * 1000
                lead.submit(name, choice, command_id=f"{name}-{n}")
                await page.wait_for_function(
                    f"() => window.{seen}['{ref}'] !== undefined", polling=5
                )
                at = float(await page.evaluate(f"window.{seen}['{ref}']"))
                into.append((at - sent) / 1000)
    return shown, gone


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        meeting_id = await seed_evening(db)
        with serve(db, logs=Path(tmp)) as server:
            started = time.perf_counter()
            await fill(server, meeting_id, args.comments, args.themes)
            print(
                f"filled {args.comments} comments and {args.themes} themes over the protocol "
                f"in {time.perf_counter() - started:.1f} s"
            )
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
                await context.add_init_script(stored_session(meeting_id, "observer", "bench-wall"))
                await context.add_init_script(f"({FIRST_RENDER})()")
                page = await context.new_page()
                url = page_url(server, f"/wall?meeting={meeting_id}")
                loads = [await first_render(page, url) for _ in range(args.loads)]
                await page.wait_for_selector('#wall[data-state="live"]')
                shown, gone = await moderation(page, server, meeting_id, args.appends)
                await browser.close()
    print(f"wall first render (navigation to the first page drawn) {latency(loads)}")
    print(f"wall approve to appearance (the lead's command to the page's DOM) {latency(shown)}")
    print(f"wall take off to disappearance (the lead's command to the page's DOM) {latency(gone)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--themes", type=int, default=100)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--appends", type=int, default=100)
    args = parser.parse_args()
    print(f"{machine()}; Chromium {VIEWPORT['width']}x{VIEWPORT['height']}")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
