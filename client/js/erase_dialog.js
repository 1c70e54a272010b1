// @ts-check
/**
 * The staff page's confirmation before a comment's words are erased for good
 * (docs/privacy.md): it names the comment (its table, its question and its words), asks why,
 * and offers what quotes it (the lead's theme holding it, the key-theme sentences of its
 * question) to erase with it. Nothing is erased until staff confirm.
 */

import { byId, el, replaceChildren } from "./dom.js";

/**
 * @typedef {Object} Quote something that may quote the comment
 * @property {"theme" | "key_theme"} kind
 * @property {string} id
 * @property {string} text
 */

/**
 * @typedef {Object} Erasure what staff confirmed
 * @property {string} reason
 * @property {boolean} showReason
 * @property {string[]} themes
 * @property {string[]} keyThemes
 */

const KINDS = { theme: "The lead's theme", key_theme: "Key-theme sentence" };

/**
 * Ask staff to confirm; resolves with their choices, or `null` when they cancel.
 * @param {string} named where the comment is ("Table 2, What's working well?")
 * @param {string} words the comment as it reads now
 * @param {Quote[]} quotes
 * @returns {Promise<Erasure | null>}
 */
export function confirmErasure(named, words, quotes) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("erase-dialog"));
  const form = byId("erase-form");
  const cancelButton = byId("erase-cancel");
  const reason = /** @type {HTMLInputElement} */ (byId("erase-reason"));
  const show = /** @type {HTMLInputElement} */ (byId("erase-show"));
  byId("erase-what").textContent = `${named} — “${words}”`;
  reason.value = "";
  show.checked = false;
  const boxes = quotes.map((quote) => {
    const box = /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", value: quote.id }));
    return { quote, box };
  });
  replaceChildren(
    byId("erase-quote-list"),
    boxes.map(({ quote, box }) => el("label", {}, [box, ` ${KINDS[quote.kind]}: “${quote.text}”`])),
  );
  byId("erase-quotes").hidden = quotes.length === 0;
  return new Promise((resolve) => {
    /** @param {Erasure | null} value */
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      cancelButton.removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      // the words leave the page with the dialog: erased, they must not linger in it
      byId("erase-what").textContent = "";
      replaceChildren(byId("erase-quote-list"), []);
      reason.value = "";
      resolve(value);
    };
    /** @param {Event} event */
    const submit = (event) => {
      event.preventDefault();
      const chosen = (/** @type {string} */ kind) =>
        boxes.filter(({ quote, box }) => box.checked && quote.kind === kind).map(({ quote }) => quote.id);
      finish({
        reason: reason.value,
        showReason: show.checked,
        themes: chosen("theme"),
        keyThemes: chosen("key_theme"),
      });
    };
    /** @param {Event} event */
    const cancel = (event) => {
      event.preventDefault();
      finish(null);
    };
    form.addEventListener("submit", submit);
    cancelButton.addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    reason.focus();
  });
}
