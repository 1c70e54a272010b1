// @ts-check
/**
 * Drawing the report-back for the projector: the overview (every topic and question, how many
 * key themes and comments each has), one screen per topic with its questions side by side,
 * and the key themes across topics. Each key theme shows how many comments, tables and
 * rotations back it; with `starred` on, the comments the facilitators starred are quoted under
 * it. An empty section says why it is empty. Every text goes in as text (`dom.js`), never markup.
 */

import { el } from "./dom.js";
import { ACROSS, OVERVIEW } from "./present_keys.js";

/**
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 * @returns {string} e.g. "1 table", "3 tables"
 */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * @param {{count: number, tables: any[], rotations: any[]}} support
 * @returns {string} e.g. "8 comments · 1 table · 3 rotations"
 */
export function supportText(support) {
  const rotations = support.rotations.filter((/** @type {any} */ r) => r.rotation !== null).length;
  return [
    plural(support.count, "comment"),
    plural(support.tables.length, "table"),
    ...(rotations ? [plural(rotations, "rotation")] : []),
  ].join(" · ");
}

/**
 * Why a section has no key themes, in words.
 * @param {any} section
 * @param {any} view
 * @returns {string}
 */
export function emptyText(section, view) {
  if (section.status === "no_comments") return "No comments on this question.";
  const said = `${plural(section.count, "comment")} from ${plural(section.tables.length, "table")}`;
  return view.status === "closed" ? `No key themes were chosen (${said}).` : `No key themes chosen yet (${said}).`;
}

/**
 * How far the roundtables got, when it matters to the room; or "".
 * @param {any} view
 * @returns {string}
 */
export function progressText(view) {
  const r = view.rotations;
  if (!r) return "";
  if (r.running) return `The roundtables are still on: rotation ${r.held} of ${r.planned}.`;
  if (r.skipped) return `The roundtables ended early, after ${plural(r.held, "rotation")} of ${r.planned}.`;
  return "";
}

/**
 * @typedef {Object} ScreenOptions
 * @property {boolean} starred quote the starred comments
 * @property {(screen: string) => void} go
 * @property {[number, number]} [part] only the sections from..to (a screen in parts)
 */

/**
 * @param {any} view
 * @param {string} screen
 * @returns {any[]} the sections a screen shows side by side (none: the overview)
 */
export function sectionsOf(view, screen) {
  if (screen === ACROSS) return view.across_topics || [];
  const topic = (view.topics || []).find((/** @type {any} */ t) => `topic:${t.topic}` === screen);
  return topic ? topic.questions : [];
}

/**
 * @param {any} view
 * @param {string} screen
 * @param {ScreenOptions} options
 * @returns {HTMLElement}
 */
export function drawScreen(view, screen, options) {
  const [from, to] = options.part ?? [0, Infinity];
  if (screen === ACROSS) {
    const sections = view.across_topics.slice(from, to);
    return page("across", "Across topics", "Key themes heard at several topics' tables", sections, view, options);
  }
  const topic = (view.topics || []).find((/** @type {any} */ t) => `topic:${t.topic}` === screen);
  if (!topic) return overview(view, options.go);
  const numbers = topic.table_numbers;
  const where = `${numbers.length === 1 ? "Table" : "Tables"} ${numbers.join(", ")}`;
  return page(screen, topic.title, where, topic.questions.slice(from, to), view, options);
}

/**
 * @param {any} view
 * @param {(screen: string) => void} go
 * @returns {HTMLElement}
 */
function overview(view, go) {
  const questions = view.topics.length ? view.topics[0].questions.filter((/** @type {any} */ q) => q.question) : [];
  const head = el("tr", {}, [
    el("th", { scope: "col", text: "Topic" }),
    ...questions.map((/** @type {any} */ q) => el("th", { scope: "col", text: q.prompt || q.question })),
  ]);
  const rows = view.topics.map((/** @type {any} */ topic) => {
    const open = el("button", { type: "button", class: "topic-link", text: topic.title });
    open.addEventListener("click", () => go(`topic:${topic.topic}`));
    return el("tr", { "data-topic": topic.topic }, [
      el("th", { scope: "row" }, [open]),
      ...topic.questions
        .filter((/** @type {any} */ q) => q.question)
        .map((/** @type {any} */ q) =>
          el("td", { "data-status": q.status, "data-question": q.question }, [
            el("strong", { class: "cell-count", text: q.key_themes.length ? plural(q.key_themes.length, "key theme") : "—" }),
            el("span", { class: "cell-support", text: q.count ? plural(q.count, "comment") : "no comments" }),
          ]),
        ),
    ]);
  });
  return el("section", { class: "screen overview", "data-screen": OVERVIEW }, [
    el("header", { class: "screen-head" }, [
      el("h1", { text: "Key themes" }),
      el("p", { class: "screen-sub", text: [view.title, progressText(view)].filter(Boolean).join(" — ") }),
    ]),
    el("table", { class: "overview-grid" }, [el("thead", {}, [head]), el("tbody", {}, rows)]),
  ]);
}

/**
 * A screen of sections side by side: a topic's questions, or the key themes across topics.
 * @param {string} screen
 * @param {string} title
 * @param {string} subtitle
 * @param {any[]} sections
 * @param {any} view
 * @param {{starred: boolean}} options
 * @returns {HTMLElement}
 */
function page(screen, title, subtitle, sections, view, options) {
  return el("section", { class: "screen topic-screen", "data-screen": screen, "data-columns": String(sections.length) }, [
    el("header", { class: "screen-head" }, [
      el("h1", { text: title }),
      el("p", { class: "screen-sub", text: [subtitle, progressText(view)].filter(Boolean).join(" — ") }),
    ]),
    el("div", { class: "sections" }, sections.map((s) => section(s, view, options.starred))),
  ]);
}

/**
 * @param {any} s a section of the report-back
 * @param {any} view
 * @param {boolean} starred whether to quote the starred comments
 * @returns {HTMLElement}
 */
function section(s, view, starred) {
  const prompt = s.prompt || "Across the questions";
  const themes = s.key_themes.map((/** @type {any} */ theme) => keyTheme(theme, starred));
  const also = starred && s.starred.length
    ? el("div", { class: "also-starred" }, [
        el("h3", { text: "Also starred at the tables" }),
        el("ul", { class: "quotes" }, s.starred.map((/** @type {any} */ c) => quote(c))),
      ])
    : null;
  return el("article", { class: "question", "data-question": s.question ?? "", "data-status": s.status }, [
    el("h2", { text: prompt }),
    themes.length ? el("ol", { class: "key-themes" }, themes) : el("p", { class: "empty", text: emptyText(s, view) }),
    also,
  ]);
}

/**
 * @param {any} theme
 * @param {boolean} starred
 * @returns {HTMLElement}
 */
function keyTheme(theme, starred) {
  const quotes = starred ? theme.comments.filter((/** @type {any} */ c) => c.starred) : [];
  return el("li", { class: "key-theme", "data-theme-id": theme.id }, [
    el("span", { class: "key-title", text: theme.title }),
    el("span", { class: "key-meta" }, [
      supportText(theme),
      theme.stars ? el("span", { class: "stars", title: "starred by the facilitators", text: ` · ★ ${theme.stars}` }) : null,
    ]),
    quotes.length ? el("ul", { class: "quotes" }, quotes.map((/** @type {any} */ c) => quote(c))) : null,
  ]);
}

/**
 * @param {any} comment
 * @returns {HTMLElement}
 */
function quote(comment) {
  return el("li", { class: "quote", dir: "auto", text: comment.text });
}

/** The type shrinks to this at most: the key themes' titles stay at the room's 28 px per 1080
 * lines (present.css keeps the smaller texts there whatever the factor). */
const LEAST_FIT = 0.7;

/**
 * Shrink the screen's type (the `--fit` factor) until it fits without scrolling, never under
 * the room's size; a short evening's key themes stay large.
 * @param {HTMLElement} box the element that must not overflow
 * @returns {boolean} whether it fits
 */
export function fit(box) {
  let scale = 1;
  box.style.setProperty("--fit", "1");
  const over = () => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  while (scale > LEAST_FIT && over()) {
    scale = Math.round((scale - 0.05) * 100) / 100;
    box.style.setProperty("--fit", String(scale));
  }
  return !over();
}

/**
 * Draw a screen into `box`, in parts when its sections side by side do not fit at the room's
 * size: as many sections in each part as fit (one, when one alone is all that fits), so the
 * lead shows a long topic question by question instead of in small type.
 * @param {HTMLElement} box the stage
 * @param {any} view
 * @param {string} screen
 * @param {ScreenOptions} options
 * @returns {[number, number][]} the parts, each its sections from..to
 */
export function partsOf(box, view, screen, options) {
  const total = sectionsOf(view, screen).length;
  /** @type {[number, number][]} */
  const parts = [];
  let from = 0;
  do {
    let to = total;
    for (; to > from + 1; to -= 1) {
      box.replaceChildren(drawScreen(view, screen, { ...options, part: [from, to] }));
      if (fit(box)) break;
    }
    parts.push([from, Math.max(to, from + 1)]);
    from = to;
  } while (from < total);
  return parts;
}
