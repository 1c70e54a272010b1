// @ts-check
/**
 * The side of the projected wall: the newest comments as they arrive ("Just in", newest on
 * top, each briefly highlighted), and how many comments each table has given in each rotation.
 */

import { el } from "./dom.js";
import { flash, newest } from "./wall_board.js";
import { dropLast } from "./wall_fit.js";

/** At most this many newest comments (fewer when they do not fit). */
const FEED = 12;
/** With more tables than this, the counts are per topic rather than per table. */
const TABLE_ROWS = 8;

/**
 * @param {HTMLElement} feed the list
 * @param {HTMLElement} box the list's box, which must not overflow
 * @param {import("./wall_model.js").WallModel} model
 * @param {import("./wall_model.js").Placed[]} all
 * @param {import("./wall_board.js").Fresh} fresh
 */
export function drawFeed(feed, box, model, all, fresh) {
  const topics = new Map(model.topics().map((t) => [t.id, t.title]));
  const items = newest(all, FEED).map((quote) => {
    const topic = topics.get(quote.topic) ?? "";
    const item = el("li", { class: "feed-item", "data-ref": quote.ref }, [
      el("span", { class: "feed-where", text: `Table ${quote.table}${topic ? ` · ${topic}` : ""}` }),
      el("span", { class: "feed-text", text: quote.text }),
    ]);
    flash(item, fresh.comments.get(quote.ref));
    return item;
  });
  feed.replaceChildren(...items);
  if (items.length === 0) feed.append(el("li", { class: "feed-empty", text: "Comments appear here as the tables type them." }));
  dropLast(box, items, () => undefined);
}

/**
 * Comments per table (or topic) and rotation, with totals.
 * @param {HTMLElement} table the <table>
 * @param {import("./wall_model.js").WallModel} model
 * @param {import("./wall_model.js").Placed[]} all
 */
export function drawTally(table, model, all) {
  const meeting = model.meeting;
  const rotations = meeting.rotation ? Number(meeting.rotation.count) : 0;
  const numbers = meeting.tables.map((/** @type {any} */ t) => Number(t.number));
  const byTopic = numbers.length > TABLE_ROWS;
  /** @type {{key: string, label: string}[]} */
  const rows = byTopic
    ? model.topics().map((t) => ({ key: t.id, label: t.title }))
    : numbers.map((/** @type {number} */ n) => ({ key: String(n), label: `Table ${n}` }));
  const columns = Array.from({ length: rotations }, (_, i) => String(i + 1));
  /** @type {Map<string, number>} "row|rotation" -> count */
  const cells = new Map();
  let outside = false;
  for (const p of all) {
    const row = byTopic ? p.topic : String(p.table);
    const rotation = p.comment.rotation === null ? "–" : String(p.comment.rotation);
    if (rotation === "–") outside = true;
    for (const key of [`${row}|${rotation}`, `${row}|all`, `all|${rotation}`, "all|all"]) {
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
  }
  if (outside) columns.push("–");
  /** @param {string} row @param {string} column */
  const cell = (row, column) => String(cells.get(`${row}|${column}`) ?? 0);
  const head = el("tr", {}, [
    el("th", { scope: "col", text: byTopic ? "Topic" : "Comments" }),
    ...columns.map((c) => el("th", { scope: "col", title: c === "–" ? "outside the rotations" : `rotation ${c}`, text: c === "–" ? "–" : `R${c}` })),
    el("th", { scope: "col", text: "All" }),
  ]);
  const body = rows.map((row) =>
    el("tr", { "data-row": row.key }, [
      el("th", { scope: "row", text: row.label }),
      ...columns.map((c) => el("td", { "data-rotation": c, text: cell(row.key, c) })),
      el("td", { "data-rotation": "all", text: cell(row.key, "all") }),
    ]),
  );
  const total = el("tr", { class: "total", "data-row": "all" }, [
    el("th", { scope: "row", text: "All" }),
    ...columns.map((c) => el("td", { "data-rotation": c, text: cell("all", c) })),
    el("td", { "data-rotation": "all", text: cell("all", "all") }),
  ]);
  table.replaceChildren(el("thead", {}, [head]), el("tbody", {}, [...body, total]));
}
