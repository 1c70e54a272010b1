// @ts-check
/**
 * Dragging a comment onto a theme, by mouse, pen or finger, with Pointer Events: a press on a
 * comment that moves more than a few pixels picks it up (a finger only by its handle, so the
 * list still scrolls under a finger); a ghost follows the pointer; letting go over an element
 * marked `data-drop` drops it there. What is dragged is the comment's key, not its element,
 * so a redraw in the middle of a drag (a comment arriving) changes nothing.
 *
 * A pane in `scrollers` (the themes, forty cards long by the break) scrolls by itself while
 * the dragged comment is held near its top or bottom edge, faster nearer the edge, for as
 * long as it is held there: the wheel is not needed, and a finger cannot use one.
 */

const THRESHOLD_PX = 6;
/** How near a pane's edge the pointer starts it scrolling, in px. */
export const EDGE_PX = 56;
/** The most a pane scrolls in one frame, in px. */
const MOST_PX = 22;

/**
 * @typedef {Object} DragOptions
 * @property {HTMLElement} source the container of draggable items (`[data-key]`)
 * @property {HTMLElement[]} scrollers panes that scroll while the pointer nears their edges
 * @property {HTMLElement} ghost an element to show under the pointer
 * @property {(key: string) => string} label the ghost's text for a key
 * @property {(key: string, target: HTMLElement) => void} drop
 */

/**
 * How far a pane should scroll this frame for a pointer at (x, y): negative up, 0 when the
 * pointer is not over the pane's column near its top or bottom edge.
 * @param {HTMLElement} pane
 * @param {number} x
 * @param {number} y
 * @returns {number}
 */
export function edgeStep(pane, x, y) {
  const box = pane.getBoundingClientRect();
  if (x < box.left || x > box.right || y < box.top - EDGE_PX || y > box.bottom + EDGE_PX) return 0;
  const step = (/** @type {number} */ depth) => Math.ceil(MOST_PX * Math.min(1, depth / EDGE_PX));
  if (y < box.top + EDGE_PX && pane.scrollTop > 0) return -step(box.top + EDGE_PX - y);
  const bottom = pane.scrollHeight - pane.clientHeight;
  if (y > box.bottom - EDGE_PX && pane.scrollTop < bottom - 0.5) return step(y - (box.bottom - EDGE_PX));
  return 0;
}

/** @param {DragOptions} options */
export function enableDrag({ source, scrollers, ghost, label, drop }) {
  /** @type {{key: string, id: number, x: number, y: number, moving: boolean} | null} */
  let drag = null;
  /** @type {HTMLElement | null} */
  let over = null;
  /** where the pointer was last seen while dragging */
  let at = { x: 0, y: 0 };
  let frame = 0;

  /** One frame of scrolling the pane the pointer is held at the edge of; again next frame. */
  function scrollFrame() {
    frame = 0;
    if (!drag || !drag.moving) return;
    let moved = false;
    for (const pane of scrollers) {
      const step = edgeStep(pane, at.x, at.y);
      if (!step) continue;
      pane.scrollTop += step;
      moved = true;
    }
    if (!moved) return;
    hover(targetAt(at.x, at.y));
    frame = requestAnimationFrame(scrollFrame);
  }

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
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
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
    at = { x: event.clientX, y: event.clientY };
    hover(targetAt(event.clientX, event.clientY));
    if (!frame) frame = requestAnimationFrame(scrollFrame);
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
