// @ts-check
/**
 * The device token a tablet got when it joined, kept in localStorage per meeting. The token
 * never goes into a URL; the join link's fragment is read once and cleared.
 */

/**
 * @typedef {Object} Session
 * @property {string} token
 * @property {string} meeting_id
 * @property {string} device_id
 * @property {string} role
 * @property {number | null} table
 * @property {number} expires seconds since the epoch
 */

const PREFIX = "roundtable:session:";
const LAST = "roundtable:last-meeting";

/**
 * @param {Session} session
 * @param {boolean} [last] whether pages opened without a meeting use it (not an organiser's)
 */
export function saveSession(session, last = true) {
  localStorage.setItem(PREFIX + session.meeting_id, JSON.stringify(session));
  if (last) localStorage.setItem(LAST, session.meeting_id);
}

/**
 * Every session this browser holds (a lead's, a staff member's, an organiser's...).
 * @returns {Session[]}
 */
export function allSessions() {
  /** @type {Session[]} */
  const found = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (!key || !key.startsWith(PREFIX)) continue;
    const session = loadSession(key.slice(PREFIX.length));
    if (session) found.push(session);
  }
  return found;
}

/**
 * Forget a session the server no longer accepts.
 * @param {string} meetingId
 */
export function dropSession(meetingId) {
  localStorage.removeItem(PREFIX + meetingId);
}

/**
 * The stored session for `meetingId` (or for the meeting joined last).
 * @param {string | null} meetingId
 * @returns {Session | null}
 */
export function loadSession(meetingId) {
  const id = meetingId || localStorage.getItem(LAST);
  if (!id) return null;
  const raw = localStorage.getItem(PREFIX + id);
  if (!raw) return null;
  try {
    return /** @type {Session} */ (JSON.parse(raw));
  } catch {
    return null;
  }
}

/**
 * Read `#key=value&…` from the address, then remove it from the address bar and history,
 * so a lost tablet's history does not hold a join code (docs/security.md).
 * @returns {URLSearchParams}
 */
export function takeFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  return params;
}
