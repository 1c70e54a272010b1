// @ts-check
/**
 * The live preview of the evening on the planning page: the agenda in time order, with the
 * roundtables item opened into its rotations, and a warning when the rotations would run past
 * its end (the server's rule, said before saving; the server still decides).
 */

import { el, replaceChildren } from "./dom.js";

/**
 * @param {string} text HH:MM
 * @returns {number | null} minutes after midnight
 */
export function minutes(text) {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text || "");
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * @param {number} value minutes after midnight (past 24:00 wraps)
 * @returns {string} HH:MM
 */
export function clock(value) {
  const day = ((value % 1440) + 1440) % 1440;
  return `${String(Math.floor(day / 60)).padStart(2, "0")}:${String(day % 60).padStart(2, "0")}`;
}

/**
 * The timeline's lines, and the warning if there is one.
 * @param {any} plan the plan in the template's shape
 * @returns {{lines: {at: string, until: string, title: string, kind: string}[], warning: string}}
 */
export function timeline(plan) {
  const items = [...plan.agenda]
    .filter((item) => minutes(item.start) !== null)
    .sort((a, b) => Number(minutes(a.start)) - Number(minutes(b.start)));
  const lines = [];
  let warning = "";
  items.forEach((item, index) => {
    const start = Number(minutes(item.start));
    const next = items[index + 1];
    const end = minutes(item.end) ?? (next ? minutes(next.start) : null);
    if (item.kind !== "roundtables") {
      lines.push({ at: clock(start), until: end === null ? "" : clock(end), title: item.title, kind: item.kind });
      return;
    }
    const length = Number(plan.rotation.minutes_per_table) || 0;
    const count = Number(plan.rotation.count) || 0;
    for (let r = 0; r < count; r += 1) {
      const from = start + r * length;
      lines.push({ at: clock(from), until: clock(from + length), title: `Rotation ${r + 1} of ${count}: ${item.title}`, kind: "rotation" });
    }
    const finish = start + count * length;
    if (end !== null && finish > end) {
      warning = `${count} rotations of ${length} minutes from ${clock(start)} end at ${clock(finish)}, after the roundtables item ends at ${clock(end)}.`;
    }
  });
  return { lines, warning };
}

/**
 * Draw the timeline.
 * @param {HTMLElement} list
 * @param {HTMLElement} warningLine
 * @param {any} plan
 */
export function drawTimeline(list, warningLine, plan) {
  const { lines, warning } = timeline(plan);
  replaceChildren(
    list,
    lines.map((line) =>
      el("li", { class: `line ${line.kind}` }, [
        el("span", { class: "when", text: line.until ? `${line.at}–${line.until}` : line.at }),
        el("span", { class: "what", text: line.title }),
      ]),
    ),
  );
  warningLine.textContent = warning;
  warningLine.hidden = !warning;
}
