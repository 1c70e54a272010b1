// @ts-check
/**
 * The lead's say over the raw comments on the projected wall (`lead.html` `#wall-quotes`):
 * the rule (none on the wall, the default; each one the lead approves; or each one after some
 * minutes unless taken off first) and, for the newest comments, whether each is on the wall,
 * with Approve (or Show now) and Take off. Every choice is a command (`set_wall_rule`,
 * `approve_comment`, `take_off_wall`); what is drawn is what the server's events said
 * (`wall_model.js` folds them), so two lead windows agree. The lead's page itself always shows
 * every comment: this is about the projector only.
 */

import { byId, el, redrawKeeping } from "./dom.js";
import { refKey } from "./wall_model.js";
import { onWall } from "./wall_quotes.js";

/** The newest comments listed here (the ones the lead can still catch before the room does),
 * and those the wall quotes now. */
const LISTED = 30;

/**
 * @param {import("./lead_commands.js").LeadPage} page
 * @returns {{draw: () => void}}
 */
export function wallQuotes(page) {
  const box = /** @type {HTMLDetailsElement} */ (byId("wall-quotes"));
  const summary = byId("wall-quotes-rule");
  const form = /** @type {HTMLFormElement} */ (byId("wall-rule"));
  const minutes = /** @type {HTMLInputElement} */ (byId("wall-rule-minutes"));
  const list = byId("wall-queue");

  /** The rule the lead just picked, until the wall's rule is that one or the command is
   * refused: a redraw for any other message (the ack included, which may come before the
   * event) must not put the radios back. */
  let picked = { id: /** @type {string | null} */ (null), rule: "" };
  page.socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "error" && message.id === picked.id) picked = { id: null, rule: "" };
  });
  form.addEventListener("change", (event) => {
    const rule = String(new FormData(form).get("rule"));
    if (event.target === minutes && rule !== "after") return;
    const data = rule === "after" ? { rule, minutes: Number(minutes.value) } : { rule };
    picked = { id: page.send("set_wall_rule", data, "The wall's rule"), rule };
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-action]");
    const item = button?.closest("[data-table]");
    if (!(button instanceof HTMLElement) || !(item instanceof HTMLElement)) return;
    const data = { table: Number(item.dataset.table), comment_id: String(item.dataset.id) };
    const approve = button.dataset.action === "approve";
    page.send(approve ? "approve_comment" : "take_off_wall", data, approve ? "Approving" : "Taking it off");
  });
  /** What the list was last drawn from. */
  let drawn = "";
  box.addEventListener("toggle", draw);
  page.socket.addEventListener("rt:message", draw);
  setInterval(draw, 15000); // "shows in 3 min" counts down

  function draw() {
    const model = page.state.model;
    if (!model) return;
    const standing = model.moderation;
    const words = { off: "off", approve: "each one you approve", after: `after ${standing.minutes} min` };
    summary.textContent = `Comments on the wall: ${words[/** @type {"off"} */ (standing.rule)] ?? standing.rule}`;
    if (picked.rule === standing.rule) picked = { id: null, rule: "" };
    const shown = picked.id !== null ? picked.rule : standing.rule;
    for (const input of form.querySelectorAll("input[name=rule]")) {
      const radio = /** @type {HTMLInputElement} */ (input);
      radio.checked = radio.value === shown;
    }
    if (standing.rule === "after" && document.activeElement !== minutes) minutes.value = String(standing.minutes);
    if (!box.open) return;
    const now = model.serverNow(page.clock.now() * 1000);
    const all = model.comments();
    const quoted = new Set(onWall(model, all, now).map((q) => q.ref)); // listed whatever their age
    const rows = all
      .map((placed) => ({ placed, ref: refKey(placed.table, placed.comment.id) }))
      .sort((a, b) => (model.addedAt.get(b.ref) ?? 0) - (model.addedAt.get(a.ref) ?? 0))
      .filter(({ ref }, place) => place < LISTED || quoted.has(ref))
      .map(({ placed, ref }) => {
        const at = model.wallSince(ref, now);
        const choice = standing.choices.get(ref);
        const on = at !== null && at <= now;
        const off = choice !== undefined && !choice.approved;
        return {
          ref,
          table: placed.table,
          id: placed.comment.id,
          text: `Table ${placed.table}: ${placed.comment.text}`,
          on,
          state: on ? "on the wall" : off ? "taken off" : at !== null ? `shows in ${Math.max(1, Math.ceil((at - now) / 60e6))} min` : standing.rule === "off" ? "not on the wall" : "waiting for you",
          approve: on || standing.rule === "off" ? "" : at === null ? "Approve" : "Show now",
          takeOff: !off,
        };
      });
    const json = JSON.stringify(rows);
    if (json === drawn) return;
    drawn = json;
    redrawKeeping(list, () =>
      list.replaceChildren(
        ...rows.map((row) =>
          el("li", { class: "wall-item", "data-table": String(row.table), "data-id": row.id, "data-on": String(row.on) }, [
            el("span", { class: "wall-item-text", text: row.text }),
            el("span", { class: "wall-item-state", text: row.state }),
            row.approve
              ? el("button", { type: "button", class: "small", "data-action": "approve", "data-key": `${row.ref}:approve`, text: row.approve })
              : null,
            row.takeOff
              ? el("button", { type: "button", class: "small", "data-action": "take-off", "data-key": `${row.ref}:off`, text: "Take off" })
              : null,
          ]),
        ),
      ),
    );
  }

  return { draw };
}
