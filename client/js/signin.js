// @ts-check
/**
 * Signing a screen in from a one-time link (`/PAGE#meeting=ID&signin=TOKEN`, made on the
 * lead's page or by `roundtable link`): the link's token is traded for this device's own
 * (`POST /api/signin`), which is kept like a tablet's (`session.js`). The fragment is read
 * once and cleared, so the spent link is not left in the address bar or the history.
 */

import { loadSession, saveSession, takeFragment } from "./session.js";

/**
 * The session of this screen: from a sign-in link in the address if there is one, else the
 * one stored for `meetingId` (or for the meeting used last).
 * @param {string | null} meetingId
 * @param {string} label how the lead's device list names this screen
 * @returns {Promise<{session: import("./session.js").Session | null, error: string | null}>}
 */
export async function signIn(meetingId, label) {
  const fragment = takeFragment();
  const link = fragment.get("signin");
  const meeting = fragment.get("meeting") || meetingId;
  if (!link) return { session: loadSession(meeting), error: null };
  try {
    const response = await fetch("/api/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: link, label }),
    });
    const body = await response.json();
    if (!response.ok) return { session: loadSession(meeting), error: body.message || "This sign-in link was refused." };
    saveSession(body);
    return { session: body, error: null };
  } catch {
    return { session: loadSession(meeting), error: "Cannot reach the Roundtable server." };
  }
}
