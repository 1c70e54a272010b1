// @ts-check
/**
 * Moving through the presentation: the overview, one screen per topic, then the key themes
 * across topics (when there are some); a screen in parts (`present_view.js` `partsOf`) is
 * moved through part by part. Arrow keys, Page Up/Down (what a presentation clicker
 * sends), space, Home and End move; digits jump (0 the overview, 1–9 a topic). The screen is
 * named by what it shows, not by its number, so a section added live never moves the room to
 * another screen; it is kept in the address (`#screen=…`), so a reload stays on it.
 */

export const OVERVIEW = "overview";
export const ACROSS = "across-topics";

/** @type {Record<string, "next" | "previous" | "first" | "last">} */
const MOVES = {
  ArrowRight: "next",
  ArrowDown: "next",
  PageDown: "next",
  " ": "next",
  ArrowLeft: "previous",
  ArrowUp: "previous",
  PageUp: "previous",
  Home: "first",
  End: "last",
};

/**
 * The screens of a report-back view, in order.
 * @param {any} view the report-back (projections/report_back.py `render`)
 * @returns {string[]}
 */
export function screens(view) {
  const topics = (view.topics || []).map((/** @type {any} */ t) => `topic:${t.topic}`);
  return [OVERVIEW, ...topics, ...((view.across_topics || []).length ? [ACROSS] : [])];
}

/**
 * @param {string} key a KeyboardEvent's `key`
 * @returns {"next" | "previous" | "first" | "last" | null} the move it is, if any
 */
export function direction(key) {
  return MOVES[key] ?? null;
}

/**
 * The screen a key moves to from `current`, or null when the key is not a move.
 * @param {string[]} all the screens, in order
 * @param {string} current
 * @param {string} key a KeyboardEvent's `key`
 * @returns {string | null}
 */
export function moveFrom(all, current, key) {
  const at = Math.max(0, all.indexOf(current));
  if (/^[0-9]$/.test(key)) {
    const target = all[Number(key)];
    return target === undefined ? null : target;
  }
  switch (direction(key)) {
    case "next":
      return all[Math.min(all.length - 1, at + 1)];
    case "previous":
      return all[Math.max(0, at - 1)];
    case "first":
      return all[0];
    case "last":
      return all[all.length - 1];
    default:
      return null;
  }
}

/** @returns {string} the screen named in the address, or the overview */
export function screenInAddress() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  return params.get("screen") || OVERVIEW;
}

/** @param {string} screen keep it in the address, without adding to the history */
export function keepInAddress(screen) {
  history.replaceState(null, "", `${location.pathname}${location.search}#screen=${encodeURIComponent(screen)}`);
}
