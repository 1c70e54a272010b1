// @ts-check
/**
 * The lead's live comments: every table's points in the meeting's order (topic, question,
 * table), filtered by topic, question, table, rotation and text, each with its table, rotation,
 * the facilitator's star, and the theme it is in. A comment that just arrived is highlighted
 * for a moment. Text goes in through `textContent` only.
 */

import { el, fillSelect, replaceChildren } from "./dom.js";
import { refKey } from "./wall_model.js";

/**
 * @typedef {Object} Filters
 * @property {string} topic "" for all
 * @property {string} question
 * @property {string} table
 * @property {string} rotation "" all, "none" outside rotations, else the number
 * @property {string} text
 * @property {boolean} starred
 * @property {boolean} unthemed
 */

/**
 * @typedef {Object} FilterInputs
 * @property {HTMLSelectElement} topic
 * @property {HTMLSelectElement} question
 * @property {HTMLSelectElement} table
 * @property {HTMLSelectElement} rotation
 * @property {HTMLInputElement} text
 * @property {HTMLInputElement} starred
 * @property {HTMLInputElement} unthemed
 */

/**
 * @param {FilterInputs} inputs
 * @returns {Filters}
 */
export function readFilters(inputs) {
  return {
    topic: inputs.topic.value,
    question: inputs.question.value,
    table: inputs.table.value,
    rotation: inputs.rotation.value,
    text: inputs.text.value.trim().toLocaleLowerCase(),
    starred: inputs.starred.checked,
    unthemed: inputs.unthemed.checked,
  };
}

/**
 * Fill the filter menus from the meeting (keeping what is chosen).
 * @param {FilterInputs} inputs
 * @param {any} meeting
 */
export function fillFilters(inputs, meeting) {
  const count = meeting.rotation ? meeting.rotation.count : 0;
  fillSelect(inputs.topic, [["", "All topics"], ...meeting.topics.map((/** @type {any} */ t) => [t.id, t.title])]);
  fillSelect(inputs.question, [
    ["", "All questions"],
    ...meeting.questions.map((/** @type {any} */ q, /** @type {number} */ i) => [q.id, `Q${i + 1} ${q.prompt}`]),
  ]);
  fillSelect(inputs.table, [
    ["", "All tables"],
    ...meeting.tables.map((/** @type {any} */ t) => [String(t.number), `Table ${t.number} · ${t.topic_title ?? ""}`]),
  ]);
  fillSelect(inputs.rotation, [
    ["", "All rotations"],
    ...Array.from({ length: count }, (_, i) => [String(i + 1), `Rotation ${i + 1}`]),
    ["none", "Outside rotations"],
  ]);
}

/**
 * @param {import("./wall_model.js").Placed} placed
 * @param {Filters} f
 * @returns {boolean}
 */
export function matches(placed, f) {
  const { comment } = placed;
  if (f.topic && placed.topic !== f.topic) return false;
  if (f.question && placed.question !== f.question) return false;
  if (f.table && String(placed.table) !== f.table) return false;
  if (f.rotation === "none" && comment.rotation !== null) return false;
  if (f.rotation && f.rotation !== "none" && String(comment.rotation) !== f.rotation) return false;
  if (f.starred && !comment.starred) return false;
  if (f.unthemed && placed.theme !== null) return false;
  if (f.text && !comment.text.toLocaleLowerCase().includes(f.text)) return false;
  return true;
}

/**
 * Draw the filtered comments, headed by topic and question (the page redraws through
 * dom.js `redrawKeeping`, which keeps the focused comment focused).
 * @param {HTMLElement} container
 * @param {HTMLElement} summary
 * @param {import("./lead_state.js").LeadState} state
 * @param {Filters} filters
 */
export function renderComments(container, summary, state, filters) {
  const model = state.model;
  if (!model) return;
  const all = model.comments();
  const shown = all.filter((p) => matches(p, filters));
  const titles = new Map(model.outline.themes.map((t) => [t.id, t.title]));
  const topics = new Map(model.topics().map((t) => [t.id, t.title]));
  const questions = new Map(model.questions().map((q, i) => [q.id, `Q${i + 1} ${q.prompt}`]));

  /** @type {HTMLElement[]} */
  const nodes = [];
  let heading = "";
  /** @type {HTMLElement | null} */
  let list = null;
  for (const placed of shown) {
    const head = `${placed.topic}\u0000${placed.question}`;
    if (head !== heading || !list) {
      heading = head;
      list = el("ul", { class: "comment-group" });
      nodes.push(
        el("section", { class: "question-block" }, [
          el("h2", { class: "question-head" }, [
            el("span", { class: "topic-name", text: topics.get(placed.topic) ?? placed.topic }),
            el("span", { class: "question-name", text: questions.get(placed.question) ?? placed.question }),
          ]),
          list,
        ]),
      );
    }
    list.append(commentItem(placed, state, placed.theme ? titles.get(placed.theme) ?? "" : ""));
  }
  if (!nodes.length) {
    nodes.push(el("p", { class: "empty muted", text: all.length ? "No comment matches the filters." : "No comments yet." }));
  }
  const rover = container.querySelector('.lead-comment[tabindex="0"]');
  replaceChildren(container, nodes);
  const keep = rover instanceof HTMLElement ? container.querySelector(`[data-key="${CSS.escape(String(rover.dataset.key))}"]`) : null;
  roveTo(container, keep ?? container.querySelector(".lead-comment"));
  summary.textContent =
    shown.length === all.length ? `${all.length} comments` : `${shown.length} of ${all.length} comments shown`;
}

/**
 * The list is one Tab stop (a roving focus: ↑ ↓ Home End move in it), so that hundreds of
 * comments do not stand between the top of the page and the themes: `item` becomes the stop.
 * @param {HTMLElement} container
 * @param {Element | null} item
 */
export function roveTo(container, item) {
  if (!(item instanceof HTMLElement)) return;
  for (const other of container.querySelectorAll('.lead-comment[tabindex="0"]')) {
    if (other !== item) other.setAttribute("tabindex", "-1");
  }
  item.setAttribute("tabindex", "0");
}

/**
 * @param {import("./wall_model.js").Placed} placed
 * @param {import("./lead_state.js").LeadState} state
 * @param {string} themeTitle
 * @returns {HTMLElement}
 */
function commentItem(placed, state, themeTitle) {
  const { comment, table } = placed;
  const key = refKey(table, comment.id);
  const rotation = comment.rotation === null ? outsideRotations(comment, state) : `R${comment.rotation}`;
  return el(
    "li",
    {
      class: `lead-comment${comment.parent ? " sub" : ""}${state.fresh.has(key) ? " fresh" : ""}`,
      tabindex: "-1",
      "data-key": key,
      "data-table": String(table),
      "data-id": comment.id,
      "data-theme": placed.theme ?? "",
      "data-starred": comment.starred ? "true" : "false",
    },
    [
      el("span", { class: "handle", "aria-hidden": "true", title: "Drag onto a theme", text: "⠿" }),
      el("span", { class: "where", text: `T${table} · ${rotation}` }),
      comment.starred && el("span", { class: "star", title: "Starred by the table facilitator", text: "★" }),
      el("span", { class: "text", text: comment.text }),
      comment.late && el("span", { class: "badge late", text: "late" }),
      comment.edited && el("span", { class: "badge", text: "edited" }),
      themeTitle && el("span", { class: "in-theme", title: "In this theme", text: themeTitle }),
    ],
  );
}

/**
 * Where a point typed outside the rotations belongs, in the lead's words: the agenda item it
 * was typed in ("Stretch Break"), or "before" the roundtables.
 * @param {import("./view.js").Comment} comment
 * @param {import("./lead_state.js").LeadState} state
 */
function outsideRotations(comment, state) {
  const item = (state.model?.meeting.agenda || []).find((/** @type {any} */ a) => a.id === comment.phase);
  if (!item) return "before the roundtables";
  return item.kind === "break" ? "in the break" : item.title;
}
