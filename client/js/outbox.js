// @ts-check
/**
 * The persistent outbox: every command is written to localStorage before it is sent, and
 * leaves only when the server acks it (or refuses it for good). It survives reloads, crashes
 * and a tab closed while offline; the next page load sends what is left, in order. Command
 * ids make a resend harmless: the server acks a repeat with the original positions.
 */

/**
 * @typedef {Object} Command
 * @property {"command"} type
 * @property {string} id the command id (UUID v4)
 * @property {string} name e.g. "add_comment"
 * @property {Record<string, unknown>} data
 * @property {number} queued_at when it was typed (ms, tablet clock)
 */

export class Outbox {
  /**
   * @param {string} key the localStorage key (one outbox per meeting)
   */
  constructor(key) {
    this.key = key;
    /** @type {Command[]} */
    this.items = this.read();
  }

  /** @returns {Command[]} */
  read() {
    try {
      const raw = localStorage.getItem(this.key);
      return raw ? JSON.parse(raw) : [];
    } catch {
      return [];
    }
  }

  write() {
    if (this.items.length) localStorage.setItem(this.key, JSON.stringify(this.items));
    else localStorage.removeItem(this.key);
  }

  /**
   * Persist a command; returns it (to be sent now if connected).
   * @param {string} id
   * @param {string} name
   * @param {Record<string, unknown>} data
   * @returns {Command}
   */
  put(id, name, data) {
    /** @type {Command} */
    const command = { type: "command", id, name, data, queued_at: Date.now() };
    this.items = [...this.read().filter((c) => c.id !== id), command];
    this.write();
    return command;
  }

  /**
   * The server acked (or refused) this command: it leaves the outbox.
   * @param {string} id
   * @returns {Command | undefined} the command that left
   */
  remove(id) {
    const gone = this.items.find((c) => c.id === id);
    this.items = this.read().filter((c) => c.id !== id);
    this.write();
    return gone;
  }

  /** @returns {number} */
  get size() {
    return this.items.length;
  }
}

/** Ask the browser to keep this site's storage under pressure (not a secure-context API). */
export function requestPersistence() {
  const storage = navigator.storage;
  if (storage && typeof storage.persist === "function") {
    storage.persist().catch(() => undefined);
  }
}
