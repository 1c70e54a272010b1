// @ts-check
/**
 * One device's live connection: hello with the token, resume from the last position seen,
 * reconnect with capped full-jitter backoff, and at once when the tablet wakes up (`online`,
 * `visibilitychange`, `pageshow`). "Open" means the server is answering, not only that a
 * socket exists: while open it is pinged every PING_MS, and a connection from which nothing
 * at all has come for SILENCE_MS is dropped (a stalled access point, a server that stopped
 * answering keep the socket nominally open for minutes). The browser's `offline` drops it at
 * once. Sending never throws: while down, nothing is sent, and the outbox keeps it.
 *
 * Lifecycle goes out as DOM events on this object: `rt:connecting`, `rt:open` (after
 * welcome), `rt:message` (every message), `rt:close`, `rt:refused` (token refused, device
 * signed out: no more reconnects).
 */

import { Backoff } from "./backoff.js";

const CONNECT_TIMEOUT_MS = 8000;
/** How often an open connection asks the server to answer. */
const PING_MS = 2000;
/** Nothing heard for this long: the server is not answering (shown within 10 s). */
const SILENCE_MS = 6000;
/** Errors that end this device's session: reconnecting cannot help. */
export const REFUSALS = new Set([
  "token_refused",
  "token_expired",
  "device_revoked",
  "unknown_meeting",
  "hello_first",
]);

/** @returns {string} this server's websocket address, over TLS when the page is */
export function serverSocketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

export class LiveSocket extends EventTarget {
  /**
   * @param {string} url the websocket address
   * @param {string} token the device token
   */
  constructor(url, token) {
    super();
    this.url = url;
    this.token = token;
    /** @type {number | null} the last position received: where to resume from */
    this.position = null;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.open = false;
    this.refused = false;
    /** how many times a session was welcomed (1 + reconnects) */
    this.connections = 0;
    this.backoff = new Backoff();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchdog = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pinger = undefined;
    this.wake = () => this.reconnectNow();
    this.lost = () => this.drop();
    this.onVisible = () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    };
    addEventListener("online", this.wake);
    addEventListener("offline", this.lost);
    addEventListener("pageshow", this.wake);
    document.addEventListener("visibilitychange", this.onVisible);
  }

  /** Connect (if not connected or connecting already). */
  connect() {
    if (this.refused || this.ws) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.emit("rt:connecting");
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.feedWatchdog(CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "hello", token: this.token, resume: this.position }));
    };
    ws.onmessage = (frame) => this.receive(ws, frame);
    ws.onclose = (close) => this.closed(ws, close.code);
    ws.onerror = () => undefined; // a close follows
  }

  /**
   * @param {WebSocket} ws
   * @param {MessageEvent} frame
   */
  receive(ws, frame) {
    if (ws !== this.ws) return;
    this.feedWatchdog(SILENCE_MS);
    /** @type {any} */
    let message;
    try {
      message = JSON.parse(String(frame.data));
    } catch {
      return;
    }
    if (message.type === "welcome") {
      this.open = true;
      this.connections += 1;
      this.backoff.reset();
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.ping(), PING_MS);
    } else if (message.type === "state" || message.type === "event") {
      if (typeof message.position === "number") {
        this.position = Math.max(this.position ?? 0, message.position);
      }
    } else if (message.type === "error" && message.id === null && REFUSALS.has(message.code)) {
      this.refused = true;
      this.emit("rt:refused", message);
    }
    this.emit("rt:message", message);
    if (message.type === "welcome" && message.resumed) this.emit("rt:open", message);
    if (message.type === "state") this.emit("rt:open", message);
  }

  /**
   * @param {WebSocket} ws
   * @param {number} code
   */
  closed(ws, code) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.open = false;
    clearTimeout(this.watchdog);
    clearInterval(this.pinger);
    this.emit("rt:close", { code });
    if (!this.refused) this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.retryTimer !== undefined || this.refused) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, this.backoff.next());
  }

  /** The tablet woke up or came back online: try now rather than after the backoff. */
  reconnectNow() {
    if (this.refused) return;
    if (this.ws && this.open) {
      this.ping(); // a socket that died in sleep is found out by its silence
      return;
    }
    if (this.ws) return;
    this.backoff.reset();
    this.connect();
  }

  /** Drop the connection as a Wi-Fi drop would; it comes back by itself. */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.closed(ws, 1006);
    ws.onclose = null;
    ws.onmessage = null;
    ws.close();
  }

  /**
   * Send if connected and welcomed; returns whether it went.
   * @param {object} message
   * @returns {boolean}
   */
  send(message) {
    if (!this.ws || !this.open || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Ask for the server's time (answered by `pong`). */
  ping() {
    this.send({ type: "ping", id: `p-${Date.now()}-${Math.random()}`, client_time: Date.now() });
  }

  /** @param {number} ms */
  feedWatchdog(ms) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.drop(), ms);
  }

  /**
   * @param {string} type
   * @param {unknown} [detail]
   */
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
