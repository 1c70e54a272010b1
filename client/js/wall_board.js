// @ts-check
/**
 * The theme wall as a board of cells, as the replay draws it at any moment: one cell per topic
 * (and one for themes across topics), each with its themes grouped by question, every theme
 * with its count, its tables and its newest comments; a topic the lead has not grouped yet
 * shows its newest comments instead. `cellsOf` is also what the projected wall pages through
 * (`wall_pages.js`), so both order the themes alike: key themes first, in the lead's order.
 *
 * Each cell must fit its box without scrolling and is fitted on its own (`wall_fit.js`): fewer
 * quotes per theme first, then smaller type, then the least-supported themes give way ("+ 3
 * more themes"): key themes and the largest themes stay.
 *
 * A cell is redrawn only when what it shows changed (its data, as JSON), so a comment typed at
 * table 2 does not redraw the other topics, and a highlight already running keeps running.
 */

import { el } from "./dom.js";
import { dropLast, settle } from "./wall_fit.js";
import { refKey } from "./wall_model.js";

/** Newest comments quoted under a theme (fewer when the cell is full). */
const QUOTES = 3;
/** Newest comments shown in a topic that has no theme yet. */
const LOOSE = 12;
/** A topic's column is at least this wide; with less room, the topics go in two rows or more. */
const MIN_CELL_PX = 230;
/** How long something new stays highlighted. */
const FRESH_MS = 6000;

/**
 * @typedef {Object} Fresh what arrived lately, with the page's clock (performance.now) at arrival
 * @property {Map<string, number>} comments refKey -> when it was added
 * @property {Map<string, number>} themes theme id -> when it last gained a comment or was made
 */

/**
 * @typedef {Object} Quote
 * @property {string} ref refKey of the comment
 * @property {number} table
 * @property {string} topic
 * @property {string} text
 */

/**
 * @typedef {Object} ThemeCard
 * @property {string} id
 * @property {string} title
 * @property {boolean} key
 * @property {number} count live comments in it
 * @property {number[]} tables the tables they came from
 * @property {Quote[]} quotes the newest first
 */

/**
 * @typedef {Object} Cell what one topic's cell shows (its JSON decides whether to redraw)
 * @property {string} key the topic id, or "*" for themes across topics
 * @property {string} title
 * @property {number} comments live comments of the topic
 * @property {number} unthemed of which not in a theme
 * @property {{question: string, prompt: string, themes: ThemeCard[]}[]} groups
 * @property {Quote[]} loose newest comments, when the topic has no theme yet
 */

/**
 * The cells of the board, from the model.
 * @param {import("./wall_model.js").WallModel} model
 * @param {import("./wall_model.js").Placed[]} all every live comment (`model.comments()`)
 * @returns {Cell[]}
 */
export function cellsOf(model, all) {
  const themes = model.outline.themes;
  /** @type {{id: string | null, title: string}[]} */
  const topics = model.topics().map((t) => ({ id: t.id, title: t.title }));
  if (themes.some((t) => t.topic === null)) topics.push({ id: null, title: "Across topics" });
  const created = new Map(themes.map((t, index) => [t.id, index]));
  return topics.map((topic) => {
    const mine = all.filter((p) => p.topic === topic.id);
    const ownThemes = themes.filter((t) => t.topic === topic.id);
    const scopes = [...model.questions().map((q) => ({ question: q.id, prompt: q.prompt })), {
      question: "",
      prompt: "Any question",
    }];
    const groups = scopes
      .map(({ question, prompt }) => {
        const here = ownThemes.filter((t) => (t.question ?? "") === question);
        const rank = new Map(model.keyThemes(topic.id, question || null).map((t, index) => [t.id, index]));
        const cards = here.map((t) => card(model, t));
        cards.sort(
          (a, b) =>
            (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) ||
            b.count - a.count ||
            (created.get(a.id) ?? 0) - (created.get(b.id) ?? 0),
        );
        return { question, prompt, themes: cards };
      })
      .filter((g) => g.themes.length > 0);
    const unthemed = mine.filter((p) => p.theme === null);
    const loose = ownThemes.length > 0 ? [] : newest(unthemed, LOOSE);
    return {
      key: topic.id ?? "*",
      title: topic.title,
      comments: mine.length,
      unthemed: unthemed.length,
      groups,
      loose,
    };
  });
}

/**
 * @param {import("./wall_model.js").WallModel} model
 * @param {import("./wall_model.js").ThemeOutline} theme
 * @returns {ThemeCard}
 */
function card(model, theme) {
  const members = model.members(theme);
  return {
    id: theme.id,
    title: theme.title,
    key: theme.key,
    count: members.length,
    tables: [...new Set(members.map((m) => m.table))].sort((a, b) => a - b),
    quotes: newest(members, QUOTES),
  };
}

/**
 * @param {import("./wall_model.js").Placed[]} placed
 * @param {number} most
 * @returns {Quote[]} the newest `most`, newest first
 */
function newest(placed, most) {
  return [...placed]
    .sort((a, b) => (b.comment.typedAt ?? 0) - (a.comment.typedAt ?? 0))
    .slice(0, most)
    .map((p) => ({ ref: refKey(p.table, p.comment.id), table: p.table, topic: p.topic, text: p.comment.text }));
}

/**
 * Draw the board: only the cells whose data changed are rebuilt; all are fitted again when
 * `refit` (a resize) or when rebuilt.
 * @param {HTMLElement} board
 * @param {Cell[]} cells
 * @param {Fresh} fresh
 * @param {boolean} refit
 */
export function drawBoard(board, cells, fresh, refit) {
  const columns = Math.max(1, Math.min(cells.length, Math.floor(board.clientWidth / MIN_CELL_PX)));
  board.style.setProperty("--cols", String(columns));
  board.style.setProperty("--rows", String(Math.max(1, Math.ceil(cells.length / columns))));
  const old = new Map([...board.children].map((child) => [/** @type {HTMLElement} */ (child).dataset.topic, child]));
  /** @type {HTMLElement[]} */
  const shown = [];
  /** @type {HTMLElement[]} */
  const rebuilt = [];
  for (const cell of cells) {
    const json = JSON.stringify(cell);
    const existing = /** @type {HTMLElement | undefined} */ (old.get(cell.key));
    if (existing && existing.dataset.json === json) {
      shown.push(existing);
      continue;
    }
    const node = drawCell(cell, fresh);
    node.dataset.json = json;
    shown.push(node);
    rebuilt.push(node);
  }
  const same = shown.length === board.children.length && shown.every((node, i) => board.children[i] === node);
  if (!same) board.replaceChildren(...shown);
  for (const node of refit ? shown : rebuilt) fitCell(node);
}

/**
 * @param {Cell} cell
 * @param {Fresh} fresh
 * @returns {HTMLElement}
 */
function drawCell(cell, fresh) {
  const count = `${cell.comments} comment${cell.comments === 1 ? "" : "s"}`;
  const themes = cell.groups.reduce((n, g) => n + g.themes.length, 0);
  const summary = cell.key === "*" ? `${themes} theme${themes === 1 ? "" : "s"}` : themes ? `${count} · ${themes} theme${themes === 1 ? "" : "s"}` : count;
  const body = el("div", { class: "cell-body" });
  for (const group of cell.groups) {
    const list = el("ol", { class: "themes" }, group.themes.map((t) => drawTheme(t, fresh)));
    body.append(
      el("section", { class: "group", "data-question": group.question || "*" }, [
        el("h3", { class: "group-title", text: group.prompt }),
        list,
        el("p", { class: "more", hidden: true }),
      ]),
    );
  }
  if (cell.groups.length === 0) {
    body.append(
      el("p", { class: "not-yet", text: cell.comments ? "Not grouped yet. Newest:" : "No comments yet." }),
      el("ul", { class: "loose" }, cell.loose.map((q) => drawQuote(q, fresh, "loose-item"))),
    );
  } else if (cell.unthemed > 0 && cell.key !== "*") {
    body.append(el("p", { class: "cell-note", text: `${cell.unthemed} not yet in a theme` }));
  }
  return el("section", { class: "cell", "data-topic": cell.key, "data-quotes": String(QUOTES) }, [
    el("header", { class: "cell-head" }, [
      el("h2", { class: "cell-title", text: cell.title }),
      el("span", { class: "cell-count", text: summary }),
    ]),
    body,
  ]);
}

/**
 * @param {ThemeCard} theme
 * @param {Fresh} fresh
 * @returns {HTMLElement}
 */
function drawTheme(theme, fresh) {
  const where = theme.tables.length === 0 ? "" : theme.tables.length === 1 ? `Table ${theme.tables[0]}` : `${theme.tables.length} tables`;
  const node = el(
    "li",
    { class: "theme", "data-theme": theme.id, "data-key": String(theme.key), "data-count": String(theme.count) },
    [
      el("div", { class: "theme-head" }, [
        theme.key ? el("span", { class: "key-mark", "aria-label": "key theme", text: "★" }) : null,
        el("span", { class: "theme-title", text: theme.title }),
        el("span", { class: "theme-count", "aria-label": `${theme.count} comments`, text: String(theme.count) }),
      ]),
      where ? el("span", { class: "theme-where", text: where }) : null,
      theme.quotes.length ? el("ul", { class: "quotes" }, theme.quotes.map((q) => drawQuote(q, fresh, "quote"))) : null,
    ],
  );
  flash(node, fresh.themes.get(theme.id));
  return node;
}

/**
 * @param {Quote} quote
 * @param {Fresh} fresh
 * @param {string} className
 * @returns {HTMLElement}
 */
function drawQuote(quote, fresh, className) {
  const node = el("li", { class: className, "data-ref": quote.ref, text: quote.text });
  flash(node, fresh.comments.get(quote.ref));
  return node;
}

/**
 * Highlight what arrived within `FRESH_MS`, continuing (not restarting) a highlight already
 * running when the element is drawn again.
 * @param {HTMLElement} node
 * @param {number | undefined} since performance.now() at arrival
 */
function flash(node, since) {
  if (since === undefined) return;
  const age = performance.now() - since;
  if (age >= FRESH_MS) return;
  node.classList.add("fresh");
  node.style.setProperty("animation-delay", `${-Math.round(age)}ms`);
}

/**
 * Make one cell fit its box: fewer quotes, then smaller type, then drop the least-supported
 * themes (or the oldest of the newest comments), saying how many more there are.
 * @param {HTMLElement} cell
 */
function fitCell(cell) {
  const steps = [
    ...[3, 2, 1, 0].map((quotes) => () => {
      cell.dataset.quotes = String(quotes);
    }),
    ...[0.9, 0.8].map((scale) => () => {
      cell.style.setProperty("--fit", String(scale));
    }),
  ];
  cell.style.setProperty("--fit", "1");
  if (settle(cell, steps)) return;
  const loose = [...cell.querySelectorAll(".loose-item")].map((n) => /** @type {HTMLElement} */ (n));
  if (loose.length) {
    dropLast(cell, loose, () => undefined);
    return;
  }
  // Most important first: each question's first theme (its first key theme, or its largest),
  // then each one's second, and so on, so that every question keeps its best themes.
  const cards = [...cell.querySelectorAll(".themes")]
    .flatMap((list) => [...list.children].map((card, place) => ({ card: /** @type {HTMLElement} */ (card), place })))
    .sort((a, b) => a.place - b.place || rankOf(a.card) - rankOf(b.card))
    .map((each) => each.card);
  dropLast(cell, cards, () => {
    for (const group of cell.querySelectorAll(".group")) {
      const hidden = [...group.querySelectorAll(".theme")].filter((t) => /** @type {HTMLElement} */ (t).hidden).length;
      const more = /** @type {HTMLElement} */ (group.querySelector(".more"));
      more.hidden = hidden === 0;
      more.textContent = hidden === 0 ? "" : `+ ${hidden} more theme${hidden === 1 ? "" : "s"}`;
    }
  });
}

/**
 * @param {HTMLElement} card
 * @returns {number} lower first
 */
function rankOf(card) {
  return (card.dataset.key === "true" ? -1e9 : 0) - Number(card.dataset.count || 0);
}
