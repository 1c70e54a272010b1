// @ts-check
/**
 * Fitting the projected wall to the screen without scrolling: try gentler steps first (fewer
 * quotes, smaller type), then hide the least important items, as few as possible. Every trial
 * is one layout, so a binary search keeps a board of a hundred themes quick to fit.
 */

/**
 * @param {HTMLElement} box
 * @returns {boolean} whether its content fits inside it
 */
export function fits(box) {
  return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
}

/**
 * Apply `steps` in order until the box fits.
 * @param {HTMLElement} box
 * @param {(() => void)[]} steps
 * @returns {boolean} whether it fits after some step (or before any)
 */
export function settle(box, steps) {
  if (fits(box)) return true;
  for (const step of steps) {
    step();
    if (fits(box)) return true;
  }
  return false;
}

/**
 * Hide the fewest items from the end of `items` (most important first) so that the box fits.
 * `after` runs after each trial, to update notes such as "+ 3 more" that take room too.
 * @param {HTMLElement} box
 * @param {HTMLElement[]} items
 * @param {() => void} after
 * @returns {number} how many were hidden
 */
export function dropLast(box, items, after) {
  /** @param {number} hidden */
  const trial = (hidden) => {
    items.forEach((item, index) => {
      item.hidden = index >= items.length - hidden;
    });
    after();
    return fits(box);
  };
  if (trial(0)) return 0;
  let low = 1; // at least this many must go
  let high = items.length; // this many is enough (or all there are)
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (trial(middle)) high = middle;
    else low = middle + 1;
  }
  trial(high);
  return high;
}
