// @ts-check
/**
 * The side pane of the lead's page, wired: the table health panel and the device list
 * (lead_health.js draws both), redrawn as time passes and as devices change (what the socket
 * says of them: `lead_state.js`); signing a device out (asks first); making a one-time
 * sign-in link for another screen; and downloading the join sheets.
 */

import { redrawKeeping } from "./dom.js";
import { saveHtml } from "./download.js";
import { renderDevices, renderHealth, tableHealth } from "./lead_health.js";

/**
 * @param {import("./lead_commands.js").LeadPage} page
 * @returns {{drawHealth: () => void}}
 */
export function devicesPanel({ ui, session, clock, state, api, say, confirm }) {
  function drawHealth() {
    const model = state.model;
    if (!model) return;
    const now = clock.now();
    const quiet = Math.max(1, Number(ui.quiet.value) || 5);
    renderHealth(ui.health, tableHealth(state, now, quiet), model.meeting.clock?.rotation ?? null, now);
    redrawKeeping(ui.devices, () => renderDevices(ui.devices, state, session.device_id, revoke));
  }

  /** @param {any} device */
  function revoke(device) {
    const who = device.role === "facilitator" ? `table ${device.table}'s tablet` : `this ${device.role} screen`;
    confirm(`Sign out ${who} (${device.label || device.device_id.slice(0, 8)})? It will have to join again.`, async () => {
      try {
        const response = await api.post(`/devices/${encodeURIComponent(device.device_id)}/revoke`, {});
        if (!response.ok) say(`Not signed out: ${(await response.json()).message}`);
      } catch {
        say("Not signed out: cannot reach the server.");
      }
    });
  }

  ui.linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await api.post("/links", { role: ui.linkRole.value });
      const body = await response.json();
      if (!response.ok) {
        say(`No link: ${body.message}`);
        return;
      }
      ui.linkUrl.value = body.url;
      ui.linkMade.hidden = false;
      ui.linkUrl.select();
    } catch {
      say("No link: cannot reach the server.");
    }
  });
  ui.linkCopy.addEventListener("click", async () => {
    ui.linkUrl.select();
    try {
      await navigator.clipboard.writeText(ui.linkUrl.value);
    } catch {
      document.execCommand("copy");
    }
  });
  ui.joinSheets.addEventListener("click", async () => {
    try {
      const response = await api.get("/join-sheets");
      if (!response.ok) {
        say("The join sheets could not be made.");
        return;
      }
      await saveHtml(response, `join-sheets-${session.meeting_id}.html`);
    } catch {
      say("The join sheets could not be fetched: cannot reach the server.");
    }
  });

  setInterval(drawHealth, 5000);
  ui.quiet.addEventListener("input", drawHealth);
  return { drawHealth };
}
