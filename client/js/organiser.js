// @ts-check
/**
 * The organiser's session and calls, shared by the front page and the planning page. An
 * organiser signs in once from the link `roundtable serve` (or `roundtable link --role
 * organiser`) printed; the token is kept like any screen's, but never becomes "the meeting
 * used last" of the tablet and lead pages.
 */

import { saveHtml } from "./download.js";
import { loadSession, saveSession, takeFragment } from "./session.js";

export const ORGANISERS = "_organisers";

/**
 * Sign in from an organiser's link in the address, if there is one.
 * @returns {Promise<string | null>} why the link was refused, if it was
 */
export async function takeOrganiserLink() {
  const link = takeFragment().get("signin");
  if (!link) return null;
  try {
    const response = await fetch("/api/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: link, label: "organiser's browser" }),
    });
    const body = await response.json();
    if (!response.ok) return body.message || "This sign-in link was refused.";
    saveSession(body, body.role !== "organiser");
    return null;
  } catch {
    return "Cannot reach the Roundtable server.";
  }
}

/** @returns {import("./session.js").Session | null} */
export function organiserSession() {
  return loadSession(ORGANISERS);
}

/**
 * Calls with a token: absolute paths, JSON in and out.
 * @param {string} token
 */
export function api(token) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    /** @param {string} path */
    get: (path) => fetch(path, { headers: auth, cache: "no-store" }),
    /**
     * @param {string} path
     * @param {unknown} body
     */
    post: (path, body) =>
      fetch(path, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}

/**
 * A one-time sign-in link for the meeting's lead.
 * @param {string} token the organiser's
 * @param {string} meetingId
 * @returns {Promise<string>} the link
 */
export async function leadLink(token, meetingId) {
  const response = await api(token).post(`/api/meetings/${encodeURIComponent(meetingId)}/links`, { role: "lead" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || "No link was made.");
  return body.url;
}

/**
 * Save a meeting's join sheets or table cards as a file to print.
 * @param {string} token
 * @param {string} meetingId
 * @param {"join-sheets" | "table-cards"} what
 */
export async function savePrintable(token, meetingId, what) {
  const response = await api(token).get(`/api/meetings/${encodeURIComponent(meetingId)}/${what}`);
  if (!response.ok) throw new Error(`The ${what.replace("-", " ")} could not be made.`);
  await saveHtml(response, `${what}-${meetingId}.html`);
}
