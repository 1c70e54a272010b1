// @ts-check
/**
 * The keyboard on the lead's comments, for theming without a mouse: the list is one Tab stop;
 * ↑ ↓ (Page Up, Page Down, Home, End) move along it, T or Enter opens the theme picker, N
 * starts a theme from the comment, X or Delete takes it out of its theme. The picker lists the themes the comment may go in (its own
 * question's first); Enter, a double click or "Put in" puts it there, Esc goes back to it.
 */

import { el, replaceChildren, short } from "./dom.js";
import { roveTo } from "./lead_comments.js";
import { scopeLabel, themesFor } from "./lead_themes.js";

/**
 * @param {import("./lead_commands.js").LeadPage} page
 * @param {import("./lead_theme_actions.js").ThemeCommands} themes
 * @returns {{refreshPicker: () => void}} refills the open picker when the themes change
 */
export function commentKeys({ ui, state }, themes) {
  /** @type {string | null} the comment the theme picker is for */
  let picking = null;

  /** @param {string} key */
  function fillPicker(key) {
    const placed = state.placedOf(key);
    const model = state.model;
    if (!placed || !model) return;
    const chosen = ui.pickerList.value;
    const options = themesFor(model.outline.themes, placed.topic, placed.question).map((t) =>
      el("option", { value: t.id, text: `${t.title} — ${scopeLabel(model.meeting, t.topic, t.question)}${t.id === placed.theme ? " (in it)" : ""}` }),
    );
    replaceChildren(ui.pickerList, options.length ? options : [el("option", { value: "", disabled: true, text: "No theme yet: press N on the comment to start one" })]);
    if (chosen) ui.pickerList.value = chosen;
    if (ui.pickerList.selectedIndex < 0 && options.length) ui.pickerList.selectedIndex = 0;
  }

  /** @param {string} key */
  function openPicker(key) {
    const placed = state.placedOf(key);
    if (!placed) return;
    picking = key;
    ui.pickerTitle.textContent = `Put “${short(placed.comment.text)}” (table ${placed.table}) in:`;
    ui.pickerList.value = "";
    fillPicker(key);
    ui.picker.hidden = false;
    ui.pickerList.focus();
  }

  function closePicker() {
    const key = picking;
    picking = null;
    ui.picker.hidden = true;
    if (key) focusComment(key);
  }

  function pick() {
    const key = picking;
    const theme = ui.pickerList.value;
    closePicker();
    if (key && theme) themes.putIn(key, theme, true);
  }

  /** @param {string} key */
  function focusComment(key) {
    const item = ui.comments.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (item instanceof HTMLElement) item.focus();
  }

  ui.comments.addEventListener("keydown", (event) => {
    const item = event.target instanceof Element ? event.target.closest(".lead-comment") : null;
    if (!(item instanceof HTMLElement) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = String(item.dataset.key);
    const all = [...ui.comments.querySelectorAll(".lead-comment")];
    const at = all.indexOf(item);
    const k = event.key.toLowerCase();
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (step) {
      const next = all[Math.max(0, Math.min(all.length - 1, at + step))];
      if (next instanceof HTMLElement) next.focus();
    } else if (event.key === "Home" || event.key === "End") {
      const next = all[event.key === "Home" ? 0 : all.length - 1];
      if (next instanceof HTMLElement) next.focus();
    } else if (k === "t" || event.key === "Enter") openPicker(key);
    else if (k === "n") themes.newThemeFrom(key);
    else if (k === "x" || event.key === "Delete") themes.takeOut(key);
    else return;
    event.preventDefault();
  });
  ui.comments.addEventListener("focusin", (event) => {
    const item = event.target instanceof Element ? event.target.closest(".lead-comment") : null;
    if (item) roveTo(ui.comments, item);
  });
  ui.pickerList.addEventListener("keydown", (event) => {
    if (event.key === "Enter") pick();
    else if (event.key === "Escape") closePicker();
    else return;
    event.preventDefault();
  });
  ui.pickerList.addEventListener("dblclick", pick);
  ui.pickerOk.addEventListener("click", pick);
  ui.pickerCancel.addEventListener("click", closePicker);

  return {
    refreshPicker() {
      if (picking) fillPicker(picking);
    },
  };
}

/**
 * The skip links at the top of the page (the first Tab stops): each moves the focus to what
 * it names (the theme form, finding a theme, the comments' one Tab stop) without touching
 * the address, whose fragment the sign-in link uses.
 * @param {import("./lead_elements.js").LeadElements} ui
 */
export function skipLinks(ui) {
  for (const link of ui.skipLinks) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const to = link.dataset.skip === "comments" ? ui.comments.querySelector('.lead-comment[tabindex="0"]') : document.getElementById(String(link.dataset.skip));
      if (to instanceof HTMLElement) to.focus();
    });
  }
}
