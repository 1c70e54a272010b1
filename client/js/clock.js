// @ts-check
/**
 * The server owns time. The tablet measures how far its own clock is from the server's
 * (`offset = server_time − (sent + received) / 2`, keeping the round trip with the least
 * delay) and counts down against its own clock plus that offset, so a tablet whose clock is
 * minutes off still shows the server's rotation end.
 */

export const WARNING_MS = 2 * 60 * 1000;

export class ServerClock {
  constructor() {
    /** server minus tablet, in ms */
    this.offsetMs = 0;
    this.bestDelayMs = Infinity;
  }

  /**
   * A rough first estimate, from a message stamped with the server's time (welcome).
   * @param {number} serverMicros
   */
  roughly(serverMicros) {
    if (this.bestDelayMs === Infinity) this.offsetMs = serverMicros / 1000 - Date.now();
  }

  /**
   * A pong arrived: keep it if its round trip was the shortest so far.
   * @param {number} sentMs the ping's client_time (tablet ms)
   * @param {number} serverMicros the pong's server_time
   */
  pong(sentMs, serverMicros) {
    const received = Date.now();
    const delay = received - sentMs;
    if (delay < 0 || delay > this.bestDelayMs) return;
    this.bestDelayMs = delay;
    this.offsetMs = serverMicros / 1000 - (sentMs + received) / 2;
  }

  /** After a reconnect the path may differ: measure afresh. */
  forget() {
    this.bestDelayMs = Infinity;
  }

  /** @returns {number} the server's time now, in ms */
  now() {
    return Date.now() + this.offsetMs;
  }
}

/**
 * @typedef {Object} Countdown
 * @property {"none" | "running" | "warning" | "over" | "paused"} state
 * @property {number} remainingMs
 * @property {string} text e.g. "12:04"
 */

/**
 * The countdown for a clock view (the meeting view's `clock`) at server time `nowMs`.
 * @param {{ends: number | null, paused_at: number | null, remaining: number | null}} clock
 * @param {number} nowMs
 * @returns {Countdown}
 */
export function countdown(clock, nowMs) {
  if (clock.paused_at !== null && clock.remaining !== null) {
    return { state: "paused", remainingMs: clock.remaining / 1000, text: mmss(clock.remaining / 1000) };
  }
  if (clock.ends === null) return { state: "none", remainingMs: 0, text: "" };
  const remainingMs = clock.ends / 1000 - nowMs;
  if (remainingMs <= 0) return { state: "over", remainingMs: 0, text: "0:00" };
  return {
    state: remainingMs <= WARNING_MS ? "warning" : "running",
    remainingMs,
    text: mmss(remainingMs),
  };
}

/**
 * @param {number} ms
 * @returns {string} minutes:seconds, rounded up (a countdown shows 0:00 only at the end)
 */
export function mmss(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, "0")}`;
}
