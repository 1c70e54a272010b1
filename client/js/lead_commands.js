// @ts-check
/**
 * Commands, and what the lead is told about them. Every change on the lead's page is one
 * protocol command over the socket; what each was is kept (`LeadState.pending`) so that a
 * refusal reads as a plain sentence in the notice bar. The notice bar and the confirm dialog
 * (for the commands and sign-outs that ask first) are here too, with `LeadPage`: what the
 * entry (lead.js) hands each part of the page.
 */

import { uuid4 } from "./ids.js";

/** What a refusal says to the lead, for the codes that need more than the server's words. */
const PLAIN = {
  stale_undo: "Not undone: another lead changed the grouping since. Look at the wall, then undo again if you still want to.",
  nothing_to_undo: "There is nothing left to undo.",
};

/**
 * The reason after "… was refused:", for the codes whose server words name things by id
 * (the lead knows them by their text and title, which `what` already says).
 */
const BECAUSE = {
  unknown_comment: "the comment was retracted at its table, or is gone.",
};

/** @typedef {(text: string, code?: string) => void} Say a sentence at the top ("" hides it) */
/** @typedef {(name: string, data: Record<string, unknown>, what: string) => string | null} Send the command's id while it is in `LeadState.pending`, null when it could not be sent */
/** @typedef {(text: string, run: () => void) => void} Confirm */

/**
 * @typedef {Object} LeadPage what every part of the lead's page is given
 * @property {import("./lead_elements.js").LeadElements} ui
 * @property {import("./session.js").Session} session
 * @property {import("./socket.js").LiveSocket} socket
 * @property {import("./clock.js").ServerClock} clock
 * @property {import("./lead_state.js").LeadState} state
 * @property {import("./lead_api.js").MeetingApi} api
 * @property {Say} say
 * @property {Send} send one command; `what` names it if the server refuses
 * @property {Confirm} confirm ask first, then `run`
 */

/**
 * The notice bar at the top of the page.
 * @param {import("./lead_elements.js").LeadElements} ui
 * @returns {Say}
 */
export function noticeBar(ui) {
  return (text, code = "") => {
    ui.noticeText.textContent = text;
    ui.notice.dataset.code = code;
    ui.notice.hidden = !text;
  };
}

/**
 * Sending commands on `socket`, and explaining their refusals (the `error` messages that
 * answer one) in the notice bar, which its OK button closes.
 * @param {import("./lead_elements.js").LeadElements} ui
 * @param {import("./socket.js").LiveSocket} socket
 * @param {import("./lead_state.js").LeadState} state
 * @param {Say} say
 * @returns {Send}
 */
export function commandSender(ui, socket, state, say) {
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type !== "error" || message.id === null) return;
    const what = state.pending.get(message.id) ?? "That";
    state.pending.delete(message.id);
    const plain = PLAIN[/** @type {keyof typeof PLAIN} */ (message.code)];
    const because = BECAUSE[/** @type {keyof typeof BECAUSE} */ (message.code)] || message.message;
    say(plain ?? `${what} was refused: ${because}`, message.code);
  });
  ui.noticeClose.addEventListener("click", () => say(""));
  return (name, data, what) => {
    const id = uuid4();
    if (!socket.send({ type: "command", id, name, data })) {
      say(`${what}: not connected. Try again in a moment.`, "offline");
      return null;
    }
    state.pending.set(id, what);
    return id;
  };
}

/**
 * The confirm dialog: one question at a time, "Yes, do it" runs what was asked.
 * @param {import("./lead_elements.js").LeadElements} ui
 * @returns {Confirm}
 */
export function confirmDialog(ui) {
  /** @type {(() => void) | null} */
  let confirming = null;
  ui.confirmYes.addEventListener("click", () => {
    const run = confirming;
    confirming = null;
    ui.confirm.hidden = true;
    if (run) run();
  });
  ui.confirmNo.addEventListener("click", () => {
    confirming = null;
    ui.confirm.hidden = true;
  });
  return (text, run) => {
    confirming = run;
    ui.confirmText.textContent = text;
    ui.confirm.hidden = false;
    ui.confirmNo.focus();
  };
}
