// @ts-check
/**
 * A refused plan's message shown beside the field it names. The server names fields as a
 * template does (`meeting.title`, `agenda[2].start`, `rotation.count`, `tables`); the page
 * marks its inputs and sections with the names they hold (`data-field`, several allowed), and
 * a name it lacks is looked up by its parent (`agenda[2].start`, then `agenda[2]`, `agenda`).
 */

import { el } from "./dom.js";

/**
 * @param {string} field
 * @returns {string[]} the field and its parents, most precise first
 */
function candidates(field) {
  const names = [field];
  let rest = field;
  while (/[.[]/.test(rest)) {
    rest = rest.replace(/(\.[^.[\]]*|\[\d+\])$/, "");
    if (!rest || names.includes(rest)) break;
    names.push(rest);
  }
  return names;
}

/** Remove every message shown. @param {HTMLElement} form */
export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
    node.removeAttribute("aria-describedby");
  }
}

/**
 * Show `message` beside the element holding `field`, and take the keyboard there.
 * @param {HTMLElement} form
 * @param {string} field
 * @param {string} message
 * @returns {boolean} whether a place was found
 */
export function showError(form, field, message) {
  const target = candidates(field)
    .map((name) => form.querySelector(`[data-field~="${CSS.escape(name)}"]`))
    .find((node) => node instanceof HTMLElement);
  if (!(target instanceof HTMLElement)) return false;
  const text = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const note = el("p", { class: "field-error", id: `error-${field.replace(/[^a-z0-9]+/gi, "-")}`, text });
  const input = target.matches("input, select, textarea") ? target : null;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    (input.closest("label") || input).after(note);
    input.focus();
  } else {
    const legend = target.querySelector(":scope > legend");
    if (legend) legend.after(note);
    else target.prepend(note);
    note.tabIndex = -1;
    note.focus();
  }
  // The message is about what was there: it goes as soon as the person changes it (the next
  // save checks the plan again), so a fixed field never keeps its old complaint.
  target.addEventListener(
    "input",
    () => {
      note.remove();
      if (input) {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    },
    { once: true },
  );
  return true;
}
