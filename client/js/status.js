// @ts-check
/**
 * The connection state in plain words, for the status line: live (only while the server
 * answers), not connected with N waiting, or signed out; and what the table has saved.
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
  if (s.waiting || !s.online) return { state: "offline", text: `Not connected — ${waiting}` };
  return { state: "reconnecting", text: "Not connected — reconnecting…" };
}

/**
 * What the table has saved: a page opened over a table with 47 points says so, not "nothing".
 * @param {number} saved the table's points the server holds
 * @param {number | null} ackedAt when this tablet's last point was saved (ms, tablet clock)
 * @returns {string}
 */
export function lastSaved(saved, ackedAt) {
  const points = `${saved} ${saved === 1 ? "point" : "points"} saved`;
  if (ackedAt === null) return saved ? points : "Nothing saved yet";
  return `${points} · last ${timeOfDay(ackedAt)}`;
}
