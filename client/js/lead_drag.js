// @ts-check
/**
 * Dragging a comment onto a theme, by mouse, pen or finger, with Pointer Events: a press on a
 * comment that moves more than a few pixels picks it up (a finger only by its handle, so the
 * list still scrolls under a finger); a ghost follows the pointer; letting go over an element
 * marked `data-drop` drops it there. What is dragged is the comment's key, not its element,
 * so a redraw in the middle of a drag (a comment arriving) changes nothing.
 */

const THRESHOLD_PX = 6;

/**
 * @typedef {Object} DragOptions
 * @property {HTMLElement} source the container of draggable items (`[data-key]`)
 * @property {HTMLElement} ghost an element to show under the pointer
 * @property {(key: string) => string} label the ghost's text for a key
 * @property {(key: string, target: HTMLElement) => void} drop
 */

/** @param {DragOptions} options */
export function enableDrag({ source, ghost, label, drop }) {
  /** @type {{key: string, id: number, x: number, y: number, moving: boolean} | null} */
  let drag = null;
  /** @type {HTMLElement | null} */
  let over = null;

  /** @param {number} x @param {number} y @returns {HTMLElement | null} */
  function targetAt(x, y) {
    const found = document.elementFromPoint(x, y);
    const target = found ? found.closest("[data-drop]") : null;
    return target instanceof HTMLElement ? target : null;
  }

  /** @param {HTMLElement | null} target */
  function hover(target) {
    if (over === target) return;
    if (over) over.classList.remove("drop-over");
    over = target;
    if (over) over.classList.add("drop-over");
  }

  function end() {
    hover(null);
    ghost.hidden = true;
    document.body.classList.remove("dragging");
    drag = null;
  }

  source.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !(event.target instanceof Element)) return;
    const item = event.target.closest("[data-key]");
    if (!(item instanceof HTMLElement) || !source.contains(item)) return;
    if (event.pointerType !== "mouse" && !event.target.closest(".handle")) return;
    drag = { key: String(item.dataset.key), id: event.pointerId, x: event.clientX, y: event.clientY, moving: false };
  });

  addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    if (!drag.moving) {
      if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < THRESHOLD_PX) return;
      drag.moving = true;
      ghost.textContent = label(drag.key);
      ghost.hidden = false;
      document.body.classList.add("dragging");
    }
    event.preventDefault();
    ghost.style.transform = `translate(${event.clientX + 12}px, ${event.clientY + 8}px)`;
    hover(targetAt(event.clientX, event.clientY));
  });

  addEventListener("pointerup", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const { key, moving } = drag;
    const target = moving ? targetAt(event.clientX, event.clientY) : null;
    end();
    if (target) drop(key, target);
  });

  addEventListener("pointercancel", (event) => {
    if (drag && event.pointerId === drag.id) end();
  });
  addEventListener("keydown", (event) => {
    if (drag && event.key === "Escape") end();
  });
  // A text selection must not start while dragging with the mouse.
  source.addEventListener("dragstart", (event) => event.preventDefault());
}
