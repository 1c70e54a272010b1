// @ts-check
/**
 * The table facilitator's tablet page: the table's topic, the questions as tabs, the comments
 * with their sub-bullets, the rotation and its countdown, and one large input.
 *
 * Every command goes into the persistent outbox before it is sent and leaves it only on its
 * ack, so nothing typed is lost to a Wi-Fi drop, a reload or a closed tab.
 */

import { countdown, ServerClock } from "./clock.js";
import { byId, el, replaceChildren } from "./dom.js";
import { uuid4 } from "./ids.js";
import { Outbox, requestPersistence } from "./outbox.js";
import { loadSession } from "./session.js";
import { LiveSocket } from "./socket.js";
import { describe, lastSaved } from "./status.js";
import { TableState } from "./view.js";

/** Errors after which the same command should simply be sent again. */
const TRY_AGAIN = new Set(["wrong_expected_version", "commit_failed", "internal_error"]);
const UNDO_MS = 10000;

const session = loadSession(new URLSearchParams(location.search).get("meeting"));
const ui = {
  page: byId("page"),
  tableName: byId("table-name"),
  topic: byId("topic"),
  status: byId("status"),
  statusText: byId("status-text"),
  lastAck: byId("last-ack"),
  clock: byId("clock"),
  rotation: byId("rotation"),
  countdown: byId("countdown"),
  tabs: byId("questions"),
  prompt: byId("prompt"),
  comments: byId("comments"),
  notice: byId("notice"),
  signedOut: byId("signed-out"),
  signedOutText: byId("signed-out-text"),
  waitingText: /** @type {HTMLTextAreaElement} */ (byId("waiting-text")),
  copy: byId("copy"),
  undo: byId("undo"),
  undoText: byId("undo-text"),
  undoButton: byId("undo-button"),
  context: byId("draft-context"),
  draft: /** @type {HTMLTextAreaElement} */ (byId("draft")),
  add: /** @type {HTMLButtonElement} */ (byId("add")),
  nest: /** @type {HTMLButtonElement} */ (byId("nest")),
  unnest: /** @type {HTMLButtonElement} */ (byId("unnest")),
  editLast: /** @type {HTMLButtonElement} */ (byId("edit-last")),
  retract: /** @type {HTMLButtonElement} */ (byId("retract")),
  cancel: /** @type {HTMLButtonElement} */ (byId("cancel")),
};

if (!session) {
  notJoined();
} else {
  start(session);
}

function notJoined() {
  ui.page.dataset.state = "not-joined";
  ui.signedOut.hidden = false;
  ui.signedOutText.textContent =
    "This tablet has not joined a table yet. Scan the QR code on your join sheet, or open its link.";
  ui.waitingText.hidden = true;
  ui.copy.hidden = true;
}

/**
 * @param {import("./session.js").Session} session
 */
function start(session) {
  const table = session.table ?? 0;
  const outbox = new Outbox(`roundtable:outbox:${session.meeting_id}`);
  const clock = new ServerClock();
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new LiveSocket(`${scheme}//${location.host}/ws`, session.token);
  const questionKey = `roundtable:question:${session.meeting_id}`;

  /** @type {any} the meeting view */
  let meeting = null;
  /** @type {TableState} what the server has confirmed */
  let confirmed = new TableState();
  /** @type {Map<string, {command: import("./outbox.js").Command, position: number}>} acked, event not seen yet */
  const settled = new Map();
  let question = localStorage.getItem(questionKey) || "";
  /** @type {"top" | "sub"} */
  let level = "top";
  /** @type {string | null} */
  let editing = null;
  /** @type {number | null} */
  let ackedAt = null;
  let everOpen = false;
  /** @type {{commentId: string, timer: ReturnType<typeof setTimeout>} | null} */
  let undo = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let meetingRefresh;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let pinger;

  const cacheKey = `roundtable:views:${session.meeting_id}`;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let cacheTimer;
  try {
    const cached = JSON.parse(localStorage.getItem(cacheKey) || "null");
    if (cached && cached.table === table) {
      meeting = cached.meeting;
      confirmed = TableState.fromJSON(cached.state);
    }
  } catch {
    // no usable copy: the page fills in when it connects
  }

  /** Keep the last views, so a page opened offline still shows the table. */
  function saveViews() {
    clearTimeout(cacheTimer);
    cacheTimer = setTimeout(() => {
      try {
        localStorage.setItem(cacheKey, JSON.stringify({ table, meeting, state: confirmed }));
      } catch {
        // storage full: the outbox matters more than this copy
      }
    }, 1000);
  }

  requestPersistence();
  ui.tableName.textContent = `Table ${table}`;
  // For tests and for the curious: the live objects of this page.
  Object.assign(window, { roundtable: { socket, outbox, clock } });

  // ---- what is shown ------------------------------------------------------------------

  /** @returns {TableState} the confirmed state with the waiting commands laid over it */
  function shown() {
    const state = confirmed.clone();
    for (const { command } of settled.values()) state.overlay(command);
    for (const command of outbox.items) state.overlay(command);
    return state;
  }

  function render() {
    const state = shown();
    renderTabs(state);
    renderComments(state);
    renderComposer(state);
    renderStatus();
    renderClock();
  }

  /** @param {TableState} state */
  function renderTabs(state) {
    const questions = meeting ? meeting.questions : [];
    if (questions.length && !questions.some((/** @type {any} */ q) => q.id === question)) {
      question = questions[0].id;
    }
    replaceChildren(
      ui.tabs,
      questions.map((/** @type {any} */ q, /** @type {number} */ i) => {
        const count = state.list(q.id).reduce((n, item) => n + 1 + item.children.length, 0);
        const tab = el(
          "button",
          {
            type: "button",
            role: "tab",
            class: "tab",
            "data-question": q.id,
            "aria-selected": q.id === question ? "true" : "false",
          },
          [el("span", { class: "tab-number", text: `Q${i + 1}` }), el("span", { class: "tab-prompt", text: q.prompt }), el("span", { class: "tab-count", text: String(count) })],
        );
        tab.addEventListener("click", () => chooseQuestion(q.id));
        return tab;
      }),
    );
    const current = questions.find((/** @type {any} */ q) => q.id === question);
    ui.prompt.textContent = current ? current.prompt : "";
  }

  /** @param {TableState} state */
  function renderComments(state) {
    const items = state.list(question);
    const nearBottom = ui.comments.scrollHeight - ui.comments.scrollTop - ui.comments.clientHeight < 80;
    if (!items.length) {
      replaceChildren(ui.comments, [el("p", { class: "empty", text: "No points yet for this question. Type the first one below." })]);
      return;
    }
    replaceChildren(ui.comments, [
      el("ol", { class: "comment-list" }, items.map(({ comment, children }) =>
        commentItem(comment, children.length ? el("ul", { class: "children" }, children.map((c) => commentItem(c, null))) : null),
      )),
    ]);
    if (nearBottom) ui.comments.scrollTop = ui.comments.scrollHeight;
  }

  /**
   * @param {import("./view.js").Comment} comment
   * @param {HTMLElement | null} children
   */
  function commentItem(comment, children) {
    const body = el("div", { class: "comment-body", role: "button", tabindex: "0", title: "Tap to edit" }, [
      el("span", { class: "text", text: comment.text }),
      comment.waiting && el("span", { class: "badge waiting", text: "waiting" }),
      comment.late && el("span", { class: "badge late", text: "late" }),
      comment.edited && !comment.waiting && el("span", { class: "badge", text: "edited" }),
    ]);
    body.addEventListener("click", () => startEdit(comment.id));
    body.addEventListener("keydown", (event) => {
      if (event.key === "Enter") startEdit(comment.id);
    });
    return el(
      "li",
      {
        class: "comment",
        "data-id": comment.id,
        "data-waiting": comment.waiting ? "true" : "false",
        "data-editing": editing === comment.id ? "true" : "false",
      },
      [body, children],
    );
  }

  /** @param {TableState} state */
  function renderComposer(state) {
    const editingComment = editing ? state.comments.get(editing) : undefined;
    if (editing && (!editingComment || editingComment.retracted)) stopEdit();
    const parent = lastTop(state);
    if (level === "sub" && !parent) level = "top";
    ui.page.dataset.level = level;
    ui.page.dataset.editing = editing ? "true" : "false";
    ui.cancel.hidden = !editing;
    ui.add.textContent = editing ? "Save" : "Add";
    if (editingComment) {
      ui.context.textContent = `Editing “${short(editingComment.text)}” — Enter saves, Esc cancels`;
    } else if (level === "sub" && parent) {
      ui.context.textContent = `↳ Sub-point under “${short(parent.text)}”`;
    } else {
      ui.context.textContent = "New main point";
    }
    ui.draft.placeholder = editing ? "Edit the point, then Enter" : level === "sub" ? "Type a sub-point, press Enter" : "Type a point, press Enter";
  }

  function renderStatus() {
    const status = describe({
      open: socket.open,
      refused: socket.refused,
      everOpen,
      waiting: outbox.size,
      online: navigator.onLine !== false,
    });
    ui.status.dataset.state = status.state;
    ui.status.dataset.waiting = String(outbox.size);
    ui.statusText.textContent = status.text;
    ui.lastAck.textContent = lastSaved(ackedAt);
  }

  function renderClock() {
    if (!meeting) return;
    const c = meeting.clock || {};
    const entry = (meeting.tables || []).find((/** @type {any} */ t) => t.number === table);
    ui.topic.textContent = entry && entry.topic_title ? entry.topic_title : "";
    let state = "none";
    let label = "";
    let time = "";
    if (meeting.status === "closed" || c.closed_at) {
      label = "The meeting is closed";
    } else if (c.phase_kind === "roundtables" && c.rotation) {
      const group = entry ? entry.groups[c.rotation - 1] : null;
      const count = meeting.rotation ? meeting.rotation.count : "?";
      const left = countdown(c, clock.now());
      state = left.state;
      label = `Rotation ${c.rotation} of ${count}${group ? ` · Group ${group}` : ""}`;
      if (left.state === "over") time = `Rotation ${c.rotation} over — please move`;
      else if (left.state === "paused") time = `Paused · ${left.text} left`;
      else if (left.state === "warning") time = `${left.text} left — 2 minutes warning`;
      else if (left.state === "running") time = `${left.text} left`;
      ui.clock.dataset.remainingMs = String(Math.round(left.remainingMs));
    } else if (c.phase_kind === "roundtables") {
      state = "over";
      label = "Between rotations";
      time = "Rotation over — please move";
    } else if (c.phase) {
      const item = (meeting.agenda || []).find((/** @type {any} */ a) => a.id === c.phase);
      label = item ? item.title : c.phase;
    } else {
      label = c.opened_at ? "The roundtables have not started yet" : "The meeting has not opened yet";
    }
    ui.clock.dataset.state = state;
    ui.rotation.textContent = label;
    ui.countdown.textContent = time;
  }

  // ---- typing ---------------------------------------------------------------------------

  /** @param {TableState} state */
  function lastTop(state) {
    const items = state.list(question);
    return items.length ? items[items.length - 1].comment : null;
  }

  /** @param {TableState} state */
  function lastComment(state) {
    const items = state.list(question);
    if (!items.length) return null;
    const last = items[items.length - 1];
    return last.children.length ? last.children[last.children.length - 1] : last.comment;
  }

  /**
   * Put a command in the outbox, then send it if connected.
   * @param {string} name
   * @param {Record<string, unknown>} data
   */
  function command(name, data) {
    const queued = outbox.put(uuid4(), name, data);
    socket.send(wire(queued));
    render();
  }

  function submit() {
    const text = ui.draft.value.replace(/\s+/g, " ").trim();
    const state = shown();
    if (editing) {
      const comment = state.comments.get(editing);
      if (comment && text && text !== comment.text) command("edit_comment", { comment_id: editing, text });
      stopEdit();
      render();
      return;
    }
    if (!text) return;
    const parent = level === "sub" ? lastTop(state) : null;
    const c = meeting ? meeting.clock : null;
    command("add_comment", {
      comment_id: uuid4(),
      question,
      text,
      parent: parent ? parent.id : null,
      rotation: c && c.phase_kind === "roundtables" ? c.rotation : null,
      typed_at: Math.round(clock.now() * 1000),
    });
    ui.draft.value = "";
  }

  function nest() {
    const state = shown();
    if (editing) {
      const comment = state.comments.get(editing);
      if (!comment || comment.parent !== null || (state.order.get(comment.id) || []).some((id) => !state.comments.get(id)?.retracted)) return;
      const tops = state.list(question).map((item) => item.comment.id);
      const before = tops[tops.indexOf(comment.id) - 1];
      if (before) command("nest_comment", { comment_id: comment.id, parent: before });
      return;
    }
    if (lastTop(state)) level = "sub";
    render();
  }

  function unnest() {
    const state = shown();
    if (editing) {
      const comment = state.comments.get(editing);
      if (comment && comment.parent !== null) command("unnest_comment", { comment_id: comment.id });
      return;
    }
    level = "top";
    render();
  }

  /** @param {string} commentId */
  function startEdit(commentId) {
    const comment = shown().comments.get(commentId);
    if (!comment || socket.refused) return;
    editing = commentId;
    ui.draft.value = comment.text;
    render();
    ui.draft.focus();
    ui.draft.setSelectionRange(ui.draft.value.length, ui.draft.value.length);
  }

  function stopEdit() {
    if (editing) ui.draft.value = "";
    editing = null;
  }

  function editLast() {
    const last = lastComment(shown());
    if (last) startEdit(last.id);
  }

  function retract() {
    const state = shown();
    const target = editing ? state.comments.get(editing) : lastComment(state);
    if (!target) return;
    stopEdit();
    command("retract_comment", { comment_id: target.id });
    if (undo) clearTimeout(undo.timer);
    undo = { commentId: target.id, timer: setTimeout(hideUndo, UNDO_MS) };
    ui.undoText.textContent = `Retracted “${short(target.text)}”`;
    ui.undo.hidden = false;
  }

  function hideUndo() {
    if (undo) clearTimeout(undo.timer);
    undo = null;
    ui.undo.hidden = true;
  }

  /** @param {string} id */
  function chooseQuestion(id) {
    question = id;
    localStorage.setItem(questionKey, id);
    stopEdit();
    level = "top";
    render();
    ui.draft.focus();
  }

  ui.draft.addEventListener("keydown", (event) => {
    if (event.isComposing || event.keyCode === 229) return; // an input method is composing
    if (event.key === "Enter") {
      event.preventDefault();
      submit();
    } else if (event.key === "Tab") {
      event.preventDefault();
      if (event.shiftKey) unnest();
      else nest();
    } else if (event.key === "ArrowUp" && !editing && ui.draft.value === "") {
      event.preventDefault();
      editLast();
    } else if (event.key === "Escape" && editing) {
      event.preventDefault();
      stopEdit();
      render();
    }
  });
  ui.draft.addEventListener("input", () => {
    // Comments are one line: a pasted line break or tab becomes a space.
    if (/[\r\n\t]/.test(ui.draft.value)) ui.draft.value = ui.draft.value.replace(/[\r\n\t]+/g, " ");
  });
  /**
   * A button that acts and leaves the focus (and the touch keyboard) on the input.
   * @param {HTMLElement} button
   * @param {() => void} action
   */
  function onTap(button, action) {
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      action();
      ui.draft.focus();
    });
  }
  onTap(ui.add, submit);
  onTap(ui.nest, nest);
  onTap(ui.unnest, unnest);
  onTap(ui.editLast, editLast);
  onTap(ui.retract, retract);
  onTap(ui.cancel, () => {
    stopEdit();
    render();
  });
  onTap(ui.undoButton, () => {
    if (undo) command("restore_comment", { comment_id: undo.commentId });
    hideUndo();
  });
  ui.copy.addEventListener("click", () => {
    ui.waitingText.focus();
    ui.waitingText.select();
    let copied = false;
    try {
      copied = document.execCommand("copy"); // navigator.clipboard needs https
    } catch {
      copied = false;
    }
    ui.copy.textContent = copied ? "Copied" : "Selected: copy it now";
  });

  // ---- the connection ------------------------------------------------------------------

  /** @param {import("./outbox.js").Command} queued */
  function wire(queued) {
    return { type: "command", id: queued.id, name: queued.name, data: queued.data };
  }

  function flush() {
    for (const queued of outbox.read()) socket.send(wire(queued));
  }

  function syncClock() {
    clearInterval(pinger);
    clock.forget();
    socket.ping();
    setTimeout(() => socket.ping(), 400);
    setTimeout(() => socket.ping(), 1200);
    pinger = setInterval(() => socket.ping(), 60000);
  }

  function refreshMeeting() {
    clearTimeout(meetingRefresh);
    meetingRefresh = setTimeout(async () => {
      try {
        const response = await fetch(`/api/meetings/${encodeURIComponent(session.meeting_id)}`, {
          headers: { Authorization: `Bearer ${session.token}` },
          cache: "no-store",
        });
        if (response.ok) {
          meeting = await response.json();
          saveViews();
          render();
        }
      } catch {
        // offline: the next event or reconnect brings it
      }
    }, 150);
  }

  function dropSettled() {
    for (const [id, entry] of settled) {
      if ((socket.position ?? 0) >= entry.position) settled.delete(id);
    }
  }

  /** @param {any} message */
  function onMessage(message) {
    switch (message.type) {
      case "welcome":
        clock.roughly(message.server_time);
        syncClock();
        break;
      case "state":
        meeting = message.views.meeting;
        confirmed = TableState.fromView(message.views.tables[String(table)]);
        dropSettled();
        saveViews();
        break;
      case "event":
        if (String(message.event_type).startsWith("Comment")) confirmed.apply(message.event_type, message.data);
        else refreshMeeting();
        dropSettled();
        saveViews();
        break;
      case "ack": {
        const gone = outbox.remove(message.id);
        ackedAt = Date.now();
        if (gone && typeof message.position === "number" && message.position > (socket.position ?? 0)) {
          settled.set(gone.id, { command: gone, position: message.position });
        }
        break;
      }
      case "error":
        onError(message);
        break;
      case "pong":
        clock.pong(message.client_time, message.server_time);
        renderClock();
        return;
      default:
        return;
    }
    render();
  }

  /** @param {any} message */
  function onError(message) {
    if (message.id === null) return;
    const queued = outbox.items.find((c) => c.id === message.id);
    if (!queued) return;
    if (TRY_AGAIN.has(message.code)) {
      setTimeout(() => socket.send(wire(queued)), 500);
      return;
    }
    outbox.remove(message.id);
    const text = typeof queued.data.text === "string" ? ` “${short(queued.data.text)}”` : "";
    ui.notice.textContent = `Not saved${text}: ${message.message}`;
    ui.notice.hidden = false;
  }

  /** @param {any} message */
  function onRefused(message) {
    ui.page.dataset.state = "signed-out";
    ui.signedOut.hidden = false;
    ui.signedOutText.textContent = message.message;
    const lines = outbox.items
      .filter((c) => typeof c.data.text === "string")
      .map((c) => `${c.data.parent ? "  - " : "- "}${c.data.text}`);
    ui.waitingText.value = lines.join("\n");
    ui.waitingText.hidden = !lines.length;
    ui.copy.hidden = !lines.length;
    ui.draft.disabled = true;
    render();
  }

  socket.addEventListener("rt:message", (event) => onMessage(/** @type {CustomEvent} */ (event).detail));
  socket.addEventListener("rt:open", () => {
    everOpen = true;
    flush();
    render();
  });
  socket.addEventListener("rt:close", () => render());
  socket.addEventListener("rt:refused", (event) => onRefused(/** @type {CustomEvent} */ (event).detail));
  addEventListener("online", renderStatus);
  addEventListener("offline", renderStatus);
  ui.notice.addEventListener("click", () => {
    ui.notice.hidden = true;
  });
  setInterval(renderClock, 250);

  render();
  socket.connect();
  ui.draft.focus();
}

/**
 * @param {string} text
 * @returns {string} at most 60 characters of it
 */
function short(text) {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
