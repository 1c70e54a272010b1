// @ts-check
/**
 * The front page (`/`). To a browser signed in as an organiser, a lead or staff: the meetings
 * on this server it may see and what it can open for each. To anyone else: how to join a table
 * or sign in, and nothing about the meetings (the page is static; meetings come only with a
 * token).
 */

import { byId, el, replaceChildren } from "./dom.js";
import { api, leadLink, savePrintable, takeOrganiserLink } from "./organiser.js";
import { allSessions, dropSession } from "./session.js";

const LISTED = new Set(["organiser", "lead", "staff"]);
const page = byId("front");
const notice = byId("notice");

/** @param {string} text */
function say(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

/**
 * What a role can open for a meeting, as links (a page) and buttons (an action).
 * @param {string} role
 * @param {any} meeting
 * @param {string} token
 * @returns {HTMLElement[]}
 */
function opens(role, meeting, token) {
  const id = encodeURIComponent(meeting.meeting_id);
  /** @param {string} href @param {string} text */
  const link = (href, text) => el("a", { class: "button", href, text });
  /** @param {string} text @param {() => Promise<void>} action */
  const button = (text, action) => {
    const b = el("button", { type: "button", text });
    b.addEventListener("click", () => action().catch((error) => say(error.message)));
    return b;
  };
  if (role === "organiser") {
    return [
      link(`/plan?meeting=${id}`, "Plan"),
      link(`/plan?copy=${id}`, "Copy"),
      button("Join sheets", () => savePrintable(token, meeting.meeting_id, "join-sheets")),
      button("Table cards", () => savePrintable(token, meeting.meeting_id, "table-cards")),
      button("Lead's sign-in link", async () => showLeadLink(await leadLink(token, meeting.meeting_id))),
    ];
  }
  if (role === "lead") {
    return [
      link(`/lead?meeting=${id}`, "Lead's page"),
      link(`/wall?meeting=${id}`, "Projected wall"),
      link(`/present?meeting=${id}`, "Report-back"),
      link(`/replay?meeting=${id}`, "Replay"),
    ];
  }
  return [link(`/report?meeting=${id}`, "Summary report"), link(`/replay?meeting=${id}`, "Replay")];
}

/** @param {string} url */
function showLeadLink(url) {
  const input = /** @type {HTMLInputElement} */ (byId("lead-link-url"));
  input.value = url;
  byId("lead-link").hidden = false;
  input.focus();
  input.select();
}

async function main() {
  const refused = await takeOrganiserLink();
  if (refused) say(refused);
  const sessions = allSessions().filter((s) => LISTED.has(s.role));
  /** @type {Map<string, {meeting: any, rows: HTMLElement[]}>} */
  const byMeeting = new Map();
  const roles = new Set();
  for (const session of sessions) {
    let response;
    try {
      response = await api(session.token).get("/api/meetings");
    } catch {
      say("Cannot reach the Roundtable server.");
      continue;
    }
    if (response.status === 401) {
      dropSession(session.meeting_id);
      continue;
    }
    if (!response.ok) continue;
    roles.add(session.role);
    for (const meeting of (await response.json()).meetings) {
      const entry = byMeeting.get(meeting.meeting_id) || { meeting, rows: [] };
      entry.rows.push(
        el("div", { class: "opens", role: "group", "aria-label": `As ${session.role}` }, [
          el("span", { class: "as", text: `As ${session.role}:` }),
          ...opens(session.role, meeting, session.token),
        ]),
      );
      byMeeting.set(meeting.meeting_id, entry);
    }
  }
  const signedIn = roles.size > 0;
  byId("visitor").hidden = signedIn;
  byId("signed-in").hidden = !signedIn;
  byId("plan-new").hidden = !roles.has("organiser");
  byId("roles").textContent = signedIn ? `Signed in as ${[...roles].join(", ")}.` : "";
  const listed = [...byMeeting.values()].sort((a, b) => b.meeting.date.localeCompare(a.meeting.date));
  byId("no-meetings").hidden = listed.length > 0;
  replaceChildren(
    byId("meetings"),
    listed.map(({ meeting, rows }) =>
      el("li", { class: "meeting", "data-meeting": meeting.meeting_id }, [
        el("h3", { text: meeting.title }),
        el("p", { class: "muted", text: [meeting.date, meeting.venue, meeting.status].filter(Boolean).join(" · ") }),
        ...rows,
      ]),
    ),
  );
  page.dataset.state = signedIn ? "signed-in" : "visitor";
}

main();
