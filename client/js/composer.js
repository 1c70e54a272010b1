// @ts-check
/**
 * What the facilitator does with the large input: add a point or a sub-point, edit one (tap
 * it, or Up for the last), nest and un-nest it, move a main point to another question, retract
 * one and undo that, choose the question. Each change is one command through the outbox.
 */

import { short } from "./dom.js";
import { uuid4 } from "./ids.js";

const UNDO_MS = 10000;

export class Composer {
  /**
   * @param {import("./elements.js").Elements} ui
   * @param {import("./page.js").PageState} page
   * @param {import("./connection.js").Connection} connection sends the commands
   * @param {import("./clock.js").ServerClock} clock
   * @param {() => void} render redraws the page
   */
  constructor(ui, page, connection, clock, render) {
    this.ui = ui;
    this.page = page;
    this.connection = connection;
    this.clock = clock;
    this.render = render;
    /** @type {{commentId: string, timer: ReturnType<typeof setTimeout>} | null} */
    this.undo = null;
  }

  /**
   * Keep what the facilitator is doing in step with what is shown: a question of the meeting,
   * an edit only of a live point of that question, sub-points only under a point.
   * @param {import("./view.js").TableState} state what is shown
   */
  settle(state) {
    const page = this.page;
    const questions = page.questions;
    if (questions.length && !questions.some((/** @type {any} */ q) => q.id === page.question)) {
      page.question = questions[0].id;
    }
    const editing = page.editing ? state.comments.get(page.editing) : undefined;
    if (page.editing && (!editing || editing.retracted || editing.question !== page.question)) this.stopEdit();
    if (page.level === "sub" && !page.lastTop(state)) page.level = "top";
  }

  /** @returns {string} the input's text as one trimmed line */
  text() {
    return this.ui.draft.value.replace(/\s+/g, " ").trim();
  }

  /** Enter or Add: add the typed point (or sub-point), or save the edit. */
  submit() {
    const { page, connection } = this;
    const text = this.text();
    const state = page.shown();
    if (page.editing) {
      this.saveEdit(state);
      this.stopEdit();
      this.render();
      return;
    }
    if (!text) return;
    const parent = page.level === "sub" ? page.lastTop(state) : null;
    connection.send("add_comment", {
      comment_id: uuid4(),
      question: page.question,
      text,
      parent: parent ? parent.id : null,
      typed_at: Math.round(this.clock.now() * 1000), // the server places the point by it
    });
    this.ui.draft.value = "";
  }

  /**
   * Send the edited text of the point being edited, if it changed.
   * @param {import("./view.js").TableState} state what is shown
   */
  saveEdit(state) {
    const editing = this.page.editing;
    const comment = editing ? state.comments.get(editing) : undefined;
    const text = this.text();
    if (editing && comment && text && text !== comment.text) this.connection.send("edit_comment", { comment_id: editing, text });
  }

  /** Ctrl+]: make the point being edited a sub-point, or type sub-points from now on. */
  nest() {
    const page = this.page;
    const state = page.shown();
    if (page.editing) {
      const comment = state.comments.get(page.editing);
      if (!comment || comment.parent !== null || (state.order.get(comment.id) || []).some((id) => !state.comments.get(id)?.retracted)) return;
      const tops = state.list(page.question).map((item) => item.comment.id);
      const before = tops[tops.indexOf(comment.id) - 1];
      if (before) this.connection.send("nest_comment", { comment_id: comment.id, parent: before });
      return;
    }
    if (page.lastTop(state)) page.level = "sub";
    this.render();
  }

  /** Ctrl+[: make the sub-point being edited a main point, or type main points from now on. */
  unnest() {
    const page = this.page;
    const state = page.shown();
    if (page.editing) {
      const comment = state.comments.get(page.editing);
      if (comment && comment.parent !== null) this.connection.send("unnest_comment", { comment_id: comment.id });
      return;
    }
    page.level = "top";
    this.render();
  }

  /**
   * Move the main point being edited, with its sub-points, to the end of another question
   * (its edited text is saved first). The tablet stays on the question it captures.
   * @param {string} question
   */
  moveTo(question) {
    const page = this.page;
    const state = page.shown();
    const comment = page.editing ? state.comments.get(page.editing) : undefined;
    if (!comment || comment.parent !== null || comment.question === question) return;
    this.saveEdit(state);
    this.connection.send("move_comment", { comment_id: comment.id, question });
    this.stopEdit();
    this.render();
  }

  /** @param {string} commentId */
  startEdit(commentId) {
    const comment = this.page.shown().comments.get(commentId);
    if (!comment || this.connection.socket.refused) return;
    const draft = this.ui.draft;
    this.page.editing = commentId;
    draft.value = comment.text;
    this.render();
    draft.focus();
    draft.setSelectionRange(draft.value.length, draft.value.length);
  }

  stopEdit() {
    if (this.page.editing) this.ui.draft.value = "";
    this.page.editing = null;
  }

  /** Up, or Edit last: edit the last point or sub-point. */
  editLast() {
    const last = this.page.lastComment(this.page.shown());
    if (last) this.startEdit(last.id);
  }

  /** Retract the point being edited, else the last one; Undo brings it back for 10 s. */
  retract() {
    const { page, ui } = this;
    const state = page.shown();
    const target = page.editing ? state.comments.get(page.editing) : page.lastComment(state);
    if (!target) return;
    this.stopEdit();
    this.connection.send("retract_comment", { comment_id: target.id });
    if (this.undo) clearTimeout(this.undo.timer);
    this.undo = { commentId: target.id, timer: setTimeout(() => this.hideUndo(), UNDO_MS) };
    ui.undoText.textContent = `Retracted “${short(target.text)}”`;
    ui.undo.hidden = false;
  }

  /** Undo: restore the point retracted last. */
  restore() {
    if (this.undo) this.connection.send("restore_comment", { comment_id: this.undo.commentId });
    this.hideUndo();
  }

  hideUndo() {
    if (this.undo) clearTimeout(this.undo.timer);
    this.undo = null;
    this.ui.undo.hidden = true;
  }

  /** Esc, or Cancel edit. */
  cancel() {
    this.stopEdit();
    this.render();
  }

  /** @param {string} id the question to capture from now on */
  choose(id) {
    this.page.choose(id);
    this.stopEdit();
    this.page.level = "top";
    this.render();
    this.ui.draft.focus();
  }
}
