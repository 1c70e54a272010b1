// @ts-check
/**
 * The projected wall's pages: one topic at a time (and the themes across topics), each theme
 * with how many comments and tables back it, under its question; key themes first, in the
 * lead's order (`cellsOf` in wall_board.js decides the order, as it does for the replay).
 *
 * The type never shrinks to make room: what does not fit one screen goes on the topic's next
 * page, and the wall turns the pages on a calm rhythm (`wall.js`), so that within one cycle every
 * theme of every topic has been on the screen with its counts. The breaks are found by laying
 * the pages out in the real board (`wall_fit.js` `dropLast`), again for a topic when the
 * board's size or what its pages hold changes.
 */

import { el } from "./dom.js";
import { dropLast } from "./wall_fit.js";

/**
 * @typedef {Object} Page one screen of the cycle
 * @property {import("./wall_board.js").Cell} cell its topic
 * @property {number} from the index of its first theme, in the cell's themes in reading order
 * @property {number} to after its last theme
 * @property {number} page its number within the topic, from 1
 * @property {number} pages how many the topic has
 */

/**
 * @param {number} n
 * @param {string} one
 * @returns {string} e.g. "1 table", "3 tables"
 */
function plural(n, one) {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

/**
 * @param {import("./wall_board.js").ThemeCard} theme
 * @returns {string} e.g. "12 comments · 3 tables"
 */
export function backing(theme) {
  const tables = theme.tables.length === 1 ? `table ${theme.tables[0]}` : plural(theme.tables.length, "table");
  return theme.count === 0 ? "no comments yet" : `${plural(theme.count, "comment")} · ${tables}`;
}

/**
 * @param {import("./wall_board.js").Cell} cell
 * @returns {number} its themes, all questions together
 */
function themeCount(cell) {
  return cell.groups.reduce((n, g) => n + g.themes.length, 0);
}

/**
 * The topic's page, with its themes `from` to `to` (all when not given).
 * @param {import("./wall_board.js").Cell} cell
 * @param {number} from
 * @param {number} to
 * @returns {HTMLElement} the page's body
 */
function body(cell, from, to) {
  const node = el("div", { class: "page-body", "data-topic": cell.key });
  let index = 0;
  for (const group of cell.groups) {
    const items = [];
    for (const theme of group.themes) {
      if (index >= from && index < to) items.push(drawTheme(theme));
      index += 1;
    }
    if (items.length === 0) continue;
    node.append(
      el("section", { class: "group", "data-question": group.question || "*" }, [
        el("h3", { class: "group-title", text: group.prompt }),
        el("ol", { class: "themes" }, items),
      ]),
    );
  }
  if (cell.groups.length === 0) {
    node.append(el("p", { class: "not-yet", text: cell.comments ? "Not grouped into themes yet" : "No comments yet" }));
  }
  return node;
}

/**
 * @param {import("./wall_board.js").ThemeCard} theme
 * @returns {HTMLElement}
 */
function drawTheme(theme) {
  return el(
    "li",
    { class: "theme", "data-theme": theme.id, "data-key": String(theme.key), "data-count": String(theme.count) },
    [
      el("span", { class: "theme-title" }, [
        theme.key ? el("span", { class: "key-mark", "aria-hidden": "true", text: "★ " }) : null,
        el("span", { class: "theme-name", text: theme.title }),
      ]),
      el("span", { class: "theme-backing", text: backing(theme) }),
    ],
  );
}

/**
 * The heading of a topic's page.
 * @param {Page} page
 * @param {number} topic its topic's place, from 1
 * @param {number} topics how many topics the cycle has
 * @returns {HTMLElement[]}
 */
function heading(page, topic, topics) {
  const { cell } = page;
  const themes = themeCount(cell);
  const counts = cell.key === "*" ? [plural(themes, "theme")] : [plural(cell.comments, "comment"), plural(themes, "theme")];
  if (cell.key !== "*" && themes > 0 && cell.unthemed > 0) counts.push(`${cell.unthemed} not in a theme yet`);
  const where = page.pages > 1 ? `Topic ${topic} of ${topics} · page ${page.page} of ${page.pages}` : `Topic ${topic} of ${topics}`;
  return [
    el("h2", { class: "page-title", text: cell.title }),
    el("p", { class: "page-counts", text: counts.join(" · ") }),
    el("p", { class: "page-where", text: where }),
  ];
}

/**
 * Each topic's pages as last laid out, and what they were laid out from (the board's size, the
 * topic's place and data): a comment typed at one table lays out that topic's pages only.
 * @type {Map<string, {signature: string, pages: Page[]}>}
 */
const laidOut = new Map();

/**
 * @typedef {Object} BoardUi
 * @property {HTMLElement} board
 * @property {HTMLElement} pageHead
 * @property {HTMLElement} pageBody the box a page must fit
 */

/**
 * Lay every topic out in the board and cut it into pages that fit.
 * @param {BoardUi} ui
 * @param {import("./wall_board.js").Cell[]} cells
 * @returns {Page[]} the cycle, topic by topic
 */
export function paginate(ui, cells) {
  const box = ui.pageBody;
  /** @type {Page[]} */
  const pages = [];
  const room = `${ui.board.clientWidth}x${ui.board.clientHeight}/${cells.length}`;
  for (const [place, cell] of cells.entries()) {
    const signature = JSON.stringify([room, place, cell]);
    const known = laidOut.get(cell.key);
    if (known && known.signature === signature) {
      pages.push(...known.pages);
      continue;
    }
    const total = themeCount(cell);
    // its heading as it will be (the longer form, for a topic of several pages) takes its room
    ui.pageHead.replaceChildren(...heading({ cell, from: 0, to: 0, page: 1, pages: 2 }, place + 1, cells.length));
    /** @type {Page[]} */
    const mine = [];
    let from = 0;
    do {
      const node = body(cell, from, total);
      box.replaceChildren(node);
      const items = [...node.querySelectorAll(".theme")].map((n) => /** @type {HTMLElement} */ (n));
      const hidden = dropLast(box, items, () => hideEmptyGroups(node));
      const to = Math.max(from + 1, total - hidden); // one theme too large still gets its page
      mine.push({ cell, from, to: Math.min(to, total), page: mine.length + 1, pages: 0 });
      from = to;
    } while (from < total);
    for (const page of mine) page.pages = mine.length;
    laidOut.set(cell.key, { signature, pages: mine });
    pages.push(...mine);
  }
  return pages;
}

/** @param {HTMLElement} node a page body */
function hideEmptyGroups(node) {
  for (const group of node.querySelectorAll(".group")) {
    /** @type {HTMLElement} */ (group).hidden = [...group.querySelectorAll(".theme")].every((t) => /** @type {HTMLElement} */ (t).hidden);
  }
}

/**
 * Show one page of the cycle.
 * @param {BoardUi} ui
 * @param {Page[]} pages
 * @param {number} index
 */
export function showPage(ui, pages, index) {
  const page = pages[index];
  const topics = new Set(pages.map((p) => p.cell.key));
  const topic = [...topics].indexOf(page.cell.key) + 1;
  ui.pageHead.replaceChildren(...heading(page, topic, topics.size));
  ui.pageBody.replaceChildren(body(page.cell, page.from, page.to));
  ui.board.dataset.topic = page.cell.key;
  ui.board.dataset.page = String(index);
  ui.board.dataset.pages = String(pages.length);
}
