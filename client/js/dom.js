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
  parent.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
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
