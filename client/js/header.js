// @ts-check
/**
 * The top of the tablet page: the status line (live, not connected with N waiting, signed
 * out; how many points the table has saved, and when the last was) and the clock bar (the
 * table's topic, the rotation, its group and the time left, counted against the server's
 * clock, and for a minute after the bell "Rotation n over — please move to your next table").
 */

import { countdown } from "./clock.js";
import { bellText } from "./moments.js";
import { describe, lastSaved } from "./status.js";

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./socket.js").LiveSocket} socket
 */
export function renderStatus(ui, page, socket) {
  const waiting = page.outbox.size;
  const status = describe({
    open: socket.open,
    refused: socket.refused,
    everOpen: page.everOpen,
    waiting,
    online: navigator.onLine !== false,
  });
  ui.status.dataset.state = status.state;
  ui.status.dataset.waiting = String(waiting);
  ui.statusText.textContent = status.text;
  ui.lastAck.textContent = lastSaved(page.confirmed.saved(), page.ackedAt);
}

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./page.js").PageState} page
 * @param {import("./clock.js").ServerClock} clock
 */
export function renderClock(ui, page, clock) {
  const meeting = page.meeting;
  if (!meeting) return;
  const c = meeting.clock || {};
  const entry = (meeting.tables || []).find((/** @type {any} */ t) => t.number === page.table);
  ui.topic.textContent = entry && entry.topic_title ? entry.topic_title : "";
  let state = "none";
  let label = "";
  let time = "";
  if (meeting.status === "closed" || c.closed_at) {
    label = "The meeting is closed";
  } else if (c.phase_kind === "roundtables" && c.rotation) {
    const group = entry ? entry.groups[c.rotation - 1] : null;
    const count = meeting.rotation ? meeting.rotation.count : "?";
    const left = countdown(c, clock.now());
    state = left.state;
    label = `Rotation ${c.rotation} of ${count}${group ? ` · Group ${group}` : ""}`;
    if (left.state === "over") time = `Rotation ${c.rotation} over — please move`;
    else if (left.state === "paused") time = `Paused · ${left.text} left`;
    else if (left.state === "warning") time = `${left.text} left — 2 minutes warning`;
    else if (left.state === "running") time = `${left.text} left`;
    ui.clock.dataset.remainingMs = String(Math.round(left.remainingMs));
  } else if (c.phase_kind === "roundtables") {
    state = "over";
    label = "Between rotations";
    time = "Rotation over — please move";
  } else if (c.phase) {
    const item = (meeting.agenda || []).find((/** @type {any} */ a) => a.id === c.phase);
    label = item ? item.title : c.phase;
  } else {
    label = c.opened_at ? "The roundtables have not started yet" : "The meeting has not opened yet";
  }
  const moment = bellText(meeting, clock.now());
  ui.clock.dataset.state = state;
  ui.clock.dataset.moment = moment ? "bell" : "";
  ui.rotation.textContent = label;
  ui.countdown.textContent = time;
  if (ui.moment.textContent !== moment) ui.moment.textContent = moment;
  ui.moment.hidden = !moment;
}
