// @ts-check
/**
 * The projected wall: what the room sees on the projector while the tables talk. Read-only:
 * the clock and the rotation, large; the lead's themes per topic and question with their
 * counts and newest comments; the newest comments as they arrive, briefly highlighted; how many
 * comments each table gave in each rotation; and, when the lead holds the wall for the
 * presentations, a hold screen with only the meeting and the time. When the report-back begins,
 * the screen switches to the presentation page (`phase_switch.js`).
 *
 * Signed in with an observer's link (`/wall#meeting=…&signin=…`, from the lead's page or
 * `roundtable link --role observer`) or the lead's stored token. The page holds the meeting as
 * `wall_model.js` folds it; this entry wires the socket to it and draws, once per frame at
 * most: the board in `wall_board.js`, the side in `wall_side.js`, the clock in `wall_head.js`.
 */

import { ServerClock } from "./clock.js";
import { byId } from "./dom.js";
import { switchToPresentation } from "./phase_switch.js";
import { signIn } from "./signin.js";
import { LiveSocket, serverSocketUrl } from "./socket.js";
import { FRESH_MS, cellsOf, drawBoard } from "./wall_board.js";
import { drawClock, drawHead } from "./wall_head.js";
import { WallModel, refKey } from "./wall_model.js";
import { drawFeed, drawTally } from "./wall_side.js";

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
  feed: byId("feed"),
  feedBox: /** @type {HTMLElement} */ (byId("feed").parentElement),
  tally: byId("tally"),
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
  /** @type {import("./wall_board.js").Fresh} */
  const fresh = { comments: new Map(), themes: new Map() };
  let scheduled = false;
  let refit = true;
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
    const now = performance.now();
    for (const map of [fresh.comments, fresh.themes]) {
      for (const [key, at] of map) if (now - at > FRESH_MS) map.delete(key);
    }
    const all = model.comments();
    drawHead(ui, model.meeting, model.announcements, clock.now());
    if (!model.announcements.wall_held) {
      drawBoard(ui.board, cellsOf(model, all), fresh, refit);
      drawTally(ui.tally, model, all); // first: the feed gets the room the counts leave
      drawFeed(ui.feed, ui.feedBox, model, all, fresh);
      refit = false;
    } else {
      refit = true; // the board was not laid out: fit it when it shows again
    }
    ui.wall.dataset.position = String(socket.position ?? 0);
    ui.wall.dataset.themesVersion = String(model.outline.version);
    status();
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
        refit = true;
        break;
      case "event": {
        if (!model) return;
        const change = model.apply(message);
        if (change.kind === "comment" && change.type === "CommentAdded" && change.table !== undefined && change.id) {
          fresh.comments.set(refKey(change.table, change.id), performance.now());
        }
        if (change.kind === "meeting") refreshMeeting();
        break;
      }
      case "themes": {
        if (!model) return;
        const before = new Map(model.outline.themes.map((t) => [t.id, t.comments.length]));
        model.setThemes(message);
        for (const theme of model.outline.themes) {
          if (theme.comments.length > (before.get(theme.id) ?? -1)) fresh.themes.set(theme.id, performance.now());
        }
        break;
      }
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
  addEventListener("resize", () => {
    refit = true;
    schedule();
  });
  setInterval(() => {
    if (model) drawClock(ui, model.meeting, clock.now());
  }, 250);
  setInterval(schedule, 30000); // a message from the lead leaves the wall after a while

  status();
  socket.connect();
}
