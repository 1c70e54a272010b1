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
 * @property {(key: string, themeId: string, show?: boolean) => void} putIn the comment
 *   ("table/id") in a theme (`show`: then scroll the theme's card into view)
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
  const themeUi = { renaming: null, splitting: null, chosen: new Set(), open: new Set(), find: "" };
  /** @type {string | null} the theme a comment was just put in from the keyboard, to show */
  let reveal = null;
  /** @type {import("./lead_themes.js").ThemeActions} */
  const cardActions = { send, newId: newThemeId, redraw };

  /** @param {string} themeId @returns {string} the theme's title, quoted and cut short */
  function titled(themeId) {
    const theme = state.model?.outline.themes.find((t) => t.id === themeId);
    return `“${short(theme ? theme.title : "a theme gone since")}”`;
  }

  /** @param {string} key @param {string} themeId @param {boolean} [show] scroll its card into view */
  function putIn(key, themeId, show = false) {
    const placed = state.placedOf(key);
    if (!placed || placed.theme === themeId) return;
    if (show) reveal = themeId;
    send("add_to_theme", { theme_id: themeId, table: placed.table, comment_id: placed.comment.id }, `Putting “${short(placed.comment.text)}” in ${titled(themeId)}`);
  }

  /** @param {string} key */
  function newThemeFrom(key) {
    const placed = state.placedOf(key);
    if (!placed) return;
    const theme = newThemeId();
    const title = placed.comment.text.length > 120 ? `${placed.comment.text.slice(0, 119)}…` : placed.comment.text;
    send("create_theme", { theme_id: theme, title, topic: placed.topic, question: placed.question }, `Creating the theme “${short(title)}”`);
    send("add_to_theme", { theme_id: theme, table: placed.table, comment_id: placed.comment.id }, `Putting “${short(placed.comment.text)}” in its new theme`);
  }

  /** @param {string} key */
  function takeOut(key) {
    const placed = state.placedOf(key);
    if (!placed || !placed.theme) return;
    send("remove_from_theme", { theme_id: placed.theme, table: placed.table, comment_id: placed.comment.id }, `Taking “${short(placed.comment.text)}” out of ${titled(placed.theme)}`);
  }

  ui.newTheme.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = ui.newTitle.value.trim();
    if (!title) {
      ui.newTitle.focus();
      return;
    }
    const [topic, question] = ui.newScope.value.split("|");
    send("create_theme", { theme_id: newThemeId(), title, topic: topic || null, question: question || null }, `Creating the theme “${short(title)}”`);
    ui.newTitle.value = "";
  });
  ui.undo.addEventListener("click", () => {
    const undo = state.model?.outline.undo;
    if (undo) send("undo_grouping", { action: undo.action }, `Undoing (${describeUndo(undo).replace(/^undoes /, "")})`);
  });
  ui.themeFind.addEventListener("input", () => {
    themeUi.find = ui.themeFind.value;
    redraw();
    if (themeUi.find.trim()) ui.themesScroll.scrollTop = ui.themes.offsetTop; // to the themes found
  });
  ui.themeFind.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && ui.themeFind.value) {
      ui.themeFind.value = "";
      themeUi.find = "";
      redraw();
    } else if (event.key === "Enter" || event.key === "ArrowDown") {
      // to the first theme found
      const first = ui.themes.querySelector(".theme-open");
      if (first instanceof HTMLElement) first.focus();
    } else return;
    event.preventDefault();
  });
  // The suggestions come first in the pane; their jump shows while the panel does.
  new MutationObserver(() => {
    const count = ui.suggestions.querySelectorAll(".suggestion").length;
    ui.jumpSuggestions.hidden = ui.suggestions.hidden;
    ui.jumpSuggestions.textContent = count ? `Suggestions (${count})` : "Suggestions";
  }).observe(ui.suggestions, { attributes: true, attributeFilter: ["hidden"], childList: true, subtree: true });
  for (const jump of ui.themeJumps) {
    jump.addEventListener("click", () => {
      const to = document.getElementById(String(jump.dataset.jump));
      if (!to) return;
      ui.themesScroll.scrollTop = to.offsetTop;
      to.focus({ preventScroll: true });
    });
  }

  enableDrag({
    source: ui.comments,
    scrollers: [ui.themesScroll],
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
    /** @type {{shown: number, of: number}} */
    let found = { shown: 0, of: 0 };
    redrawKeeping(ui.themes, () => {
      found = renderThemes(ui.themes, model, topic, themeUi, cardActions);
    });
    redrawKeeping(ui.keyThemes, () => renderKeyThemes(ui.keyThemes, model, topic, themeUi.find, cardActions));
    ui.themeFound.textContent = themeUi.find.trim() ? `${found.shown} of ${found.of}` : "";
    ui.jumpKey.hidden = !ui.keyThemes.childElementCount;
    ui.jumpThemes.textContent = `All themes (${found.of})`;
    const undo = model.outline.undo;
    ui.undo.disabled = !undo;
    ui.undo.dataset.action = undo ? String(undo.action) : "";
    ui.undoWhat.textContent = undo ? describeUndo(undo) : "nothing to undo";
    ui.undoWhat.title = ui.undoWhat.textContent; // whole, where the line cuts it short
    if (reveal) {
      const card = ui.themes.querySelector(`[data-theme-id="${CSS.escape(reveal)}"]`);
      if (card && state.model?.outline.themes.some((t) => t.id === reveal && model.members(t).length)) {
        card.scrollIntoView({ block: "nearest" });
        reveal = null;
      }
    }
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

  /**
   * What the undo button would undo, in the lead's words: theme titles and comment texts.
   * @param {import("./wall_model.js").Undo} undo
   * @returns {string}
   */
  function describeUndo(undo) {
    const theme = `“${short(undo.title)}”`;
    const texts = (undo.comments ?? []).map(([table, id]) => state.placedOf(`${table}/${id}`)?.comment.text);
    const comment = texts.length === 1 && texts[0] ? `“${short(texts[0])}”` : `${texts.length} comments`;
    switch (undo.event_type) {
      case "ThemeCreated":
        return `undoes creating ${theme}`;
      case "CommentAddedToTheme":
        return `undoes putting ${comment} in ${theme}`;
      case "CommentRemovedFromTheme":
        return `undoes taking ${comment} out of ${theme}`;
      case "ThemesMerged":
        return `undoes merging ${theme} into “${short(undo.into_title ?? "")}”`;
      case "ThemeSplit":
        return `undoes splitting “${short(undo.new_title ?? "")}” off ${theme}`;
      case "SuggestionAccepted":
        return `undoes accepting the suggestion ${theme}`;
      default:
        return `undoes the last grouping of ${theme}`;
    }
  }

  return { putIn, newThemeFrom, takeOut, drawThemes, fillScopes };
}
