// @ts-check
/**
 * The connection state in plain words, for the status line: live, reconnecting, offline with
 * N waiting, or signed out; and when the server last acknowledged something.
 */

import { timeOfDay } from "./dom.js";

/**
 * @typedef {Object} Status
 * @property {"live" | "reconnecting" | "offline" | "refused" | "connecting"} state
 * @property {string} text
 */

/**
 * @param {{open: boolean, refused: boolean, everOpen: boolean, waiting: number, online: boolean}} s
 * @returns {Status}
 */
export function describe(s) {
  const waiting = `${s.waiting} waiting`;
  if (s.refused) return { state: "refused", text: s.waiting ? `Signed out — ${waiting}` : "Signed out" };
  if (s.open) return { state: "live", text: s.waiting ? `Live — sending ${s.waiting}` : "Live" };
  if (!s.everOpen && s.online && !s.waiting) return { state: "connecting", text: "Connecting…" };
  if (s.waiting || !s.online) return { state: "offline", text: `Offline — ${waiting}` };
  return { state: "reconnecting", text: "Reconnecting…" };
}

/**
 * @param {number | null} ackedAt ms, tablet clock
 * @returns {string}
 */
export function lastSaved(ackedAt) {
  return ackedAt === null ? "Nothing saved yet" : `Last saved ${timeOfDay(ackedAt)}`;
}
