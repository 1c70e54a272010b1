// @ts-check
/**
 * Drawing the table's points: the questions as tabs (with how many points each has), the
 * chosen question's points with their sub-points, and the composer's line saying what the
 * input will do (with the "Move to" buttons while a main point is being edited). Text goes in
 * through `textContent` only.
 */

import { el, onTap, replaceChildren, short } from "./dom.js";

/**
 * What a tap on the drawn page does.
 * @typedef {Object} Actions
 * @property {(question: string) => void} choose capture this question
 * @property {(commentId: string) => void} edit edit this point
 * @property {(question: string) => void} move move the point being edited to this question
 * @property {(commentId: string, starred: boolean) => void} star star or unstar this point
 */

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./view.js").TableState} state what is shown
 * @param {Actions} actions
 */
export function renderTabs(ui, page, state, actions) {
  const questions = page.questions;
  replaceChildren(
    ui.tabs,
    questions.map((/** @type {any} */ q, /** @type {number} */ i) => {
      const count = state.list(q.id).reduce((n, item) => n + 1 + item.children.length, 0);
      const tab = el(
        "button",
        {
          type: "button",
          role: "tab",
          class: "tab",
          "data-question": q.id,
          "aria-selected": q.id === page.question ? "true" : "false",
        },
        [el("span", { class: "tab-number", text: `Q${i + 1}` }), el("span", { class: "tab-prompt", text: q.prompt }), el("span", { class: "tab-count", text: String(count) })],
      );
      tab.addEventListener("click", () => actions.choose(q.id));
      return tab;
    }),
  );
  const current = questions.find((/** @type {any} */ q) => q.id === page.question);
  ui.prompt.textContent = current ? current.prompt : "";
}

/**
 * The lead's latest message, as a banner until the facilitator dismisses it.
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 */
export function renderAnnouncement(ui, page) {
  const message = page.shownAnnouncement();
  ui.announcement.hidden = !message;
  ui.announcementText.textContent = message ? message.text : "";
}

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./view.js").TableState} state what is shown
 * @param {Actions} actions
 */
export function renderComments(ui, page, state, actions) {
  const items = state.list(page.question);
  const nearBottom = ui.comments.scrollHeight - ui.comments.scrollTop - ui.comments.clientHeight < 80;
  if (!items.length) {
    replaceChildren(ui.comments, [el("p", { class: "empty", text: "No points yet for this question. Type the first one below." })]);
    return;
  }
  /** @param {import("./view.js").Comment} comment @param {HTMLElement | null} children */
  const item = (comment, children) => commentItem(comment, children, page.editing === comment.id, actions);
  replaceChildren(ui.comments, [
    el("ol", { class: "comment-list" }, items.map(({ comment, children }) =>
      item(comment, children.length ? el("ul", { class: "children" }, children.map((c) => item(c, null))) : null),
    )),
  ]);
  if (nearBottom) ui.comments.scrollTop = ui.comments.scrollHeight;
}

/**
 * @param {import("./view.js").Comment} comment
 * @param {HTMLElement | null} children
 * @param {boolean} editing
 * @param {Actions} actions
 * @returns {HTMLElement}
 */
function commentItem(comment, children, editing, actions) {
  const body = el("div", { class: "comment-body", role: "button", tabindex: "0", title: "Tap to edit" }, [
    el("span", { class: "text", text: comment.text }),
    comment.waiting && el("span", { class: "badge waiting", text: "waiting" }),
    comment.late && el("span", { class: "badge late", text: "late" }),
    comment.edited && !comment.waiting && el("span", { class: "badge", text: "edited" }),
  ]);
  body.addEventListener("click", () => actions.edit(comment.id));
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter") actions.edit(comment.id);
  });
  const star = el("button", {
    type: "button",
    class: "star",
    "aria-pressed": comment.starred ? "true" : "false",
    "aria-label": comment.starred ? "Starred for the lead: tap to unstar" : "Star for the lead",
    "aria-describedby": "star-hint",
    title: comment.starred ? "Starred: the lead sees it matters most. Tap to unstar" : "Star: tell the lead this matters most",
    text: comment.starred ? "★" : "☆",
  });
  star.addEventListener("click", () => actions.star(comment.id, !comment.starred));
  return el(
    "li",
    {
      class: "comment",
      "data-id": comment.id,
      "data-waiting": comment.waiting ? "true" : "false",
      "data-editing": editing ? "true" : "false",
      "data-starred": comment.starred ? "true" : "false",
    },
    [body, star, children],
  );
}

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./view.js").TableState} state what is shown
 * @param {Actions} actions
 */
export function renderComposer(ui, page, state, actions) {
  const editing = page.editing;
  const editingComment = editing ? state.comments.get(editing) : undefined;
  const parent = page.lastTop(state);
  const level = page.level;
  ui.page.dataset.level = level;
  ui.page.dataset.editing = editing ? "true" : "false";
  ui.cancel.hidden = !editing;
  ui.add.textContent = editing ? "Save" : "Add";
  if (editingComment) {
    ui.context.textContent = `Editing “${short(editingComment.text)}” — Enter saves, Esc cancels`;
  } else if (level === "sub" && parent) {
    ui.context.textContent = `↳ Sub-point under “${short(parent.text)}”`;
  } else {
    ui.context.textContent = "New main point";
  }
  ui.draft.placeholder = editing ? "Edit the point, then Enter" : level === "sub" ? "Type a sub-point, press Enter" : "Type a point, press Enter";
  renderMove(ui, page, editingComment && editingComment.parent === null ? editingComment : null, actions);
}

/**
 * The "Move to Q…" buttons, one per other question, while a main point is being edited. They
 * are made again only when they change, so a redraw between press and release loses no tap.
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./view.js").Comment | null} comment the main point being edited
 * @param {Actions} actions
 */
function renderMove(ui, page, comment, actions) {
  const questions = comment ? page.questions : [];
  const key = comment ? JSON.stringify([comment.id, comment.question, questions.map((/** @type {any} */ q) => [q.id, q.prompt])]) : "";
  ui.move.hidden = questions.length < 2;
  if (ui.move.dataset.key === key) return;
  ui.move.dataset.key = key;
  replaceChildren(
    ui.move,
    questions.map((/** @type {any} */ q, /** @type {number} */ i) => {
      if (!comment || q.id === comment.question) return null;
      const button = el("button", { type: "button", class: "move-to", "data-question": q.id, title: q.prompt, text: `Move to Q${i + 1}` });
      onTap(button, () => actions.move(q.id), ui.draft);
      return button;
    }),
  );
}
