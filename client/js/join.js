// @ts-check
/**
 * The join page: the join sheet's QR code opens `/join#meeting=ID&code=CODE`. The page reads
 * the fragment, clears it from the address bar, trades the code for a device token
 * (`POST /api/join`), keeps the token in localStorage and opens the tablet page. A browser
 * that already joined the meeting sends its token along, so joining again is the same device
 * on the lead's panel; the tablet's name is what the facilitator typed, or "Table N tablet".
 */

import { byId } from "./dom.js";
import { loadSession, saveSession, takeFragment } from "./session.js";

const fragment = takeFragment();
const form = /** @type {HTMLFormElement} */ (byId("join-form"));
const meetingInput = /** @type {HTMLInputElement} */ (byId("meeting"));
const codeInput = /** @type {HTMLInputElement} */ (byId("code"));
const nameInput = /** @type {HTMLInputElement} */ (byId("name"));
const message = byId("message");

meetingInput.value = fragment.get("meeting") || "";
codeInput.value = fragment.get("code") || "";

/**
 * @param {string} meeting
 * @param {string} code
 */
async function join(meeting, code) {
  message.textContent = "Joining…";
  message.dataset.state = "busy";
  try {
    const response = await fetch("/api/join", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // The device this browser already is in the meeting: scanning the sheet again keeps it.
      body: JSON.stringify({ meeting, code, label: nameInput.value.trim() || null, token: loadSession(meeting)?.token ?? null }),
    });
    const body = await response.json();
    if (!response.ok) {
      message.textContent = body.message || "The server refused this join code.";
      message.dataset.state = "error";
      form.hidden = false;
      return;
    }
    saveSession(body);
    location.replace(`/table?meeting=${encodeURIComponent(body.meeting_id)}`);
  } catch {
    message.textContent = "Cannot reach the Roundtable server. Check the Wi-Fi, then try again.";
    message.dataset.state = "error";
    form.hidden = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  join(meetingInput.value.trim(), codeInput.value.trim());
});

if (meetingInput.value && codeInput.value) {
  form.hidden = true;
  join(meetingInput.value, codeInput.value);
}
