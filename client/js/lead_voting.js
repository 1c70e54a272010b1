// @ts-check
/**
 * The lead's controls of the room's vote: open a round on the key themes of one topic or of
 * all (dots per phone; counts shown as they arrive or when it closes), close it, see the
 * counts and the short link phones open, and type the dots counted on paper for a theme.
 * Each is a command (so an event); the counts come back as the `voting` view.
 */

import { byId, el, replaceChildren } from "./dom.js";
import { dotsOf, followVoting, votingLine, votingLink } from "./voting_view.js";

/** @param {import("./lead_commands.js").LeadPage} page */
export function votingControls({ session, socket, send }) {
  const ui = {
    summary: byId("voting-summary"),
    form: /** @type {HTMLFormElement} */ (byId("voting-form")),
    topic: /** @type {HTMLSelectElement} */ (byId("voting-topic")),
    dots: /** @type {HTMLInputElement} */ (byId("voting-dots")),
    shown: /** @type {HTMLSelectElement} */ (byId("voting-shown")),
    open: /** @type {HTMLButtonElement} */ (byId("voting-open")),
    close: /** @type {HTMLButtonElement} */ (byId("voting-close")),
    link: byId("voting-link"),
    counts: byId("voting-counts"),
  };
  const link = votingLink(session.meeting_id, session.token);

  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type !== "state" || !message.views.meeting?.topics) return;
    const chosen = ui.topic.value;
    replaceChildren(ui.topic, [
      el("option", { value: "", text: "the key themes of every topic" }),
      ...message.views.meeting.topics.map((/** @type {{id: string, title: string}} */ t) =>
        el("option", { value: t.id, text: `the key themes of ${t.title}` }),
      ),
    ]);
    ui.topic.value = chosen;
  });

  followVoting(socket, async (view) => {
    ui.summary.textContent = `The room's vote: ${view.round === null ? "not open" : votingLine(view)}`;
    ui.open.disabled = view.open;
    ui.close.disabled = !view.open;
    const shown = view.open ? await link() : null;
    ui.link.textContent = shown ? `Phones open ${shown.url} (or scan the code on the wall or the presentation)` : "";
    const focused = document.activeElement instanceof HTMLInputElement ? document.activeElement.dataset.theme : undefined;
    replaceChildren(ui.counts, view.themes.map((theme) => row(theme, view.counts)));
    if (focused) /** @type {HTMLElement | null} */ (ui.counts.querySelector(`input[data-theme="${CSS.escape(focused)}"]`))?.focus();
  });

  /**
   * @param {import("./voting_view.js").VoteTheme} theme
   * @param {import("./voting_view.js").Counts | null} counts
   */
  function row(theme, counts) {
    const dots = counts ? dotsOf(counts, theme.theme_id) : null;
    const paper = /** @type {HTMLInputElement} */ (el("input", {
      type: "number",
      min: "0",
      max: "100000",
      value: dots ? String(dots.paper) : "",
      "data-theme": theme.theme_id,
      "aria-label": `Dots counted on paper for ${theme.title}`,
      placeholder: "on paper",
    }));
    paper.addEventListener("change", () => {
      const value = Number(paper.value);
      if (!Number.isInteger(value) || value < 0) return;
      send("count_paper_dots", { theme_id: theme.theme_id, dots: value }, "The paper count");
    });
    return el("li", { class: "voting-count", "data-theme": theme.theme_id }, [
      el("span", { class: "voting-title", text: theme.title }),
      el("span", { class: "voting-number", text: dots ? `${dots.phones} from phones` : "counts when voting closes" }),
      paper,
    ]);
  }

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = { topic: ui.topic.value || null, dots: Number(ui.dots.value), shown: ui.shown.value };
    send("open_voting", data, "Opening the vote");
  });
  ui.close.addEventListener("click", () => send("close_voting", {}, "Closing the vote"));
}
