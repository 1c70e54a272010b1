// @ts-check
/**
 * The room's vote on the projected wall: while a round is open, a column with the QR code
 * and the short link phones open, and how many phones voted if the lead shows counts live
 * (the counts themselves are the presentation's, which has the room for them). It goes when
 * the round closes.
 */

import { byId, replaceChildren } from "./dom.js";
import { followVoting, votingLink, votingPanel } from "./voting_view.js";

/**
 * @param {import("./socket.js").LiveSocket} socket
 * @param {import("./session.js").Session} session
 */
export function wallVoting(socket, session) {
  const band = byId("voting");
  const link = votingLink(session.meeting_id, session.token);
  let drawn = 0;
  followVoting(socket, async (view) => {
    const turn = ++drawn;
    const parts = view.open ? votingPanel(view, await link()) : [];
    if (turn !== drawn) return; // a newer view came while the link was asked
    replaceChildren(band, parts);
    band.hidden = !view.open;
    band.dataset.open = String(view.open);
  });
}
