// @ts-check
/**
 * What a page that reads the whole meeting holds (the lead's page, the projected wall): the
 * meeting view, every table's comments folded forward exactly as the tablet folds its own
 * (view.js), what the lead announced, and the lead's themes as the server last sent them
 * whole (the `themes` message). The grouping rules (merge, split, undo) are never repeated
 * here: the server sends the themes again after each change.
 */

import { afterMessageEvent } from "./moments.js";
import { TableState } from "./view.js";
import { applyModeration, since, standingOf } from "./wall_rule.js";

/**
 * @typedef {Object} ThemeOutline
 * @property {string} id
 * @property {string} title
 * @property {string | null} topic null: gathers comments across topics
 * @property {string | null} question null: any question
 * @property {boolean} key
 * @property {[number, string][]} comments members as [table, comment id]
 */

/**
 * @typedef {Object} Outline the `themes` message (projections/theme_wall.py `outline`)
 * @property {number} position
 * @property {number} version
 * @property {ThemeOutline[]} themes
 * @property {{topic: string | null, question: string | null, theme_ids: string[]}[]} key_themes
 * @property {Undo | null} undo
 */

/**
 * @typedef {Object} Undo what an undo would revert now, with the names to say it in
 * @property {number} action
 * @property {string} event_type
 * @property {string} theme_id
 * @property {string} title the theme's title
 * @property {[number, string][]} [comments] the comments it moved
 * @property {string} [into_title] a merge: the theme merged into
 * @property {string} [new_title] a split or an accepted suggestion: the new theme's title
 */

/**
 * @typedef {Object} Placed one live comment where the meeting shows it
 * @property {number} table
 * @property {string} topic
 * @property {string} question
 * @property {import("./view.js").Comment} comment
 * @property {string | null} theme the theme it is in
 */

/**
 * @typedef {Object} Change what one pushed event changed, for the page to redraw and mark
 * @property {"comment" | "meeting" | "announcements" | "moderation" | "other"} kind
 * @property {number} [table]
 * @property {string} [id] the comment's id
 * @property {string} type the event's type
 */

const TABLE_STREAM = /-(\d+)$/;

/** @param {number} table @param {string} id @returns {string} */
export function refKey(table, id) {
  return `${table}/${id}`;
}

/** @param {string} key a `refKey` @returns {[number, string]} the table and the comment id */
export function parseRef(key) {
  const at = key.indexOf("/");
  return [Number(key.slice(0, at)), key.slice(at + 1)];
}

export class WallModel {
  /** @param {any} views the `state` message's views of a lead, observer or staff device */
  constructor(views) {
    /** @type {any} the meeting view (projections/meeting.py `render`) */
    this.meeting = views.meeting;
    /** @type {{message: import("./moments.js").Message | null, wall_held: boolean}} */
    this.announcements = views.announcements;
    /** @type {Map<number, TableState>} */
    this.tables = new Map();
    /** @type {Map<string, number>} refKey -> when the comment reached the server (µs) */
    this.addedAt = new Map();
    /** @type {Map<string, number>} refKey -> when it was last edited (µs; from the view: its
     * last change, which is no earlier) */
    this.editedAt = new Map();
    for (const [number, view] of Object.entries(views.tables)) {
      this.tables.set(Number(number), TableState.fromView(view));
      for (const { comments } of view.questions) {
        for (const top of comments) {
          for (const each of [top, ...(top.children || [])]) {
            const key = refKey(Number(number), each.id);
            this.addedAt.set(key, each.added_at);
            if (each.edited) this.editedAt.set(key, each.changed_at);
          }
        }
      }
    }
    /** The lead's moderation of the projected wall (`wall_rule.js`). */
    this.moderation = standingOf(views.moderation);
    /** The latest event's time (µs): the server's clock is at least there, whatever this
     * screen's estimate of it says (an approval shows at once, not after a skew). */
    this.seenAt = Math.max(0, ...[...this.moderation.choices.values()].map((c) => c.at));
    /** @type {Outline} */
    this.outline = views.themes;
    /** @type {Map<string, string>} refKey -> theme id */
    this.placed = new Map();
    this.index();
  }

  /** @param {Outline} outline a `themes` message: the wall's themes, whole */
  setThemes(outline) {
    if (outline.version < this.outline.version) return; // an older snapshot, overtaken
    this.outline = outline;
    this.index();
  }

  index() {
    this.placed.clear();
    for (const theme of this.outline.themes) {
      for (const [table, id] of theme.comments) this.placed.set(refKey(table, id), theme.id);
    }
  }

  /**
   * When a comment goes on the projected wall under the lead's rule (`wall_rule.js`).
   * @param {string} key its refKey
   * @param {number} nowUs for a comment not folded yet
   * @returns {number | null}
   */
  wallSince(key, nowUs) {
    return since(this.moderation, key, this.addedAt.get(key) ?? nowUs, this.editedAt.get(key) ?? null);
  }

  /**
   * @param {number} clockUs this screen's estimate of the server's time
   * @returns {number} the server's time as best known: never before the latest event
   */
  serverNow(clockUs) {
    return Math.max(clockUs, this.seenAt);
  }

  /**
   * Fold one pushed `event` message.
   * @param {any} message
   * @returns {Change}
   */
  apply(message) {
    const type = String(message.event_type);
    const data = message.data;
    this.seenAt = Math.max(this.seenAt, Number(message.recorded_at) || 0);
    if (type.startsWith("Comment") && String(message.stream).startsWith("table-")) {
      const match = TABLE_STREAM.exec(message.stream);
      const table = match ? Number(match[1]) : 0;
      let state = this.tables.get(table);
      if (!state) {
        state = new TableState();
        this.tables.set(table, state);
      }
      state.apply(type, data);
      const key = refKey(table, data.comment_id);
      if (type === "CommentAdded" && !this.addedAt.has(key)) this.addedAt.set(key, message.recorded_at);
      if (type === "CommentEdited") this.editedAt.set(key, message.recorded_at);
      return { kind: "comment", table, id: data.comment_id, type };
    }
    if (type === "MessageSent" || type === "MessageEnded") {
      this.announcements = { ...this.announcements, message: afterMessageEvent(this.announcements.message, message) };
      return { kind: "announcements", type };
    }
    if (type === "WallHeld" || type === "WallShown") {
      this.announcements = { ...this.announcements, wall_held: type === "WallHeld" };
      return { kind: "announcements", type };
    }
    if (String(message.stream).startsWith("moderation-")) {
      applyModeration(this.moderation, type, data, message.recorded_at);
      return { kind: "moderation", type };
    }
    if (String(message.stream).startsWith("meeting-")) return { kind: "meeting", type };
    return { kind: "other", type };
  }

  /** @returns {{id: string, title: string}[]} */
  topics() {
    return this.meeting.topics;
  }

  /** @returns {{id: string, prompt: string}[]} */
  questions() {
    return this.meeting.questions;
  }

  /**
   * @param {number} table
   * @returns {string | null} its topic's id
   */
  topicOf(table) {
    const found = this.meeting.tables.find((/** @type {any} */ t) => t.number === table);
    return found ? found.topic : null;
  }

  /**
   * Every live comment, in the meeting's order: by topic, question, table, then the table's
   * own order, each sub-bullet right after its parent.
   * @returns {Placed[]}
   */
  comments() {
    /** @type {Placed[]} */
    const all = [];
    for (const topic of this.topics()) {
      const numbers = this.meeting.tables
        .filter((/** @type {any} */ t) => t.topic === topic.id)
        .map((/** @type {any} */ t) => t.number);
      for (const question of this.questions()) {
        for (const table of numbers) {
          const state = this.tables.get(table);
          if (!state) continue;
          for (const { comment, children } of state.list(question.id)) {
            for (const each of [comment, ...children]) {
              all.push({
                table,
                topic: topic.id,
                question: question.id,
                comment: each,
                theme: this.themeOf(table, each.id),
              });
            }
          }
        }
      }
    }
    return all;
  }

  /**
   * @param {number} table
   * @param {string} id
   * @returns {string | null}
   */
  themeOf(table, id) {
    return this.placed.get(refKey(table, id)) ?? null;
  }

  /**
   * A theme's live comments, oldest first (retracted ones drop out until restored).
   * @param {ThemeOutline} theme
   * @returns {Placed[]}
   */
  members(theme) {
    /** @type {Placed[]} */
    const found = [];
    for (const [table, id] of theme.comments) {
      const comment = this.tables.get(table)?.comments.get(id);
      if (!comment || comment.retracted) continue;
      found.push({
        table,
        topic: this.topicOf(table) ?? "",
        question: comment.question,
        comment,
        theme: theme.id,
      });
    }
    return found.sort((a, b) => (a.comment.typedAt ?? 0) - (b.comment.typedAt ?? 0) || a.table - b.table);
  }

  /**
   * The key themes of one topic and question, in the lead's order.
   * @param {string | null} topic
   * @param {string | null} question
   * @returns {ThemeOutline[]}
   */
  keyThemes(topic, question) {
    const scope = this.outline.key_themes.find((k) => k.topic === topic && k.question === question);
    const byId = new Map(this.outline.themes.map((t) => [t.id, t]));
    return (scope ? scope.theme_ids : []).map((id) => byId.get(id)).filter((t) => t !== undefined);
  }
}

/**
 * How many comments per table and per rotation ("none": typed outside the rotations).
 * @param {Placed[]} placed
 * @returns {{tables: Map<number, number>, rotations: Map<string, number>}}
 */
export function counts(placed) {
  const tables = new Map();
  const rotations = new Map();
  for (const { table, comment } of placed) {
    tables.set(table, (tables.get(table) ?? 0) + 1);
    const rotation = comment.rotation === null ? "none" : String(comment.rotation);
    rotations.set(rotation, (rotations.get(rotation) ?? 0) + 1);
  }
  return { tables, rotations };
}
