// @ts-check
/**
 * The lead's report-back controls: open the presentation (its own window, for the
 * projector), freeze it while presenting (a command, so an event: a replay shows what the
 * room saw), and the offer to open it when the clock reaches the report-back
 * (phase_switch.js). Whether it is frozen is asked of the server on every `state` and then
 * followed by the `ReportBack…` events.
 */

import { offerPresentation, presentUrl } from "./phase_switch.js";

/** @param {import("./lead_commands.js").LeadPage} page */
export function reportBackControls({ ui, session, socket, api, send }) {
  const meetingId = session.meeting_id;
  ui.presentOpen.href = presentUrl(meetingId);
  let frozen = false;
  const drawFreeze = () => {
    ui.freeze.textContent = frozen ? "Unfreeze presentation" : "Freeze presentation";
    ui.freeze.setAttribute("aria-pressed", String(frozen));
  };
  const refreshFreeze = async () => {
    try {
      const response = await api.get("/report-back");
      if (response.ok) frozen = !!(await response.json()).report_back.frozen;
      drawFreeze();
    } catch {
      // offline: the next welcome asks again
    }
  };
  socket.addEventListener("rt:message", (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    if (message.type === "state") refreshFreeze();
    else if (message.type === "event" && message.event_type.startsWith("ReportBack")) {
      frozen = message.event_type === "ReportBackFrozen";
      drawFreeze();
    }
  });
  ui.freeze.addEventListener("click", () => {
    send(frozen ? "unfreeze_report_back" : "freeze_report_back", {}, frozen ? "Unfreezing" : "Freezing");
  });
  offerPresentation(socket, meetingId, ui.presentOffer);
}
