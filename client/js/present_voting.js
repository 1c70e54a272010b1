// @ts-check
/**
 * The room's vote on the presentation: a screen of its own over the report-back, shown by
 * itself when the lead opens a round (the QR code, the short link and, if the lead chose
 * so, the counts as they arrive) and toggled with the Vote button or V. Freezing the
 * report-back does not freeze it: the counts are the room's answer, coming in.
 */

import { byId, replaceChildren } from "./dom.js";
import { fit } from "./present_view.js";
import { followVoting, votingLink, votingPanel } from "./voting_view.js";

/**
 * @param {import("./socket.js").LiveSocket} socket
 * @param {import("./session.js").Session} session
 */
export function presentVoting(socket, session) {
  const panel = byId("voting");
  const stage = byId("stage");
  const toggle = byId("vote-toggle");
  const link = votingLink(session.meeting_id, session.token);
  /** @type {import("./voting_view.js").Voting | null} */
  let view = null;
  let lastOpened = 0;

  /** @param {boolean} shown */
  function show(shown) {
    panel.hidden = !shown;
    stage.hidden = shown;
    if (shown) fit(panel);
    toggle.setAttribute("aria-pressed", String(shown));
  }

  async function draw() {
    if (!view) return;
    const current = view;
    const parts = votingPanel(current, current.open ? await link() : null);
    if (current !== view) return; // a newer view came while the link was asked
    replaceChildren(panel, parts);
    if (!panel.hidden) fit(panel);
    panel.dataset.open = String(current.open);
    panel.dataset.phones = String(current.counts?.phones ?? "");
    toggle.hidden = current.round === null;
  }

  followVoting(socket, (next) => {
    const opened = next.open && next.round !== null && next.round !== lastOpened;
    if (next.open && next.round !== null) lastOpened = next.round;
    view = next;
    draw();
    if (opened) show(true);
  });
  const flip = () => show(panel.hidden && view?.round !== null);
  toggle.addEventListener("click", flip);
  addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== "v" && event.key !== "V")) return;
    flip();
    event.preventDefault();
  });
}
