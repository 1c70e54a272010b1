// @ts-check
/**
 * Text-only DOM helpers. Comment text is data, never markup: everything goes through
 * `textContent` and attributes, never `innerHTML`.
 */

/**
 * Make an element.
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs] attributes; `text` sets textContent
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Replace an element's children.
 * @param {Element} parent
 * @param {(Node | null | undefined | false)[]} children
 */
export function replaceChildren(parent, children) {
  parent.replaceChildren(...children.flatMap((c) => (c ? [c] : [])));
}

/**
 * The element with this id (throws if the page lacks it: a bug, not a runtime state).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`no #${id} on this page`);
  return node;
}

/**
 * A time of day as HH:MM:SS in the tablet's own time zone.
 * @param {number} millis since the epoch
 * @returns {string}
 */
export function timeOfDay(millis) {
  const d = new Date(millis);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
}

/**
 * @param {string} text
 * @returns {string} at most 60 characters of it
 */
export function short(text) {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * A button that acts and leaves the focus (and the touch keyboard) on the input.
 * @param {HTMLElement} button
 * @param {() => void} action
 * @param {HTMLElement} input where the focus goes back to
 */
export function onTap(button, action, input) {
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", () => {
    action();
    input.focus();
  });
}

/**
 * Fill a `<select>` with [value, label] options, unless it already holds exactly these. What
 * was chosen stays chosen if it is still offered, else the first option is.
 * @param {HTMLSelectElement} select
 * @param {string[][]} options [value, label]
 */
export function fillSelect(select, options) {
  const key = JSON.stringify(options);
  if (select.dataset.key === key) return;
  const chosen = select.value;
  select.dataset.key = key;
  replaceChildren(select, options.map(([value, label]) => el("option", { value, text: label })));
  select.value = options.some(([value]) => value === chosen) ? chosen : options[0]?.[0] ?? "";
}

/**
 * Redraw a container, keeping what was typed or chosen in its inputs (`data-key`) and where
 * the focus was (a comment arriving from a tablet must not eat a half-typed title).
 * @param {HTMLElement} container
 * @param {() => void} draw
 */
export function redrawKeeping(container, draw) {
  /** @type {Map<string, string>} */
  const values = new Map();
  for (const input of container.querySelectorAll("input[data-key], select[data-key]")) {
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) values.set(String(input.dataset.key), input.value);
  }
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && container.contains(active) ? active.dataset.key : undefined;
  const caret = active instanceof HTMLInputElement ? active.selectionStart : null;
  draw();
  for (const input of container.querySelectorAll("input[data-key], select[data-key]")) {
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) continue;
    const value = values.get(String(input.dataset.key));
    if (value !== undefined) input.value = value;
  }
  if (focused) {
    const again = container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again instanceof HTMLElement) {
      again.focus({ preventScroll: true });
      if (again instanceof HTMLInputElement && caret !== null) again.setSelectionRange(caret, caret);
    }
  }
}
