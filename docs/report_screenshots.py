"""Pictures of the summary report, from the real server, page and export in Debian's Chromium.

Run from the repository root: ``.venv/bin/python -m docs.report_screenshots``. It types the
Kamloops evening into a real server through the protocol, closes the meeting, enters the 40
key themes, the introduction and a redaction as staff, publishes version 1, prints the HTML
export to PDF in Chromium and saves its first page and its first appendix page as
``docs/report-print-*.png`` (with ``pdftoppm`` from poppler-utils), and the staff page as
``docs/report-staff.png``.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from harness.browser import ARGS, CHROMIUM, page_url
from harness.report_evening import close_meeting, download, ok, type_evening, write_report
from harness.servers import Server, seed_evening, serve, token

DOCS = Path(__file__).resolve().parent


async def print_pages(browser: Browser, html: bytes, folder: Path) -> None:
    """The export printed to PDF, and two of its pages as PNG files."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.set_content(html.decode())
    pdf = folder / "report.pdf"
    pdf.write_bytes(await page.pdf(format="Letter", print_background=True))
    await context.close()
    await asyncio.to_thread(_pngs, pdf)


def _pngs(pdf: Path) -> None:
    count = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    appendix = _appendix_page(pdf, count)
    for name, number in (("report-print-1", 1), ("report-print-appendix", appendix)):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number), "-singlefile",
             str(pdf), str(DOCS / name)],
            check=True,
        )  # fmt: skip


def _appendix_page(pdf: Path, count: int) -> int:
    """The first page of the appendix (it starts on a new page), found with ``pdftotext``."""
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if "Appendix" in text and "Table 1" in text:
            return number
    return 2


async def staff_page(browser: Browser, server: Server, meeting_id: str) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(_session(meeting_id))
    page = await context.new_page()
    await page.goto(page_url(server, f"/report?meeting={meeting_id}"))
    await page.wait_for_selector("#page[data-state='ready'][data-editable]")
    await page.screenshot(path=DOCS / "report-staff.png")
    await context.close()


def _session(meeting_id: str) -> str:
    session = (
        f'{{"token": "{token(meeting_id, "staff")}", "meeting_id": "{meeting_id}", '
        f'"device_id": "staff-0", "role": "staff", "table": null, "expires": 0}}'
    )
    return f"localStorage.setItem('roundtable:session:{meeting_id}', {session!r})"


async def main() -> None:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = str(folder / "evening.db")
        meeting_id = await seed_evening(db, minutes_ago=20)
        with serve(db, logs=folder) as server:
            await type_evening(server.ws, meeting_id)
            await close_meeting(server.ws, meeting_id)
            await asyncio.to_thread(write_report, server, meeting_id)
            await asyncio.to_thread(ok, server, meeting_id, "publish_report", {"version": 1})
            html = await asyncio.to_thread(download, server, meeting_id, "html", 1)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                await print_pages(browser, html, folder)
                await staff_page(browser, server, meeting_id)
                await browser.close()
    print("saved", *sorted(p.name for p in DOCS.glob("report-*.png")))


if __name__ == "__main__":
    asyncio.run(main())
