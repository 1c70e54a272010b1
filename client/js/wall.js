// @ts-check
/**
 * The projected wall: what the room reads on the projector while the tables talk, from the
 * back of the room. Read-only: the clock and the rotation, large; one topic at a time with its
 * themes and how many comments and tables back each (`wall_pages.js`), the pages turning on a
 * calm rhythm (→ and ← turn them by hand); the few raw comments the lead lets on the wall
 * (`wall_quotes.js`, none by default); and, when the lead holds the wall for the
 * presentations, a hold screen with only the meeting and the time. When the report-back
 * begins, the screen switches to the presentation page (`phase_switch.js`).
 *
 * Signed in with an observer's link (`/wall#meeting=…&signin=…`, from the lead's page or
 * `roundtable link --role observer`) or the lead's stored token. The page holds the meeting as
 * `wall_model.js` folds it; this entry wires the socket to it and draws, once per frame at
 * most, again only when what the room would see changed.
 */

import { ServerClock } from "./clock.js";
import { byId } from "./dom.js";
import { switchToPresentation } from "./phase_switch.js";
import { signIn } from "./signin.js";
import { LiveSocket, serverSocketUrl } from "./socket.js";
import { wallVoting } from "./wall_voting.js";
import { cellsOf } from "./wall_board.js";
import { drawClock, drawHead } from "./wall_head.js";
import { WallModel } from "./wall_model.js";
import { paginate, showPage } from "./wall_pages.js";
import { drawQuotes, onWall } from "./wall_quotes.js";

/** How long a page stays up before the next: long enough to read it through, calmly. */
const PAGE_MS = 15000;

const ui = {
  wall: byId("wall"),
  title: byId("title"),
  status: byId("status"),
  statusText: byId("status-text"),
  clock: byId("clock"),
  phase: byId("phase"),
  countdown: byId("countdown"),
  moment: byId("moment"),
  message: byId("message"),
  board: byId("board"),
  pageHead: byId("page-head"),
  pageBody: byId("page-body"),
  quotes: byId("quotes"),
  quoteList: byId("quote-list"),
  hold: byId("hold"),
  holdTitle: byId("hold-title"),
  holdSub: byId("hold-sub"),
  holdTime: byId("hold-time"),
  holdPhase: byId("hold-phase"),
};

const { session, error } = await signIn(new URLSearchParams(location.search).get("meeting"), "projected wall");
if (!session) {
  ui.wall.dataset.state = "not-signed-in";
  ui.hold.hidden = false;
  ui.holdTitle.textContent = "This screen is not signed in";
  ui.holdSub.textContent =
    error || "Open the wall with an observer's sign-in link: on the lead's page, or with roundtable link --role observer.";
  ui.status.hidden = true;
} else {
  start(session);
}

/** @param {import("./session.js").Session} session */
function start(session) {
  const socket = new LiveSocket(serverSocketUrl(), session.token);
  const clock = new ServerClock();
  /** @type {WallModel | null} */
  let model = null;
  let scheduled = false;
  /** What the board and the quotes were last laid out from; "" lays them out again. */
  let drawn = "";
  /** @type {import("./wall_pages.js").Page[]} */
  let pages = [];
  let index = 0;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let turner;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let pinger;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let meetingRefresh;
  // For tests and for the curious: the live objects of this page.
  Object.assign(window, { roundtable: { socket, clock, model: () => model } });

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(draw);
  }

  function draw() {
    scheduled = false;
    if (!model) return;
    drawHead(ui, model.meeting, model.announcements, clock.now());
    if (!model.announcements.wall_held) {
      const all = model.comments();
      const cells = cellsOf(model, all);
      const quotes = onWall(model, all, model.serverNow(clock.now() * 1000));
      const json = JSON.stringify([cells, quotes, innerWidth, innerHeight]);
      if (json !== drawn) {
        const topic = pages[index]?.cell.key;
        const page = pages[index]?.page ?? 1;
        drawQuotes(ui.quotes, ui.quoteList, quotes);
        pages = paginate(ui, cells);
        // stay on the topic (and its page, if it still has it) the room is reading
        const same = pages.findIndex((p) => p.cell.key === topic && p.page === Math.min(page, p.pages));
        index = Math.max(0, same);
        showPage(ui, pages, index);
        drawn = json;
      }
    } else {
      drawn = ""; // the board was not laid out: lay it out when it shows again
    }
    ui.wall.dataset.position = String(socket.position ?? 0);
    ui.wall.dataset.themesVersion = String(model.outline.version);
    status();
  }

  /** @param {number} step +1: the next page of the cycle; -1: the one before */
  function turn(step) {
    if (pages.length === 0) return;
    index = (index + step + pages.length) % pages.length;
    showPage(ui, pages, index);
  }

  function restartTurning() {
    clearInterval(turner);
    turner = setInterval(() => turn(1), PAGE_MS);
  }

  function status() {
    const state = socket.refused ? "refused" : socket.open && model ? "live" : "reconnecting";
    ui.status.dataset.state = state;
    ui.wall.dataset.state = state;
    ui.statusText.textContent = { refused: "Signed out", live: "Live", reconnecting: "Reconnecting…" }[state];
  }

  /** Measure the clock's offset afresh: three pings now, then one a minute. */
  function syncClock() {
    clearInterval(pinger);
    clock.forget();
    socket.ping();
    setTimeout(() => socket.ping(), 400);
    setTimeout(() => socket.ping(), 1200);
    pinger = setInterval(() => socket.ping(), 60000);
  }

  /** The meeting view again after a clock event (once for a burst). */
  function refreshMeeting() {
    clearTimeout(meetingRefresh);
    meetingRefresh = setTimeout(async () => {
      try {
        const response = await fetch(`/api/meetings/${encodeURIComponent(session.meeting_id)}`, {
          headers: { Authorization: `Bearer ${session.token}` },
          cache: "no-store",
        });
        if (response.ok && model) {
          model.meeting = await response.json();
          schedule();
        }
      } catch {
        // offline: the next event or the state after a reconnect brings it
      }
    }, 150);
  }

  /** @param {any} message */
  function onMessage(message) {
    switch (message.type) {
      case "welcome":
        clock.roughly(message.server_time);
        syncClock();
        break;
      case "state":
        model = new WallModel(message.views);
        drawn = "";
        break;
      case "event": {
        if (!model) return;
        if (model.apply(message).kind === "meeting") refreshMeeting();
        break;
      }
      case "themes":
        if (!model) return;
        model.setThemes(message);
        break;
      case "pong":
        clock.pong(message.client_time, message.server_time);
        return;
      default:
        return;
    }
    schedule();
  }

  socket.addEventListener("rt:message", (event) => onMessage(/** @type {CustomEvent} */ (event).detail));
  socket.addEventListener("rt:open", status);
  socket.addEventListener("rt:close", status);
  socket.addEventListener("rt:refused", status);
  switchToPresentation(socket, session.meeting_id);
  wallVoting(socket, session);
  addEventListener("resize", schedule);
  addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (step === undefined || model?.announcements.wall_held) return;
    event.preventDefault();
    turn(step);
    restartTurning();
  });
  setInterval(() => {
    if (model) drawClock(ui, model.meeting, clock.now());
  }, 250);
  // a quote whose time has come (under "after N minutes")
  setInterval(schedule, 1000);
  restartTurning();

  status();
  socket.connect();
}
