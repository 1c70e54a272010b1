"""How legible a page is from the back of the room, measured in the page as Chromium draws it.

Every visible text node is walked (a ``TreeWalker`` over text; hidden ones and those outside
the screen skipped) and its characters summed by the computed font size of its element. A text
that is only partly on the screen or partly inside a box that clips it, a line clamped with an
ellipsis, and a word broken across two lines are reported as cut. Sizes are compared per 1080
lines of screen: 28 px at 1080 lines is 18.7 px at 720.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

ROOM_PX = 28
"""The least size the back of a room reads, in px per 1080 lines (about 24 pt on a projector)."""

MEASURE = """() => {
  const w = innerWidth, h = innerHeight;
  const sizes = {};
  const cut = [];
  const broken = [];
  const clips = (el) => {
    const boxes = [];
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      const clamp = s.webkitLineClamp;
      if (clamp !== 'none' && clamp !== '') cut.push('clamped: ' + a.className);
      const clipped = s.overflowX !== 'visible' || s.overflowY !== 'visible';
      if (clipped) boxes.push(a.getBoundingClientRect());
    }
    return boxes;
  };
  const within = (r, b) => r.left >= b.left - 1 && r.top >= b.top - 1
    && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
  const meets = (r, b) => r.right > b.left && r.left < b.right
    && r.bottom > b.top && r.top < b.bottom;
  const screen = {left: 0, top: 0, right: w, bottom: h};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    const letters = text.replace(/\\s+/g, '').length;
    const parent = node.parentElement;
    if (!letters || !parent || parent.closest('[hidden]')) continue;
    const style = getComputedStyle(parent);
    if (style.visibility !== 'visible' || style.display === 'none') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const boxes = [screen, ...clips(parent)];
    const shown = rects.filter((r) => boxes.every((b) => meets(r, b)));
    if (!shown.length) continue;  // off the screen or on a page not shown
    if (shown.length < rects.length || !shown.every((r) => boxes.every((b) => within(r, b)))) {
      cut.push(text.slice(0, 60));
      continue;
    }
    const size = parseFloat(style.fontSize);
    sizes[size] = (sizes[size] || 0) + letters;
    const word = /\\S+/g;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const tops = [...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top));
      const lines = new Set(tops);
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return {sizes, cut, broken, width: w, height: h};
}"""


@dataclass(frozen=True, slots=True)
class Legibility:
    """What a screen shows, by size: characters per font size (px), and what is cut."""

    width: int
    height: int
    sizes: dict[float, int]
    cut: list[str]
    broken: list[str]

    @property
    def floor(self) -> float:
        """The room's least size on this screen, in px."""
        return ROOM_PX * self.height / 1080

    @property
    def characters(self) -> int:
        return sum(self.sizes.values())

    @property
    def large_share(self) -> float:
        """The share of characters at the room's size or larger."""
        large = sum(n for size, n in self.sizes.items() if size >= self.floor - 0.05)
        return large / self.characters if self.characters else 0.0

    def median(self) -> float:
        """The median font size of the characters, in px."""
        return statistics.median_low([s for s, n in sorted(self.sizes.items()) for _ in range(n)])

    def smallest(self) -> float:
        return min(self.sizes)

    def line(self) -> str:
        """One line of figures, as docs/wall.md prints them."""
        scale = 1080 / self.height
        return (
            f"{self.width} by {self.height}: {self.characters} characters, "
            f"{self.large_share:.0%} at {ROOM_PX} px per 1080 lines or more; "
            f"smallest {self.smallest() * scale:.1f} px, median {self.median() * scale:.1f} px "
            f"per 1080 lines; cut {len(self.cut)}, words broken {len(self.broken)}"
        )


async def measure(page: Page) -> Legibility:
    found: dict[str, Any] = await page.evaluate(MEASURE)
    return Legibility(
        width=int(found["width"]),
        height=int(found["height"]),
        sizes={float(size): int(n) for size, n in found["sizes"].items()},
        cut=list(found["cut"]),
        broken=list(found["broken"]),
    )
