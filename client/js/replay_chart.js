// @ts-check
/**
 * The replay page's two drawings, SVG made here (no library): the timeline of the evening
 * (the agenda's phases as bands, the clock's boundaries as ticks, the moment as a cursor) and
 * the activity chart (comments per minute per table, one line each), with the chart's numbers
 * as a plain table for anyone who does not read the lines.
 */

import { el } from "./dom.js";
import { boundaryLabel, localTime } from "./replay_time.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 1000;
/** One colour per table, told apart also by the dash (for colour-blind readers). */
export const TABLE_STYLES = [
  ["#2f6f6a", ""],
  ["#a3312b", "6 3"],
  ["#5a4fcf", "2 3"],
  ["#9a5b00", "10 3 2 3"],
  ["#1f2933", "1 2"],
  ["#2e7d4f", "8 2"],
];

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {(Element | null)[]} [children]
 * @returns {SVGElement}
 */
function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * @param {string} text
 * @returns {SVGElement}
 */
function title(text) {
  const node = svg("title");
  node.textContent = text;
  return node;
}

/**
 * The timeline: bands for the agenda's items, ticks for the boundaries, hour marks.
 * @param {HTMLElement} box
 * @param {import("./replay_time.js").Timeline} timeline
 * @param {(instant: number) => void} pick a click on the timeline moves the moment there
 */
export function drawTimeline(box, timeline, pick) {
  const { first, last } = timeline;
  const span = Math.max(1, last - first);
  const x = (/** @type {number} */ t) => ((Math.min(last, Math.max(first, t)) - first) / span) * WIDTH;
  /** @param {string} cls @param {number} at @param {number} top @param {string} text */
  const label = (cls, at, top, text) => {
    const node = svg("text", { x: at, y: top, class: cls });
    node.textContent = text;
    return node;
  };
  const bands = timeline.data.agenda
    .filter((/** @type {any} */ item) => (item.end ?? item.start) > first && item.start < last)
    .map((/** @type {any} */ item) => {
      const left = x(item.start);
      const width = Math.max(1, x(item.end ?? last) - left);
      return svg("g", { class: `band band-${item.kind}` }, [
        svg("rect", { x: left, y: 0, width, height: 26 }, [title(`${item.title} (planned)`)]),
        label("band-label", left + 4, 17, item.kind.replace("_", " ")),
      ]);
    });
  const ticks = timeline.boundaries.map((b) =>
    svg("g", { class: `tick tick-${b.type}` }, [
      svg("line", { x1: x(b.recorded_at), x2: x(b.recorded_at), y1: 26, y2: 58 }),
      b.type === "RotationStarted" ? label("tick-label", x(b.recorded_at) + 3, 50, `R${b.rotation}`) : null,
      title(`${boundaryLabel(b)} at ${timeline.local(b.recorded_at)} (position ${b.position})`),
    ]),
  );
  const hours = [];
  const step = span > 3 * 3600e6 ? 3600e6 : span > 3600e6 ? 900e6 : span > 600e6 ? 300e6 : 60e6;
  for (let t = Math.ceil(first / step) * step; t <= last; t += step) {
    const mark = svg("text", { x: x(t), y: 74, class: "hour", "text-anchor": "middle" });
    mark.textContent = localTime(t, timeline.timeZone, false);
    hours.push(svg("line", { x1: x(t), x2: x(t), y1: 58, y2: 63, class: "hour-tick" }), mark);
  }
  const cursor = svg("line", { id: "cursor", class: "cursor", x1: 0, x2: 0, y1: 0, y2: 63 });
  const drawing = svg(
    "svg",
    { viewBox: `0 0 ${WIDTH} 78`, preserveAspectRatio: "none", role: "img", "aria-label": "The evening: phases, rotations and the moment shown" },
    [svg("rect", { x: 0, y: 26, width: WIDTH, height: 32, class: "track" }), ...bands, ...ticks, ...hours, cursor],
  );
  drawing.addEventListener("click", (event) => {
    const box = drawing.getBoundingClientRect();
    const share = (/** @type {MouseEvent} */ (event).clientX - box.left) / box.width;
    pick(Math.round(first + share * span));
  });
  box.replaceChildren(drawing);
}

/**
 * Move the cursors of the timeline and the chart to `instant`.
 * @param {import("./replay_time.js").Timeline} timeline
 * @param {number} instant
 */
export function moveCursors(timeline, instant) {
  const share = (instant - timeline.first) / Math.max(1, timeline.last - timeline.first);
  const at = String(Math.min(1, Math.max(0, share)) * WIDTH);
  for (const id of ["cursor", "chart-cursor"]) {
    const line = document.getElementById(id);
    if (line) {
      line.setAttribute("x1", at);
      line.setAttribute("x2", at);
    }
  }
}

/**
 * The chart of comments per minute per table, and its table.
 * @param {HTMLElement} box
 * @param {HTMLElement} table
 * @param {import("./replay_time.js").Timeline} timeline
 */
export function drawActivity(box, table, timeline) {
  const { start, minutes, counts } = timeline.data.activity;
  const numbers = Object.keys(counts).map(Number).sort((a, b) => a - b);
  const peak = Math.max(1, ...numbers.flatMap((n) => counts[String(n)]));
  const height = 120;
  const { first, last } = timeline;
  const span = Math.max(1, last - first);
  const x = (/** @type {number} */ t) => ((t - first) / span) * WIDTH;
  const y = (/** @type {number} */ n) => height - (n / peak) * (height - 10);
  const lines = numbers.map((n, index) => {
    const [colour, dash] = TABLE_STYLES[index % TABLE_STYLES.length];
    const points = counts[String(n)].map((c, i) => `${x(start + (i + 0.5) * 60e6).toFixed(1)},${y(c).toFixed(1)}`);
    return svg("polyline", {
      points: points.join(" "),
      class: "series",
      "data-table": n,
      stroke: colour,
      "stroke-dasharray": dash,
    }, [title(`Table ${n}`)]);
  });
  const grid = [0, peak].map((n) => {
    const label = svg("text", { x: 2, y: y(n) - 2, class: "axis" });
    label.textContent = String(n);
    return svg("g", {}, [svg("line", { x1: 0, x2: WIDTH, y1: y(n), y2: y(n), class: "grid" }), label]);
  });
  const rotations = timeline.boundaries
    .filter((b) => b.type === "RotationStarted")
    .map((b) => svg("line", { x1: x(b.recorded_at), x2: x(b.recorded_at), y1: 0, y2: height, class: "rotation-line" }));
  box.replaceChildren(
    svg(
      "svg",
      {
        viewBox: `0 0 ${WIDTH} ${height}`,
        preserveAspectRatio: "none",
        role: "img",
        "aria-label": `Comments per minute at each table; the most in a minute was ${peak}. The table below gives the numbers.`,
      },
      [...grid, ...rotations, ...lines, svg("line", { id: "chart-cursor", class: "cursor", x1: 0, x2: 0, y1: 0, y2: height })],
    ),
    el(
      "ul",
      { class: "legend" },
      numbers.map((n, index) => {
        const [colour, dash] = TABLE_STYLES[index % TABLE_STYLES.length];
        const swatch = svg("svg", { viewBox: "0 0 30 8", width: 30, height: 8, "aria-hidden": "true" }, [
          svg("line", { x1: 0, x2: 30, y1: 4, y2: 4, stroke: colour, "stroke-width": 3, "stroke-dasharray": dash }),
        ]);
        const topic = timeline.data.tables.find((/** @type {any} */ t) => t.number === n);
        const item = el("li", {}, [`Table ${n}${topic && topic.topic_title ? `: ${topic.topic_title}` : ""}`]);
        item.prepend(/** @type {any} */ (swatch));
        return item;
      }),
    ),
  );
  const head = el("tr", {}, [
    el("th", { scope: "col", text: "Minute" }),
    ...numbers.map((n) => el("th", { scope: "col", text: `Table ${n}` })),
  ]);
  const rows = [];
  for (let i = 0; i < minutes; i++) {
    const cells = numbers.map((n) => counts[String(n)][i]);
    if (cells.every((c) => c === 0)) continue;
    rows.push(
      el("tr", {}, [
        el("th", { scope: "row", text: localTime(start + i * 60e6, timeline.timeZone, false) }),
        ...cells.map((c) => el("td", { text: String(c) })),
      ]),
    );
  }
  table.replaceChildren(
    el("caption", { text: "Comments added per minute (minutes with none are left out)" }),
    el("thead", {}, [head]),
    el("tbody", {}, rows),
  );
}
