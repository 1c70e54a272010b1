// @ts-check
/**
 * Running the evening (`#controls`): the clock shown big (lead_clock.js says what it shows
 * and which buttons make sense), the clock's command buttons (`data-command`; the drastic
 * ones, `data-confirm`, ask first), auto-start before the roundtables, holding the projected
 * wall, and the message to every tablet with how long it lasts (with the rotation or phase,
 * some minutes, or until cleared). The report-back's own buttons are in lead_report_back.js.
 */

import { byId, short } from "./dom.js";
import { clockButtons, describeClock } from "./lead_clock.js";
import { timeOfDay } from "./wall_head.js";

/**
 * Wire the controls; returns the drawing the page calls when the meeting or the time changes.
 * @param {import("./lead_commands.js").LeadPage} page
 * @returns {{drawClock: () => void, drawAnnouncements: () => void}}
 */
export function eveningControls({ ui, clock, state, send, confirm }) {
  for (const button of document.querySelectorAll("#controls [data-command]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.addEventListener("click", () => {
      const name = String(button.dataset.command);
      const rotation = state.model?.meeting.clock?.rotation ?? null;
      /** @type {Record<string, unknown>} */
      let data = {};
      if (name === "extend_rotation") data = { rotation, minutes: Number(ui.minutes.value) };
      if (name === "end_rotation") data = { rotation };
      const what = String(button.textContent).trim();
      const run = () => send(name, data, what);
      if (button.dataset.confirm) confirm(button.dataset.confirm, run);
      else run();
    });
  }
  const autoStart = /** @type {HTMLButtonElement} */ (byId("auto-start"));
  autoStart.addEventListener("click", () => {
    const on = !!state.model?.meeting.clock?.auto_start;
    send("choose_auto_start", { enabled: !on }, on ? "Waiting for the lead to start" : "Starting on time");
  });
  ui.hold.addEventListener("click", () => {
    const held = !!state.model?.announcements.wall_held;
    send("hold_wall", { held: !held }, held ? "Showing the wall" : "Holding the wall");
  });
  ui.messageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.messageText.value.trim();
    if (!text) return;
    const ends = ui.messageEnds.value;
    const timed = /^\d+$/.test(ends);
    const data = timed ? { text, ends: "minutes", minutes: Number(ends) } : { text, ends };
    send("send_message", data, "The message");
    ui.messageText.value = "";
  });
  ui.messageClear.addEventListener("click", () => send("clear_message", {}, "Clearing the message"));

  function drawClock() {
    const model = state.model;
    if (!model) return;
    const shown = describeClock(model.meeting, clock.now());
    ui.clock.dataset.state = shown.state;
    ui.rotation.textContent = shown.rotation;
    ui.countdown.textContent = shown.time;
    ui.phase.textContent = shown.phase;
    const enabled = clockButtons(model.meeting);
    for (const [id, on] of Object.entries(enabled)) /** @type {HTMLButtonElement} */ (byId(id)).disabled = !on;
    ui.open.hidden = !!model.meeting.clock?.opened_at;
    // Before the roundtables start, the clock may start them at their agenda time.
    const c = model.meeting.clock || {};
    autoStart.hidden = !enabled.start;
    autoStart.setAttribute("aria-pressed", String(!!c.auto_start));
    autoStart.textContent = c.auto_start ? "Starts on time by itself: on" : "Start on time by itself";
  }

  function drawAnnouncements() {
    const model = state.model;
    if (!model) return;
    const held = model.announcements.wall_held;
    ui.hold.textContent = held ? "Show the wall" : "Hold the wall";
    ui.hold.setAttribute("aria-pressed", String(held));
    ui.lead.dataset.wallHeld = String(held);
    const message = model.announcements.message;
    ui.messageLast.textContent = message ? `On the tablets: “${short(message.text)}” ${lasts(message, model.meeting.timezone)}` : "";
    ui.messageClear.hidden = !message;
  }

  return { drawClock, drawAnnouncements };
}

/**
 * How long the message on the tablets lasts, in the lead's words.
 * @param {{ends?: string, until?: number | null}} message
 * @param {string | undefined} timeZone the meeting's
 */
function lasts(message, timeZone) {
  if (message.ends === "phase") return "until this rotation or phase ends";
  if (message.ends === "minutes" && message.until) return `until ${timeOfDay(message.until / 1000, timeZone)}`;
  return "until you clear it";
}
