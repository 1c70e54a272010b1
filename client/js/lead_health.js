// @ts-check
/**
 * The table health panel and the device list. Per table: the tablets online (presence), the
 * comments waiting in their outboxes (what the tablets last reported, offline ones included:
 * those comments are still on them), the last comment's time, the comments of each rotation
 * and of the one running. A table with no tablet online, or with no comment for the chosen
 * minutes while a rotation runs, is flagged.
 */

import { el, replaceChildren, timeOfDay } from "./dom.js";

/**
 * @typedef {Object} Health one table's row
 * @property {number} table
 * @property {string} topic
 * @property {number} online tablets online
 * @property {number} tablets tablets seen since the server started
 * @property {number} waiting
 * @property {number | null} last the last comment's time (ms, server time)
 * @property {number[]} perRotation comments per rotation (index 0: rotation 1)
 * @property {number} now comments in the rotation running
 * @property {boolean} offline
 * @property {boolean} quiet
 */

/**
 * @param {import("./lead_state.js").LeadState} state
 * @param {number} nowMs the server's time
 * @param {number} quietMinutes
 * @returns {Health[]}
 */
export function tableHealth(state, nowMs, quietMinutes) {
  const model = state.model;
  if (!model) return [];
  const meeting = model.meeting;
  const clock = meeting.clock || {};
  const count = meeting.rotation ? meeting.rotation.count : 0;
  const running = clock.phase_kind === "roundtables" && clock.rotation && clock.paused_at === null && !clock.closed_at;
  return meeting.tables.map((/** @type {any} */ t) => {
    const tablets = state.tablets(t.number);
    const perRotation = Array.from({ length: count }, () => 0);
    let last = null;
    for (const comment of model.tables.get(t.number)?.comments.values() ?? []) {
      if (comment.retracted) continue;
      if (comment.rotation !== null && comment.rotation >= 1 && comment.rotation <= count) perRotation[comment.rotation - 1] += 1;
      if (comment.typedAt !== null) last = Math.max(last ?? 0, comment.typedAt / 1000);
    }
    const online = tablets.filter((d) => d.online).length;
    const quietSince = Math.max(last ?? 0, (clock.since ?? 0) / 1000);
    return {
      table: t.number,
      topic: t.topic_title ?? "",
      online,
      tablets: tablets.length,
      waiting: tablets.reduce((n, d) => n + (d.waiting || 0), 0),
      last,
      perRotation,
      now: clock.rotation ? perRotation[clock.rotation - 1] ?? 0 : 0,
      offline: online === 0,
      quiet: !!running && nowMs - quietSince >= quietMinutes * 60_000,
    };
  });
}

/**
 * @param {HTMLElement} container
 * @param {Health[]} rows
 * @param {number | null} current the rotation running
 * @param {number} nowMs
 */
export function renderHealth(container, rows, current, nowMs) {
  const count = rows.length ? rows[0].perRotation.length : 0;
  const head = el("tr", {}, [
    el("th", { text: "Table" }),
    el("th", { text: "Tablets" }),
    el("th", { text: "Waiting" }),
    el("th", { text: "Last comment" }),
    ...Array.from({ length: count }, (_, i) => el("th", { class: i + 1 === current ? "current" : "", text: `R${i + 1}` })),
    el("th", { text: "All" }),
  ]);
  const body = rows.map((row) => {
    const flags = [
      row.offline && el("span", { class: "flag offline", text: "offline" }),
      row.quiet && el("span", { class: "flag quiet", text: "quiet" }),
    ];
    const ago = row.last === null ? "none yet" : `${timeOfDay(row.last)} (${minutesAgo(nowMs - row.last)})`;
    return el(
      "tr",
      {
        class: "health-row",
        "data-table": String(row.table),
        "data-online": String(row.online),
        "data-waiting": String(row.waiting),
        "data-offline": row.offline ? "true" : "false",
        "data-quiet": row.quiet ? "true" : "false",
        "data-now": String(row.now),
      },
      [
        el("th", { scope: "row", title: row.topic }, [el("span", { text: `T${row.table}` }), ...flags]),
        el("td", { class: "online", text: `${row.online} online${row.tablets > row.online ? ` / ${row.tablets}` : ""}` }),
        el("td", { class: `waiting${row.waiting ? " some" : ""}`, text: String(row.waiting) }),
        el("td", { class: "last", text: ago }),
        ...row.perRotation.map((n, i) => el("td", { class: `num${i + 1 === current ? " current" : ""}`, text: String(n) })),
        el("td", { class: "num", text: String(row.perRotation.reduce((a, b) => a + b, 0)) }),
      ],
    );
  });
  replaceChildren(container, [el("table", { class: "health-table" }, [el("thead", {}, [head]), el("tbody", {}, body)])]);
}

/**
 * @param {number} ms
 * @returns {string}
 */
function minutesAgo(ms) {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  return minutes < 1 ? "just now" : `${minutes} min ago`;
}

/**
 * The device list with who is online, and a sign-out button per device.
 * @param {HTMLElement} container
 * @param {import("./lead_state.js").LeadState} state
 * @param {string} self this page's own device id
 * @param {(device: any) => void} revoke
 */
export function renderDevices(container, state, self, revoke) {
  const rows = [...state.devices.values()].map((d) => {
    const online = d.online;
    const who = d.role === "facilitator" ? `Table ${d.table}` : d.role;
    const status = d.revoked_at ? "signed out" : online ? "online" : "offline";
    const out = el("button", { type: "button", class: "small revoke", text: "Sign out", title: "Sign this device out", "data-key": `revoke/${d.device_id}` });
    /** @type {HTMLButtonElement} */ (out).disabled = !!d.revoked_at || d.device_id === self;
    out.addEventListener("click", () => revoke(d));
    return el("tr", { "data-device": d.device_id, "data-status": status }, [
      el("td", { text: who }),
      el("td", { class: "label", text: d.label || d.device_id.slice(0, 8) }),
      el("td", { class: `device-status ${status}`, text: d.device_id === self ? "this page" : status === "offline" ? "not connected" : status }),
      el("td", { text: d.waiting && !d.revoked_at ? `${d.waiting} waiting` : "" }),
      el("td", {}, [out]),
    ]);
  });
  replaceChildren(container, rows.length ? [el("table", { class: "device-table" }, [el("tbody", {}, rows)])] : [el("p", { class: "muted", text: "No device has joined yet." })]);
}
