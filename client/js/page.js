// @ts-check
/**
 * What the tablet page knows and what the facilitator is doing: the meeting and table views
 * the server confirmed, the commands acked whose events have not come back yet, the question
 * chosen, the level typed at and the point being edited. The last views are kept in
 * `localStorage`, so a page opened offline still shows the table.
 */

import { TableState } from "./view.js";

export class PageState {
  /**
   * @param {import("./session.js").Session} session
   * @param {import("./outbox.js").Outbox} outbox the commands not acked yet
   */
  constructor(session, outbox) {
    this.table = session.table ?? 0;
    this.outbox = outbox;
    this.questionKey = `roundtable:question:${session.meeting_id}`;
    this.cacheKey = `roundtable:views:${session.meeting_id}`;
    this.dismissedKey = `roundtable:dismissed:${session.meeting_id}`;
    /** @type {import("./moments.js").Message | null} the lead's latest message */
    this.announcement = null;
    /** the position of the message the facilitator dismissed (remembered by the tablet) */
    this.dismissed = Number(localStorage.getItem(this.dismissedKey) || 0);
    /** @type {any} the meeting view */
    this.meeting = null;
    /** @type {TableState} what the server has confirmed */
    this.confirmed = new TableState();
    /** @type {Map<string, {command: import("./outbox.js").Command, position: number}>} acked, event not seen yet */
    this.settled = new Map();
    this.question = localStorage.getItem(this.questionKey) || "";
    /** @type {"top" | "sub"} */
    this.level = "top";
    /** @type {string | null} the comment being edited */
    this.editing = null;
    /** @type {number | null} when the server last acked (ms, tablet clock) */
    this.ackedAt = null;
    this.everOpen = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.cacheTimer = undefined;
    this.loadViews();
  }

  /** Start from the views kept by the last visit, if they are of this table. */
  loadViews() {
    try {
      const cached = JSON.parse(localStorage.getItem(this.cacheKey) || "null");
      if (cached && cached.table === this.table) {
        this.meeting = cached.meeting;
        this.confirmed = TableState.fromJSON(cached.state);
      }
    } catch {
      // no usable copy: the page fills in when it connects
    }
  }

  /** Keep the last views, so a page opened offline still shows the table. */
  saveViews() {
    clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => {
      try {
        const { table, meeting, confirmed: state } = this;
        localStorage.setItem(this.cacheKey, JSON.stringify({ table, meeting, state }));
      } catch {
        // storage full: the outbox matters more than this copy
      }
    }, 1000);
  }

  /** @returns {import("./moments.js").Message | null} the lead's message to show */
  shownAnnouncement() {
    const message = this.announcement;
    return message && message.position > this.dismissed ? message : null;
  }

  /** The facilitator read the lead's message: hide it until the next one. */
  dismissAnnouncement() {
    if (!this.announcement) return;
    this.dismissed = this.announcement.position;
    localStorage.setItem(this.dismissedKey, String(this.dismissed));
  }

  /** @returns {any[]} the meeting's questions, in order */
  get questions() {
    return this.meeting ? this.meeting.questions : [];
  }

  /**
   * Capture this question from now on (remembered by the tablet).
   * @param {string} id
   */
  choose(id) {
    this.question = id;
    localStorage.setItem(this.questionKey, id);
  }

  /** @returns {TableState} the confirmed state with the waiting commands laid over it */
  shown() {
    const state = this.confirmed.clone();
    for (const { command } of this.settled.values()) state.overlay(command);
    for (const command of this.outbox.items) state.overlay(command);
    return state;
  }

  /**
   * Forget the acked commands whose events the page has now seen.
   * @param {number | null} position the last position received
   */
  dropSettled(position) {
    for (const [id, entry] of this.settled) {
      if ((position ?? 0) >= entry.position) this.settled.delete(id);
    }
  }

  /**
   * @param {TableState} state
   * @returns {import("./view.js").Comment | null} the chosen question's last main point
   */
  lastTop(state) {
    const items = state.list(this.question);
    return items.length ? items[items.length - 1].comment : null;
  }

  /**
   * @param {TableState} state
   * @returns {import("./view.js").Comment | null} the chosen question's last point or sub-point
   */
  lastComment(state) {
    const items = state.list(this.question);
    if (!items.length) return null;
    const last = items[items.length - 1];
    return last.children.length ? last.children[last.children.length - 1] : last.comment;
  }
}
