// @ts-check
/**
 * The replay page (staff and the lead): the evening again, at any moment. A timeline of the
 * evening with its phases and rotation boundaries, a scrubber, play at 1×, 10× or 60× the
 * evening's real pace, jumps to the previous or next event or boundary; the theme wall, any
 * table and the report-back as they were; comments per minute per table; and the history of
 * one comment or theme.
 *
 * The moment is an instant; the page maps it to a position with the timeline's events and asks
 * the server for the views at that position (`…/replay/views?position=N`): one request at a
 * time, the latest moment wins, answers kept for a while. The address keeps the moment
 * (`?meeting=ID&at=19:20:05`, or `&position=N` after an event jump), so a link opens there;
 * `?at=19:35` is the meeting's local time. Keys: see `replay.html` ("Keys").
 */

import { byId } from "./dom.js";
import { drawActivity, drawTimeline, moveCursors } from "./replay_chart.js";
import { Timeline } from "./replay_time.js";
import { drawHistory, drawReport, drawTable, drawVote, drawWall, liveComments, pickOnWall } from "./replay_views.js";
import { OVERVIEW } from "./present_keys.js";
import { signIn } from "./signin.js";

const ui = {
  root: byId("replay"),
  title: byId("title"),
  time: byId("clock-time"),
  where: byId("where"),
  error: byId("error"),
  play: byId("play"),
  scrubber: /** @type {HTMLInputElement} */ (byId("scrubber")),
  timeline: byId("timeline"),
  chart: byId("chart"),
  chartTable: byId("chart-table"),
  view: /** @type {HTMLSelectElement} */ (byId("view")),
  count: byId("count"),
  wallBox: byId("wall-box"),
  board: byId("board"),
  tableBox: byId("table-box"),
  reportBox: byId("report-box"),
  stage: byId("stage"),
  voteBox: byId("vote-box"),
  voteStage: byId("vote-stage"),
  history: byId("history"),
  historyTitle: byId("history-title"),
  historyList: byId("history-list"),
  goto: /** @type {HTMLFormElement} */ (byId("goto")),
  gotoTime: /** @type {HTMLInputElement} */ (byId("goto-time")),
  keys: byId("keys"),
  keysHelp: byId("keys-help"),
};

const SECOND = 1_000_000;
const KEPT = 60;

const query = new URLSearchParams(location.search);
const { session, error } = await signIn(query.get("meeting"), "replay");
if (!session) {
  fail(error || "Open the replay with a staff or lead sign-in link.");
} else {
  start(session).catch((/** @type {any} */ e) => fail(String(e && e.message ? e.message : e)));
}

/** @param {string} text */
function fail(text) {
  ui.root.dataset.state = "error";
  ui.error.hidden = false;
  ui.error.textContent = text;
}

/** @param {import("./session.js").Session} session */
async function start(session) {
  const meeting = encodeURIComponent(session.meeting_id);
  const headers = { Authorization: `Bearer ${session.token}` };
  /** @param {string} path */
  async function get(path) {
    const response = await fetch(`/api/meetings/${meeting}${path}`, { headers, cache: "no-store" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || `${response.status}`);
    return body;
  }

  const timeline = new Timeline(await get("/replay/timeline"));
  ui.title.textContent = `${timeline.data.title} — replay`;
  document.title = `Replay — ${timeline.data.title}`;

  let instant = timeline.last;
  let speed = 60;
  let playing = false;
  /** @type {number | null} position asked for; null: nothing yet */
  let wanted = null;
  let fetching = false;
  /** @type {Map<number, any>} views by position, the most recent last */
  const kept = new Map();
  /** @type {any} */
  let views = null;
  let shownPosition = -1;
  let screen = OVERVIEW;
  let addressByPosition = false;
  /** @type {import("./replay_views.js").Pick | null} */
  let picked = null;

  // The view picker: the wall, each table, the report-back, the room's vote.
  ui.view.replaceChildren(
    new Option("Theme wall", "wall"),
    ...timeline.data.tables.map((/** @type {any} */ t) => new Option(`Table ${t.number}: ${t.topic_title || ""}`, `table:${t.number}`)),
    new Option("Report-back", "report"),
    new Option("The room's vote", "vote"),
  );
  const asked = query.get("view");
  if (asked && [...ui.view.options].some((o) => o.value === asked)) ui.view.value = asked;

  ui.scrubber.min = "0";
  ui.scrubber.max = String(Math.ceil((timeline.last - timeline.first) / SECOND));
  ui.scrubber.disabled = false;
  drawTimeline(ui.timeline, timeline, (at) => moveTo(at));
  drawActivity(ui.chart, ui.chartTable, timeline);
  Object.assign(window, { roundtable: { timeline, views: () => views, moment: () => instant } });

  // Where to open: ?position=N, ?at=HH:MM[:SS] (asked of the server), else the end.
  if (query.get("position")) {
    const at = timeline.instantOf(Number(query.get("position")));
    if (at !== null) {
      instant = at;
      addressByPosition = true;
    }
  } else if (query.get("at")) {
    try {
      const body = await get(`/replay/views?at=${encodeURIComponent(String(query.get("at")))}`);
      remember(body.position, body.views);
      instant = timeline.clamp(body.at);
    } catch (e) {
      fail(`?at=${query.get("at")}: ${/** @type {any} */ (e).message}`);
    }
  }
  moveTo(instant, addressByPosition);

  /**
   * @param {number} position
   * @param {any} body
   */
  function remember(position, body) {
    kept.delete(position);
    kept.set(position, body);
    while (kept.size > KEPT) kept.delete(/** @type {number} */ (kept.keys().next().value));
  }

  /**
   * Show `at`: the time, the scrubber, the cursors and the address at once; the views when
   * the server has answered.
   * @param {number} at
   * @param {boolean} [byPosition] the address names the position (an event jump)
   */
  function moveTo(at, byPosition = false) {
    instant = timeline.clamp(at);
    addressByPosition = byPosition;
    const position = timeline.positionAt(instant);
    ui.time.textContent = timeline.local(instant);
    ui.where.textContent = `position ${position} of ${timeline.data.last.position} · ${timeline.countAt(instant)} of ${timeline.events.length} events`;
    ui.scrubber.value = String(Math.round((instant - timeline.first) / SECOND));
    ui.scrubber.setAttribute("aria-valuetext", `${timeline.local(instant)}, position ${position}`);
    ui.root.dataset.instant = String(instant);
    ui.root.dataset.wanted = String(position);
    moveCursors(timeline, instant);
    address(position);
    wanted = position;
    fetchViews();
  }

  /** @param {number} position */
  function address(position) {
    const params = new URLSearchParams({ meeting: session.meeting_id });
    if (addressByPosition) params.set("position", String(position));
    else params.set("at", timeline.local(instant));
    if (ui.view.value !== "wall") params.set("view", ui.view.value);
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }

  /** One request at a time; when it answers, the latest moment asked for is fetched next. */
  async function fetchViews() {
    if (fetching || wanted === null) return;
    const position = wanted;
    const known = kept.get(position);
    if (known) {
      show(position, known);
      if (wanted !== position) fetchViews();
      return;
    }
    fetching = true;
    try {
      const body = await get(`/replay/views?position=${position}`);
      remember(position, body.views);
      if (wanted === position) show(position, body.views);
    } catch (e) {
      fail(/** @type {any} */ (e).message);
    } finally {
      fetching = false;
    }
    if (wanted !== position) fetchViews();
  }

  /**
   * @param {number} position
   * @param {any} shownViews
   */
  function show(position, shownViews) {
    views = shownViews;
    if (position !== shownPosition) draw();
    shownPosition = position;
    ui.root.dataset.position = String(position);
    ui.root.dataset.comments = String(liveComments(views));
    ui.root.dataset.state = "ready";
    ui.count.textContent = `${liveComments(views)} comments at this moment`;
  }

  function draw() {
    if (!views) return;
    const choice = ui.view.value;
    ui.wallBox.hidden = choice !== "wall";
    ui.tableBox.hidden = !choice.startsWith("table:");
    ui.reportBox.hidden = choice !== "report";
    ui.voteBox.hidden = choice !== "vote";
    if (choice === "wall") drawWall(ui.board, views);
    else if (choice === "report") drawReport(ui.stage, views.report_back, screen, go);
    else if (choice === "vote") drawVote(ui.voteStage, views.voting);
    else drawTable(ui.tableBox, views, Number(choice.split(":")[1]));
    ui.root.dataset.view = choice;
  }

  /** @param {string} next a report-back screen */
  function go(next) {
    screen = next;
    draw();
  }

  // Play: the evening's time runs at `speed` times real time; each frame moves the moment.
  let lastFrame = 0;
  /** @param {number} now */
  function frame(now) {
    if (!playing) return;
    const elapsed = lastFrame ? now - lastFrame : 0;
    lastFrame = now;
    const next = instant + elapsed * 1000 * speed;
    if (next >= timeline.last) {
      moveTo(timeline.last);
      setPlaying(false);
      return;
    }
    moveTo(next);
    requestAnimationFrame(frame);
  }

  /** @param {boolean} on */
  function setPlaying(on) {
    if (on && instant >= timeline.last) instant = timeline.first;
    playing = on;
    lastFrame = 0;
    ui.root.dataset.playing = String(on);
    ui.play.setAttribute("aria-pressed", String(on));
    ui.play.textContent = on ? "⏸ Pause" : "▶ Play";
    if (on) requestAnimationFrame(frame);
  }

  /** @param {number} value */
  function setSpeed(value) {
    speed = value;
    ui.root.dataset.speed = String(value);
    for (const button of document.querySelectorAll(".speed")) {
      button.setAttribute("aria-checked", String(Number(/** @type {HTMLElement} */ (button).dataset.speed) === value));
    }
  }
  setSpeed(speed);

  /** @param {1 | -1} direction */
  const stepEvent = (direction) => {
    const at = timeline.stepEvent(instant, direction);
    moveTo(at, true);
  };
  /** @param {1 | -1} direction */
  const stepBoundary = (direction) => moveTo(timeline.stepBoundary(instant, direction));

  ui.play.addEventListener("click", () => setPlaying(!playing));
  byId("prev-event").addEventListener("click", () => stepEvent(-1));
  byId("next-event").addEventListener("click", () => stepEvent(1));
  byId("prev-boundary").addEventListener("click", () => stepBoundary(-1));
  byId("next-boundary").addEventListener("click", () => stepBoundary(1));
  for (const button of document.querySelectorAll(".speed")) {
    button.addEventListener("click", () => setSpeed(Number(/** @type {HTMLElement} */ (button).dataset.speed)));
  }
  ui.scrubber.addEventListener("input", () => {
    moveTo(timeline.first + Number(ui.scrubber.value) * SECOND);
  });
  ui.view.addEventListener("change", () => {
    draw();
    address(timeline.positionAt(instant));
  });
  ui.keysHelp.addEventListener("click", () => {
    ui.keys.hidden = !ui.keys.hidden;
    ui.keysHelp.setAttribute("aria-expanded", String(!ui.keys.hidden));
  });
  ui.goto.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = ui.gotoTime.value.trim();
    if (!text) return;
    try {
      const body = await get(`/replay/views?at=${encodeURIComponent(text)}`);
      remember(body.position, body.views);
      ui.error.hidden = true;
      moveTo(body.at);
    } catch (e) {
      ui.error.hidden = false;
      ui.error.textContent = /** @type {any} */ (e).message;
    }
  });

  // History of one thing: a comment (table view or wall) or a theme (wall).
  /** @param {import("./replay_views.js").Pick} pick */
  async function openHistory(pick) {
    picked = pick;
    const path = pick.kind === "comment"
      ? `/history?table=${pick.table}&comment=${encodeURIComponent(pick.id)}`
      : `/history?theme=${encodeURIComponent(pick.id)}`;
    ui.history.hidden = false;
    ui.history.dataset.state = "loading";
    ui.historyTitle.textContent = `History of ${pick.kind === "comment" ? `a comment at table ${pick.table}` : "a theme"}: “${pick.label}”`;
    try {
      const body = await get(path);
      if (picked !== pick) return;
      drawHistory(ui.historyList, body, timeline.timeZone, (at) => moveTo(at));
      ui.history.dataset.state = "ready";
      ui.history.dataset.changes = String(body.changes.length);
      ui.history.focus();
    } catch (e) {
      ui.history.dataset.state = "error";
      ui.historyList.textContent = /** @type {any} */ (e).message;
    }
  }
  function closeHistory() {
    picked = null;
    ui.history.hidden = true;
  }
  byId("history-close").addEventListener("click", closeHistory);
  ui.tableBox.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest("button[data-comment]");
    if (button instanceof HTMLElement) {
      openHistory({
        kind: "comment",
        table: Number(button.dataset.table),
        id: String(button.dataset.comment),
        label: button.textContent || "",
      });
    }
  });
  /** @param {Event} event */
  const onWall = (event) => {
    const pick = pickOnWall(/** @type {Element} */ (event.target));
    if (pick) openHistory(pick);
  };
  ui.board.addEventListener("click", onWall);
  ui.board.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLButtonElement) return; // its own click
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onWall(event);
    }
  });

  /** @type {Record<string, () => void>} */
  const KEYS = {
    " ": () => setPlaying(!playing),
    k: () => setPlaying(!playing),
    1: () => setSpeed(1),
    2: () => setSpeed(10),
    3: () => setSpeed(60),
    ArrowLeft: () => stepEvent(-1),
    ArrowRight: () => stepEvent(1),
    "[": () => stepBoundary(-1),
    "]": () => stepBoundary(1),
    "Shift+ArrowLeft": () => stepBoundary(-1),
    "Shift+ArrowRight": () => stepBoundary(1),
    PageUp: () => moveTo(instant - 300 * SECOND),
    PageDown: () => moveTo(instant + 300 * SECOND),
    Home: () => moveTo(timeline.first),
    End: () => moveTo(timeline.last),
    g: () => ui.gotoTime.focus(),
    w: () => pickView("wall"),
    t: () => pickView(ui.view.value.startsWith("table:") ? ui.view.value : "table:1"),
    r: () => pickView("report"),
    "?": () => ui.keysHelp.click(),
    Escape: closeHistory,
  };
  /** @param {string} value */
  function pickView(value) {
    if (![...ui.view.options].some((o) => o.value === value)) return;
    ui.view.value = value;
    ui.view.dispatchEvent(new Event("change"));
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target.matches("input[type=text], select, textarea");
    if (typing && event.key !== "Escape") return;
    const onButton = target.matches("button, [role=button]");
    if (onButton && (event.key === " " || event.key === "Enter")) return; // the button's own action
    const name = event.shiftKey && event.key.startsWith("Arrow") ? `Shift+${event.key}` : event.key;
    const action = KEYS[name] ?? KEYS[name.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
