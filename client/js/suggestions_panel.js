// @ts-check
/**
 * The lead's theme suggestions panel: groups of comments that say the same thing across
 * tables (computed by the server, offline: docs/themes.md), each with an editable title, its
 * comments' texts and the tables it spans, to accept (a new theme, or into the theme it
 * joins) or dismiss with one click; the switch that turns suggestions off for the meeting;
 * and the meeting's glossary, edited one concept at a time. Every choice is a protocol
 * command; the panel only shows what the server's latest `suggestions` message holds.
 *
 * Comment text is data: it goes through `textContent` only (dom.js `el`).
 */

import { el, replaceChildren } from "./dom.js";

/**
 * @typedef {Object} Suggestion one entry of a `suggestions` message (docs/protocol.md)
 * @property {string} id
 * @property {string} title
 * @property {[number, string][]} comments what accepting puts in the theme
 * @property {number[]} tables
 * @property {{theme_id: string, title: string, comments: [number, string][]} | null} joins
 */

/**
 * @typedef {Object} Concept a glossary entry (docs/themes.md)
 * @property {string} id
 * @property {string[]} phrases
 * @property {string[]} acronyms
 * @property {string[]} broader
 * @property {string} note
 */

/**
 * @typedef {Object} SuggestionsMessage
 * @property {number} position
 * @property {boolean} enabled
 * @property {Suggestion[]} suggestions
 * @property {number} dismissed
 * @property {number} [held_out] comments beyond the server's bound for suggestions
 * @property {{name: string, concepts: Concept[]}} glossary
 */

/**
 * @typedef {Object} PanelOptions
 * @property {import("./lead_commands.js").Send} send sends one protocol command (`what`
 *   names it if the server refuses); its id, or null when it could not be sent
 * @property {() => (import("./wall_model.js").WallModel | null)} model the page's wall
 *   model, to look the comments' texts up
 * @property {() => string} newId a new theme id
 */

const TITLE_MAX = 120;
const PENDING_MS = 4000;

/**
 * Mount the panel in `container`. Feed it every `suggestions` message with `receive`, and
 * call `redraw` when comments change (an edit shows at once).
 * @param {HTMLElement} container
 * @param {PanelOptions} options
 * @returns {{receive: (message: SuggestionsMessage) => void, redraw: () => void, refused: (id: string | null) => void}}
 */
export function suggestionsPanel(container, options) {
  /** @type {SuggestionsMessage | null} */
  let last = null;
  /** @type {Map<string, string>} titles the lead edited, by suggestion id */
  const titles = new Map();
  /** @type {Map<string, number>} suggestions accepted or dismissed, waiting for the server */
  const pending = new Map();
  /** @type {string | null} the concept being removed (asks once more) */
  let removing = null;
  /** what the cards show now: they are made again only when it changes, so a redraw for
   * something else never replaces the title the lead is typing in */
  let drawn = "";

  container.classList.add("suggestions");
  container.hidden = false;
  const toggle = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", id: "suggestions-on", checked: true }));
  const head = el("div", { class: "sugg-head" }, [
    el("h2", { text: "Suggested themes" }),
    el("label", { class: "sugg-switch" }, [toggle, " on for this meeting"]),
  ]);
  const summary = el("p", { class: "sugg-summary muted", "aria-live": "polite" });
  const list = el("ol", { class: "sugg-list", "aria-label": "Suggestions", tabindex: "0" });
  const glossary = glossaryEditor(options.send, () => last?.glossary.concepts ?? [], () => removing, (id) => {
    removing = id;
    drawGlossary();
  });
  replaceChildren(container, [head, summary, list, glossary.root]);

  /** The switch as the lead just flipped it, until the meeting's setting is that or the
   * command is refused: a redraw for a comment arriving meanwhile must not flip it back. */
  let switching = { id: /** @type {string | null} */ (null), enabled: true };
  toggle.addEventListener("change", () => {
    const enabled = toggle.checked;
    const id = options.send("set_suggestions", { enabled }, enabled ? "Switching suggestions on" : "Switching suggestions off");
    switching = { id, enabled };
    draw();
  });

  function drawGlossary() {
    glossary.draw(last?.glossary ?? { name: "", concepts: [] });
  }

  function draw() {
    if (!last) return;
    if (last.enabled === switching.enabled) switching.id = null;
    toggle.checked = switching.id !== null ? switching.enabled : last.enabled;
    const now = Date.now();
    for (const [id, at] of pending) if (now - at > PENDING_MS) pending.delete(id);
    const shown = last.suggestions.filter((s) => !pending.has(s.id));
    const model = options.model();
    const showing = JSON.stringify(shown.map((s) => [s.id, s.title, s.joins?.theme_id ?? null, s.comments.map(([table, id]) => textOf(model, table, id))]));
    if (showing !== drawn) {
      drawn = showing;
      const focused = document.activeElement instanceof HTMLInputElement && list.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
      replaceChildren(list, shown.map((s) => card(s, model)));
      if (focused) {
        const again = list.querySelector(`input[data-key="${CSS.escape(focused)}"]`);
        if (again instanceof HTMLInputElement) again.focus({ preventScroll: true });
      }
    }
    const held = last.held_out ? ` · ${last.held_out} more comments than suggestions can cover: group them by hand` : "";
    const dismissed = (last.dismissed ? ` · ${last.dismissed} dismissed` : "") + held;
    summary.textContent = !last.enabled
      ? "Suggestions are off for this meeting."
      : shown.length
        ? `${shown.length} suggestion${shown.length === 1 ? "" : "s"}${dismissed}`
        : `Nothing to suggest yet${dismissed}.`;
    drawGlossary();
  }

  /**
   * @param {Suggestion} s
   * @param {import("./wall_model.js").WallModel | null} model
   */
  function card(s, model) {
    const title = /** @type {HTMLInputElement} */ (
      el("input", { type: "text", class: "sugg-title", maxlength: String(TITLE_MAX), "data-key": `title-${s.id}`, "aria-label": "Title of the new theme" })
    );
    title.value = titles.get(s.id) ?? s.title.slice(0, TITLE_MAX);
    title.addEventListener("input", () => titles.set(s.id, title.value));
    const accept = el("button", { type: "button", class: "sugg-accept", text: s.joins ? "Add to theme" : "Accept" });
    const dismiss = el("button", { type: "button", class: "sugg-dismiss", text: "Dismiss" });
    accept.addEventListener("click", () => {
      const comments = s.comments.map(([table, id]) => ({ table, comment_id: id }));
      if (s.joins) {
        options.send("accept_suggestion", { suggestion_id: s.id, into: s.joins.theme_id, comments }, "Adding the suggestion to the theme");
      } else {
        const text = title.value.trim() || s.title;
        options.send("accept_suggestion", { suggestion_id: s.id, theme_id: options.newId(), title: text, comments }, "Accepting the suggestion");
      }
      settle(s.id);
    });
    dismiss.addEventListener("click", () => {
      const all = [...s.comments, ...(s.joins ? s.joins.comments : [])];
      options.send("dismiss_suggestion", { suggestion_id: s.id, comments: all.map(([table, id]) => ({ table, comment_id: id })) }, "Dismissing the suggestion");
      settle(s.id);
    });
    const heading = s.joins
      ? el("p", { class: "sugg-joins" }, ["Joins the theme ", el("strong", { text: `“${s.joins.title}”` }), ` (${s.joins.comments.length} of these already in it)`])
      : el("label", { class: "sugg-title-label" }, ["New theme ", title]);
    return el("li", { class: "suggestion", "data-suggestion-id": s.id }, [
      heading,
      el("p", { class: "sugg-tables muted", text: `${s.tables.length > 1 ? "Tables" : "Table"} ${s.tables.join(", ")}` }),
      el("ul", { class: "sugg-comments", tabindex: "0", "aria-label": `Comments of “${s.title}”` }, s.comments.map(([table, id]) => commentItem(model, table, id))),
      el("div", { class: "sugg-actions" }, [accept, dismiss]),
    ]);
  }

  /** @param {string} id */
  function settle(id) {
    pending.set(id, Date.now());
    draw();
    setTimeout(draw, PENDING_MS + 50); // refused: it shows again
  }

  return {
    refused(id) {
      if (id !== switching.id) return;
      switching.id = null;
      draw();
    },
    receive(message) {
      last = message;
      pending.clear();
      for (const id of [...titles.keys()]) if (!message.suggestions.some((s) => s.id === id)) titles.delete(id);
      draw();
    },
    redraw: draw,
  };
}

/**
 * One comment of a suggestion: its table and its text as it stands now.
 * @param {import("./wall_model.js").WallModel | null} model
 * @param {number} table
 * @param {string} id
 */
function commentItem(model, table, id) {
  return el("li", { class: "sugg-comment" }, [
    el("span", { class: "sugg-table", text: `T${table}` }),
    " ",
    el("span", { class: "sugg-text", text: textOf(model, table, id) }),
  ]);
}

/**
 * @param {import("./wall_model.js").WallModel | null} model
 * @param {number} table
 * @param {string} id
 * @returns {string} the comment's text as the page knows it ("…" until the tables arrive)
 */
function textOf(model, table, id) {
  const comment = model?.tables.get(table)?.comments.get(id);
  return comment ? comment.text : "…";
}

/** @param {string} text @returns {string[]} */
function items(text) {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The glossary: a filter, each concept with Edit and Remove, and a form to add or change one.
 * @param {PanelOptions["send"]} send
 * @param {() => Concept[]} concepts
 * @param {() => string | null} removing
 * @param {(id: string | null) => void} setRemoving
 */
function glossaryEditor(send, concepts, removing, setRemoving) {
  const count = el("span", { class: "muted" });
  const filter = /** @type {HTMLInputElement} */ (el("input", { type: "search", class: "gloss-filter", placeholder: "Find a concept or phrase", "aria-label": "Find a concept" }));
  const list = el("ul", { class: "gloss-list", "aria-label": "Glossary concepts" });
  const field = (/** @type {string} */ name, /** @type {string} */ label, /** @type {string} */ hint) => {
    const input = /** @type {HTMLInputElement} */ (el("input", { type: "text", name, "data-key": `gloss-${name}`, placeholder: hint }));
    return { input, label: el("label", { class: "gloss-field" }, [el("span", { text: label }), input]) };
  };
  const id = field("id", "Id", "lower-case words with dashes, e.g. sobering-centre");
  const phrases = field("phrases", "Phrases", "comma-separated, e.g. detox, withdrawal management");
  const acronyms = field("acronyms", "Acronyms", "in capitals, comma-separated, e.g. ACT");
  const broader = field("broader", "Under", "ids of broader concepts, comma-separated");
  const note = field("note", "Note", "for people (optional)");
  const save = el("button", { type: "submit", text: "Save concept" });
  const clear = el("button", { type: "button", text: "Clear" });
  const form = /** @type {HTMLFormElement} */ (
    el("form", { class: "gloss-form", autocomplete: "off", "aria-label": "Add or change a concept" }, [
      id.label,
      phrases.label,
      acronyms.label,
      broader.label,
      note.label,
      el("div", { class: "gloss-buttons" }, [save, clear]),
    ])
  );
  const root = el("details", { class: "glossary" }, [
    el("summary", {}, ["Glossary ", count]),
    el("p", { class: "muted", text: "Ways this community names one thing: a concept's phrases and acronyms count as the same idea. Saving replaces the concept with that id whole." }),
    form,
    filter,
    list,
  ]);

  /** @param {Concept} c */
  function edit(c) {
    id.input.value = c.id;
    phrases.input.value = c.phrases.join(", ");
    acronyms.input.value = c.acronyms.join(", ");
    broader.input.value = c.broader.join(", ");
    note.input.value = c.note;
    phrases.input.focus();
  }
  function reset() {
    for (const f of [id, phrases, acronyms, broader, note]) f.input.value = "";
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const concept = {
      id: id.input.value.trim(),
      phrases: items(phrases.input.value),
      acronyms: items(acronyms.input.value),
      broader: items(broader.input.value),
      note: note.input.value.trim(),
    };
    if (!concept.id) {
      id.input.focus();
      return;
    }
    send("set_glossary_concept", { concept }, `Saving the concept “${concept.id}”`);
  });
  clear.addEventListener("click", reset);
  filter.addEventListener("input", () => draw({ name: "", concepts: concepts() }));

  /** @param {{name: string, concepts: Concept[]}} glossary */
  function draw(glossary) {
    count.textContent = `(${glossary.concepts.length} concepts${glossary.name ? `, ${glossary.name}` : ""})`;
    const wanted = filter.value.trim().toLowerCase();
    const shown = glossary.concepts.filter(
      (c) => !wanted || c.id.includes(wanted) || [...c.phrases, ...c.acronyms].some((p) => p.toLowerCase().includes(wanted)),
    );
    replaceChildren(
      list,
      shown.map((c) => {
        const editButton = el("button", { type: "button", class: "small", text: "Edit" });
        editButton.addEventListener("click", () => edit(c));
        const sure = removing() === c.id;
        const remove = el("button", { type: "button", class: `small${sure ? " danger" : ""}`, text: sure ? "Really remove?" : "Remove" });
        remove.addEventListener("click", () => {
          if (sure) {
            setRemoving(null);
            send("remove_glossary_concept", { concept_id: c.id }, `Removing the concept “${c.id}”`);
          } else setRemoving(c.id);
        });
        const words = [...c.phrases, ...c.acronyms].join(" · ");
        return el("li", { class: "gloss-concept", "data-concept": c.id }, [
          el("strong", { text: c.id }),
          c.broader.length ? el("span", { class: "muted", text: ` (under ${c.broader.join(", ")})` }) : null,
          el("div", { class: "gloss-words", text: words }),
          el("div", { class: "gloss-buttons" }, [editButton, remove]),
        ]);
      }),
    );
  }

  return { root, draw };
}

/**
 * Wire the panel to a page's socket: `suggestions` messages feed it; comment events redraw it
 * (coalesced), so an edited comment shows its new text; refusals put its switch back.
 * @param {HTMLElement} container
 * @param {EventTarget} socket a LiveSocket (`rt:message` events)
 * @param {PanelOptions} options
 */
export function mountSuggestions(container, socket, options) {
  const panel = suggestionsPanel(container, options);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "suggestions") panel.receive(message);
    else if (message.type === "error") panel.refused(message.id);
    else if (message.type === "state" || (message.type === "event" && String(message.event_type).startsWith("Comment"))) {
      clearTimeout(timer);
      timer = setTimeout(panel.redraw, 200);
    }
  });
  return panel;
}
