// @ts-check
/**
 * What the lead's page knows: the meeting as the wall model holds it (every table's comments,
 * the themes as the server last sent them whole, the announcements), every device with the
 * name the log gives it and whether it is online with how much waiting in its outbox
 * (`presence`, then `device` per change), which comments just arrived (for their brief
 * highlight), and the commands sent but not answered yet.
 *
 * It folds what the socket brings and tells the page what to redraw; it draws nothing.
 */

import { WallModel, parseRef, refKey } from "./wall_model.js";

/** How long a new comment stays highlighted, in ms. */
export const FRESH_MS = 4000;

/**
 * @typedef {Object} Device one device: what the log says of it and its connection as the
 * server last said (`presence` once, then a `device` message per change)
 * @property {string} device_id
 * @property {string} role
 * @property {number | null} table
 * @property {string | null} [label] its name (the log's)
 * @property {number | null} [joined_at] µs (the log's; absent: never joined through the log)
 * @property {number | null} [revoked_at] µs (the log's)
 * @property {boolean} online
 * @property {number} waiting
 * @property {number | null} since µs
 * @property {number | null} reported_at µs
 */

export class LeadState extends EventTarget {
  constructor() {
    super();
    /** @type {WallModel | null} */
    this.model = null;
    /** @type {Map<string, Device>} every device, in the order they joined */
    this.devices = new Map();
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
        this.devices = new Map(message.devices.map((/** @type {Device} */ d) => [d.device_id, d]));
        return "presence";
      case "device":
        this.upsert(message.device);
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
   * @returns {"comments" | "meeting" | "announcements" | "presence" | ""}
   */
  onEvent(message) {
    if (message.event_type === "DeviceJoined") {
      const { device_id, role, table, label, at } = message.data;
      this.upsert({ device_id, role, table, label, joined_at: at, revoked_at: null });
      return "presence";
    }
    if (message.event_type === "DeviceRevoked") {
      if (this.devices.has(message.data.device_id)) this.upsert({ device_id: message.data.device_id, revoked_at: message.data.at });
      return "presence";
    }
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
   * What is known of a device, laid over what was known before (a `device` message may come
   * before the `DeviceJoined` that names it).
   * @param {Partial<Device> & {device_id: string}} change
   */
  upsert(change) {
    const known = this.devices.get(change.device_id);
    /** @type {Device} */
    const offline = { device_id: change.device_id, role: "", table: null, online: false, waiting: 0, since: null, reported_at: null };
    this.devices.set(change.device_id, { ...offline, ...known, ...change });
  }

  /**
   * The tablets of a table still signed in (a tablet moved to another table, or signed out,
   * is no longer one of them, nor are the comments it last said were waiting).
   * @param {number} table
   * @returns {Device[]}
   */
  tablets(table) {
    return [...this.devices.values()].filter((d) => d.role === "facilitator" && d.table === table && !d.revoked_at);
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
