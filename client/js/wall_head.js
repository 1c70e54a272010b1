// @ts-check
/**
 * The top of the projected wall and its hold screen: the meeting's title, where the evening is
 * (the rotation, the break...) and the time left, large, counted against the server's clock
 * (`clock.js`), so a laptop whose own clock is off still shows the right countdown. The hold
 * screen (the lead's `hold_wall`) shows only the meeting, the time of day and the phase, for
 * the presentations. The lead's message shows until it ends (cleared, its phase or minutes
 * over: `MessageEnded`); for a minute after a rotation's bell the room is told to move.
 */

import { countdown } from "./clock.js";
import { bellText } from "./moments.js";

/**
 * @typedef {Object} Moment where the evening is, for the room
 * @property {string} state "none" | "running" | "warning" | "over" | "paused"
 * @property {string} phase e.g. "Rotation 2 of 4"
 * @property {string} time e.g. "12:04", or ""
 * @property {number} remainingMs
 */

/**
 * @param {any} meeting the meeting view
 * @param {number} nowMs the server's time
 * @returns {Moment}
 */
export function moment(meeting, nowMs) {
  const c = meeting.clock || {};
  if (meeting.status === "closed" || c.closed_at) {
    return { state: "none", phase: "The meeting is closed", time: "", remainingMs: 0 };
  }
  if (c.phase_kind === "roundtables" && c.rotation) {
    const count = meeting.rotation ? meeting.rotation.count : "?";
    const left = countdown(c, nowMs);
    const label = `Rotation ${c.rotation} of ${count}`;
    const phase = {
      over: `Rotation ${c.rotation} is over — please move`,
      paused: `${label} · paused`,
      warning: `${label} · 2 minutes left`,
      running: label,
      none: label,
    }[left.state];
    return { state: left.state, phase, time: left.text, remainingMs: left.remainingMs };
  }
  if (c.phase_kind === "roundtables") {
    return { state: "over", phase: "Please move to your next table", time: "", remainingMs: 0 };
  }
  if (c.phase) {
    const item = (meeting.agenda || []).find((/** @type {any} */ a) => a.id === c.phase);
    const left = countdown(c, nowMs);
    return {
      state: left.state === "none" ? "none" : left.state,
      phase: item ? item.title : String(c.phase),
      time: left.text,
      remainingMs: left.remainingMs,
    };
  }
  const phase = c.opened_at ? "The roundtables start soon" : "Welcome";
  return { state: "none", phase, time: "", remainingMs: 0 };
}

/**
 * @param {Record<string, HTMLElement>} ui
 * @param {any} meeting
 * @param {number} nowMs
 */
export function drawClock(ui, meeting, nowMs) {
  const now = moment(meeting, nowMs);
  ui.clock.dataset.state = now.state;
  ui.clock.dataset.remainingMs = String(Math.round(now.remainingMs));
  setText(ui.phase, now.phase);
  setText(ui.countdown, now.time);
  ui.countdown.hidden = !now.time;
  const bell = bellText(meeting, nowMs);
  setText(ui.moment, bell);
  ui.moment.hidden = !bell;
  ui.clock.dataset.moment = bell ? "bell" : "";
  setText(ui.holdPhase, now.time ? `${now.phase} · ${now.time}` : now.phase);
  setText(ui.holdTime, timeOfDay(nowMs, meeting.timezone));
}

/**
 * @param {Record<string, HTMLElement>} ui
 * @param {any} meeting
 * @param {{message: {text: string, at: number} | null, wall_held: boolean}} announcements
 * @param {number} nowMs
 */
export function drawHead(ui, meeting, announcements, nowMs) {
  const title = meeting.title || "Roundtable";
  setText(ui.title, title);
  setText(ui.holdTitle, title);
  setText(ui.holdSub, [meeting.date, meeting.venue].filter(Boolean).join(" · "));
  document.title = `${title} — wall`;
  const held = Boolean(announcements.wall_held);
  ui.wall.dataset.held = String(held);
  ui.hold.hidden = !held;
  const message = announcements.message;
  ui.message.hidden = !message;
  setText(ui.message, message ? message.text : "");
  drawClock(ui, meeting, nowMs);
}

/**
 * @param {number} ms since the epoch
 * @param {string | undefined} timeZone the meeting's
 * @returns {string} e.g. "7:42 pm"
 */
export function timeOfDay(ms, timeZone) {
  const options = /** @type {Intl.DateTimeFormatOptions} */ ({ hour: "numeric", minute: "2-digit" });
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(ms);
  }
}

/**
 * @param {HTMLElement} node
 * @param {string} text
 */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
