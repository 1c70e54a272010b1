// @ts-check
/**
 * The table's comments in the page: the server's table view (from `state`), folded forward
 * with each pushed event exactly as `events/tables/rules.py` `evolve` does, and shown with the
 * outbox's commands laid over it (marked waiting) until their events come back.
 */

/**
 * @typedef {Object} Comment
 * @property {string} id
 * @property {string} question
 * @property {string | null} parent
 * @property {string} text
 * @property {boolean} retracted
 * @property {boolean} late
 * @property {boolean} edited
 * @property {boolean} waiting a command about it has not been acked yet
 * @property {number | null} rotation the rotation it was typed in (null: outside them)
 * @property {string | null} phase the agenda item it was typed in (a break, the report-back…)
 * @property {number | null} group
 * @property {number | null} typedAt µs since the epoch, the server's corrected time
 * @property {boolean} starred a facilitator marked it as mattering most
 */

export class TableState {
  constructor() {
    /** @type {Map<string, Comment>} */
    this.comments = new Map();
    /** @type {Map<string, string[]>} each list's order: "q:<question>" or a parent's id */
    this.order = new Map();
  }

  /**
   * The state of a rendered table view (projections/table.py `render`).
   * @param {any} view
   * @returns {TableState}
   */
  static fromView(view) {
    const state = new TableState();
    for (const { question, comments } of view.questions) {
      for (const top of comments) {
        state.add(top.id, question, null, top.text, top);
        for (const child of top.children || []) state.add(child.id, question, top.id, child.text, child);
      }
    }
    return state;
  }

  /** @returns {object} plain data, to keep in localStorage for a page opened offline */
  toJSON() {
    return { comments: [...this.comments.values()], order: [...this.order.entries()] };
  }

  /**
   * @param {any} data what `toJSON` gave
   * @returns {TableState}
   */
  static fromJSON(data) {
    const state = new TableState();
    for (const c of data.comments || []) state.comments.set(c.id, { ...c, waiting: false });
    for (const [key, ids] of data.order || []) state.order.set(key, ids);
    return state;
  }

  /** @returns {TableState} a copy to lay waiting commands over */
  clone() {
    const copy = new TableState();
    for (const [id, c] of this.comments) copy.comments.set(id, { ...c });
    for (const [key, ids] of this.order) copy.order.set(key, [...ids]);
    return copy;
  }

  /**
   * @param {string} id
   * @param {string} question
   * @param {string | null} parent
   * @param {string} text
   * @param {{late?: boolean, edited?: boolean, rotation?: number | null, group?: number | null,
   *   phase?: string | null, typed_at?: number | null, starred?: boolean}} [more] from the view or the event
   * @param {boolean} [waiting]
   */
  add(id, question, parent, text, more = {}, waiting = false) {
    /** @type {Comment} */
    const comment = {
      id, question, parent, text, retracted: false, late: !!more.late, edited: !!more.edited, waiting,
      rotation: more.rotation ?? null, group: more.group ?? null, phase: more.phase ?? null,
      typedAt: more.typed_at ?? null,
      starred: !!more.starred,
    };
    this.comments.set(id, comment);
    const key = listOf(comment);
    this.order.set(key, [...(this.order.get(key) || []), id]);
  }

  /**
   * Apply a pushed event of this table's stream (the decider's `evolve`).
   * @param {string} type
   * @param {any} data
   */
  apply(type, data) {
    const id = data.comment_id;
    const old = this.comments.get(id);
    if (type === "CommentAdded") {
      if (!old) this.add(id, data.question, data.parent ?? null, data.text, data);
      return;
    }
    if (!old) return;
    switch (type) {
      case "CommentEdited":
        old.text = data.text;
        old.edited = true;
        break;
      case "CommentErased": // its words are gone from the log: the marker stands in for them
        old.text = data.marker;
        break;
      case "CommentRetracted":
        old.retracted = true;
        break;
      case "CommentRestored":
        old.retracted = false;
        break;
      case "CommentStarred":
        old.starred = true;
        break;
      case "CommentUnstarred":
        old.starred = false;
        break;
      case "CommentMoved":
        this.remove(listOf(old), id);
        old.question = data.question;
        for (const child of this.order.get(id) || []) {
          const c = this.comments.get(child);
          if (c) c.question = data.question;
        }
        this.order.set(listOf(old), [...(this.order.get(listOf(old)) || []), id]);
        break;
      case "CommentReordered": {
        const key = listOf(old);
        this.remove(key, id);
        this.order.set(key, insertAfter(this.order.get(key) || [], id, data.after));
        break;
      }
      case "CommentNested":
        this.remove(listOf(old), id);
        old.parent = data.parent;
        this.order.set(data.parent, [...(this.order.get(data.parent) || []), id]);
        break;
      case "CommentUnnested": {
        const parent = old.parent;
        if (parent === null) return;
        this.remove(parent, id);
        old.parent = null;
        const key = listOf(old);
        this.order.set(key, insertAfter(this.order.get(key) || [], id, parent));
        break;
      }
      default:
        return;
    }
  }

  /**
   * Lay a command not yet acked over the state, as the event it should become.
   * @param {{name: string, data: any}} command
   */
  overlay(command) {
    const { name, data } = command;
    const id = data.comment_id;
    if (name === "add_comment") {
      if (this.comments.has(id)) return;
      const parent = data.parent && this.comments.has(data.parent) ? data.parent : null;
      this.add(id, data.question, parent, data.text, {}, true);
      return;
    }
    const old = this.comments.get(id);
    if (!old) return;
    const events = {
      edit_comment: "CommentEdited",
      retract_comment: "CommentRetracted",
      restore_comment: "CommentRestored",
      move_comment: "CommentMoved",
      reorder_comment: "CommentReordered",
      nest_comment: "CommentNested",
      unnest_comment: "CommentUnnested",
      star_comment: "CommentStarred",
      unstar_comment: "CommentUnstarred",
    };
    const type = events[/** @type {keyof typeof events} */ (name)];
    if (!type) return;
    if (type === "CommentNested" && !this.comments.has(data.parent)) return;
    this.apply(type, data);
    old.waiting = true;
  }

  /** @returns {number} the points the server holds for this table, sub-points included */
  saved() {
    let count = 0;
    for (const c of this.comments.values()) if (!c.retracted) count += 1;
    return count;
  }

  /**
   * The live comments of a question, top-level with their sub-bullets.
   * @param {string} question
   * @returns {{comment: Comment, children: Comment[]}[]}
   */
  list(question) {
    return this.live(`q:${question}`).map((comment) => ({
      comment,
      children: this.live(comment.id),
    }));
  }

  /**
   * @param {string} key
   * @returns {Comment[]}
   */
  live(key) {
    return (this.order.get(key) || [])
      .map((id) => this.comments.get(id))
      .filter((c) => c !== undefined && !c.retracted)
      .map((c) => /** @type {Comment} */ (c));
  }

  /**
   * @param {string} key
   * @param {string} id
   */
  remove(key, id) {
    this.order.set(key, (this.order.get(key) || []).filter((x) => x !== id));
  }
}

/**
 * @param {Comment} comment
 * @returns {string} the key of the list it is in
 */
function listOf(comment) {
  return comment.parent ?? `q:${comment.question}`;
}

/**
 * @param {string[]} ids
 * @param {string} id
 * @param {string | null} after
 * @returns {string[]}
 */
function insertAfter(ids, id, after) {
  if (after === null || after === undefined) return [id, ...ids];
  const at = ids.indexOf(after);
  if (at < 0) return [...ids, id];
  return [...ids.slice(0, at + 1), id, ...ids.slice(at + 1)];
}
