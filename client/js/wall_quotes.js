// @ts-check
/**
 * The few raw comments the projected wall quotes, large, when the lead allows it: the newest
 * to come on the wall under the lead's rule (`wall_rule.js`), with their table and topic. With
 * the rule off (the default) there are none and the band is not shown. A quote is shown whole
 * or not at all: the band holds the newest that fit, one too long for it is passed over.
 */

import { el } from "./dom.js";
import { fits } from "./wall_fit.js";
import { refKey } from "./wall_model.js";

/** At most this many quotes at once. */
const QUOTES = 3;

/**
 * @typedef {Object} OnWall one comment the room may read now
 * @property {string} ref
 * @property {string} where e.g. "Table 2 · Crime Prevention"
 * @property {string} text
 * @property {number} since when it came on the wall (µs)
 */

/**
 * The newest comments on the wall at `nowUs`, newest first.
 * @param {import("./wall_model.js").WallModel} model
 * @param {import("./wall_model.js").Placed[]} all every live comment
 * @param {number} nowUs the server's time
 * @returns {OnWall[]}
 */
export function onWall(model, all, nowUs) {
  if (model.moderation.rule === "off") return [];
  const topics = new Map(model.topics().map((t) => [t.id, t.title]));
  /** @type {OnWall[]} */
  const shown = [];
  for (const { table, topic, comment } of all) {
    const ref = refKey(table, comment.id);
    const at = model.wallSince(ref, nowUs);
    if (at === null || at > nowUs) continue;
    shown.push({ ref, where: `Table ${table} · ${topics.get(topic) ?? topic}`, text: comment.text, since: at });
  }
  return shown.sort((a, b) => b.since - a.since || (a.ref < b.ref ? -1 : 1)).slice(0, QUOTES);
}

/**
 * Draw the quotes into their band (hidden when there are none).
 * @param {HTMLElement} band
 * @param {HTMLElement} list the band's list
 * @param {OnWall[]} quotes
 */
export function drawQuotes(band, list, quotes) {
  band.hidden = false; // laid out, to measure what fits
  const items = quotes.map((q) =>
    el("li", { class: "quote", "data-ref": q.ref }, [
      el("span", { class: "quote-where", text: q.where }),
      el("span", { class: "quote-text", text: q.text }),
    ]),
  );
  for (const item of items) item.hidden = true;
  list.replaceChildren(...items);
  for (const item of items) {
    item.hidden = false;
    item.hidden = !fits(band);
  }
  band.hidden = items.every((item) => item.hidden);
}
