// @ts-check
/**
 * When the meeting clock enters the report-back, the screens follow: the projected wall
 * (an observer's screen) switches to the presentation page, and the lead's page offers to open
 * it. Both pages already follow the meeting with a `LiveSocket`; this watches its messages for
 * the report-back phase: the `state`'s meeting view (`clock.phase_kind`) and each
 * `PhaseChanged` event (`data.kind`).
 *
 * The hook, for the wall page:  `switchToPresentation(socket, meetingId)`
 * and for the lead's page:      `offerPresentation(socket, meetingId, container)`
 *
 * A screen that connects while the report-back is already on follows it once per browser tab:
 * someone who comes back from the presentation to the wall stays on the wall.
 */

import { el } from "./dom.js";

export const REPORT_BACK = "report_back";

/**
 * @param {string} meetingId
 * @returns {string} the presentation page's address for this meeting
 */
export function presentUrl(meetingId) {
  return `/present?meeting=${encodeURIComponent(meetingId)}`;
}

/**
 * Whether a protocol message says the meeting is (now) in the report-back phase; `null` when
 * the message says nothing about the phase.
 * @param {any} message
 * @returns {boolean | null}
 */
export function reportBackIn(message) {
  if (message.type === "state") {
    const clock = message.views && message.views.meeting && message.views.meeting.clock;
    return clock ? clock.phase_kind === REPORT_BACK : null;
  }
  if (message.type === "event" && message.event_type === "PhaseChanged") {
    return message.data.kind === REPORT_BACK;
  }
  return null;
}

/**
 * Call `onEnter` when the meeting enters the report-back (live), or once per tab when the
 * socket first finds it already there.
 * @param {EventTarget} socket a `LiveSocket` (its `rt:message` events)
 * @param {string} meetingId
 * @param {() => void} onEnter
 * @returns {() => void} stop following
 */
export function followReportBack(socket, meetingId, onEnter) {
  const seenKey = `roundtable:report-back-followed:${meetingId}`;
  /** @type {boolean | null} */
  let inside = null;
  /** @param {Event} event */
  const listener = (event) => {
    const message = /** @type {CustomEvent} */ (event).detail;
    const now = reportBackIn(message);
    if (now === null) return;
    const entered = now && (message.type === "event" ? inside !== true : !sessionStorage.getItem(seenKey));
    inside = now;
    if (!entered) return;
    sessionStorage.setItem(seenKey, "1");
    onEnter();
  };
  socket.addEventListener("rt:message", listener);
  return () => socket.removeEventListener("rt:message", listener);
}

/**
 * The projected wall: go to the presentation when the report-back begins.
 * @param {EventTarget} socket
 * @param {string} meetingId
 * @returns {() => void} stop following
 */
export function switchToPresentation(socket, meetingId) {
  return followReportBack(socket, meetingId, () => location.assign(presentUrl(meetingId)));
}

/**
 * The lead's page: when the report-back begins, show in `container` an offer to open the
 * presentation (in its own window, for the projector), with a way to dismiss it.
 * @param {EventTarget} socket
 * @param {string} meetingId
 * @param {HTMLElement} container
 * @returns {() => void} stop following
 */
export function offerPresentation(socket, meetingId, container) {
  return followReportBack(socket, meetingId, () => {
    const open = el("button", { type: "button", class: "primary", text: "Open the presentation" });
    const later = el("button", { type: "button", text: "Not now" });
    const offer = el("div", { class: "present-offer", role: "alert", "data-offer": "present" }, [
      el("span", { text: "The report-back has begun." }),
      open,
      later,
    ]);
    open.addEventListener("click", () => {
      window.open(presentUrl(meetingId), "roundtable-present");
      offer.remove();
    });
    later.addEventListener("click", () => offer.remove());
    container.replaceChildren(offer);
  });
}
