// @ts-check
/**
 * The lead facilitator's page, on the laptop (never the projector): every table's comments
 * live, the themes, the clock, the projected wall's hold screen, a message to the tablets,
 * the table health panel and the devices. Every change is a protocol command; the page shows
 * what the server sends back (events, `themes`, `presence` and `device`), so two lead windows agree.
 *
 * Signed in from the lead's one-time link (`/lead#meeting=ID&signin=TOKEN`, printed by
 * `roundtable serve` and `roundtable link`), or with the token this browser keeps.
 *
 * This is the page's entry: it signs in, makes the socket, the server clock and the state,
 * hands them to the parts, and redraws what each socket message changed. The parts:
 * `lead_elements.js` (the page's elements), `lead_commands.js` (commands, refusals, the
 * notice bar, the confirm dialog), `lead_api.js` (HTTP calls), `lead_controls.js` (the clock
 * and the evening's controls), `lead_report_back.js` (present, freeze), `lead_devices.js`
 * (health, devices, sign-in links), `lead_theme_actions.js` (theme commands, dragging, the
 * themes pane), `lead_keys.js` (the keyboard and the theme picker), `suggestions_panel.js`;
 * what is known is in `lead_state.js`, the drawing in `lead_comments.js`, `lead_themes.js`,
 * `lead_health.js` and `lead_clock.js`; what the projected wall may quote in `lead_wall.js`.
 */

import { ServerClock } from "./clock.js";
import { redrawKeeping } from "./dom.js";
import { coalesced, meetingApi } from "./lead_api.js";
import { commandSender, confirmDialog, noticeBar } from "./lead_commands.js";
import { fillFilters, readFilters, renderComments } from "./lead_comments.js";
import { eveningControls } from "./lead_controls.js";
import { devicesPanel } from "./lead_devices.js";
import { findLeadElements } from "./lead_elements.js";
import { commentKeys, skipLinks } from "./lead_keys.js";
import { reportBackControls } from "./lead_report_back.js";
import { LeadState } from "./lead_state.js";
import { newThemeId, themeActions } from "./lead_theme_actions.js";
import { votingControls } from "./lead_voting.js";
import { wallQuotes } from "./lead_wall.js";
import { signIn } from "./signin.js";
import { LiveSocket, serverSocketUrl } from "./socket.js";
import { mountSuggestions } from "./suggestions_panel.js";

const ui = findLeadElements();
const say = noticeBar(ui);

const { session, error } = await signIn(new URLSearchParams(location.search).get("meeting"), "lead's laptop");
if (!session || session.role !== "lead") {
  ui.lead.dataset.state = "not-signed-in";
  ui.status.dataset.state = "refused";
  ui.statusText.textContent = "Not signed in";
  say(
    error ||
      (session
        ? "This browser is signed in, but not as the lead. Open the lead's sign-in link."
        : "This page is not signed in. Open the lead's sign-in link that `roundtable serve` printed (or `roundtable link --role lead`)."),
  );
} else {
  start(session);
}

/** @param {import("./session.js").Session} session */
function start(session) {
  const socket = new LiveSocket(serverSocketUrl(), session.token);
  const clock = new ServerClock();
  const state = new LeadState();
  // For tests and for the curious: the live objects of this page.
  const exposed = { socket, state, clock };
  Object.assign(window, { roundtable: exposed });

  const send = commandSender(ui, socket, state, say);
  const api = meetingApi(session);
  /** @type {import("./lead_commands.js").LeadPage} */
  const page = { ui, session, socket, clock, state, api, say, send, confirm: confirmDialog(ui) };

  // Theme suggestions (suggestions_panel.js): fed by the `suggestions` messages.
  const suggestions = mountSuggestions(ui.suggestions, socket, { send, model: () => state.model, newId: newThemeId });
  Object.assign(exposed, { suggestions });
  const themes = themeActions(page, drawThemes);
  const keys = commentKeys(page, themes);
  skipLinks(ui);
  const controls = eveningControls(page);
  const devices = devicesPanel(page);

  function drawAll() {
    const model = state.model;
    if (!model) return;
    ui.title.textContent = model.meeting.title || "Roundtable";
    document.title = `${model.meeting.title || "Roundtable"} — lead`;
    fillFilters(ui.filters, model.meeting);
    themes.fillScopes();
    drawComments();
    drawThemes();
    controls.drawAnnouncements();
    controls.drawClock();
    devices.drawHealth();
  }

  function drawComments() {
    if (!state.model) return;
    redrawKeeping(ui.comments, () => renderComments(ui.comments, ui.summary, state, readFilters(ui.filters)));
  }

  function drawThemes() {
    themes.drawThemes();
    keys.refreshPicker();
  }

  function drawStatus() {
    const s = socket.refused ? "refused" : socket.open ? "live" : socket.connections ? "reconnecting" : "connecting";
    ui.status.dataset.state = s;
    ui.lead.dataset.state = s;
    ui.statusText.textContent = { refused: "Signed out", live: "Live", reconnecting: "Reconnecting…", connecting: "Connecting…" }[s];
  }

  const refreshMeeting = coalesced(150, async () => {
    try {
      const response = await api.get("");
      if (response.ok && state.model) {
        state.model.meeting = await response.json();
        drawAll();
      }
    } catch {
      // offline: the next event or reconnect brings it
    }
  });

  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "welcome") {
      clock.roughly(message.server_time);
      clock.forget();
      for (const wait of [0, 400, 1200]) setTimeout(() => socket.ping(), wait);
    } else if (message.type === "pong") {
      clock.pong(message.client_time, message.server_time);
    }
    const changed = state.receive(message);
    if (changed === "all") drawAll();
    else if (changed === "comments") {
      drawComments();
      drawThemes();
      devices.drawHealth();
    } else if (changed === "themes") {
      drawThemes();
      drawComments();
    } else if (changed === "meeting") refreshMeeting();
    else if (changed === "announcements") controls.drawAnnouncements();
    else if (changed === "presence") devices.drawHealth();
  });
  socket.addEventListener("rt:open", drawStatus);
  socket.addEventListener("rt:close", drawStatus);
  socket.addEventListener("rt:connecting", drawStatus);
  socket.addEventListener("rt:refused", (event) => {
    drawStatus();
    say(/** @type {CustomEvent} */ (event).detail.message, "signed_out");
  });
  reportBackControls(page);
  votingControls(page);
  wallQuotes(page);

  for (const input of Object.values(ui.filters)) {
    input.addEventListener("input", () => {
      drawComments();
      if (input === ui.filters.topic) drawThemes();
    });
  }
  ui.filtersForm.addEventListener("submit", (event) => event.preventDefault());

  setInterval(() => {
    controls.drawClock();
    if (state.expireFresh()) {
      for (const item of ui.comments.querySelectorAll(".lead-comment.fresh")) {
        if (item instanceof HTMLElement && !state.fresh.has(String(item.dataset.key))) item.classList.remove("fresh");
      }
    }
  }, 500);

  drawStatus();
  socket.connect();
}
