// @ts-check
/**
 * What the lead does with themes, each a command: put a comment in a theme, start a theme
 * from a comment, take a comment out (the same three for the keys, the picker and dragging),
 * create a theme from the form, undo the last grouping; dragging a comment onto a theme
 * (lead_drag.js); and the themes pane drawn from the server's `themes` (lead_themes.js draws
 * the cards), with the undo button saying what it would undo.
 */

import { fillSelect, redrawKeeping, short } from "./dom.js";
import { uuid4 } from "./ids.js";
import { enableDrag } from "./lead_drag.js";
import { renderKeyThemes, renderThemes, scopeLabel } from "./lead_themes.js";

/** @returns {string} a new theme's id */
export function newThemeId() {
  return `th-${uuid4()}`;
}

/**
 * @typedef {Object} ThemeCommands
 * @property {(key: string, themeId: string) => void} putIn the comment ("table/id") in a theme
 * @property {(key: string) => void} newThemeFrom a new theme with the comment in it
 * @property {(key: string) => void} takeOut the comment out of its theme
 */

/**
 * @param {import("./lead_commands.js").LeadPage} page
 * @param {() => void} redraw redraws the themes pane and what depends on it
 * @returns {ThemeCommands & {drawThemes: () => void, fillScopes: () => void}}
 */
export function themeActions({ ui, state, send }, redraw) {
  /** @type {import("./lead_themes.js").ThemeUi} */
  const themeUi = { renaming: null, splitting: null, chosen: new Set() };
  /** @type {import("./lead_themes.js").ThemeActions} */
  const cardActions = { send, newId: newThemeId, redraw };

  /** @param {string} key @param {string} themeId */
  function putIn(key, themeId) {
    const placed = state.placedOf(key);
    if (!placed || placed.theme === themeId) return;
    send("add_to_theme", { theme_id: themeId, table: placed.table, comment_id: placed.comment.id }, "Putting the comment in the theme");
  }

  /** @param {string} key */
  function newThemeFrom(key) {
    const placed = state.placedOf(key);
    if (!placed) return;
    const theme = newThemeId();
    const title = placed.comment.text.length > 120 ? `${placed.comment.text.slice(0, 119)}…` : placed.comment.text;
    send("create_theme", { theme_id: theme, title, topic: placed.topic, question: placed.question }, "Creating the theme");
    send("add_to_theme", { theme_id: theme, table: placed.table, comment_id: placed.comment.id }, "Putting the comment in the theme");
  }

  /** @param {string} key */
  function takeOut(key) {
    const placed = state.placedOf(key);
    if (!placed || !placed.theme) return;
    send("remove_from_theme", { theme_id: placed.theme, table: placed.table, comment_id: placed.comment.id }, "Taking the comment out");
  }

  ui.newTheme.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = ui.newTitle.value.trim();
    if (!title) {
      ui.newTitle.focus();
      return;
    }
    const [topic, question] = ui.newScope.value.split("|");
    send("create_theme", { theme_id: newThemeId(), title, topic: topic || null, question: question || null }, "Creating the theme");
    ui.newTitle.value = "";
  });
  ui.undo.addEventListener("click", () => {
    const undo = state.model?.outline.undo;
    if (undo) send("undo_grouping", { action: undo.action }, "Undo");
  });

  enableDrag({
    source: ui.comments,
    ghost: ui.ghost,
    label: (key) => short(state.placedOf(key)?.comment.text ?? ""),
    drop: (key, target) => {
      if (target.dataset.drop === "theme" && target.dataset.themeId) putIn(key, target.dataset.themeId);
      else if (target.dataset.drop === "new") newThemeFrom(key);
    },
  });

  function drawThemes() {
    const model = state.model;
    if (!model) return;
    const topic = ui.filters.topic.value;
    redrawKeeping(ui.themes, () => renderThemes(ui.themes, model, topic, themeUi, cardActions));
    redrawKeeping(ui.keyThemes, () => renderKeyThemes(ui.keyThemes, model, topic, cardActions));
    const undo = model.outline.undo;
    ui.undo.disabled = !undo;
    ui.undo.dataset.action = undo ? String(undo.action) : "";
    ui.undoWhat.textContent = undo ? describeUndo(undo) : "nothing to undo";
  }

  /** The new theme's scopes: every topic (any question, or one) and across topics. */
  function fillScopes() {
    const m = state.model?.meeting;
    if (!m) return;
    const options = [["|", scopeLabel(m, null, null)]];
    for (const t of m.topics) {
      options.push([`${t.id}|`, scopeLabel(m, t.id, null)]);
      for (const q of m.questions) options.push([`${t.id}|${q.id}`, scopeLabel(m, t.id, q.id)]);
    }
    fillSelect(ui.newScope, options);
  }

  /** @param {{action: number, event_type: string, theme_id: string}} undo */
  function describeUndo(undo) {
    const theme = state.model?.outline.themes.find((t) => t.id === undo.theme_id);
    const what = {
      ThemeCreated: "creating",
      CommentAddedToTheme: "putting a comment in",
      CommentRemovedFromTheme: "taking a comment out of",
      ThemesMerged: "merging into",
      ThemeSplit: "splitting",
      SuggestionAccepted: "accepting the suggestion for",
    }[undo.event_type] ?? undo.event_type;
    return `undoes ${what} “${short(theme ? theme.title : undo.theme_id)}”`;
  }

  return { putIn, newThemeFrom, takeOut, drawThemes, fillScopes };
}
