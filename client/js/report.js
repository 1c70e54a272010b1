// @ts-check
/**
 * The staff report page: write the key-theme sentences and the front matter, redact, publish
 * and download the summary report (docs/report.md). The staff sign-in link opens it as
 * `/report#meeting=ID&signin=TOKEN` (or `/staff#…`); the fragment is read once and cleared,
 * the device token kept in localStorage, and every request carries it as a bearer token.
 */

import { byId } from "./dom.js";
import { confirmErasure } from "./erase_dialog.js";
import { uuid4 } from "./ids.js";
import { render } from "./report_view.js";
import { loadSession, saveSession, takeFragment } from "./session.js";

const FORMATS = [
  ["md", "Markdown"],
  ["html", "HTML (print to PDF)"],
  ["docx", "Word"],
  ["csv", "CSV"],
  ["json", "JSON"],
];

const page = byId("page");
const status = byId("status");
const notice = byId("notice");
const versionSelect = /** @type {HTMLSelectElement} */ (byId("version"));

/** @type {import("./session.js").Session | null} */
let session = null;
/** @type {{report: any, eraser: any} | null} the report as last loaded */
let loaded = null;

/**
 * @param {string} text
 * @param {"error" | "info"} kind
 */
function tell(text, kind) {
  notice.textContent = text;
  notice.dataset.kind = kind;
  notice.hidden = false;
}

/**
 * A request with the device token.
 * @param {string} path
 * @param {any} [body] JSON to POST
 * @returns {Promise<Response>}
 */
function call(path, body) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${session ? session.token : ""}` };
  if (body === undefined) return fetch(path, { headers });
  headers["Content-Type"] = "application/json";
  return fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
}

function base() {
  return `/api/meetings/${encodeURIComponent(session ? session.meeting_id : "")}/report`;
}

async function load() {
  const response = await call(base());
  const body = await response.json();
  if (!response.ok) {
    page.dataset.state = "error";
    status.textContent = body.message || "The report could not be loaded.";
    return;
  }
  const { report, editor, eraser } = body;
  loaded = { report, eraser };
  const editable = Boolean(editor) && report.edition.meeting_closed;
  if (editable) page.dataset.editable = "";
  else delete page.dataset.editable;
  if (eraser) page.dataset.erasable = "";
  else delete page.dataset.erasable;
  page.dataset.published = String(report.edition.last_published);
  page.dataset.position = String(report.record.position);
  const publish = byId("publish");
  publish.textContent = `Publish version ${report.edition.last_published + 1}`;
  const unchanged = Boolean(editor && report.edition.last_published && !editor.changed);
  /** @type {HTMLButtonElement} */ (publish).disabled = unchanged;
  byId("publish-note").textContent = unchanged
    ? "Nothing changed since the last version."
    : "Publishing freezes this version: its files never change again.";
  render(report, editor, eraser, editable, actions);
  if (!report.edition.meeting_closed && editor) {
    tell("Editing opens when the lead closes the meeting. Downloads until then are drafts.", "info");
  }
  page.dataset.state = "ready";
  status.textContent = `${report.meeting.comments} comments, ${report.meeting.tables} tables`;
}

/**
 * Run a staff command, then show the report as it now stands.
 * @param {string} name
 * @param {Record<string, unknown>} data
 */
async function command(name, data) {
  page.dataset.state = "busy";
  const response = await call(`${base()}/commands`, { id: uuid4(), name, data });
  const body = await response.json();
  if (!response.ok) {
    tell(body.message || "The server refused this.", "error");
  } else {
    notice.hidden = true;
    if (name === "publish_report") tell(`Published version ${body.published}.`, "info");
  }
  await load();
}

/** @type {import("./report_view.js").Actions} */
const actions = {
  write: (topic, question, text) =>
    command("write_key_theme", { key_theme_id: uuid4(), topic, question, text }),
  edit: (id, text) => command("edit_key_theme", { key_theme_id: id, text }),
  order: (topic, question, ids) => command("order_key_themes", { topic, question, key_theme_ids: ids }),
  remove: (id) => command("remove_key_theme", { key_theme_id: id }),
  redact: (table, commentId, reason) => command("redact_comment", { table, comment_id: commentId, reason }),
  unredact: (table, commentId) => command("unredact_comment", { table, comment_id: commentId }),
  erase,
};

/**
 * Erase a comment's words for good, once staff confirm it by name (erase_dialog.js).
 * @param {number} table
 * @param {any} c the comment as the appendix has it
 * @param {string} topic
 * @param {string} question
 */
async function erase(table, c, topic, question) {
  if (!loaded || !session) return;
  const { report, eraser } = loaded;
  const themes = eraser.comment_themes
    .filter((/** @type {any} */ t) => t.table === table && t.comment_id === c.id)
    .map((/** @type {any} */ t) => ({ kind: /** @type {const} */ ("theme"), id: t.theme_id, text: t.title }));
  const scope = report.key_themes.find((/** @type {any} */ t) => t.topic === topic);
  const sentences = scope ? scope.questions.find((/** @type {any} */ q) => q.question === question) : null;
  const keys = (sentences ? sentences.themes : []).map((/** @type {any} */ k) => ({
    kind: /** @type {const} */ ("key_theme"),
    id: k.id,
    text: k.text,
  }));
  const prompt = sentences ? sentences.prompt : question;
  const chosen = await confirmErasure(`Table ${table}, ${prompt}`, c.text, [...themes, ...keys]);
  if (!chosen) return;
  page.dataset.state = "busy";
  const data = {
    table,
    comment_id: c.id,
    reason: chosen.reason,
    show_reason: chosen.showReason,
    themes: chosen.themes,
    key_themes: chosen.keyThemes,
  };
  const path = `/api/meetings/${encodeURIComponent(session.meeting_id)}/erasures`;
  const response = await call(path, { id: uuid4(), data });
  const body = await response.json();
  if (response.ok) {
    const plural = body.payloads === 1 ? "" : "s";
    tell(`Erased for good: ${body.payloads} stored text${plural} taken out of the log.`, "info");
  } else {
    tell(body.message || "The server refused this.", "error");
  }
  await load();
}

/**
 * Download one format of the chosen version (the draft, or a published one).
 * @param {string} format
 */
async function download(format) {
  const version = versionSelect.value;
  const response = await call(`${base()}/export/${format}${version ? `?version=${version}` : ""}`);
  if (!response.ok) {
    const body = await response.json();
    tell(body.message || "The download failed.", "error");
    return;
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || `report.${format}`;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function wire() {
  const downloads = byId("downloads");
  for (const [format, label] of FORMATS) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.format = format;
    button.addEventListener("click", () => download(format));
    downloads.append(button);
  }
  byId("publish").addEventListener("click", () => {
    const next = Number(page.dataset.published || 0) + 1;
    command("publish_report", { version: next });
  });
  const intro = /** @type {HTMLTextAreaElement} */ (byId("intro"));
  const steps = /** @type {HTMLTextAreaElement} */ (byId("next-steps"));
  for (const area of [intro, steps]) {
    area.addEventListener("input", () => {
      area.dataset.dirty = "1";
    });
  }
  byId("save-front").addEventListener("click", async () => {
    const texts = [intro.value, steps.value];
    delete intro.dataset.dirty;
    delete steps.dataset.dirty;
    await command("set_front_matter", { part: "intro", text: texts[0] });
    await command("set_front_matter", { part: "next_steps", text: texts[1] });
  });
}

async function start() {
  wire();
  const fragment = takeFragment();
  const query = new URLSearchParams(location.search);
  const meeting = fragment.get("meeting") || query.get("meeting");
  const link = fragment.get("signin");
  if (link) {
    const response = await fetch("/api/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: link, label: "staff report page" }),
    });
    const body = await response.json();
    if (!response.ok) {
      page.dataset.state = "error";
      status.textContent = body.message || "This sign-in link was refused.";
      return;
    }
    saveSession(body);
    history.replaceState(null, "", `${location.pathname}?meeting=${encodeURIComponent(body.meeting_id)}`);
  }
  session = loadSession(meeting);
  if (!session) {
    page.dataset.state = "error";
    status.textContent = "Open the staff sign-in link for this meeting first.";
    return;
  }
  await load();
}

start().catch(() => {
  page.dataset.state = "error";
  status.textContent = "Cannot reach the Roundtable server.";
});
