// @ts-check
/**
 * The planning form: a plan in the template's shape drawn as rows of inputs, and read back.
 * Rows keep the ids of what they hold (agenda items, topics, questions), so saving an edit
 * changes those rather than removing and adding; a new topic or question gets an unused id.
 */

import { byId, el, fillSelect, replaceChildren } from "./dom.js";

export const KINDS = [
  ["arrival", "Arrival"],
  ["welcome", "Welcome"],
  ["meal", "Meal"],
  ["presentation", "Presentation"],
  ["break", "Break"],
  ["roundtables", "Roundtables"],
  ["report_back", "Report-back"],
  ["wrap_up", "Wrap-up"],
];

/**
 * @param {number} index
 * @returns {string} A, B, … Z, AA, AB, …: the default group names
 */
export function groupName(index) {
  let name = "";
  let n = index + 1;
  while (n > 0) {
    const rest = (n - 1) % 26;
    name = String.fromCharCode(65 + rest) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/**
 * @param {string} label
 * @param {Record<string, string>} attrs
 * @returns {HTMLElement} a label holding an input
 */
function field(label, attrs) {
  return el("label", {}, [label, " ", el("input", { type: "text", autocomplete: "off", ...attrs })]);
}

/**
 * @param {string} what what the row is, for the button's name
 * @returns {HTMLElement}
 */
function removeButton(what) {
  return el("button", { type: "button", class: "remove", "data-action": "remove", "aria-label": `Remove ${what}`, text: "Remove" });
}

/**
 * @param {any} item
 * @param {number} i
 */
function agendaRow(item, i) {
  const kind = /** @type {HTMLSelectElement} */ (el("select", { "data-role": "kind", "data-field": `agenda[${i}].kind` }));
  fillSelect(kind, KINDS);
  kind.value = item.kind;
  return el("li", { class: "row-item agenda-item", "data-field": `agenda[${i}]`, "data-id": item.id || "" }, [
    field("Starts", { type: "time", "data-role": "start", "data-field": `agenda[${i}].start`, value: item.start || "" }),
    field("Ends", { type: "time", "data-role": "end", "data-field": `agenda[${i}].end`, value: item.end || "" }),
    el("label", {}, ["Kind ", kind]),
    field("Title", { class: "wide", "data-role": "title", "data-field": `agenda[${i}].title`, value: item.title || "" }),
    removeButton(`agenda item ${i + 1}`),
  ]);
}

/**
 * @param {any} topic
 * @param {number} i
 */
function topicRow(topic, i) {
  return el("li", { class: "row-item", "data-field": `topics[${i}]`, "data-id": topic.id }, [
    field(`Topic ${i + 1}`, { class: "wide", "data-role": "title", "data-field": `topics[${i}].title`, value: topic.title || "" }),
    removeButton(`topic ${i + 1}`),
  ]);
}

/**
 * @param {any} question
 * @param {number} i
 */
function questionRow(question, i) {
  return el("li", { class: "row-item", "data-field": `questions[${i}]`, "data-id": question.id }, [
    field(`Question ${i + 1}`, { class: "wide", "data-role": "prompt", "data-field": `questions[${i}].prompt`, value: question.prompt || "" }),
    el("button", { type: "button", "data-action": "up", "aria-label": `Move question ${i + 1} up`, text: "Up", disabled: i === 0 }),
    removeButton(`question ${i + 1}`),
  ]);
}

/**
 * @param {any} table
 * @param {number} i
 * @param {any[]} topics
 */
function tableRow(table, i, topics) {
  const topic = /** @type {HTMLSelectElement} */ (el("select", { "data-role": "topic", "data-field": `tables[${i}].topic` }));
  const known = topics.some((t) => t.id === table.topic);
  fillSelect(topic, [...(known ? [] : [["", "(choose a topic)"]]), ...topics.map((t) => [t.id, t.title || "(untitled topic)"])]);
  topic.value = known ? table.topic : "";
  return el("li", { class: "row-item", "data-field": `tables[${i}]` }, [
    field("Table", { type: "number", min: "1", class: "narrow", "data-role": "number", "data-field": `tables[${i}].number`, value: String(table.number) }),
    el("label", {}, ["Topic ", topic]),
    field("Facilitator (optional)", { "data-role": "facilitator", "data-field": `tables[${i}].facilitator`, value: table.facilitator || "" }),
    removeButton(`table ${table.number}`),
  ]);
}

/**
 * @param {HTMLInputElement} input
 * @param {unknown} value
 */
function set(input, value) {
  input.value = value === null || value === undefined ? "" : String(value);
}

/** @param {string} id @returns {HTMLInputElement} */
const input = (id) => /** @type {HTMLInputElement} */ (byId(id));

/**
 * Draw `plan` into the form.
 * @param {any} plan
 */
export function render(plan) {
  set(input("title"), plan.meeting.title);
  set(input("date"), plan.meeting.date);
  set(input("venue"), plan.meeting.venue);
  set(input("timezone"), plan.meeting.timezone);
  replaceChildren(byId("agenda"), plan.agenda.map(agendaRow));
  replaceChildren(byId("topics"), plan.topics.map(topicRow));
  replaceChildren(byId("questions"), plan.questions.map(questionRow));
  replaceChildren(byId("tables"), plan.tables.map((t, i) => tableRow(t, i, plan.topics)));
  const rotation = plan.rotation;
  set(input("minutes"), rotation.minutes_per_table);
  set(input("count"), rotation.count);
  const groups = rotation.groups || [];
  const usual = plan.tables.map((/** @type {any} */ _t, /** @type {number} */ i) => groupName(i));
  set(input("groups"), groups.join(",") === usual.join(",") ? "" : groups.join(", "));
}

/**
 * @param {Element} row
 * @param {string} role
 * @returns {string}
 */
function valueOf(row, role) {
  const node = row.querySelector(`[data-role="${role}"]`);
  return node instanceof HTMLInputElement || node instanceof HTMLSelectElement ? node.value : "";
}

/**
 * @param {string} id
 * @returns {Element[]}
 */
const rows = (id) => [...byId(id).children];

/**
 * @param {string} text
 * @returns {string | null} the text, or null when blank (an optional field)
 */
const optional = (text) => (text.trim() ? text.trim() : null);

/**
 * The plan as the form holds it, in the template's shape.
 * @returns {any}
 */
export function collect() {
  const groups = input("groups").value.split(",").map((g) => g.trim()).filter(Boolean);
  const start = rows("agenda").find((row) => valueOf(row, "kind") === "roundtables");
  /** @param {string} text */
  const number = (text) => (text.trim() === "" ? null : Number(text));
  return {
    meeting: {
      title: input("title").value.trim(),
      date: input("date").value,
      venue: input("venue").value.trim(),
      timezone: input("timezone").value.trim(),
    },
    agenda: rows("agenda").map((row) => ({
      ...(row.getAttribute("data-id") ? { id: row.getAttribute("data-id") } : {}),
      kind: valueOf(row, "kind"),
      title: valueOf(row, "title").trim(),
      start: valueOf(row, "start"),
      end: optional(valueOf(row, "end")),
    })),
    topics: rows("topics").map((row) => ({ id: row.getAttribute("data-id"), title: valueOf(row, "title").trim() })),
    questions: rows("questions").map((row) => ({ id: row.getAttribute("data-id"), prompt: valueOf(row, "prompt").trim() })),
    tables: rows("tables").map((row) => ({
      number: number(valueOf(row, "number")),
      topic: valueOf(row, "topic"),
      facilitator: optional(valueOf(row, "facilitator")),
    })),
    rotation: {
      start: start ? valueOf(start, "start") : "",
      minutes_per_table: number(input("minutes").value),
      count: number(input("count").value),
      ...(groups.length ? { groups } : {}),
    },
  };
}

/**
 * An id not yet used in `taken`: `prefix-1`, `prefix-2`…
 * @param {string} prefix
 * @param {{id: string}[]} taken
 * @returns {string}
 */
export function unusedId(prefix, taken) {
  const ids = new Set(taken.map((t) => t.id));
  let n = taken.length + 1;
  while (ids.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}
