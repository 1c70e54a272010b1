// @ts-check
/**
 * The lead facilitator's page, on the laptop (never the projector): every table's comments
 * live, the themes, the clock, the projected wall's hold screen, a message to the tablets,
 * the table health panel and the devices. Every change is a protocol command; the page shows
 * what the server sends back (events, `themes`, `presence`), so two lead windows agree.
 *
 * Signed in from the lead's one-time link (`/lead#meeting=ID&signin=TOKEN`, printed by
 * `roundtable serve` and `roundtable link`), or with the token this browser keeps. This is the
 * page's entry: what is known is in `lead_state.js`, the drawing in `lead_comments.js`,
 * `lead_themes.js`, `lead_health.js` and `lead_clock.js`, dragging in `lead_drag.js`.
 */

import { ServerClock } from "./clock.js";
import { byId, el, replaceChildren, short } from "./dom.js";
import { uuid4 } from "./ids.js";
import { fillFilters, readFilters, renderComments } from "./lead_comments.js";
import { clockButtons, describeClock } from "./lead_clock.js";
import { enableDrag } from "./lead_drag.js";
import { renderDevices, renderHealth, tableHealth } from "./lead_health.js";
import { LeadState } from "./lead_state.js";
import { renderKeyThemes, renderThemes, scopeLabel, themesFor } from "./lead_themes.js";
import { offerPresentation, presentUrl } from "./phase_switch.js";
import { signIn } from "./signin.js";
import { LiveSocket } from "./socket.js";
import { mountSuggestions } from "./suggestions_panel.js";

/** What a refusal says to the lead, for the codes that need more than the server's words. */
const PLAIN = {
  stale_undo: "Not undone: another lead changed the grouping since. Look at the wall, then undo again if you still want to.",
  nothing_to_undo: "There is nothing left to undo.",
};

const $ = byId;
const ui = {
  lead: $("lead"),
  title: $("meeting-title"),
  phase: $("phase"),
  clock: $("clock"),
  rotation: $("rotation"),
  countdown: $("countdown"),
  status: $("status"),
  statusText: $("status-text"),
  notice: $("notice"),
  noticeText: $("notice-text"),
  comments: $("comments"),
  summary: $("comments-summary"),
  keyThemes: $("key-themes"),
  themes: $("themes"),
  undo: /** @type {HTMLButtonElement} */ ($("undo")),
  undoWhat: $("undo-what"),
  newTheme: /** @type {HTMLFormElement} */ ($("new-theme")),
  newTitle: /** @type {HTMLInputElement} */ ($("new-theme-title")),
  newScope: /** @type {HTMLSelectElement} */ ($("new-theme-scope")),
  health: $("health"),
  quiet: /** @type {HTMLInputElement} */ ($("quiet-minutes")),
  devices: $("devices"),
  hold: $("hold"),
  presentOpen: /** @type {HTMLAnchorElement} */ ($("present-open")),
  freeze: $("freeze"),
  presentOffer: $("present-offer"),
  messageForm: /** @type {HTMLFormElement} */ ($("message-form")),
  messageText: /** @type {HTMLInputElement} */ ($("message-text")),
  messageLast: $("message-last"),
  confirm: $("confirm"),
  confirmText: $("confirm-text"),
  minutes: /** @type {HTMLInputElement} */ ($("extend-minutes")),
  picker: $("picker"),
  pickerTitle: $("picker-title"),
  pickerList: /** @type {HTMLSelectElement} */ ($("picker-list")),
  ghost: $("ghost"),
  linkForm: /** @type {HTMLFormElement} */ ($("link-form")),
  linkRole: /** @type {HTMLSelectElement} */ ($("link-role")),
  linkMade: $("link-made"),
  linkUrl: /** @type {HTMLInputElement} */ ($("link-url")),
  filters: {
    topic: /** @type {HTMLSelectElement} */ ($("filter-topic")),
    question: /** @type {HTMLSelectElement} */ ($("filter-question")),
    table: /** @type {HTMLSelectElement} */ ($("filter-table")),
    rotation: /** @type {HTMLSelectElement} */ ($("filter-rotation")),
    text: /** @type {HTMLInputElement} */ ($("filter-text")),
    starred: /** @type {HTMLInputElement} */ ($("filter-starred")),
    unthemed: /** @type {HTMLInputElement} */ ($("filter-unthemed")),
  },
};

const { session, error } = await signIn(new URLSearchParams(location.search).get("meeting"), "lead's laptop");
if (!session || session.role !== "lead") {
  ui.lead.dataset.state = "not-signed-in";
  say(
    error ||
      (session
        ? "This browser is signed in, but not as the lead. Open the lead's sign-in link."
        : "This page is not signed in. Open the lead's sign-in link that `roundtable serve` printed (or `roundtable link --role lead`)."),
  );
} else {
  start(session);
}

/**
 * Show a plain sentence at the top (empty hides it).
 * @param {string} text
 * @param {string} [code]
 */
function say(text, code = "") {
  ui.noticeText.textContent = text;
  ui.notice.dataset.code = code;
  ui.notice.hidden = !text;
}

/** @param {import("./session.js").Session} session */
function start(session) {
  const meetingId = session.meeting_id;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new LiveSocket(`${scheme}//${location.host}/ws`, session.token);
  const clock = new ServerClock();
  const state = new LeadState();
  /** @type {import("./lead_themes.js").ThemeUi} */
  const themeUi = { renaming: null, splitting: null, chosen: new Set() };
  /** @type {{run: () => void} | null} */
  let confirming = null;
  /** @type {string | null} the comment the theme picker is for */
  let picking = null;
  // For tests and for the curious: the live objects of this page.
  Object.assign(window, { roundtable: { socket, state, clock } });

  const auth = { Authorization: `Bearer ${session.token}` };
  const api = (/** @type {string} */ path) => `/api/meetings/${encodeURIComponent(meetingId)}${path}`;

  /**
   * Send one command; what it was is kept to explain a refusal.
   * @param {string} name
   * @param {Record<string, unknown>} data
   * @param {string} what
   */
  function send(name, data, what) {
    const id = uuid4();
    if (!socket.send({ type: "command", id, name, data })) {
      say(`${what}: not connected. Try again in a moment.`, "offline");
      return;
    }
    state.pending.set(id, what);
  }

  /** @type {import("./lead_themes.js").ThemeActions} */
  const themeActions = { send, newId: () => `th-${uuid4()}`, redraw: drawThemes };
  // Theme suggestions (suggestions_panel.js): fed by the `suggestions` messages.
  mountSuggestions($("suggestions"), socket, { send, model: () => state.model, newId: themeActions.newId });

  // ---- drawing ---------------------------------------------------------------------------

  function drawAll() {
    const model = state.model;
    if (!model) return;
    ui.title.textContent = model.meeting.title || "Roundtable";
    document.title = `${model.meeting.title || "Roundtable"} — lead`;
    fillFilters(ui.filters, model.meeting);
    fillScopes();
    drawComments();
    drawThemes();
    drawAnnouncements();
    drawClock();
    drawHealth();
  }

  function drawComments() {
    if (!state.model) return;
    renderComments(ui.comments, ui.summary, state, readFilters(ui.filters));
  }

  function drawThemes() {
    const model = state.model;
    if (!model) return;
    const topic = ui.filters.topic.value;
    keep(ui.themes, () => renderThemes(ui.themes, model, topic, themeUi, themeActions));
    keep(ui.keyThemes, () => renderKeyThemes(ui.keyThemes, model, topic, themeActions));
    const undo = model.outline.undo;
    ui.undo.disabled = !undo;
    ui.undo.dataset.action = undo ? String(undo.action) : "";
    ui.undoWhat.textContent = undo ? describeUndo(undo) : "nothing to undo";
    if (picking) fillPicker(picking);
  }

  function drawAnnouncements() {
    const model = state.model;
    if (!model) return;
    const held = model.announcements.wall_held;
    ui.hold.textContent = held ? "Show the wall" : "Hold the wall";
    ui.hold.setAttribute("aria-pressed", String(held));
    ui.lead.dataset.wallHeld = String(held);
    const message = model.announcements.message;
    ui.messageLast.textContent = message ? `Last sent: “${short(message.text)}”` : "";
  }

  function drawClock() {
    const model = state.model;
    if (!model) return;
    const shown = describeClock(model.meeting, clock.now());
    ui.clock.dataset.state = shown.state;
    ui.rotation.textContent = shown.rotation;
    ui.countdown.textContent = shown.time;
    ui.phase.textContent = shown.phase;
    const enabled = clockButtons(model.meeting);
    for (const [id, on] of Object.entries(enabled)) /** @type {HTMLButtonElement} */ ($(id)).disabled = !on;
    /** @type {HTMLButtonElement} */ ($("open")).hidden = !!model.meeting.clock?.opened_at;
  }

  function drawHealth() {
    const model = state.model;
    if (!model) return;
    const now = clock.now();
    const quiet = Math.max(1, Number(ui.quiet.value) || 5);
    renderHealth(ui.health, tableHealth(state, now, quiet), model.meeting.clock?.rotation ?? null, now);
    keep(ui.devices, () => renderDevices(ui.devices, state, session.device_id, revoke));
  }

  function drawStatus() {
    const s = socket.refused ? "refused" : socket.open ? "live" : socket.connections ? "reconnecting" : "connecting";
    ui.status.dataset.state = s;
    ui.lead.dataset.state = s;
    ui.statusText.textContent = { refused: "Signed out", live: "Live", reconnecting: "Reconnecting…", connecting: "Connecting…" }[s];
  }

  /** Offer a scope for every topic (any question, or one) and across topics. */
  function fillScopes() {
    const model = state.model;
    if (!model) return;
    const m = model.meeting;
    const options = [["|", scopeLabel(m, null, null)]];
    for (const t of m.topics) {
      options.push([`${t.id}|`, scopeLabel(m, t.id, null)]);
      for (const q of m.questions) options.push([`${t.id}|${q.id}`, scopeLabel(m, t.id, q.id)]);
    }
    const key = JSON.stringify(options);
    if (ui.newScope.dataset.key === key) return;
    ui.newScope.dataset.key = key;
    replaceChildren(ui.newScope, options.map(([value, text]) => el("option", { value, text })));
  }

  /** @param {{action: number, event_type: string, theme_id: string}} undo */
  function describeUndo(undo) {
    const theme = state.model?.outline.themes.find((t) => t.id === undo.theme_id);
    const what = {
      ThemeCreated: "creating",
      CommentAddedToTheme: "putting a comment in",
      CommentRemovedFromTheme: "taking a comment out of",
      ThemesMerged: "merging into",
      ThemeSplit: "splitting",
      SuggestionAccepted: "accepting the suggestion for",
    }[undo.event_type] ?? undo.event_type;
    return `undoes ${what} “${short(theme ? theme.title : undo.theme_id)}”`;
  }

  // ---- the socket ------------------------------------------------------------------------

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let meetingTimer;
  function refreshMeeting() {
    clearTimeout(meetingTimer);
    meetingTimer = setTimeout(async () => {
      try {
        const response = await fetch(api(""), { headers: auth, cache: "no-store" });
        if (response.ok && state.model) {
          state.model.meeting = await response.json();
          drawAll();
        }
      } catch {
        // offline: the next event or reconnect brings it
      }
    }, 150);
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let devicesTimer;
  function refreshDevices() {
    clearTimeout(devicesTimer);
    devicesTimer = setTimeout(async () => {
      try {
        const response = await fetch(api("/devices"), { headers: auth, cache: "no-store" });
        if (response.ok) {
          state.devices = (await response.json()).devices;
          drawHealth();
        }
      } catch {
        // offline: the next presence brings it
      }
    }, 300);
  }

  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "welcome") {
      clock.roughly(message.server_time);
      clock.forget();
      for (const wait of [0, 400, 1200]) setTimeout(() => socket.ping(), wait);
    } else if (message.type === "pong") {
      clock.pong(message.client_time, message.server_time);
    } else if (message.type === "error" && message.id !== null) {
      const what = state.pending.get(message.id) ?? "That";
      state.pending.delete(message.id);
      const plain = PLAIN[/** @type {keyof typeof PLAIN} */ (message.code)];
      say(plain ?? `${what} was refused: ${message.message}`, message.code);
    }
    const changed = state.receive(message);
    if (changed === "all") {
      drawAll();
      refreshDevices();
    }
    else if (changed === "comments") {
      drawComments();
      drawThemes();
      drawHealth();
    } else if (changed === "themes") {
      drawThemes();
      drawComments();
    } else if (changed === "meeting") refreshMeeting();
    else if (changed === "announcements") drawAnnouncements();
    else if (changed === "presence") {
      drawHealth();
      refreshDevices();
    }
  });
  socket.addEventListener("rt:open", drawStatus);
  socket.addEventListener("rt:close", drawStatus);
  socket.addEventListener("rt:connecting", drawStatus);
  socket.addEventListener("rt:refused", (event) => {
    drawStatus();
    say(/** @type {CustomEvent} */ (event).detail.message, "signed_out");
  });

  // ---- comments: filters, keys, the theme picker, dragging --------------------------------

  for (const input of Object.values(ui.filters)) {
    input.addEventListener("input", () => {
      drawComments();
      if (input === ui.filters.topic) drawThemes();
    });
  }
  $("filters").addEventListener("submit", (event) => event.preventDefault());

  /** @param {string} key "table/id" @returns {import("./wall_model.js").Placed | null} */
  function placedOf(key) {
    const model = state.model;
    if (!model) return null;
    const at = key.indexOf("/");
    const table = Number(key.slice(0, at));
    const id = key.slice(at + 1);
    const comment = model.tables.get(table)?.comments.get(id);
    if (!comment) return null;
    return { table, topic: model.topicOf(table) ?? "", question: comment.question, comment, theme: model.themeOf(table, id) };
  }

  /**
   * Put a comment in a theme (the server takes it out of any other).
   * @param {string} key
   * @param {string} themeId
   */
  function putIn(key, themeId) {
    const placed = placedOf(key);
    if (!placed || placed.theme === themeId) return;
    send("add_to_theme", { theme_id: themeId, table: placed.table, comment_id: placed.comment.id }, "Putting the comment in the theme");
  }

  /** @param {string} key */
  function newThemeFrom(key) {
    const placed = placedOf(key);
    if (!placed) return;
    const theme = `th-${uuid4()}`;
    const title = placed.comment.text.length > 120 ? `${placed.comment.text.slice(0, 119)}…` : placed.comment.text;
    send("create_theme", { theme_id: theme, title, topic: placed.topic, question: placed.question }, "Creating the theme");
    send("add_to_theme", { theme_id: theme, table: placed.table, comment_id: placed.comment.id }, "Putting the comment in the theme");
  }

  /** @param {string} key */
  function takeOut(key) {
    const placed = placedOf(key);
    if (!placed || !placed.theme) return;
    send("remove_from_theme", { theme_id: placed.theme, table: placed.table, comment_id: placed.comment.id }, "Taking the comment out");
  }

  /** @param {string} key */
  function fillPicker(key) {
    const placed = placedOf(key);
    const model = state.model;
    if (!placed || !model) return;
    const chosen = ui.pickerList.value;
    const options = themesFor(model.outline.themes, placed.topic, placed.question).map((t) =>
      el("option", { value: t.id, text: `${t.title} — ${scopeLabel(model.meeting, t.topic, t.question)}${t.id === placed.theme ? " (in it)" : ""}` }),
    );
    replaceChildren(ui.pickerList, options.length ? options : [el("option", { value: "", disabled: true, text: "No theme yet: press N on the comment to start one" })]);
    if (chosen) ui.pickerList.value = chosen;
    if (ui.pickerList.selectedIndex < 0 && options.length) ui.pickerList.selectedIndex = 0;
  }

  /** @param {string} key */
  function openPicker(key) {
    const placed = placedOf(key);
    if (!placed) return;
    picking = key;
    ui.pickerTitle.textContent = `Put “${short(placed.comment.text)}” (table ${placed.table}) in:`;
    ui.pickerList.value = "";
    fillPicker(key);
    ui.picker.hidden = false;
    ui.pickerList.focus();
  }

  function closePicker() {
    const key = picking;
    picking = null;
    ui.picker.hidden = true;
    if (key) focusComment(key);
  }

  function pick() {
    const key = picking;
    const theme = ui.pickerList.value;
    closePicker();
    if (key && theme) putIn(key, theme);
  }

  /** @param {string} key */
  function focusComment(key) {
    const item = ui.comments.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (item instanceof HTMLElement) item.focus();
  }

  ui.comments.addEventListener("keydown", (event) => {
    const item = event.target instanceof Element ? event.target.closest(".lead-comment") : null;
    if (!(item instanceof HTMLElement) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = String(item.dataset.key);
    const all = [...ui.comments.querySelectorAll(".lead-comment")];
    const at = all.indexOf(item);
    const k = event.key.toLowerCase();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const next = all[at + (event.key === "ArrowDown" ? 1 : -1)];
      if (next instanceof HTMLElement) next.focus();
    } else if (k === "t" || event.key === "Enter") openPicker(key);
    else if (k === "n") newThemeFrom(key);
    else if (k === "x" || event.key === "Delete") takeOut(key);
    else return;
    event.preventDefault();
  });
  ui.pickerList.addEventListener("keydown", (event) => {
    if (event.key === "Enter") pick();
    else if (event.key === "Escape") closePicker();
    else return;
    event.preventDefault();
  });
  ui.pickerList.addEventListener("dblclick", pick);
  $("picker-ok").addEventListener("click", pick);
  $("picker-cancel").addEventListener("click", closePicker);

  enableDrag({
    source: ui.comments,
    ghost: ui.ghost,
    label: (key) => short(placedOf(key)?.comment.text ?? ""),
    drop: (key, target) => {
      if (target.dataset.drop === "theme" && target.dataset.themeId) putIn(key, target.dataset.themeId);
      else if (target.dataset.drop === "new") newThemeFrom(key);
    },
  });

  // ---- themes ----------------------------------------------------------------------------

  ui.newTheme.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = ui.newTitle.value.trim();
    if (!title) {
      ui.newTitle.focus();
      return;
    }
    const [topic, question] = ui.newScope.value.split("|");
    send("create_theme", { theme_id: `th-${uuid4()}`, title, topic: topic || null, question: question || null }, "Creating the theme");
    ui.newTitle.value = "";
  });
  ui.undo.addEventListener("click", () => {
    const undo = state.model?.outline.undo;
    if (undo) send("undo_grouping", { action: undo.action }, "Undo");
  });

  // ---- running the evening ---------------------------------------------------------------

  /**
   * @param {string} text
   * @param {() => void} run
   */
  function confirm(text, run) {
    confirming = { run };
    ui.confirmText.textContent = text;
    ui.confirm.hidden = false;
    $("confirm-no").focus();
  }
  $("confirm-yes").addEventListener("click", () => {
    const run = confirming?.run;
    confirming = null;
    ui.confirm.hidden = true;
    if (run) run();
  });
  $("confirm-no").addEventListener("click", () => {
    confirming = null;
    ui.confirm.hidden = true;
  });

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
  // The report-back: open the presentation (its own window, for the projector), freeze it
  // while presenting (an event: a replay shows what the room saw), and an offer to open it
  // when the clock reaches the report-back.
  ui.presentOpen.href = presentUrl(meetingId);
  let frozen = false;
  const drawFreeze = () => {
    ui.freeze.textContent = frozen ? "Unfreeze presentation" : "Freeze presentation";
    ui.freeze.setAttribute("aria-pressed", String(frozen));
  };
  const refreshFreeze = async () => {
    try {
      const response = await fetch(api("/report-back"), { headers: auth, cache: "no-store" });
      if (response.ok) frozen = !!(await response.json()).report_back.frozen;
      drawFreeze();
    } catch {
      // offline: the next welcome asks again
    }
  };
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "state") refreshFreeze();
    else if (message.type === "event" && message.event_type.startsWith("ReportBack")) {
      frozen = message.event_type === "ReportBackFrozen";
      drawFreeze();
    }
  });
  ui.freeze.addEventListener("click", () => {
    send(frozen ? "unfreeze_report_back" : "freeze_report_back", {}, frozen ? "Unfreezing" : "Freezing");
  });
  offerPresentation(socket, meetingId, ui.presentOffer);
    ui.hold.addEventListener("click", () => {
    const held = !!state.model?.announcements.wall_held;
    send("hold_wall", { held: !held }, held ? "Showing the wall" : "Holding the wall");
  });
  ui.messageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.messageText.value.trim();
    if (!text) return;
    send("send_message", { text }, "The message");
    ui.messageText.value = "";
  });
  $("notice-close").addEventListener("click", () => say(""));

  // ---- devices and links -----------------------------------------------------------------

  /** @param {any} device */
  function revoke(device) {
    const who = device.role === "facilitator" ? `table ${device.table}'s tablet` : `this ${device.role} screen`;
    confirm(`Sign out ${who} (${device.label || device.device_id.slice(0, 8)})? It will have to join again.`, async () => {
      try {
        const response = await fetch(api(`/devices/${encodeURIComponent(device.device_id)}/revoke`), {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/json" },
          body: "{}",
        });
        if (!response.ok) say(`Not signed out: ${(await response.json()).message}`);
      } catch {
        say("Not signed out: cannot reach the server.");
      }
      refreshDevices();
    });
  }

  ui.linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(api("/links"), {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ role: ui.linkRole.value }),
      });
      const body = await response.json();
      if (!response.ok) {
        say(`No link: ${body.message}`);
        return;
      }
      ui.linkUrl.value = body.url;
      ui.linkMade.hidden = false;
      ui.linkUrl.select();
      refreshDevices();
    } catch {
      say("No link: cannot reach the server.");
    }
  });
  $("link-copy").addEventListener("click", async () => {
    ui.linkUrl.select();
    try {
      await navigator.clipboard.writeText(ui.linkUrl.value);
    } catch {
      document.execCommand("copy");
    }
  });
  $("join-sheets").addEventListener("click", async () => {
    try {
      const response = await fetch(api("/join-sheets"), { headers: auth, cache: "no-store" });
      if (!response.ok) {
        say("The join sheets could not be made.");
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: `join-sheets-${meetingId}.html` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      say("The join sheets could not be fetched: cannot reach the server.");
    }
  });

  // ---- time ------------------------------------------------------------------------------

  setInterval(() => {
    drawClock();
    if (state.expireFresh()) {
      for (const item of ui.comments.querySelectorAll(".lead-comment.fresh")) {
        if (item instanceof HTMLElement && !state.fresh.has(String(item.dataset.key))) item.classList.remove("fresh");
      }
    }
  }, 500);
  setInterval(drawHealth, 5000);
  ui.quiet.addEventListener("input", drawHealth);

  drawStatus();
  socket.connect();
}

/**
 * Redraw a container, keeping what the lead was typing or choosing in it and where the focus
 * was (a comment arriving from a tablet must not eat a half-typed title).
 * @param {HTMLElement} container
 * @param {() => void} draw
 */
function keep(container, draw) {
  /** @type {Map<string, string>} */
  const values = new Map();
  for (const input of container.querySelectorAll("input[data-key], select[data-key]")) {
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) values.set(String(input.dataset.key), input.value);
  }
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && container.contains(active) ? active.dataset.key : undefined;
  const caret = active instanceof HTMLInputElement ? active.selectionStart : null;
  draw();
  for (const input of container.querySelectorAll("input[data-key], select[data-key]")) {
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) continue;
    const value = values.get(String(input.dataset.key));
    if (value !== undefined) input.value = value;
  }
  if (focused) {
    const again = container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again instanceof HTMLElement) {
      again.focus({ preventScroll: true });
      if (again instanceof HTMLInputElement && caret !== null) again.setSelectionRange(caret, caret);
    }
  }
}
