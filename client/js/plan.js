// @ts-check
/**
 * The planning page (`/plan`), for organisers: a new meeting from a shipped template or a
 * copy of an earlier one (`?copy=ID`), or the plan of one not yet under way (`?meeting=ID`).
 * The form edits a plan in the template's shape; saving sends it whole, and the server
 * decides it with the same rules as `roundtable meeting create`, naming the field of the
 * first problem, shown beside it. From a saved plan: its join sheets and table cards, the
 * lead's sign-in link, and the evening itself (this browser signs in as the lead).
 */

import { byId, el, fillSelect } from "./dom.js";
import { api, leadLink, organiserSession, savePrintable, takeOrganiserLink } from "./organiser.js";
import { clearErrors, showError } from "./plan_errors.js";
import { collect, render, unusedId } from "./plan_form.js";
import { drawTimeline, minutes } from "./plan_timeline.js";

const page = byId("planner");
const form = /** @type {HTMLFormElement} */ (byId("plan"));
const status = byId("status");
const notice = byId("notice");
const query = new URLSearchParams(location.search);
/** @type {string | null} the meeting being edited (null: a new one) */
let meetingId = query.get("meeting");

/** @param {string} text */
function say(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

await takeOrganiserLink();
const session = organiserSession();
const call = session ? api(session.token) : null;

/**
 * @param {string} path
 * @returns {Promise<any>}
 */
async function getJSON(path) {
  if (!call) throw new Error("not signed in");
  const response = await call.get(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || "The server refused.");
  return body;
}

/** Redraw the preview from what the form holds now. */
function preview() {
  const plan = collect();
  drawTimeline(byId("timeline"), byId("timeline-warning"), plan);
  const start = plan.agenda.find((/** @type {any} */ i) => i.kind === "roundtables");
  byId("rotation-start").textContent = start
    ? `The rotations start with the roundtables item, at ${start.start || "(no time yet)"}.`
    : "Add a roundtables item to the agenda: the rotations run in it.";
}

/**
 * Show `plan` in the form.
 * @param {any} plan
 */
function show(plan) {
  render(plan);
  clearErrors(form);
  form.hidden = false;
  preview();
}

/** Keep the tables' topic choices in step with the topics' titles. */
function refreshTopics() {
  const topics = collect().topics.map((/** @type {any} */ t) => [t.id, t.title || "(untitled topic)"]);
  for (const select of byId("tables").querySelectorAll('select[data-role="topic"]')) {
    fillSelect(/** @type {HTMLSelectElement} */ (select), topics);
  }
}

/**
 * Change the form's plan with `change`, redraw it, and put the keyboard on `focus`'s result.
 * @param {(plan: any) => void} change
 * @param {(form: HTMLFormElement) => Element | null} [focus]
 */
function edit(change, focus) {
  const plan = collect();
  change(plan);
  render(plan);
  preview();
  const target = focus ? focus(form) : null;
  if (target instanceof HTMLElement) target.focus();
}

/** @param {string} id */
const lastInput = (id) => byId(id).querySelector(":scope > li:last-child input, :scope > li:last-child select");

byId("add-item").addEventListener("click", () =>
  edit((plan) => {
    const last = plan.agenda[plan.agenda.length - 1];
    const start = last ? (minutes(last.end) ?? minutes(last.start) ?? 1080) : 1080;
    const at = `${String(Math.floor(start / 60) % 24).padStart(2, "0")}:${String(start % 60).padStart(2, "0")}`;
    plan.agenda.push({ kind: "break", title: "", start: at, end: null });
  }, () => lastInput("agenda")),
);
byId("add-topic").addEventListener("click", () =>
  edit((plan) => plan.topics.push({ id: unusedId("topic", plan.topics), title: "" }), () => lastInput("topics")),
);
byId("add-question").addEventListener("click", () =>
  edit((plan) => plan.questions.push({ id: unusedId("question", plan.questions), prompt: "" }), () => lastInput("questions")),
);
byId("add-table").addEventListener("click", () =>
  edit((plan) => {
    const number = Math.max(0, ...plan.tables.map((/** @type {any} */ t) => Number(t.number) || 0)) + 1;
    plan.tables.push({ number, topic: plan.topics[0]?.id ?? "", facilitator: null });
  }, () => lastInput("tables")),
);

/** @type {Record<string, string>} each list's add button, where the keyboard goes after a removal */
const ADD = { agenda: "add-item", topics: "add-topic", questions: "add-question", tables: "add-table" };
form.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
  const row = button?.closest("li");
  const list = row?.parentElement;
  if (!button || !row || !list || !(list.id in ADD)) return;
  const key = list.id;
  const index = [...list.children].indexOf(row);
  const action = button.getAttribute("data-action");
  edit((plan) => {
    if (action === "remove") plan[key].splice(index, 1);
    if (action === "up" && index > 0) plan[key].splice(index - 1, 0, ...plan[key].splice(index, 1));
  }, () => (action === "up" ? list.children[index - 1]?.querySelector("input") ?? null : byId(ADD[key])));
});
form.addEventListener("input", preview);
// After an edit, "Saved" (or a refusal's pointer to a message the edit removed) is no longer true.
form.addEventListener("input", () => {
  byId("saved").textContent = "Changes not saved yet.";
});
byId("topics").addEventListener("change", refreshTopics);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!call) return;
  clearErrors(form);
  say("");
  const plan = collect();
  const wanted = /** @type {HTMLInputElement} */ (byId("meeting-id")).value.trim();
  const path = meetingId ? `/api/meetings/${encodeURIComponent(meetingId)}/plan` : "/api/plans";
  const body = meetingId ? { plan } : { plan, ...(wanted ? { id: wanted } : {}) };
  byId("saved").textContent = "Saving…";
  let response;
  try {
    response = await call.post(path, body);
  } catch {
    byId("saved").textContent = "";
    say("Cannot reach the Roundtable server: nothing was saved.");
    return;
  }
  const answer = await response.json();
  if (!response.ok) {
    byId("saved").textContent = "Not saved: see the message below its field.";
    if (!answer.field || !showError(form, answer.field, answer.message)) say(answer.message);
    return;
  }
  meetingId = answer.meeting_id;
  history.replaceState(null, "", `/plan?meeting=${encodeURIComponent(answer.meeting_id)}`);
  byId("saved").textContent = `Saved (${answer.meeting_id}).`;
  await load();
});

/** @param {string} text */
const failing = (text) => (/** @type {any} */ error) => say(`${text}: ${error.message}`);
byId("print-sheets").addEventListener("click", () => {
  if (session && meetingId) savePrintable(session.token, meetingId, "join-sheets").catch(failing("No join sheets"));
});
byId("print-cards").addEventListener("click", () => {
  if (session && meetingId) savePrintable(session.token, meetingId, "table-cards").catch(failing("No table cards"));
});
byId("make-lead-link").addEventListener("click", async () => {
  if (!session || !meetingId) return;
  try {
    const input = /** @type {HTMLInputElement} */ (byId("lead-link-url"));
    input.value = await leadLink(session.token, meetingId);
    byId("lead-link").hidden = false;
    input.focus();
    input.select();
  } catch (error) {
    failing("No link")(error);
  }
});
byId("open-evening").addEventListener("click", async () => {
  if (!session || !meetingId) return;
  try {
    location.assign(await leadLink(session.token, meetingId));
  } catch (error) {
    failing("The evening could not be opened")(error);
  }
});

/** Fill the time zone suggestions (the browser's list). */
function zones() {
  const names = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  byId("zones").replaceChildren(...names.map((name) => el("option", { value: name })));
}

/** Load the page's meeting, or offer what a new one can start from. */
async function load() {
  const editing = meetingId !== null;
  byId("start").hidden = editing;
  byId("after").hidden = !editing;
  byId("meeting-id-label").hidden = editing;
  /** @type {HTMLInputElement} */ (byId("date")).readOnly = editing;
  /** @type {HTMLInputElement} */ (byId("timezone")).readOnly = editing;
  if (editing) {
    const found = await getJSON(`/api/meetings/${encodeURIComponent(String(meetingId))}/plan`);
    byId("heading").textContent = `Plan: ${found.plan.meeting.title}`;
    document.title = `Roundtable — plan: ${found.plan.meeting.title}`;
    show(found.plan);
    status.textContent = found.started
      ? "The roundtables have started: only titles, wording and facilitators can still change."
      : "Saved plans can be changed until the roundtables start. The date and time zone stay (copy the meeting to move it).";
    page.dataset.state = found.started ? "started" : "editing";
    return;
  }
  const [{ templates }, { meetings }] = await Promise.all([getJSON("/api/templates"), getJSON("/api/meetings")]);
  const source = /** @type {HTMLSelectElement} */ (byId("source"));
  fillSelect(source, [
    ...templates.map((/** @type {any} */ t) => [`template:${t.name}`, `Template: ${t.title}`]),
    ...meetings.map((/** @type {any} */ m) => [`copy:${m.meeting_id}`, `Copy of ${m.title} (${m.date})`]),
  ]);
  const copy = query.get("copy");
  if (copy) source.value = `copy:${copy}`;
  await useSource();
  status.textContent = "A new meeting: change what differs, then save.";
  page.dataset.state = "new";
}

/** Fill the form from the chosen template or earlier meeting. */
async function useSource() {
  const [kind, name] = /** @type {HTMLSelectElement} */ (byId("source")).value.split(/:(.*)/s);
  const path = kind === "copy" ? `/api/meetings/${encodeURIComponent(name)}/plan` : `/api/templates/${encodeURIComponent(name)}`;
  show((await getJSON(path)).plan);
}
byId("use-source").addEventListener("click", () => useSource().catch(failing("Cannot start from it")));

zones();
if (!session) {
  status.textContent = "Only an organiser can plan meetings.";
  say("Sign in first: open the organiser's sign-in link that `roundtable serve` printed (or `roundtable link --role organiser`).");
  page.dataset.state = "signed-out";
} else {
  load().catch((error) => {
    say(error.message);
    page.dataset.state = "failed";
  });
}
