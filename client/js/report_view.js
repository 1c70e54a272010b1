// @ts-check
/**
 * The staff report page's rendering: the report (from `GET /api/meetings/ID/report`) as
 * editable sections. Text is data, never markup: everything goes through `el()`
 * (textContent and attributes), never `innerHTML`.
 */

import { byId, el, replaceChildren } from "./dom.js";

/**
 * @typedef {Object} Actions what the page does when staff act
 * @property {(topic: string, question: string, text: string) => void} write
 * @property {(id: string, text: string) => void} edit
 * @property {(topic: string, question: string, ids: string[]) => void} order
 * @property {(id: string) => void} remove
 * @property {(table: number, commentId: string, reason: string) => void} redact
 * @property {(table: number, commentId: string) => void} unredact
 * @property {(table: number, comment: any, topic: string, question: string) => void} erase
 */

/**
 * @typedef {Object} Marks what the staff page knows of the appendix's comments
 * @property {Map<string, string>} reasons redactions' reasons, by "table/id"
 * @property {Set<string>} erased erased comments, by "table/id"
 * @property {string} topic the table's topic
 * @property {string} question the question they are under
 */

/**
 * Fill the page from the report and, for staff, its editor data.
 * @param {any} report the report document
 * @param {any} editor versions, redactions and the wall's key themes (staff only), or null
 * @param {any} eraser each comment's theme and the erased ones (whoever may erase now), or null
 * @param {boolean} editable staff, after the meeting is closed
 * @param {Actions} actions
 */
export function render(report, editor, eraser, editable, actions) {
  byId("title").textContent = report.meeting.title;
  byId("edition").textContent = editionText(report.edition);
  renderVersions(editor ? editor.publications : [], report.edition.last_published);
  const intro = /** @type {HTMLTextAreaElement} */ (byId("intro"));
  const steps = /** @type {HTMLTextAreaElement} */ (byId("next-steps"));
  // Text being typed is kept until it is saved: other actions reload the report meanwhile.
  if (!intro.dataset.dirty) intro.value = report.front_matter.intro;
  if (!steps.dataset.dirty) steps.value = report.front_matter.next_steps;
  const wall = new Map(
    (editor ? editor.wall_key_themes : []).map((/** @type {any} */ w) => [
      `${w.topic}/${w.question}`,
      w.titles,
    ]),
  );
  replaceChildren(
    byId("key-themes"),
    report.key_themes.flatMap((/** @type {any} */ topic) => [
      el("h3", { text: topic.title }),
      ...topic.questions.map((/** @type {any} */ q) =>
        scope(topic.topic, q, wall.get(`${topic.topic}/${q.question}`) || [], editable, actions),
      ),
    ]),
  );
  const reasons = new Map(
    (editor ? editor.redactions : []).map((/** @type {any} */ r) => [
      `${r.table}/${r.comment_id}`,
      r.reason,
    ]),
  );
  const erased = new Set(
    (eraser ? eraser.erased : []).map((/** @type {any} */ e) => `${e.table}/${e.comment_id}`),
  );
  replaceChildren(
    byId("appendix"),
    report.appendix.flatMap((/** @type {any} */ table) => [
      el("h3", { text: `Table ${table.table}: ${table.title}` }),
      ...table.questions.flatMap((/** @type {any} */ q) => {
        const marks = { reasons, erased, topic: table.topic, question: q.question };
        return [
          el("h4", { text: q.prompt }),
          q.comments.length
            ? el(
                "ul",
                { class: "comments" },
                q.comments.map((/** @type {any} */ c) => comment(table.table, c, marks, actions)),
              )
            : el("p", { class: "none", text: "No comments." }),
        ];
      }),
    ]),
  );
}

/**
 * @param {any} edition
 * @returns {string}
 */
function editionText(edition) {
  if (edition.status === "published") return `Version ${edition.version}, published ${edition.as_of}`;
  if (!edition.meeting_closed) return "Draft — the meeting is still running";
  const last = edition.last_published;
  return last ? `Draft — version ${last} is the last published` : "Draft — not published yet";
}

/**
 * @param {any[]} publications
 * @param {number} last
 */
function renderVersions(publications, last) {
  const select = /** @type {HTMLSelectElement} */ (byId("version"));
  const chosen = select.value;
  const options = [el("option", { value: "", text: "Draft (as it stands)" })];
  for (const p of publications) {
    options.push(el("option", { value: String(p.version), text: `Version ${p.version} (${p.published_at})` }));
  }
  replaceChildren(select, options);
  select.value = publications.some((p) => String(p.version) === chosen) ? chosen : "";
  select.dataset.last = String(last);
}

/**
 * One topic and question: its sentences, in order, each editable, and a line to add one.
 * @param {string} topic
 * @param {any} question
 * @param {string[]} wallTitles the lead's key themes there, to start from
 * @param {boolean} editable
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function scope(topic, question, wallTitles, editable, actions) {
  const ids = question.themes.map((/** @type {any} */ t) => t.id);
  const items = question.themes.map((/** @type {any} */ theme, /** @type {number} */ index) => {
    const input = /** @type {HTMLInputElement} */ (
      el("input", { type: "text", value: theme.text, "aria-label": "Key theme", class: "edit-field" })
    );
    input.readOnly = !editable;
    const move = (/** @type {number} */ by) => {
      const order = [...ids];
      [order[index], order[index + by]] = [order[index + by], order[index]];
      actions.order(topic, question.question, order);
    };
    return el("li", { class: "sentence", "data-id": theme.id }, [
      input,
      el("span", { class: "edit-only" }, [
        button("Save", () => actions.edit(theme.id, input.value)),
        index > 0 && button("↑", () => move(-1), "Move up"),
        index < ids.length - 1 && button("↓", () => move(1), "Move down"),
        button("Remove", () => actions.remove(theme.id)),
      ]),
    ]);
  });
  const draft = /** @type {HTMLInputElement} */ (
    el("input", { type: "text", "aria-label": `New key theme: ${question.prompt}`, class: "new-theme" })
  );
  const add = () => {
    if (draft.value.trim()) actions.write(topic, question.question, draft.value);
  };
  draft.addEventListener("keydown", (event) => {
    if (event.key === "Enter") add();
  });
  const fromWall =
    wallTitles.length > 0 && ids.length === 0
      ? button(`Start from the lead's ${wallTitles.length} key themes`, () => {
          for (const title of wallTitles) actions.write(topic, question.question, title);
        })
      : null;
  return el("div", { class: "scope", "data-topic": topic, "data-question": question.question }, [
    el("h4", { text: question.prompt }),
    items.length
      ? el("ol", { class: "sentences" }, items)
      : el("p", { class: "none", text: "No key themes yet." }),
    el("div", { class: "adder edit-only" }, [draft, button("Add", add), fromWall]),
  ]);
}

/**
 * One comment of the appendix, with its redaction controls (staff, after the close), its
 * Erase… button (whoever may erase now) and its sub-bullets; an erased one has no controls.
 * @param {number} table
 * @param {any} c
 * @param {Marks} marks
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function comment(table, c, marks, actions) {
  const key = `${table}/${c.id}`;
  const reason = marks.reasons.get(key);
  const erased = marks.erased.has(key);
  const controls = c.redacted
    ? [
        reason ? el("span", { class: "reason", text: `(${reason})` }) : null,
        button("Unredact", () => actions.unredact(table, c.id)),
      ]
    : [redactForm(table, c.id, actions)];
  const erase = erased
    ? null
    : el("span", { class: "erase-only" }, [
        button("Erase…", () => actions.erase(table, c, marks.topic, marks.question)),
      ]);
  const children = c.children || [];
  const kind = erased ? "comment erased" : c.redacted ? "comment redacted" : "comment";
  return el("li", { class: kind, "data-id": c.id }, [
    el("span", { class: "text", text: c.text }),
    erased ? null : el("span", { class: "edit-only" }, controls),
    erase,
    children.length
      ? el("ul", {}, children.map((/** @type {any} */ child) => comment(table, child, marks, actions)))
      : null,
  ]);
}

/**
 * A "Redact" button that opens a reason field; redacting needs a reason.
 * @param {number} table
 * @param {string} commentId
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function redactForm(table, commentId, actions) {
  const reason = /** @type {HTMLInputElement} */ (
    el("input", { type: "text", "aria-label": "Reason for redacting", placeholder: "Reason" })
  );
  const form = el("span", { class: "redact-form", hidden: true }, [
    reason,
    button("Redact", () => actions.redact(table, commentId, reason.value), "Redact with this reason"),
  ]);
  const open = button("Redact…", () => {
    open.hidden = true;
    form.hidden = false;
    reason.focus();
  });
  return el("span", {}, [open, form]);
}

/**
 * @param {string} label
 * @param {() => void} action
 * @param {string} [title]
 * @returns {HTMLElement}
 */
function button(label, action, title) {
  const node = el("button", { type: "button", text: label, title, "aria-label": title });
  node.addEventListener("click", action);
  return node;
}
