// @ts-check
/**
 * The retry policy, apart from the socket: capped exponential backoff with full jitter
 * (a random wait between 0 and min(cap, base·2^attempt)), so forty tablets that lose the
 * Wi-Fi together do not all come back in the same millisecond.
 */

export class Backoff {
  /**
   * @param {number} [baseMs]
   * @param {number} [capMs]
   */
  constructor(baseMs = 250, capMs = 8000) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.attempt = 0;
  }

  /** @returns {number} the wait before the next attempt, in ms */
  next() {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 10));
    this.attempt += 1;
    return Math.random() * ceiling;
  }

  reset() {
    this.attempt = 0;
  }
}
