// @ts-check
/**
 * The table facilitator's tablet page: the table's topic, the questions as tabs, the comments
 * with their sub-bullets, the rotation and its countdown, and one large input.
 *
 * Every command goes into the persistent outbox before it is sent and leaves it only on its
 * ack, so nothing typed is lost to a Wi-Fi drop, a reload or a closed tab.
 *
 * This is the page's entry: it makes the parts and wires them. What is known lives in
 * `page.js`, the live protocol in `connection.js`, what typing does in `composer.js`, the
 * keys and taps in `controls.js`, and the drawing in `render.js` and `header.js`.
 */

import { ServerClock } from "./clock.js";
import { Composer } from "./composer.js";
import { Connection } from "./connection.js";
import { bindControls } from "./controls.js";
import { findElements } from "./elements.js";
import { renderClock, renderStatus } from "./header.js";
import { Outbox, requestPersistence } from "./outbox.js";
import { PageState } from "./page.js";
import { renderAnnouncement, renderComments, renderComposer, renderTabs } from "./render.js";
import { loadSession } from "./session.js";
import { LiveSocket, serverSocketUrl } from "./socket.js";

const ui = findElements();
const session = loadSession(new URLSearchParams(location.search).get("meeting"));

if (!session) {
  notJoined();
} else {
  start(session);
}

function notJoined() {
  ui.page.dataset.state = "not-joined";
  ui.status.dataset.state = "refused";
  ui.statusText.textContent = "Not joined";
  ui.signedOut.hidden = false;
  ui.signedOutText.textContent =
    "This tablet has not joined a table yet. Scan the QR code on your join sheet, or open its link.";
  ui.waitingText.hidden = true;
  ui.copy.hidden = true;
}

/**
 * Where the page is a secure context (HTTPS, or localhost), a service worker keeps its files,
 * so it opens, and takes points, with the server unreachable. Browsers allow none over plain
 * http on a LAN address: there the warning before leaving protects the facilitator.
 */
function keepForOffline() {
  if (!isSecureContext || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/table" }).catch(() => undefined);
}

/**
 * @param {import("./session.js").Session} session
 */
function start(session) {
  const outbox = new Outbox(`roundtable:outbox:${session.meeting_id}`);
  const clock = new ServerClock();
  const socket = new LiveSocket(serverSocketUrl(), session.token);
  const page = new PageState(session, outbox);

  requestPersistence();
  ui.tableName.textContent = `Table ${page.table}`;
  // For tests and for the curious: the live objects of this page.
  Object.assign(window, { roundtable: { socket, outbox, clock } });

  const status = () => renderStatus(ui, page, socket);
  const clockBar = () => renderClock(ui, page, clock);
  const connection = new Connection(ui, session, page, socket, clock, { all: render, clock: clockBar });
  const composer = new Composer(ui, page, connection, clock, render);
  /** @type {import("./render.js").Actions} */
  const actions = {
    choose: (id) => composer.choose(id),
    edit: (id) => composer.startEdit(id),
    move: (question) => composer.moveTo(question),
    star: (id, starred) => connection.send(starred ? "star_comment" : "unstar_comment", { comment_id: id }),
  };

  function render() {
    if (page.meeting && page.meeting.clock && page.meeting.clock.closed_at) connection.showClosed();
    const state = page.shown();
    composer.settle(state);
    renderTabs(ui, page, state, actions);
    renderComments(ui, page, state, actions);
    renderComposer(ui, page, state, actions);
    renderAnnouncement(ui, page);
    status();
    clockBar();
  }

  bindControls(ui, composer);
  ui.announcementDismiss.addEventListener("click", () => {
    page.dismissAnnouncement();
    render();
    ui.draft.focus();
  });
  connection.listen();
  addEventListener("online", status);
  addEventListener("offline", status);
  // Leaving or reloading with points waiting asks first: over plain http there is no service
  // worker, and a page reloaded with the Wi-Fi down is the browser's "no internet" page.
  addEventListener("beforeunload", (event) => {
    if (!outbox.size) return;
    event.preventDefault();
    event.returnValue = "";
  });
  keepForOffline();
  setInterval(clockBar, 250);

  render();
  socket.connect();
  ui.draft.focus();
}
