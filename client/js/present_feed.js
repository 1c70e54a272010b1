// @ts-check
/**
 * The report-back, kept current: the page follows the meeting over its live socket (like every
 * screen: hello, state, events, resume) and fetches the rendered report-back from the server
 * (`GET /api/meetings/ID/report-back`) after the state and after each event that may change it,
 * once for a burst. The server renders it, frozen or live, so the page never folds themes itself.
 * While frozen, only the report-back's own events (an unfreeze) and an erasure are worth a fetch.
 *
 * Emits `rt:report-back` (detail: the view) when what is shown should change.
 */

/** Streams whose events never change the report-back. */
const UNRELATED = ["devices-", "messages-"];
const SOON_MS = 120;

export class ReportBackFeed extends EventTarget {
  /**
   * @param {import("./session.js").Session} session
   * @param {import("./socket.js").LiveSocket} socket
   */
  constructor(session, socket) {
    super();
    this.session = session;
    this.socket = socket;
    /** @type {any} the report-back shown */
    this.view = null;
    /** the log position the shown report-back stands at */
    this.position = -1;
    /** @type {string} the shown view as JSON, to redraw only on a change */
    this.shown = "";
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {AbortController | null} */
    this.inFlight = null;
    socket.addEventListener("rt:message", (event) => this.onMessage(/** @type {CustomEvent} */ (event).detail));
  }

  /** @param {any} message */
  onMessage(message) {
    if (message.type === "state") this.refresh();
    if (message.type !== "event") return;
    const stream = String(message.stream || "");
    if (UNRELATED.some((prefix) => stream.startsWith(prefix))) return;
    const erased = message.event_type === "CommentErased"; // words gone from the frozen one too
    if (this.view && this.view.frozen && !erased && !stream.startsWith("report-back-")) return;
    this.refresh();
  }

  /** Fetch the report-back soon (once for a burst of events). */
  refresh() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetchNow(), SOON_MS);
  }

  async fetchNow() {
    if (this.inFlight) this.inFlight.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const { session } = this;
    try {
      const response = await fetch(`/api/meetings/${encodeURIComponent(session.meeting_id)}/report-back`, {
        headers: { Authorization: `Bearer ${session.token}` },
        cache: "no-store",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const body = await response.json();
      if (body.position < this.position) return;
      this.position = body.position;
      const json = JSON.stringify(body.report_back);
      if (json === this.shown) return;
      this.shown = json;
      this.view = body.report_back;
      this.dispatchEvent(new CustomEvent("rt:report-back", { detail: this.view }));
    } catch {
      // offline or superseded: the next event, or the state after a reconnect, fetches again
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }
}
