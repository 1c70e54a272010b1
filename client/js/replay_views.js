// @ts-check
/**
 * What the replay page shows of the meeting at a moment, from the views the server rendered
 * for it (the same renderers the live screens get): the theme wall as the projector drew it
 * (`wall_board.js`), one table's comments per question, the report-back as presented
 * (`present_view.js`), the room's vote as the presentation showed it (`voting_view.js`: its
 * counts grow as the phones' dots came in), and the history of one comment or theme. Text goes
 * in as text.
 */

import { el } from "./dom.js";
import { ACROSS, OVERVIEW, screens } from "./present_keys.js";
import { drawScreen, fit } from "./present_view.js";
import { localTime } from "./replay_time.js";
import { cellsOf, drawBoard } from "./wall_board.js";
import { votingPanel } from "./voting_view.js";
import { WallModel } from "./wall_model.js";

/**
 * @typedef {Object} Pick what the person asked the history of
 * @property {"comment" | "theme"} kind
 * @property {string} id
 * @property {number} [table]
 * @property {string} label what it is called in the history's title
 */

/** @type {import("./wall_board.js").Fresh} nothing is "new" in a replay */
const STILL = { comments: new Map(), themes: new Map() };

/**
 * The theme wall as the projector drew it at this moment; its themes and quotes can be picked.
 * @param {HTMLElement} board
 * @param {any} views
 */
export function drawWall(board, views) {
  const model = new WallModel(views);
  drawBoard(board, cellsOf(model, model.comments()), STILL, true);
  // Each theme title and quote holds a button (the list stays a list), for the keyboard too.
  for (const node of board.querySelectorAll(".theme-title, .quote, .loose-item")) {
    node.replaceChildren(el("button", { type: "button", class: "pick", dir: "auto", text: node.textContent || "" }));
  }
}

/**
 * What a click or Enter on the wall picks, if anything.
 * @param {Element} target
 * @returns {Pick | null}
 */
export function pickOnWall(target) {
  const quote = target.closest("[data-ref]");
  if (quote instanceof HTMLElement && quote.dataset.ref) {
    const [table, ...rest] = quote.dataset.ref.split("/");
    return { kind: "comment", table: Number(table), id: rest.join("/"), label: quote.textContent || "" };
  }
  const theme = target.closest(".theme");
  if (theme instanceof HTMLElement && theme.dataset.theme && target.closest(".theme-title")) {
    const name = theme.querySelector(".theme-title")?.textContent || theme.dataset.theme;
    return { kind: "theme", id: theme.dataset.theme, label: name };
  }
  return null;
}

/**
 * One table's comments per question, as they stood; each comment can be picked.
 * @param {HTMLElement} box
 * @param {any} views
 * @param {number} number
 */
export function drawTable(box, views, number) {
  const view = views.tables[String(number)];
  const prompts = new Map(views.meeting.questions.map((/** @type {any} */ q) => [q.id, q.prompt]));
  const table = views.meeting.tables.find((/** @type {any} */ t) => t.number === number);
  /** @param {any} c @param {boolean} child */
  const item = (c, child) =>
    el("li", { class: child ? "rc rc-child" : "rc", "data-comment": c.id }, [
      el("button", { type: "button", class: "rc-text", "data-table": String(number), "data-comment": c.id, dir: "auto", text: c.text }),
      el("span", { class: "rc-marks", text: marks(c) }),
      !child && c.children && c.children.length
        ? el("ul", { class: "rc-children" }, c.children.map((/** @type {any} */ k) => item(k, true)))
        : null,
    ]);
  const sections = (view ? view.questions : []).map((/** @type {any} */ q) =>
    el("section", { class: "rq", "data-question": q.question }, [
      el("h3", { text: prompts.get(q.question) || q.question }),
      q.comments.length
        ? el("ol", { class: "rc-list" }, q.comments.map((/** @type {any} */ c) => item(c, false)))
        : el("p", { class: "empty", text: "No comments yet." }),
    ]),
  );
  box.replaceChildren(
    el("h2", { class: "replay-h2", text: `Table ${number}${table && table.topic_title ? `: ${table.topic_title}` : ""}` }),
    ...(sections.length ? sections : [el("p", { class: "empty", text: "Nothing typed at this table yet." })]),
  );
}

/**
 * @param {any} c a rendered comment
 * @returns {string}
 */
function marks(c) {
  return [
    c.rotation !== null && c.rotation !== undefined ? `R${c.rotation}` : "",
    c.late ? "late" : "",
    c.edited ? "edited" : "",
    c.starred ? "★" : "",
  ].filter(Boolean).join(" · ");
}

/**
 * How many live comments the views hold (every table).
 * @param {any} views
 * @returns {number}
 */
export function liveComments(views) {
  let n = 0;
  for (const view of Object.values(views.tables || {})) {
    for (const q of /** @type {any} */ (view).questions) {
      for (const c of q.comments) n += 1 + (c.children ? c.children.length : 0);
    }
  }
  return n;
}

/**
 * The report-back as the presentation page drew it; its topics are buttons to their screens.
 * @param {HTMLElement} stage
 * @param {any} view
 * @param {string} screen
 * @param {(screen: string) => void} go
 */
export function drawReport(stage, view, screen, go) {
  const all = screens(view);
  const shown = all.includes(screen) ? screen : OVERVIEW;
  const nav = el(
    "nav",
    { class: "report-nav", "aria-label": "Report-back screens" },
    all.map((s) => {
      const name = s === OVERVIEW ? "Overview" : s === ACROSS ? "Across topics" : topicTitle(view, s);
      const button = el("button", { type: "button", "aria-pressed": String(s === shown), text: name });
      button.addEventListener("click", () => go(s));
      return button;
    }),
  );
  const screenBox = el("div", { class: "report-screen" }, [drawScreen(view, shown, { starred: true, go })]);
  stage.replaceChildren(nav, screenBox);
  fit(screenBox);
}

/**
 * @param {any} view
 * @param {string} screen
 * @returns {string}
 */
function topicTitle(view, screen) {
  const topic = (view.topics || []).find((/** @type {any} */ t) => `topic:${t.topic}` === screen);
  return topic ? topic.title : screen;
}

/**
 * A thing's history in people's words: each change, when (the meeting's local time; a button
 * that replays from there), who made it, and what it did (`said`, with theme titles and
 * comment texts: projections/history_words.py).
 * @param {HTMLElement} list
 * @param {any} body the history endpoint's body
 * @param {string} timeZone
 * @param {(instant: number) => void} go a change's time moves the replay there
 */
export function drawHistory(list, body, timeZone, go) {
  if (!body.changes.length) {
    list.replaceChildren(el("li", { class: "empty", text: "No changes recorded." }));
    return;
  }
  list.replaceChildren(
    ...body.changes.map((/** @type {any} */ change) => {
      const time = localTime(change.recorded_at, timeZone);
      const when = el("button", {
        type: "button",
        class: "when",
        title: "Replay from this change",
        "aria-label": `${time}: replay from this change`,
        text: time,
      });
      when.addEventListener("click", () => go(change.recorded_at));
      return el("li", { class: "change", "data-position": String(change.position), "data-event": change.event_type }, [
        when,
        el("p", { class: "said" }, [
          el("strong", { class: "who", text: change.who || "someone" }),
          " ",
          el("span", { class: "what", dir: "auto", text: change.said }),
        ]),
      ]);
    }),
  );
}

/**
 * The room's vote at this moment, as the presentation showed it (without the QR code).
 * @param {HTMLElement} stage
 * @param {import("./voting_view.js").Voting} voting
 */
export function drawVote(stage, voting) {
  const parts = voting.round === null ? [el("p", { text: "No vote yet at this moment." })] : votingPanel(voting, null);
  stage.replaceChildren(...parts);
  stage.dataset.open = String(voting.open);
  stage.dataset.phones = String(voting.counts?.phones ?? "");
}
