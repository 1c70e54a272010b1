// @ts-check
/**
 * The tablet page's side of the live protocol. Every command goes into the persistent outbox
 * before it is sent and leaves it only on its ack (or a refusal for good); what is left goes
 * out again after each reconnect. What comes back (the views, pushed events, acks, errors,
 * pongs, a signed-out refusal) is folded into the page state.
 */

import { short } from "./dom.js";
import { uuid4 } from "./ids.js";
import { afterMessageEvent } from "./moments.js";
import { TableState } from "./view.js";

/** The lead's messages: one sent, one ended. */
const MESSAGE_EVENTS = new Set(["MessageSent", "MessageEnded"]);

/** Errors after which the same command should simply be sent again. */
const TRY_AGAIN = new Set(["wrong_expected_version", "commit_failed", "internal_error"]);

/**
 * What the connection asks the page to redraw.
 * @typedef {Object} Redraw
 * @property {() => void} all everything
 * @property {() => void} clock the clock bar only
 */

export class Connection {
  /**
   * @param {import("./elements.js").Elements} ui
   * @param {import("./session.js").Session} session
   * @param {import("./page.js").PageState} page
   * @param {import("./socket.js").LiveSocket} socket
   * @param {import("./clock.js").ServerClock} clock
   * @param {Redraw} redraw
   */
  constructor(ui, session, page, socket, clock, redraw) {
    this.ui = ui;
    this.session = session;
    this.page = page;
    this.socket = socket;
    this.clock = clock;
    this.redraw = redraw;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.meetingRefresh = undefined;
    /** @type {number | null} the outbox count last told to the server (null: not on this connection) */
    this.reported = null;
    /** @type {import("./outbox.js").Command[]} commands refused because the meeting was closed */
    this.afterClose = [];
  }

  /**
   * Tell the server how many commands wait in the outbox (the lead's health panel shows it):
   * after each welcome, and whenever the count changes.
   */
  reportWaiting() {
    const waiting = this.page.outbox.size;
    if (!this.socket.open || waiting === this.reported) return;
    if (this.socket.send({ type: "status", waiting })) this.reported = waiting;
  }

  /**
   * Put a command in the outbox, then send it if connected.
   * @param {string} name
   * @param {Record<string, unknown>} data
   */
  send(name, data) {
    const queued = this.page.outbox.put(uuid4(), name, data);
    this.socket.send(wire(queued));
    this.reportWaiting();
    this.redraw.all();
  }

  /** Send again, in order, everything the outbox holds. */
  flush() {
    for (const queued of this.page.outbox.read()) this.socket.send(wire(queued));
  }

  /** Measure the clock's offset afresh: three pings now (the socket's own, every few
   * seconds, keep measuring it). */
  syncClock() {
    const socket = this.socket;
    this.clock.forget();
    socket.ping();
    setTimeout(() => socket.ping(), 400);
    setTimeout(() => socket.ping(), 1200);
  }

  /** Fetch the meeting view again (soon, once for a burst of events). */
  refreshMeeting() {
    const { session, page } = this;
    clearTimeout(this.meetingRefresh);
    this.meetingRefresh = setTimeout(async () => {
      try {
        const response = await fetch(`/api/meetings/${encodeURIComponent(session.meeting_id)}`, {
          headers: { Authorization: `Bearer ${session.token}` },
          cache: "no-store",
        });
        if (response.ok) {
          page.meeting = await response.json();
          page.saveViews();
          this.redraw.all();
        }
      } catch {
        // offline: the next event or reconnect brings it
      }
    }, 150);
  }

  /** @param {any} message */
  onMessage(message) {
    const { page, socket } = this;
    switch (message.type) {
      case "welcome":
        this.clock.roughly(message.server_time);
        this.syncClock();
        this.reported = null;
        break;
      case "state":
        page.meeting = message.views.meeting;
        page.announcement = message.views.announcements ? message.views.announcements.message : null;
        page.confirmed = TableState.fromView(message.views.tables[String(page.table)]);
        page.dropSettled(socket.position);
        page.saveViews();
        break;
      case "event":
        if (String(message.event_type).startsWith("Comment")) page.confirmed.apply(message.event_type, message.data);
        else if (MESSAGE_EVENTS.has(message.event_type)) page.announcement = afterMessageEvent(page.announcement, message);
        else if (message.event_type !== "WallHeld" && message.event_type !== "WallShown") this.refreshMeeting();
        page.dropSettled(socket.position);
        page.saveViews();
        break;
      case "ack": {
        const gone = page.outbox.remove(message.id);
        page.ackedAt = Date.now();
        if (gone && typeof message.position === "number" && message.position > (socket.position ?? 0)) {
          page.settled.set(gone.id, { command: gone, position: message.position });
        }
        break;
      }
      case "error":
        this.onError(message);
        break;
      case "pong":
        this.clock.pong(message.client_time, message.server_time);
        this.redraw.clock();
        return;
      default:
        return;
    }
    this.reportWaiting();
    this.redraw.all();
  }

  /** @param {any} message */
  onError(message) {
    const { ui, page } = this;
    if (message.id === null) return;
    const queued = page.outbox.items.find((c) => c.id === message.id);
    if (!queued) return;
    if (TRY_AGAIN.has(message.code)) {
      setTimeout(() => this.socket.send(wire(queued)), 500);
      return;
    }
    page.outbox.remove(message.id);
    this.reportWaiting();
    if (message.code === "meeting_closed") {
      this.afterClose.push(queued);
      this.showClosed();
      return;
    }
    const text = typeof queued.data.text === "string" ? ` “${short(queued.data.text)}”` : "";
    ui.notice.textContent = `Not saved${text}: ${message.message}`;
    ui.notice.hidden = false;
  }

  /** @param {any} message */
  onRefused(message) {
    this.stop("signed-out", message.message, this.page.outbox.items);
    this.redraw.all();
  }

  /**
   * The meeting is closed (its view says so, or a command was refused for it): nothing more
   * is typed; what the server would not take, and what still waits, is offered for copying.
   * Within the server's minute of grace the waiting commands still go out and leave the list.
   */
  showClosed() {
    this.stop("closed", "The meeting is closed — thank you", [...this.afterClose, ...this.page.outbox.items]);
  }

  /**
   * @param {string} state
   * @param {string} text
   * @param {import("./outbox.js").Command[]} unsent
   */
  stop(state, text, unsent) {
    const ui = this.ui;
    ui.page.dataset.state = state;
    ui.signedOut.hidden = false;
    ui.signedOutText.textContent = text;
    const lines = unsent
      .filter((c) => typeof c.data.text === "string")
      .map((c) => `${c.data.parent ? "  - " : "- "}${c.data.text}`);
    ui.waitingText.value = lines.join("\n");
    ui.waitingText.hidden = !lines.length;
    ui.copy.hidden = !lines.length;
    ui.draft.disabled = true;
  }

  /** Follow the socket's lifecycle and messages. */
  listen() {
    const socket = this.socket;
    socket.addEventListener("rt:message", (event) => this.onMessage(/** @type {CustomEvent} */ (event).detail));
    socket.addEventListener("rt:open", () => {
      this.page.everOpen = true;
      this.flush();
      this.redraw.all();
    });
    socket.addEventListener("rt:close", () => {
      this.reported = null;
      this.redraw.all();
    });
    socket.addEventListener("rt:refused", (event) => this.onRefused(/** @type {CustomEvent} */ (event).detail));
  }
}

/**
 * @param {import("./outbox.js").Command} queued
 * @returns {object} the command as sent
 */
function wire(queued) {
  return { type: "command", id: queued.id, name: queued.name, data: queued.data };
}
