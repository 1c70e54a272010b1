// @ts-check
/**
 * What the lead's page knows: the meeting as the wall model holds it (every table's comments,
 * the themes as the server last sent them whole, the announcements), who is online with how
 * much waiting in their outboxes (`presence`), the device list, which comments just arrived
 * (for their brief highlight), and the commands sent but not answered yet.
 *
 * It folds what the socket brings and tells the page what to redraw; it draws nothing.
 */

import { WallModel, parseRef, refKey } from "./wall_model.js";

/** How long a new comment stays highlighted, in ms. */
export const FRESH_MS = 4000;

/**
 * @typedef {Object} Presence one device as the server last said
 * @property {string} device_id
 * @property {string} role
 * @property {number | null} table
 * @property {boolean} online
 * @property {number} waiting
 * @property {number} since µs
 * @property {number | null} reported_at µs
 */

export class LeadState extends EventTarget {
  constructor() {
    super();
    /** @type {WallModel | null} */
    this.model = null;
    /** @type {Presence[]} */
    this.presence = [];
    /** @type {any[]} the device list (`/api/meetings/{id}/devices`) */
    this.devices = [];
    /** @type {Map<string, number>} refKey -> when it arrived (ms) */
    this.fresh = new Map();
    /** @type {Map<string, string>} command id -> what it was, for its refusal */
    this.pending = new Map();
  }

  /**
   * Fold one message of the socket; returns what changed ("" when nothing to redraw).
   * @param {any} message
   * @returns {"all" | "comments" | "themes" | "meeting" | "presence" | "announcements" | ""}
   */
  receive(message) {
    switch (message.type) {
      case "state":
        this.model = new WallModel(message.views);
        this.fresh.clear();
        return "all";
      case "themes":
        if (!this.model) return "";
        this.model.setThemes(message);
        return "themes";
      case "presence":
        this.presence = message.devices;
        return "presence";
      case "event":
        return this.onEvent(message);
      case "ack":
        this.pending.delete(message.id);
        return "";
      default:
        return "";
    }
  }

  /**
   * @param {any} message
   * @returns {"comments" | "meeting" | "announcements" | ""}
   */
  onEvent(message) {
    if (!this.model) return "";
    const change = this.model.apply(message);
    if (change.kind === "comment") {
      if (change.type === "CommentAdded" && change.table !== undefined && change.id) {
        this.fresh.set(refKey(change.table, change.id), Date.now());
      }
      return "comments";
    }
    if (change.kind === "announcements") return "announcements";
    if (change.kind === "meeting") return "meeting";
    return "";
  }

  /**
   * Forget highlights older than FRESH_MS; returns whether any went.
   * @returns {boolean}
   */
  expireFresh() {
    const now = Date.now();
    let gone = false;
    for (const [key, at] of this.fresh) {
      if (now - at >= FRESH_MS) {
        this.fresh.delete(key);
        gone = true;
      }
    }
    return gone;
  }

  /**
   * The facilitators' devices of a table, as presence says.
   * @param {number} table
   * @returns {Presence[]}
   */
  tablets(table) {
    return this.presence.filter((d) => d.role === "facilitator" && d.table === table);
  }

  /**
   * @param {string} deviceId
   * @returns {Presence | undefined}
   */
  presenceOf(deviceId) {
    return this.presence.find((d) => d.device_id === deviceId);
  }

  /**
   * A comment by its key ("table/id", as the lists mark it), where the meeting shows it.
   * @param {string} key
   * @returns {import("./wall_model.js").Placed | null}
   */
  placedOf(key) {
    const model = this.model;
    if (!model) return null;
    const [table, id] = parseRef(key);
    const comment = model.tables.get(table)?.comments.get(id);
    if (!comment) return null;
    return { table, topic: model.topicOf(table) ?? "", question: comment.question, comment, theme: model.themeOf(table, id) };
  }
}
