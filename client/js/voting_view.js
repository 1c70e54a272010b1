// @ts-check
/**
 * The room's vote on a screen: the `voting` view (from the `state` message, then each
 * `voting` push), the panel the wall and the presentation show while voting is open (the QR
 * code and the short link phones open) and the counts as they arrive, or after the close if
 * the lead chose so (the server then sends no counts at all). The lead's page draws the same
 * counts beside its controls (`lead_voting.js`).
 */

import { el } from "./dom.js";

const TWO_COLUMNS = 6;
/** More themes than this are listed in two columns (down the first, then the second). */

/**
 * @typedef {{theme_id: string, title: string, topic: string | null, topic_title: string | null}} VoteTheme
 * @typedef {{phones: number, dots: Record<string, number>, paper: Record<string, number>}} Counts
 * @typedef {{round: number | null, open: boolean, topic: string | null, dots: number | null, shown: string | null, themes: VoteTheme[], counts: Counts | null}} Voting
 * @typedef {{code: string, url: string, qr: string}} VotingLink
 */

/**
 * Call `draw` with the voting view on every `state` and `voting` message.
 * @param {EventTarget} socket
 * @param {(view: Voting) => void} draw
 */
export function followVoting(socket, draw) {
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "state" && message.views.voting) draw(message.views.voting);
    else if (message.type === "voting") draw(message);
  });
}

/**
 * The short link and its QR code, asked once per page.
 * @param {string} meetingId
 * @param {string} token
 * @returns {() => Promise<VotingLink | null>}
 */
export function votingLink(meetingId, token) {
  /** @type {VotingLink | null} */
  let link = null;
  return async () => {
    if (link) return link;
    try {
      const response = await fetch(`/api/meetings/${encodeURIComponent(meetingId)}/voting-link`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (response.ok) link = await response.json();
    } catch {
      // offline: asked again at the next change
    }
    return link;
  };
}

/**
 * A theme's dots from phones and on paper.
 * @param {Counts} counts
 * @param {string} themeId
 */
export function dotsOf(counts, themeId) {
  const phones = counts.dots[themeId] || 0;
  const paper = counts.paper[themeId] || 0;
  return { phones, paper, total: phones + paper };
}

/**
 * What the screen says of the vote in one line.
 * @param {Voting} view
 */
export function votingLine(view) {
  if (view.round === null) return "";
  const where = view.topic === null ? "the key themes" : `the key themes of ${view.themes[0]?.topic_title || "this topic"}`;
  const phones = view.counts ? ` · ${view.counts.phones} ${view.counts.phones === 1 ? "phone" : "phones"} voted` : "";
  if (!view.open) return `Voting on ${where} is closed${phones}`;
  const hidden = view.counts ? "" : " · counts shown when voting closes";
  return `Voting on ${where} is open: ${view.dots} dots each${phones}${hidden}`;
}

/**
 * The round's themes with their counts (bars scaled to the largest), in the lead's order.
 * @param {Voting} view
 * @returns {HTMLElement}
 */
export function countsList(view) {
  const counts = view.counts;
  const most = counts ? Math.max(1, ...view.themes.map((t) => dotsOf(counts, t.theme_id).total)) : 1;
  const columns = view.themes.length > TWO_COLUMNS ? 2 : 1;
  const rows = Math.ceil(view.themes.length / columns);
  const list = el(
    "ol",
    { class: "vote-counts", "data-columns": String(columns) },
    view.themes.map((theme) => {
      const dots = counts ? dotsOf(counts, theme.theme_id) : null;
      const said = dots === null ? "" : `${dots.total} ${dots.total === 1 ? "dot" : "dots"}${dots.paper ? ` (${dots.paper} on paper)` : ""}`;
      const bar = el("span", { class: "vote-bar", "aria-hidden": "true" });
      if (dots) bar.style.inlineSize = `${Math.round((100 * dots.total) / most)}%`;
      return el("li", { class: "vote-count", "data-theme": theme.theme_id, "data-total": dots ? String(dots.total) : undefined }, [
        el("span", { class: "vote-title", text: theme.title }),
        dots ? el("span", { class: "vote-track" }, [bar]) : null,
        dots ? el("span", { class: "vote-number", text: said }) : null,
      ]);
    }),
  );
  list.style.setProperty("--rows", String(rows)); // (the CSP allows no style attribute)
  return list;
}

/**
 * The panel of the wall and the presentation: while voting is open, how to vote (the QR code
 * and the short link); the counts whenever the server sends them.
 * @param {Voting} view
 * @param {VotingLink | null} link
 * @returns {HTMLElement[]}
 */
export function votingPanel(view, link) {
  const how = view.open && link
    ? el("div", { class: "vote-how" }, [
        el("img", { class: "vote-qr", src: link.qr, alt: `QR code of ${link.url}` }),
        el("p", { class: "vote-invite" }, [
          "Vote from your phone: scan the code or open",
          el("br"),
          el("strong", { class: "vote-url", text: link.url.replace(/^https?:\/\//, "") }),
        ]),
      ])
    : null;
  const parts = [el("h2", { class: "vote-heading", text: votingLine(view) })];
  if (how) parts.push(how);
  parts.push(countsList(view));
  return parts;
}
