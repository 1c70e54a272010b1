// @ts-check
/**
 * The page's keys and taps. In the input: Enter adds (never while an input method composes),
 * Ctrl+] and Ctrl+[ (Cmd on an iPad's keyboard) nest and un-nest, Up in the empty box edits
 * the last point, Esc cancels an edit. Tab is left alone: it moves on to the next control, so
 * a keyboard user is never held in the box. Each composer button acts and leaves the touch
 * keyboard up.
 */

import { onTap } from "./dom.js";

/**
 * @param {import("./elements.js").Elements} ui
 * @param {import("./composer.js").Composer} composer
 */
export function bindControls(ui, composer) {
  ui.draft.addEventListener("keydown", (event) => {
    if (event.isComposing || event.keyCode === 229) return; // an input method is composing
    if (event.key === "Enter") {
      event.preventDefault();
      composer.submit();
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "]" || event.key === "[")) {
      event.preventDefault();
      if (event.key === "[") composer.unnest();
      else composer.nest();
    } else if (event.key === "ArrowUp" && !composer.page.editing && ui.draft.value === "") {
      event.preventDefault();
      composer.editLast();
    } else if (event.key === "Escape" && composer.page.editing) {
      event.preventDefault();
      composer.cancel();
    }
  });
  ui.draft.addEventListener("input", () => {
    // Comments are one line: a pasted line break or tab becomes a space.
    if (/[\r\n\t]/.test(ui.draft.value)) ui.draft.value = ui.draft.value.replace(/[\r\n\t]+/g, " ");
  });
  onTap(ui.add, () => composer.submit(), ui.draft);
  onTap(ui.nest, () => composer.nest(), ui.draft);
  onTap(ui.unnest, () => composer.unnest(), ui.draft);
  onTap(ui.editLast, () => composer.editLast(), ui.draft);
  onTap(ui.retract, () => composer.retract(), ui.draft);
  onTap(ui.cancel, () => composer.cancel(), ui.draft);
  onTap(ui.undoButton, () => composer.restore(), ui.draft);
  ui.copy.addEventListener("click", () => {
    ui.waitingText.focus();
    ui.waitingText.select();
    let copied = false;
    try {
      copied = document.execCommand("copy"); // navigator.clipboard needs https
    } catch {
      copied = false;
    }
    ui.copy.textContent = copied ? "Copied" : "Selected: copy it now";
  });
  ui.notice.addEventListener("click", () => {
    ui.notice.hidden = true;
  });
}
