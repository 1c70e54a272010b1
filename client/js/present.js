// @ts-check
/**
 * The report-back's presentation page, for the projector at 8:00 pm: the overview, one screen
 * per topic with its questions, the key themes across topics. It follows the lead's changes
 * live until the lead freezes it (then it shows the report-back as it stood at the freeze:
 * the server renders that), and unfreezes it.
 *
 * Opened by the lead or an observer, with the token their screen keeps (`session.js`), or
 * from a sign-in link to this page. This is the page's entry: the live data is in
 * `present_feed.js`, the moves in `present_keys.js`, the drawing in `present_view.js`.
 */

import { byId } from "./dom.js";
import { uuid4 } from "./ids.js";
import { ReportBackFeed } from "./present_feed.js";
import { direction, keepInAddress, moveFrom, screenInAddress, screens } from "./present_keys.js";
import { drawScreen, fit, partsOf } from "./present_view.js";
import { presentVoting } from "./present_voting.js";
import { signIn } from "./signin.js";
import { LiveSocket, serverSocketUrl } from "./socket.js";

const ui = {
  present: byId("present"),
  stage: byId("stage"),
  message: byId("message"),
  status: byId("status"),
  statusText: byId("status-text"),
  frozen: byId("frozen"),
  place: byId("place"),
  previous: byId("previous"),
  next: byId("next"),
  starred: byId("starred"),
  freeze: byId("freeze"),
};

let current = screenInAddress();
const { session, error } = await signIn(new URLSearchParams(location.search).get("meeting"), "presentation");
keepInAddress(current);

if (!session) {
  say(error || "This screen is not signed in. Open the presentation from the lead's page, or with a sign-in link for an observer.");
  ui.present.dataset.state = "not-signed-in";
} else {
  if (error) say(error);
  start(session);
}

/** @param {string} text */
function say(text) {
  ui.message.textContent = text;
  ui.message.hidden = !text;
}

/** @param {import("./session.js").Session} session */
function start(session) {
  const socket = new LiveSocket(serverSocketUrl(), session.token);
  const feed = new ReportBackFeed(session, socket);
  let starred = false;
  /** The screen's parts (its sections in groups that fit), and the one shown. */
  let parts = [[0, 1]];
  let part = 0;
  // For tests and for the curious: the live objects of this page.
  Object.assign(window, { roundtable: { socket, feed } });

  function draw() {
    const view = feed.view;
    if (!view) return;
    const all = screens(view);
    if (!all.includes(current)) current = all[0];
    parts = partsOf(ui.stage, view, current, { starred, go });
    part = Math.min(part, parts.length - 1);
    ui.stage.replaceChildren(drawScreen(view, current, { starred, go, part: /** @type {[number, number]} */ (parts[part]) }));
    fit(ui.stage);
    ui.present.dataset.frozen = String(view.frozen);
    ui.present.dataset.screen = current;
    ui.frozen.hidden = !view.frozen;
    ui.freeze.textContent = view.frozen ? "Unfreeze" : "Freeze";
    ui.freeze.setAttribute("aria-pressed", String(view.frozen));
    ui.starred.setAttribute("aria-pressed", String(starred));
    ui.present.dataset.part = String(part);
    ui.present.dataset.parts = String(parts.length);
    const inParts = parts.length > 1 ? ` · part ${part + 1} of ${parts.length}` : "";
    ui.place.textContent = `${all.indexOf(current) + 1} / ${all.length}${inParts}`;
    document.title = `${view.title || "Roundtable"} — report-back`;
  }

  /**
   * @param {string} screen
   * @param {number} [inPart] its part to show (the last one: Infinity)
   */
  function go(screen, inPart = 0) {
    current = screen;
    part = inPart;
    keepInAddress(screen);
    draw();
  }

  /**
   * Through a screen's parts first, then to the next or previous screen.
   * @param {string} key
   */
  function move(key) {
    if (!feed.view) return false;
    const target = moveFrom(screens(feed.view), current, key);
    if (target === null) return false;
    const step = direction(key);
    if (step === "next" && part < parts.length - 1) go(current, part + 1);
    else if (step === "previous" && part > 0) go(current, part - 1);
    else go(target, step === "previous" && target !== current ? Infinity : 0);
    return true;
  }

  function toggleStarred() {
    starred = !starred;
    draw();
  }

  function toggleFreeze() {
    if (session.role !== "lead" || !feed.view) return;
    const name = feed.view.frozen ? "unfreeze_report_back" : "freeze_report_back";
    const sent = socket.send({ type: "command", id: uuid4(), name, data: {} });
    say(sent ? "" : "Not connected: the freeze did not go out. Try again in a moment.");
  }

  function status() {
    const state = socket.refused ? "refused" : socket.open ? "live" : "reconnecting";
    ui.status.dataset.state = state;
    ui.present.dataset.state = state;
    ui.statusText.textContent = { refused: "Signed out", live: "Live", reconnecting: "Reconnecting…" }[state];
  }

  feed.addEventListener("rt:report-back", draw);
  socket.addEventListener("rt:open", status);
  socket.addEventListener("rt:close", status);
  socket.addEventListener("rt:refused", (event) => {
    status();
    say(/** @type {CustomEvent} */ (event).detail.message);
  });
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "error" && message.id !== null) say(`Not done: ${message.message}`);
  });

  addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const onButton = event.target instanceof HTMLButtonElement;
    if (onButton && (event.key === " " || event.key === "Enter")) return; // the button's own click
    if (event.key === "s" || event.key === "S") toggleStarred();
    else if (event.key === "f" || event.key === "F") toggleFreeze();
    else if (!move(event.key)) return;
    event.preventDefault();
  });
  ui.previous.addEventListener("click", () => move("ArrowLeft"));
  ui.next.addEventListener("click", () => move("ArrowRight"));
  ui.starred.addEventListener("click", toggleStarred);
  ui.freeze.addEventListener("click", toggleFreeze);
  ui.freeze.hidden = session.role !== "lead";
  addEventListener("resize", draw);
  presentVoting(socket, session);

  status();
  socket.connect();
}
