// @ts-check
/**
 * The phone page: a participant places and takes back their dots on the key themes. No
 * account and no token: the server gives this phone a random id on the first visit, kept in
 * localStorage for the meeting's voting code, so a reload (or the next round) keeps its dots.
 * Plain http on the venue network: nothing here needs a secure context (ids come from
 * `crypto.getRandomValues`, `ids.js`). Every dot is one small POST, answered with the
 * phone's ballot once it is durable; a refusal is shown in the server's words.
 */

import { byId, el } from "./dom.js";
import { uuid4 } from "./ids.js";

const REFRESH_MS = 20_000;
/** How often the page asks for the vote while open (a round opening or closing). */

const code = location.pathname.split("/").pop() || "";
const api = `/api/vote/${encodeURIComponent(code)}`;
const kept = `roundtable-phone-${code}`;
const ui = { vote: byId("vote"), title: byId("title"), left: byId("left"), message: byId("message"), themes: byId("themes") };

/**
 * @typedef {{theme_id: string, title: string, topic: string | null, topic_title: string | null}} Theme
 * @typedef {{title: string, open: boolean, round: number | null, dots: number | null, themes: Theme[], mine: string[], left: number}} Ballot
 */

/** @type {Ballot | null} */
let ballot = null;
let busy = false;

/**
 * @param {string} path
 * @param {Record<string, unknown>} body
 * @returns {Promise<any>}
 */
async function post(path, body) {
  const response = await fetch(`${api}/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) throw Object.assign(new Error(data.message), { code: data.code });
  return data;
}

/** @param {string} text */
function say(text) {
  ui.message.textContent = text;
  ui.message.hidden = !text;
}

async function phone() {
  const known = localStorage.getItem(kept);
  if (known) return known;
  const { phone: given } = await post("phone", {});
  localStorage.setItem(kept, given);
  return given;
}

/** @param {Ballot} next */
function draw(next) {
  ballot = next;
  document.title = `Vote — ${next.title}`;
  ui.title.textContent = next.title ? `Vote: ${next.title}` : "Vote on what matters most";
  const state = next.round === null ? "waiting" : next.open ? "open" : "closed";
  ui.vote.dataset.state = state;
  ui.vote.dataset.left = String(next.left);
  if (state === "waiting") ui.left.textContent = "Voting has not started yet. This page updates by itself.";
  else if (state === "closed") ui.left.textContent = `Voting is closed. You placed ${next.mine.length} ${plural(next.mine.length, "dot")}. Thank you!`;
  else if (next.left === 0) ui.left.textContent = `All ${next.dots} dots placed. Take one back (−) to move it.`;
  else ui.left.textContent = `${next.left} of ${next.dots} ${plural(next.dots || 0, "dot")} left: place them on what matters most to you.`;
  /** @type {Map<string, Theme[]>} */
  const byTopic = new Map();
  for (const theme of next.themes) {
    const topic = theme.topic_title || "Across the topics";
    byTopic.set(topic, [...(byTopic.get(topic) || []), theme]);
  }
  const sections = [];
  for (const [topic, themes] of byTopic) {
    const heading = el("h2", { text: topic });
    sections.push(heading, el("ul", {}, themes.map((theme) => item(theme, next))));
  }
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : "";
  ui.themes.replaceChildren(...sections);
  if (focused) document.getElementById(focused)?.focus();
}

/**
 * @param {Theme} theme
 * @param {Ballot} next
 */
function item(theme, next) {
  const mine = next.mine.filter((t) => t === theme.theme_id).length;
  const titleId = `title-${theme.theme_id}`;
  const place = el("button", {
    type: "button",
    class: "place",
    id: `place-${theme.theme_id}`,
    "aria-label": `Place a dot on: ${theme.title}`,
    text: "+",
    disabled: !next.open || next.left === 0,
  });
  const back = el("button", {
    type: "button",
    class: "back",
    id: `back-${theme.theme_id}`,
    "aria-label": `Take a dot back from: ${theme.title}`,
    text: "−",
    disabled: !next.open || mine === 0,
  });
  place.addEventListener("click", () => send(theme.theme_id, true));
  back.addEventListener("click", () => send(theme.theme_id, false));
  return el("li", { class: "theme", "data-theme": theme.theme_id, "data-dots": String(mine) }, [
    el("p", { class: "theme-title", id: titleId, text: theme.title }),
    el("div", { class: "theme-row" }, [
      el("span", { class: "mine", text: mine ? `Your dots: ${"●".repeat(mine)} (${mine})` : "No dot of yours" }),
      back,
      place,
    ]),
  ]);
}

/**
 * @param {number} n
 * @param {string} word
 */
function plural(n, word) {
  return n === 1 ? word : `${word}s`;
}

/**
 * @param {string} themeId
 * @param {boolean} place
 */
async function send(themeId, place) {
  if (busy) return;
  busy = true;
  const id = uuid4();
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        draw(await post("dots", { phone: await phone(), id, theme_id: themeId, place }));
        say("");
        break;
      } catch (error) {
        if (!(error instanceof TypeError) || attempt >= 2) throw error;
        // no answer (the Wi-Fi dropped): the same id again changes nothing twice
      }
    }
  } catch (error) {
    const err = /** @type {Error & {code?: string}} */ (error);
    say(err instanceof TypeError ? "No connection to the meeting: your dot was not sent. Try again in a moment." : err.message);
    if (err.code === "phone_refused") localStorage.removeItem(kept);
    await refresh();
  } finally {
    busy = false;
  }
}

async function refresh() {
  try {
    draw(await post("ballot", { phone: await phone() }));
  } catch (error) {
    const err = /** @type {Error & {code?: string}} */ (error);
    if (err.code === "phone_refused") localStorage.removeItem(kept);
    if (!ballot) ui.left.textContent = "";
    say(err instanceof TypeError ? "No connection to the meeting. This page tries again by itself." : err.message);
  }
}

await refresh();
setInterval(() => {
  if (!busy) refresh();
}, REFRESH_MS);
addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !busy) refresh();
});
