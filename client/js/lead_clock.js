// @ts-check
/**
 * The lead's clock: the phase, the rotation and its countdown, big, counted against the
 * server's time (clock.js); and which clock buttons make sense now. The server decides every
 * clock command by the meeting's rules; the buttons only spare the lead a refusal.
 */

import { countdown } from "./clock.js";

/**
 * @typedef {Object} ClockShown
 * @property {string} state none | running | warning | over | paused | closed
 * @property {string} rotation e.g. "Rotation 2 of 4"
 * @property {string} time e.g. "12:04 left"
 * @property {string} phase the agenda item's title
 * @property {number | null} current the rotation running
 */

/**
 * @param {any} meeting
 * @param {number} nowMs the server's time
 * @returns {ClockShown}
 */
export function describeClock(meeting, nowMs) {
  const c = meeting.clock || {};
  const item = (meeting.agenda || []).find((/** @type {any} */ a) => a.id === c.phase);
  const phase = item ? item.title : "";
  if (meeting.status === "closed" || c.closed_at) {
    return { state: "closed", rotation: "Meeting closed", time: "", phase, current: null };
  }
  if (c.phase_kind === "roundtables" && c.rotation) {
    const count = meeting.rotation ? meeting.rotation.count : "?";
    const left = countdown(c, nowMs);
    const time = {
      none: "",
      running: `${left.text} left`,
      warning: `${left.text} left`,
      over: "0:00 — moving",
      paused: `Paused · ${left.text} left`,
    }[left.state];
    return { state: left.state, rotation: `Rotation ${c.rotation} of ${count}`, time, phase, current: c.rotation };
  }
  if (c.phase_kind === "roundtables") {
    return { state: "over", rotation: "Between rotations", time: "", phase, current: null };
  }
  if (c.phase) return { state: "none", rotation: phase, time: "", phase, current: null };
  const label = c.opened_at ? "Roundtables not started" : "Meeting not open";
  return { state: "none", rotation: label, time: "", phase, current: null };
}

/**
 * Which clock buttons to offer now.
 * @param {any} meeting
 * @returns {Record<string, boolean>} button id -> enabled
 */
export function clockButtons(meeting) {
  const c = meeting.clock || {};
  const closed = meeting.status === "closed" || !!c.closed_at;
  const inRotation = c.phase_kind === "roundtables" && !!c.rotation;
  const paused = c.paused_at !== null && c.paused_at !== undefined;
  const reportBack = (meeting.agenda || []).find((/** @type {any} */ a) => a.kind === "report_back");
  return {
    start: !closed && !c.started_at,
    pause: !closed && inRotation && !paused,
    resume: !closed && paused,
    extend: !closed && inRotation,
    "end-rotation": !closed && inRotation,
    "to-break": !closed && c.phase_kind === "roundtables",
    "to-report": !closed && !(reportBack && c.phase === reportBack.id),
    "close-meeting": !closed,
  };
}
